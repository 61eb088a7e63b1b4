/**
 * PolynomialDecay (keras/src/optimizers/schedules/learning_rate_schedule.py), in float32.
 * Part of src/nn: imports src/core only.
 */
import { checkOptions, pow32 } from '../../../core/internal.ts';
import { LearningRateSchedule, bool, nameOf, num, positive } from './schedule.ts';

const f32 = Math.fround;

/** Options of {@link PolynomialDecay} (Keras's arguments, camelCase). */
export interface PolynomialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps to reach endLearningRate, > 0. */
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** The polynomial's power; default 1. */
  power?: number;
  /** Restart the decay at each multiple of decaySteps; default false. */
  cycle?: boolean;
  /** Default 'PolynomialDecay'. */
  name?: string;
}

/**
 * `(initial - end) * (1 - step / decaySteps) ^ power + end` (Keras `PolynomialDecay`), in float32, each step
 * rounded: `s = f32(step)`, `d = f32(decaySteps)`; cycle: `d = d * (s == 0 ? 1 : ceil(s / decaySteps))`, else
 * `s = min(s, d)`; `p = s / d`; `lr = (f32(initial) - f32(end)) * pow32(1 - p, f32(power)) + f32(end)`.
 * @throws {@link ArgumentError} for a missing or non-finite argument, decaySteps <= 0 or an unknown option.
 */
export class PolynomialDecay extends LearningRateSchedule {
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps to reach endLearningRate. */
  readonly decaySteps: number;
  /** The final learning rate. */
  readonly endLearningRate: number;
  /** The polynomial's power. */
  readonly power: number;
  /** Whether the decay restarts. */
  readonly cycle: boolean;
  /** The schedule's name. */
  readonly name: string;

  constructor(o: PolynomialDecayOptions) {
    super();
    checkOptions('PolynomialDecay', o, ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name']);
    const r = o as unknown as Record<string, unknown>;
    this.initialLearningRate = num('PolynomialDecay', r, 'initialLearningRate');
    this.decaySteps = positive('PolynomialDecay', r, 'decaySteps');
    this.endLearningRate = num('PolynomialDecay', r, 'endLearningRate', 0.0001);
    this.power = num('PolynomialDecay', r, 'power', 1);
    this.cycle = bool('PolynomialDecay', r, 'cycle');
    this.name = nameOf('PolynomialDecay', r, 'PolynomialDecay');
  }

  /** The float32 learning rate at `step`. */
  call(step: number): number {
    let s = f32(step);
    let d = f32(this.decaySteps);
    if (this.cycle) {
      const multiplier = s === 0 ? 1 : Math.ceil(f32(s / f32(this.decaySteps)));
      d = f32(d * multiplier);
    } else {
      s = Math.min(s, d);
    }
    const p = f32(s / d);
    const end = f32(this.endLearningRate);
    return f32(f32(f32(f32(this.initialLearningRate) - end) * pow32(f32(1 - p), this.power)) + end);
  }

  /** `{ className, initialLearningRate, decaySteps, endLearningRate, power, cycle, name }`. */
  getConfig(): Record<string, number | boolean | string> {
    return {
      className: 'PolynomialDecay', initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate, power: this.power, cycle: this.cycle, name: this.name,
    };
  }
}
