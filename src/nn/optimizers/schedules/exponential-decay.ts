/**
 * ExponentialDecay (keras/src/optimizers/schedules/learning_rate_schedule.py), in float32.
 * Part of src/nn: imports src/core only.
 */
import { checkOptions, pow32 } from '../../../core/internal.ts';
import { LearningRateSchedule, bool, nameOf, num, positive } from './schedule.ts';

const f32 = Math.fround;

/** Options of {@link ExponentialDecay} (Keras's arguments, camelCase). */
export interface ExponentialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Decay period in steps, > 0. */
  decaySteps: number;
  /** The factor per period. */
  decayRate: number;
  /** Decay at whole periods only (floor(step / decaySteps)); default false. */
  staircase?: boolean;
  /** Default 'ExponentialDecay'. */
  name?: string;
}

/**
 * `initialLearningRate * decayRate ^ (step / decaySteps)` (Keras `ExponentialDecay`), in float32:
 * `p = f32(step) / f32(decaySteps)`; staircase: `p = floor(p)`; `lr = f32(initial) * pow32(f32(decayRate), p)`,
 * every step rounded to float32 (pow32: the engine's float32 power, exact for integer p).
 * @throws {@link ArgumentError} for a missing or non-finite argument, decaySteps <= 0 or an unknown option.
 */
export class ExponentialDecay extends LearningRateSchedule {
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Decay period in steps. */
  readonly decaySteps: number;
  /** The factor per period. */
  readonly decayRate: number;
  /** Whether the decay is by whole periods. */
  readonly staircase: boolean;
  /** The schedule's name. */
  readonly name: string;

  constructor(o: ExponentialDecayOptions) {
    super();
    checkOptions('ExponentialDecay', o, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    const r = o as unknown as Record<string, unknown>;
    this.initialLearningRate = num('ExponentialDecay', r, 'initialLearningRate');
    this.decaySteps = positive('ExponentialDecay', r, 'decaySteps');
    this.decayRate = num('ExponentialDecay', r, 'decayRate');
    this.staircase = bool('ExponentialDecay', r, 'staircase');
    this.name = nameOf('ExponentialDecay', r, 'ExponentialDecay');
  }

  /** The float32 learning rate at `step`. */
  call(step: number): number {
    let p = f32(f32(step) / f32(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    return f32(f32(this.initialLearningRate) * pow32(this.decayRate, p));
  }

  /** `{ className, initialLearningRate, decaySteps, decayRate, staircase, name }`. */
  getConfig(): Record<string, number | boolean | string> {
    return { className: 'ExponentialDecay', initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}
