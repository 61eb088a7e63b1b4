/**
 * Nadam with Keras 3's defaults and update rule (keras/src/optimizers/nadam.py), every step a
 * float32 engine op in Keras's order; the momentum-schedule product (Keras's `_u_product` variable)
 * is a float32 host scalar recomputed from the update count, so resuming restores it exactly.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops, powIntF64 } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, nonNegativeOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;
const DECAY = f32(0.96);

/** Options of {@link Nadam}; the defaults are Keras 3's. */
export interface NadamOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, >= 0; default 1e-7. */
  epsilon?: number;
}

/**
 * Nadam (`keras.optimizers.Nadam`), each step a float32 op, in this order, with t = updates + 1, b1 = f32(beta1),
 * b2 = f32(beta2) and `pw(x, n) = f32(x^n)` (exact power in float64, rounded once):
 *   `u(n) = b1 * (1 - 0.5 * pw(0.96, n))`;  `P = (P * b1) * (1 - 0.5 * pw(0.96, t))` (P starts at 1, once per update);
 *   `P1 = P * u(t + 1)`;  `m = m + (g - m) * (1 - b1)`;  `v = v + (g^2 - v) * (1 - b2)`;
 *   `mHat = (u(t + 1) * m) / (1 - P1) + ((1 - u(t)) * g) / (1 - P)`;  `vHat = v / (1 - pw(b2, t))`;
 *   `var -= (mHat * lr) / (sqrt(vHat) + eps)`.
 * Slots `nadam/<weight>_momentum` and `nadam/<weight>_velocity`; P is recomputed on the host from the update count
 * (Keras keeps it in a variable), so it needs no slot.
 * @throws {@link ArgumentError} for a bad learning rate, a beta outside [0, 1), a negative epsilon, or an unknown or
 * bad option.
 */
export class Nadam extends Optimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment. */
  readonly beta2: number;
  /** The denominator's epsilon. */
  readonly epsilon: number;
  private cache = { updates: 0, product: 1 };

  constructor(o: NadamOptions = {}) {
    checkOptions('Nadam', o, ['learningRate', 'beta1', 'beta2', 'epsilon', ...BASE_OPTION_KEYS]);
    const { learningRate, beta1, beta2, epsilon, ...base } = o;
    super('Nadam', learningRate ?? 0.001, base);
    this.beta1 = beta1 ?? 0.9;
    this.beta2 = beta2 ?? 0.999;
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(typeof v === 'number' && v >= 0 && v < 1)) throw new ArgumentError(`Nadam: expected ${k} in [0, 1). Received: ${k}=${String(v)}`);
    }
    this.epsilon = nonNegativeOption('Nadam', o as Record<string, unknown>, 'epsilon', 1e-7);
  }

  protected override slotCount(): number {
    return 2;
  }

  /** `{ name, learningRate, beta1, beta2, epsilon }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Zero-filled slots: momentum and velocity. */
  protected createSlots(v: Variable): Variable[] {
    return this.namedSlots(v, ['momentum', 'velocity']);
  }

  /** Keras's `_u_product` after `t` updates: `P = (P * b1) * (1 - 0.5 * pw(0.96, n))` for n = 1..t, in float32. */
  uProduct(t: number): number {
    const b1 = f32(this.beta1);
    if (this.cache.updates > t) this.cache = { updates: 0, product: 1 };
    let { updates, product } = this.cache;
    while (updates < t) {
      updates++;
      product = f32(f32(product * b1) * f32(1 - f32(0.5 * f32(powIntF64(DECAY, updates)))));
    }
    this.cache = { updates, product };
    return product;
  }

  /** One Nadam step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const t = this.updateIterations + 1;
    const b1 = f32(this.beta1);
    const b2 = f32(this.beta2);
    const u = (n: number): number => f32(b1 * f32(1 - f32(0.5 * f32(powIntF64(DECAY, n)))));
    const uT = u(t);
    const uT1 = u(t + 1);
    const p = this.uProduct(t);
    const p1 = f32(p * uT1);
    const b2p = f32(powIntF64(b2, t));
    const c1 = f32(1 - b1);
    const c2 = f32(1 - b2);
    const oneMinusP1 = f32(1 - p1);
    const oneMinusP = f32(1 - p);
    const oneMinusUT = f32(1 - uT);
    const oneMinusB2p = f32(1 - b2p);
    const eps = f32(this.epsilon);
    for (const [g, v] of pairs) {
      const [m, vel] = this.slotsFor(v, 2);
      m.assign(ops.add(m, ops.mul(ops.sub(g, m), c1)));
      vel.assign(ops.add(vel, ops.mul(ops.sub(ops.square(g), vel), c2)));
      const mHat = ops.add(ops.div(ops.mul(m, uT1), oneMinusP1), ops.div(ops.mul(g, oneMinusUT), oneMinusP));
      const vHat = ops.div(vel, oneMinusB2p);
      v.assign(ops.sub(v, ops.div(ops.mul(mHat, lr), ops.add(ops.sqrt(vHat), eps))));
    }
  }
}
