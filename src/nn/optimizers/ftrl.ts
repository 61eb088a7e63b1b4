/**
 * Ftrl ("Follow The Regularized Leader") with Keras 3's defaults and update rule
 * (keras/src/optimizers/ftrl.py), every step a float32 engine op in Keras's order.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, nonNegativeOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** Options of {@link Ftrl}; the defaults are Keras 3's. */
export interface FtrlOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** The power of the accumulator in the per-element learning rate, <= 0 (0: a fixed rate); default -0.5. */
  learningRatePower?: number;
  /** Starting value of the accumulators, >= 0; default 0.1. */
  initialAccumulatorValue?: number;
  /** L1 regularization strength, >= 0; default 0. */
  l1RegularizationStrength?: number;
  /** L2 (stabilization) regularization strength, >= 0; default 0. */
  l2RegularizationStrength?: number;
  /** L2 shrinkage (magnitude penalty added to the gradient as `2 * s * var`), >= 0; default 0. */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's beta (added to the L2 strength as `beta / (2 lr)`); default 0. */
  beta?: number;
}

/**
 * `x^p` for an accumulator tensor x >= 0 (p = -learningRatePower >= 0), elementwise in float32: p = 0 -> 1 (Keras
 * `power(x, 0)`, also at x = 0); p = 0.5 -> sqrt(x) (correctly rounded, what a correctly rounded powf gives); p = 1
 * -> x; p = 2 -> x * x; any other p -> `exp(log(x) * p)` with the engine's exp and log ops (the same composition as
 * the host's pow32: exp32(f32(y * log32(x))); x = 0 gives exp(-inf) = 0).
 */
function powAcc(x: Tensor, p: number): Tensor {
  if (p === 0) return ops.onesLike(x);
  if (p === 0.5) return ops.sqrt(x);
  if (p === 1) return x;
  if (p === 2) return ops.square(x);
  return ops.exp(ops.mul(ops.log(x), p));
}

/**
 * Ftrl (`keras.optimizers.Ftrl`), each step a float32 op, in this order (p = f32(-learningRatePower), s =
 * f32(2 * l2ShrinkageRegularizationStrength), l1 = f32(l1RegularizationStrength)):
 *   `l2 = f32(l2RegularizationStrength) + f32(beta) / (2 * lr)`;
 *   `gs = g + s * var`; `newAcc = acc + g^2`;
 *   `linear = linear + (gs - ((newAcc^p - acc^p) / lr) * var)`;
 *   `quadratic = newAcc^p / lr + 2 * l2`;
 *   `var = (clip(linear, -l1, l1) - linear) / quadratic`; `acc = newAcc`.
 * `x^p` is computed as described at `powAcc`: exact for p in {0, 0.5, 1, 2}, else `exp(log(x) * p)` with the
 * engine's exp and log (a few float32 ulp from a float64 power; see test/unit/nn/optimizer-ftrl.test.ts).
 * Slots `ftrl/<weight>_accumulator` (filled with f32(initialAccumulatorValue)) and `ftrl/<weight>_linear` (zeros),
 * Keras's `_accumulators` and `_linears`.
 * @throws {@link ArgumentError} for a bad learning rate, a positive learningRatePower, a negative
 * initialAccumulatorValue or regularization strength, a beta that is not a finite number, or an unknown or bad
 * option.
 */
export class Ftrl extends Optimizer {
  /** The power of the accumulator (<= 0). */
  readonly learningRatePower: number;
  /** Starting value of the accumulators. */
  readonly initialAccumulatorValue: number;
  /** L1 regularization strength. */
  readonly l1RegularizationStrength: number;
  /** L2 regularization strength. */
  readonly l2RegularizationStrength: number;
  /** L2 shrinkage regularization strength. */
  readonly l2ShrinkageRegularizationStrength: number;
  /** The paper's beta. */
  readonly beta: number;

  constructor(o: FtrlOptions = {}) {
    checkOptions('Ftrl', o, [
      'learningRate', 'learningRatePower', 'initialAccumulatorValue', 'l1RegularizationStrength', 'l2RegularizationStrength',
      'l2ShrinkageRegularizationStrength', 'beta', ...BASE_OPTION_KEYS,
    ]);
    const {
      learningRate, learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength,
      l2ShrinkageRegularizationStrength, beta, ...base
    } = o;
    super('Ftrl', learningRate ?? 0.001, base);
    const r = o as Record<string, unknown>;
    const power = learningRatePower ?? -0.5;
    if (typeof power !== 'number' || !(power <= 0) || !Number.isFinite(power)) {
      throw new ArgumentError(`Ftrl: expected learningRatePower <= 0. Received: learningRatePower=${String(power)}`);
    }
    this.learningRatePower = power;
    this.initialAccumulatorValue = nonNegativeOption('Ftrl', r, 'initialAccumulatorValue', 0.1);
    this.l1RegularizationStrength = nonNegativeOption('Ftrl', r, 'l1RegularizationStrength', 0);
    this.l2RegularizationStrength = nonNegativeOption('Ftrl', r, 'l2RegularizationStrength', 0);
    this.l2ShrinkageRegularizationStrength = nonNegativeOption('Ftrl', r, 'l2ShrinkageRegularizationStrength', 0);
    const b = beta ?? 0;
    if (typeof b !== 'number' || !Number.isFinite(b)) throw new ArgumentError(`Ftrl: expected beta to be a finite number. Received: beta=${String(b)}`);
    this.beta = b;
  }

  protected override slotCount(): number {
    return 2;
  }

  /**
   * `{ name, learningRate, learningRatePower, initialAccumulatorValue, l1RegularizationStrength,
   * l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta }` and the base options that are set.
   */
  override getConfig(): Record<string, number | boolean | string> {
    return {
      ...super.getConfig(),
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }

  /** Two slots: the accumulator (filled with initialAccumulatorValue), then the linear term (zeros). */
  protected createSlots(v: Variable): Variable[] {
    return [...this.namedSlots(v, ['accumulator'], f32(this.initialAccumulatorValue)), ...this.namedSlots(v, ['linear'])];
  }

  /** One Ftrl step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const p = f32(-this.learningRatePower);
    const l1 = f32(this.l1RegularizationStrength);
    const shrink = f32(2 * this.l2ShrinkageRegularizationStrength);
    // Keras: l2_reg = l2 + beta / (2.0 * lr), float32 scalars (2 * lr is exact); then 2 * l2_reg (exact).
    const l2Reg = f32(f32(this.l2RegularizationStrength) + f32(f32(this.beta) / f32(2 * lr)));
    const twoL2 = f32(2 * l2Reg);
    for (const [g, v] of pairs) {
      const [acc, linear] = this.slotsFor(v, 2);
      const gradToUse = ops.add(g, ops.mul(v, shrink));
      const newAcc = ops.add(acc, ops.square(g));
      const newAccPow = powAcc(newAcc, p);
      const sigma = ops.div(ops.sub(newAccPow, powAcc(acc, p)), lr);
      linear.assign(ops.add(linear, ops.sub(gradToUse, ops.mul(sigma, v))));
      const quadratic = ops.add(ops.div(newAccPow, lr), twoL2);
      const clipped = ops.clipByValue(linear, -l1, l1);
      v.assign(ops.div(ops.sub(clipped, linear), quadratic));
      acc.assign(newAcc);
    }
  }
}
