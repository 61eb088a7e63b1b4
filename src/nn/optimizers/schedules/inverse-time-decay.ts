/**
 * InverseTimeDecay (keras/src/optimizers/schedules/learning_rate_schedule.py), in float32.
 * Part of src/nn: imports src/core only.
 */
import { checkOptions } from '../../../core/internal.ts';
import { LearningRateSchedule, bool, nameOf, num, positive } from './schedule.ts';

const f32 = Math.fround;

/** Options of {@link InverseTimeDecay} (Keras's arguments, camelCase). */
export interface InverseTimeDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Decay period in steps, > 0. */
  decaySteps: number;
  /** The decay rate. */
  decayRate: number;
  /** Decay at whole periods only; default false. */
  staircase?: boolean;
  /** Default 'InverseTimeDecay'. */
  name?: string;
}

/**
 * `initialLearningRate / (1 + decayRate * step / decaySteps)` (Keras `InverseTimeDecay`), in float32:
 * `p = f32(step) / f32(decaySteps)`; staircase: `p = floor(p)`; `lr = f32(initial) / (1 + f32(decayRate) * p)`,
 * every step rounded to float32.
 * @throws {@link ArgumentError} for a missing or non-finite argument, decaySteps <= 0 or an unknown option.
 */
export class InverseTimeDecay extends LearningRateSchedule {
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Decay period in steps. */
  readonly decaySteps: number;
  /** The decay rate. */
  readonly decayRate: number;
  /** Whether the decay is by whole periods. */
  readonly staircase: boolean;
  /** The schedule's name. */
  readonly name: string;

  constructor(o: InverseTimeDecayOptions) {
    super();
    checkOptions('InverseTimeDecay', o, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    const r = o as unknown as Record<string, unknown>;
    this.initialLearningRate = num('InverseTimeDecay', r, 'initialLearningRate');
    this.decaySteps = positive('InverseTimeDecay', r, 'decaySteps');
    this.decayRate = num('InverseTimeDecay', r, 'decayRate');
    this.staircase = bool('InverseTimeDecay', r, 'staircase');
    this.name = nameOf('InverseTimeDecay', r, 'InverseTimeDecay');
  }

  /** The float32 learning rate at `step`. */
  call(step: number): number {
    let p = f32(f32(step) / f32(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    const denom = f32(1 + f32(f32(this.decayRate) * p));
    return f32(f32(this.initialLearningRate) / denom);
  }

  /** `{ className, initialLearningRate, decaySteps, decayRate, staircase, name }`. */
  getConfig(): Record<string, number | boolean | string> {
    return { className: 'InverseTimeDecay', initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}
