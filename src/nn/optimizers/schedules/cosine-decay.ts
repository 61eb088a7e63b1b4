/**
 * CosineDecay with optional linear warmup (keras/src/optimizers/schedules/learning_rate_schedule.py),
 * in float32 with the engine's float32 cosine (src/core/math/cos.ts).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions, cos32 } from '../../../core/internal.ts';
import { LearningRateSchedule, nameOf, num, positive } from './schedule.ts';

const f32 = Math.fround;

/** float32(pi), Keras's `ops.array(math.pi, dtype)`. */
export const PI32 = f32(Math.PI);

/** Options of {@link CosineDecay} (Keras's arguments, camelCase). */
export interface CosineDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps to decay over, > 0. */
  decaySteps: number;
  /** The final learning rate as a fraction of the decay's start; default 0. */
  alpha?: number;
  /** Default 'CosineDecay'. */
  name?: string;
  /** Warm up linearly from initialLearningRate to this over warmupSteps, then decay from it; default none. */
  warmupTarget?: number | null;
  /** Warmup length in steps (>= 0); default 0. */
  warmupSteps?: number;
}

/** Keras `_decay_function`: `from * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decaySteps)) + alpha)`, in float32. */
export function cosineDecayed(step: number, decaySteps: number, from: number, alpha: number): number {
  const fraction = f32(step / decaySteps);
  const cosine = f32(0.5 * f32(1 + cos32(f32(PI32 * fraction))));
  const decayed = f32(f32(f32(1 - alpha) * cosine) + f32(alpha));
  return f32(from * decayed);
}

/**
 * Cosine decay (Keras `CosineDecay`), in float32, each step rounded (`cos32`: the engine's float32 cosine):
 * without warmup `s = min(f32(step), d)` with `d = f32(decaySteps)`, `lr = decay(s, d, f32(initial))`; with
 * warmupTarget `w = f32(warmupSteps)`, `s = min(f32(step), d + w)`; `s < w`:
 * `lr = (f32(target) - f32(initial)) * (s / w) + f32(initial)`, else `lr = decay(s - w, d, f32(target))`, where
 * `decay(s, d, from) = from * (f32(1 - alpha) * (0.5 * (1 + cos32(f32(pi) * (s / d)))) + f32(alpha))`
 * (1 - alpha in float64, as Keras's Python float, then rounded).
 * @throws {@link ArgumentError} for a missing or non-finite argument, decaySteps <= 0, warmupSteps < 0 or an
 * unknown option.
 */
export class CosineDecay extends LearningRateSchedule {
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps to decay over. */
  readonly decaySteps: number;
  /** The final fraction. */
  readonly alpha: number;
  /** The schedule's name. */
  readonly name: string;
  /** The warmup's target, or null for none. */
  readonly warmupTarget: number | null;
  /** Warmup length in steps. */
  readonly warmupSteps: number;

  constructor(o: CosineDecayOptions) {
    super();
    checkOptions('CosineDecay', o, ['initialLearningRate', 'decaySteps', 'alpha', 'name', 'warmupTarget', 'warmupSteps']);
    const r = o as unknown as Record<string, unknown>;
    this.initialLearningRate = num('CosineDecay', r, 'initialLearningRate');
    this.decaySteps = positive('CosineDecay', r, 'decaySteps');
    this.alpha = num('CosineDecay', r, 'alpha', 0);
    this.name = nameOf('CosineDecay', r, 'CosineDecay');
    this.warmupTarget = o.warmupTarget === undefined || o.warmupTarget === null ? null : num('CosineDecay', r, 'warmupTarget');
    this.warmupSteps = num('CosineDecay', r, 'warmupSteps', 0);
    if (!(this.warmupSteps >= 0)) throw new ArgumentError(`CosineDecay: expected warmupSteps >= 0. Received: warmupSteps=${this.warmupSteps}`);
  }

  /** The float32 learning rate at `step`. */
  call(step: number): number {
    const lr0 = f32(this.initialLearningRate);
    const d = f32(this.decaySteps);
    if (this.warmupTarget === null) return cosineDecayed(Math.min(f32(step), d), d, lr0, this.alpha);
    const target = f32(this.warmupTarget);
    const w = f32(this.warmupSteps);
    const s = Math.min(f32(step), f32(d + w));
    if (s < w) return f32(f32(f32(target - lr0) * f32(s / w)) + lr0);
    return cosineDecayed(f32(s - w), d, target, this.alpha);
  }

  /** `{ className, initialLearningRate, decaySteps, alpha, name, warmupTarget, warmupSteps }`. */
  getConfig(): Record<string, number | string | null> {
    return {
      className: 'CosineDecay', initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha,
      name: this.name, warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps,
    };
  }
}
