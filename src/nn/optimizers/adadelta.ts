/**
 * Adadelta with Keras 3's defaults and update rule (keras/src/optimizers/adadelta.py), every step a
 * float32 engine op in Keras's order.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, nonNegativeOption, rangeOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** Options of {@link Adadelta}; the defaults are Keras 3's. */
export interface AdadeltaOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Decay rate, in [0, 1]; default 0.95. */
  rho?: number;
  /** Added under the square roots, >= 0; default 1e-7. */
  epsilon?: number;
}

/**
 * Adadelta (`keras.optimizers.Adadelta`), each step a float32 op, in this order (rho and 1 - rho as Keras's Python
 * floats, rounded once), with `rms(x) = sqrt(x + eps)`:
 *   `accG = rho * accG + (1 - rho) * g^2`;  `d = -((rms(accD) * g) / rms(accG))`;
 *   `accD = rho * accD + (1 - rho) * d^2`;  `var += lr * d`.
 * Slots `adadelta/<weight>_accumulated_grad` and `adadelta/<weight>_accumulated_delta_var`.
 * @throws {@link ArgumentError} for a bad learning rate, rho outside [0, 1], a negative epsilon, or an unknown or
 * bad option.
 */
export class Adadelta extends Optimizer {
  /** Decay rate. */
  readonly rho: number;
  /** The epsilon under the square roots. */
  readonly epsilon: number;

  constructor(o: AdadeltaOptions = {}) {
    checkOptions('Adadelta', o, ['learningRate', 'rho', 'epsilon', ...BASE_OPTION_KEYS]);
    const { learningRate, rho, epsilon, ...base } = o;
    super('Adadelta', learningRate ?? 0.001, base);
    this.rho = rangeOption('Adadelta', o as Record<string, unknown>, 'rho', 0.95, 0, 1, false);
    this.epsilon = nonNegativeOption('Adadelta', o as Record<string, unknown>, 'epsilon', 1e-7);
  }

  protected override slotCount(): number {
    return 2;
  }

  /** `{ name, learningRate, rho, epsilon }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }

  /** Zero-filled slots: accumulated gradient and accumulated delta. */
  protected createSlots(v: Variable): Variable[] {
    return this.namedSlots(v, ['accumulated_grad', 'accumulated_delta_var']);
  }

  /** One Adadelta step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const rho = f32(this.rho);
    const oneMinusRho = f32(1 - this.rho);
    const eps = f32(this.epsilon);
    const rms = (x: Tensor): Tensor => ops.sqrt(ops.add(x, eps));
    for (const [g, v] of pairs) {
      const [accG, accD] = this.slotsFor(v, 2);
      accG.assign(ops.add(ops.mul(accG, rho), ops.mul(ops.square(g), oneMinusRho)));
      const d = ops.neg(ops.div(ops.mul(rms(accD), g), rms(accG)));
      accD.assign(ops.add(ops.mul(accD, rho), ops.mul(ops.square(d), oneMinusRho)));
      v.assign(ops.add(v, ops.mul(d, lr)));
    }
  }
}
