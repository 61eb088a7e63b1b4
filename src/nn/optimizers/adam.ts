/**
 * Adam with Keras 3's defaults and update rule (keras/src/optimizers/adam.py):
 *   t = iterations + 1; b1p = beta1^t; b2p = beta2^t  (float32 beta, exact integer power in float64, rounded)
 *   alpha = f32(f32(lr * f32(sqrt(f32(1 - b2p)))) / f32(1 - b1p))
 *   m += (g - m) * f32(1 - beta1);  v += (g^2 - v) * f32(1 - beta2)
 *   var -= (m * alpha) / (sqrt(v) + epsilon)
 * Every device step is one correctly rounded float32 op, in this order.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { Optimizer } from './optimizer.ts';

const f32 = Math.fround;

/** x^n for integer n >= 0 by binary exponentiation in float64 (a fixed, platform-independent sequence). */
export function powInt(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = n;
  while (e > 0) {
    if (e & 1) result *= base;
    base *= base;
    e = Math.floor(e / 2);
  }
  return result;
}

/** Options of {@link Adam}; the defaults are Keras 3's. */
export interface AdamOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Decay of the first-moment estimate, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, >= 0; default 1e-7 (Keras's, not TF.js's 1e-8). */
  epsilon?: number;
}

/**
 * Adam with Keras 3's defaults and update rule (`keras.optimizers.Adam`): with t = iterations + 1,
 * `alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`, `m += (g - m) * (1 - beta1)`, `v += (g^2 - v) * (1 - beta2)`,
 * `var -= m * alpha / (sqrt(v) + epsilon)`. Each device step is one correctly rounded float32 operation, in this
 * order (fused into three kernels with the same bits), so the weights are identical on every backend. Slots are
 * named `adam/<weight>_momentum` and `adam/<weight>_velocity`.
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

  constructor(o: AdamOptions = {}) {
    checkOptions('Adam', o, ['learningRate', 'beta1', 'beta2', 'epsilon']);
    super('Adam', o.learningRate ?? 0.001);
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-7;
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(v >= 0 && v < 1)) throw new ArgumentError(`Adam: expected ${k} in [0, 1). Received: ${k}=${v}`);
    }
    if (!(this.epsilon >= 0)) throw new ArgumentError(`Adam: expected epsilon >= 0. Received: epsilon=${this.epsilon}`);
  }

  protected override slotCount(): number {
    return 2;
  }

  /** `{ name, learningRate, beta1, beta2, epsilon }`. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Two zero-filled slots: the momentum and the velocity. */
  protected createSlots(v: Variable): Variable[] {
    return [0, 1].map((i) => ops.variable(ops.zerosLike(v), { name: `adam/${v.name}_${i === 0 ? 'momentum' : 'velocity'}`, trainable: false }));
  }

  /** The scalar coefficients of step `step` (from 1), computed on the host in float32. */
  coefficients(step: number): {
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
    const alpha = f32(f32(f32(this.learningRate) * f32(Math.sqrt(f32(1 - b2p)))) / f32(1 - b1p));
    return { alpha, oneMinusB1: f32(1 - this.beta1), oneMinusB2: f32(1 - this.beta2), eps: f32(this.epsilon) };
  }

  /** One Adam step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[]): void {
    const c = this.coefficients(this.iterations + 1);
    for (const [g, v] of pairs) {
      const [m, u] = this.slotsFor(v, 2);
      // Fused kernels (src/core/ops/adam.ts), bit for bit these compositions:
      //   m <- m + (g - m) * (1 - beta1);  u <- u + (g * g - u) * (1 - beta2);
      //   v <- v - (m * alpha) / (sqrt(u) + eps)
      m.assign(ops.adamMoment(m, g, c.oneMinusB1));
      u.assign(ops.adamVelocity(u, g, c.oneMinusB2));
      v.assign(ops.adamStep(v, m, u, c.alpha, c.eps));
    }
  }
}
