/**
 * Adamax with Keras 3's defaults and update rule (keras/src/optimizers/adamax.py), every step a
 * float32 engine op in Keras's order.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops, powIntF64 } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, nonNegativeOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** Options of {@link Adamax}; the defaults are Keras 3's. */
export interface AdamaxOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the norm, >= 0; default 1e-7. */
  epsilon?: number;
}

/**
 * Adamax (`keras.optimizers.Adamax`), each step a float32 op, in this order, with t = updates + 1 and
 * `b1p = f32(f32(beta1)^t)` (exact power in float64, rounded once, as Adam's):
 *   `m = m + (g - m) * f32(1 - beta1)`;  `u = max(u * f32(beta2), |g|)`;
 *   `var -= (lr * m) / ((1 - b1p) * (u + eps))`.
 * Slots `adamax/<weight>_momentum` and `adamax/<weight>_norm`.
 * @throws {@link ArgumentError} for a bad learning rate, a beta outside [0, 1), a negative epsilon, or an unknown or
 * bad option.
 */
export class Adamax extends Optimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the infinity norm. */
  readonly beta2: number;
  /** The epsilon added to the norm. */
  readonly epsilon: number;

  constructor(o: AdamaxOptions = {}) {
    checkOptions('Adamax', o, ['learningRate', 'beta1', 'beta2', 'epsilon', ...BASE_OPTION_KEYS]);
    const { learningRate, beta1, beta2, epsilon, ...base } = o;
    super('Adamax', learningRate ?? 0.001, base);
    this.beta1 = beta1 ?? 0.9;
    this.beta2 = beta2 ?? 0.999;
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(typeof v === 'number' && v >= 0 && v < 1)) throw new ArgumentError(`Adamax: expected ${k} in [0, 1). Received: ${k}=${String(v)}`);
    }
    this.epsilon = nonNegativeOption('Adamax', o as Record<string, unknown>, 'epsilon', 1e-7);
  }

  protected override slotCount(): number {
    return 2;
  }

  /** `{ name, learningRate, beta1, beta2, epsilon }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Zero-filled slots: momentum and norm. */
  protected createSlots(v: Variable): Variable[] {
    return this.namedSlots(v, ['momentum', 'norm']);
  }

  /** One Adamax step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const t = this.updateIterations + 1;
    const oneMinusB1p = f32(1 - f32(powIntF64(f32(this.beta1), t)));
    const c1 = f32(1 - this.beta1);
    const b2 = f32(this.beta2);
    const eps = f32(this.epsilon);
    for (const [g, v] of pairs) {
      const [m, u] = this.slotsFor(v, 2);
      m.assign(ops.add(m, ops.mul(ops.sub(g, m), c1)));
      u.assign(ops.maximum(ops.mul(u, b2), ops.abs(g)));
      v.assign(ops.sub(v, ops.div(ops.mul(m, lr), ops.mul(ops.add(u, eps), oneMinusB1p))));
    }
  }
}
