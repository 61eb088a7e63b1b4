/**
 * CosineDecayRestarts, SGDR (keras/src/optimizers/schedules/learning_rate_schedule.py), in float32
 * with the engine's float32 cos, log and pow (src/core/math).
 * Part of src/nn: imports src/core only.
 */
import { checkOptions, cos32, log32, pow32 } from '../../../core/internal.ts';
import { PI32 } from './cosine-decay.ts';
import { LearningRateSchedule, nameOf, num, positive } from './schedule.ts';

const f32 = Math.fround;

/** Options of {@link CosineDecayRestarts} (Keras's arguments, camelCase). */
export interface CosineDecayRestartsOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Length of the first period in steps, > 0. */
  firstDecaySteps: number;
  /** Each period is tMul times longer than the previous; default 2. */
  tMul?: number;
  /** Each period starts at mMul times the previous start; default 1. */
  mMul?: number;
  /** The final fraction of each period; default 0. */
  alpha?: number;
  /** Default 'SGDRDecay'. */
  name?: string;
}

/**
 * Cosine decay with warm restarts (Keras `CosineDecayRestarts`), in float32, each step rounded: `c = f32(step) /
 * f32(firstDecaySteps)`; tMul == 1: `i = floor(c)`, `c = c - i`; else `i = floor(log32(1 - c * (1 - tMul)) /
 * log32(tMul))`, `c = (c - (1 - pow32(tMul, i)) / (1 - tMul)) / pow32(tMul, i)`; then
 * `lr = f32(initial) * (f32(1 - alpha) * ((0.5 * pow32(mMul, i)) * (1 + cos32(f32(pi) * c))) + alpha)`
 * (tMul, mMul, alpha rounded to float32 first; the powers have integer exponents, so they are exact products
 * rounded once).
 * @throws {@link ArgumentError} for a missing or non-finite argument, firstDecaySteps <= 0 or an unknown option.
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Length of the first period. */
  readonly firstDecaySteps: number;
  /** Period growth factor. */
  readonly tMul: number;
  /** Restart learning-rate factor. */
  readonly mMul: number;
  /** The final fraction of each period. */
  readonly alpha: number;
  /** The schedule's name. */
  readonly name: string;

  constructor(o: CosineDecayRestartsOptions) {
    super();
    checkOptions('CosineDecayRestarts', o, ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name']);
    const r = o as unknown as Record<string, unknown>;
    this.initialLearningRate = num('CosineDecayRestarts', r, 'initialLearningRate');
    this.firstDecaySteps = positive('CosineDecayRestarts', r, 'firstDecaySteps');
    this.tMul = num('CosineDecayRestarts', r, 'tMul', 2);
    this.mMul = num('CosineDecayRestarts', r, 'mMul', 1);
    this.alpha = num('CosineDecayRestarts', r, 'alpha', 0);
    this.name = nameOf('CosineDecayRestarts', r, 'SGDRDecay');
  }

  /** The float32 learning rate at `step`. */
  call(step: number): number {
    const alpha = f32(this.alpha);
    const tMul = f32(this.tMul);
    const mMul = f32(this.mMul);
    let c = f32(f32(step) / f32(this.firstDecaySteps));
    let i: number;
    if (tMul === 1) {
      i = Math.floor(c);
      c = f32(c - i);
    } else {
      const oneMinusT = f32(1 - tMul);
      i = Math.floor(f32(log32(f32(1 - f32(c * oneMinusT))) / log32(tMul)));
      const ti = pow32(tMul, i);
      const sumR = f32(f32(1 - ti) / oneMinusT);
      c = f32(f32(c - sumR) / ti);
    }
    const mFac = pow32(mMul, i);
    const cosine = f32(f32(0.5 * mFac) * f32(1 + cos32(f32(PI32 * c))));
    const decayed = f32(f32(f32(1 - alpha) * cosine) + alpha);
    return f32(f32(this.initialLearningRate) * decayed);
  }

  /** `{ className, initialLearningRate, firstDecaySteps, tMul, mMul, alpha, name }`. */
  getConfig(): Record<string, number | string> {
    return {
      className: 'CosineDecayRestarts', initialLearningRate: this.initialLearningRate, firstDecaySteps: this.firstDecaySteps,
      tMul: this.tMul, mMul: this.mMul, alpha: this.alpha, name: this.name,
    };
  }
}
