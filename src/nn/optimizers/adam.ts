/**
 * Adam with Keras 3's defaults and update rule (keras/src/optimizers/adam.py):
 *   t = iterations + 1; b1p = beta1^t; b2p = beta2^t  (float32 beta, exact integer power in float64, rounded)
 *   alpha = f32(f32(lr * f32(sqrt(f32(1 - b2p)))) / f32(1 - b1p))
 *   m += (g - m) * f32(1 - beta1);  v += (g^2 - v) * f32(1 - beta2)
 *   amsgrad: vhat = max(vhat, v), used for v below
 *   var -= (m * alpha) / (sqrt(v) + epsilon)
 * Every device step is one correctly rounded float32 op, in this order.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops, powIntF64 } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, boolOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** x^n for integer n >= 0 by binary exponentiation in float64 (a fixed, platform-independent sequence). */
export const powInt = powIntF64;

/** Options of {@link Adam}; the defaults are Keras 3's. */
export interface AdamOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Decay of the first-moment estimate, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, >= 0; default 1e-7 (Keras's, not TF.js's 1e-8). */
  epsilon?: number;
  /** The AMSGrad variant (the maximum of past velocities in the denominator, slot `velocity_hat`); default false. */
  amsgrad?: boolean;
}

/**
 * Adam with Keras 3's defaults and update rule (`keras.optimizers.Adam`): with t = iterations + 1,
 * `alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`, `m += (g - m) * (1 - beta1)`, `v += (g^2 - v) * (1 - beta2)`,
 * `var -= m * alpha / (sqrt(v) + epsilon)`. Each device step is one correctly rounded float32 operation, in this
 * order (fused into three kernels with the same bits), so the weights are identical on every backend. With amsgrad
 * `vhat = max(vhat, v)` replaces v in the last step. Slots are named `adam/<weight>_momentum`,
 * `adam/<weight>_velocity` (and `adam/<weight>_velocity_hat`). Takes the base options ({@link BaseOptimizerOptions}).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 1e-3 }), loss: 'mse' });
 * ```
 * @throws {@link ArgumentError} for a learning rate that is not positive, a beta outside [0, 1) or a negative epsilon.
 */
export class Adam extends Optimizer {
  /** Decay of the first-moment estimate. */
  readonly beta1: number;
  /** Decay of the second-moment estimate. */
  readonly beta2: number;
  /** The denominator's epsilon. */
  readonly epsilon: number;
  /** Whether the AMSGrad variant is used. */
  readonly amsgrad: boolean;

  /**
   * @param o the options
   * @param name for subclasses (AdamW)
   */
  constructor(o: AdamOptions = {}, name = 'Adam') {
    checkOptions(name, o, ['learningRate', 'beta1', 'beta2', 'epsilon', 'amsgrad', ...BASE_OPTION_KEYS]);
    const { learningRate, beta1, beta2, epsilon, amsgrad, ...base } = o;
    super(name, learningRate ?? 0.001, base);
    this.beta1 = beta1 ?? 0.9;
    this.beta2 = beta2 ?? 0.999;
    this.epsilon = epsilon ?? 1e-7;
    this.amsgrad = boolOption(name, o as Record<string, unknown>, 'amsgrad');
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(v >= 0 && v < 1)) throw new ArgumentError(`${name}: expected ${k} in [0, 1). Received: ${k}=${v}`);
    }
    if (!(this.epsilon >= 0)) throw new ArgumentError(`${name}: expected epsilon >= 0. Received: epsilon=${this.epsilon}`);
  }

  protected override slotCount(): number {
    return this.amsgrad ? 3 : 2;
  }

  /** `{ name, learningRate, beta1, beta2, epsilon }`, amsgrad when set, and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, ...(this.amsgrad ? { amsgrad: true } : {}) };
  }

  /** Zero-filled slots: the momentum, the velocity (and with amsgrad the maximum velocity). */
  protected createSlots(v: Variable): Variable[] {
    return ['momentum', 'velocity', 'velocity_hat'].slice(0, this.slotCount())
      .map((s) => ops.variable(ops.zerosLike(v), { name: `${this.slotPrefix}/${v.name}_${s}`, trainable: false }));
  }

  /**
   * The scalar coefficients of step `step` (from 1) with float32 learning rate `lr` (default: the learning rate
   * at step - 1), computed on the host in float32.
   */
  coefficients(step: number, lr = this.currentLearningRate(step - 1)): {
    /** lr * sqrt(1 - beta2^t) / (1 - beta1^t), each step rounded to float32. */
    alpha: number;
    /** f32(1 - beta1). */
    oneMinusB1: number;
    /** f32(1 - beta2). */
    oneMinusB2: number;
    /** f32(epsilon). */
    eps: number;
  } {
    const b1p = f32(powInt(f32(this.beta1), step));
    const b2p = f32(powInt(f32(this.beta2), step));
    const alpha = f32(f32(f32(lr) * f32(Math.sqrt(f32(1 - b2p)))) / f32(1 - b1p));
    return { alpha, oneMinusB1: f32(1 - this.beta1), oneMinusB2: f32(1 - this.beta2), eps: f32(this.epsilon) };
  }

  /** One Adam step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const c = this.coefficients(this.updateIterations + 1, lr);
    for (const [g, v] of pairs) {
      const [m, u, uHat] = this.slotsFor(v, this.slotCount());
      // Fused kernels (src/core/ops/adam.ts), bit for bit these compositions:
      //   m <- m + (g - m) * (1 - beta1);  u <- u + (g * g - u) * (1 - beta2);
      //   (amsgrad: uHat <- max(uHat, u), used as u below);  v <- v - (m * alpha) / (sqrt(u) + eps)
      m.assign(ops.adamMoment(m, g, c.oneMinusB1));
      u.assign(ops.adamVelocity(u, g, c.oneMinusB2));
      if (uHat) uHat.assign(ops.maximum(uHat, u));
      v.assign(ops.adamStep(v, m, uHat ?? u, c.alpha, c.eps));
    }
  }
}
