/**
 * Lion with Keras 3's defaults and update rule (keras/src/optimizers/lion.py), every step a float32
 * engine op in Keras's order.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** Options of {@link Lion}; the defaults are Keras 3's. */
export interface LionOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Interpolation of the update direction, in (0, 1]; default 0.9. */
  beta1?: number;
  /** Decay of the momentum, in [0, 1]; default 0.99. */
  beta2?: number;
}

/**
 * Lion (`keras.optimizers.Lion`), each step a float32 op, in this order (b1 = f32(beta1), b2 = f32(beta2), and
 * 1 - b1, 1 - b2 computed from them in float32, as Keras casts the betas first):
 *   `var -= lr * sign(m * b1 + g * (1 - b1))`;  `m = m * b2 + g * (1 - b2)`.
 * Slot `lion/<weight>_momentum`.
 * @throws {@link ArgumentError} for a bad learning rate, beta1 outside (0, 1], beta2 outside [0, 1], or an unknown
 * or bad option.
 */
export class Lion extends Optimizer {
  /** Interpolation of the update direction. */
  readonly beta1: number;
  /** Decay of the momentum. */
  readonly beta2: number;

  constructor(o: LionOptions = {}) {
    checkOptions('Lion', o, ['learningRate', 'beta1', 'beta2', ...BASE_OPTION_KEYS]);
    const { learningRate, beta1, beta2, ...base } = o;
    super('Lion', learningRate ?? 0.001, base);
    this.beta1 = beta1 ?? 0.9;
    this.beta2 = beta2 ?? 0.99;
    if (!(typeof this.beta1 === 'number' && this.beta1 > 0 && this.beta1 <= 1)) throw new ArgumentError(`Lion: expected beta1 in (0, 1]. Received: beta1=${String(this.beta1)}`);
    if (!(typeof this.beta2 === 'number' && this.beta2 >= 0 && this.beta2 <= 1)) throw new ArgumentError(`Lion: expected beta2 in [0, 1]. Received: beta2=${String(this.beta2)}`);
  }

  protected override slotCount(): number {
    return 1;
  }

  /** `{ name, learningRate, beta1, beta2 }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }

  /** One zero-filled slot, the momentum. */
  protected createSlots(v: Variable): Variable[] {
    return this.namedSlots(v, ['momentum']);
  }

  /** One Lion step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const b1 = f32(this.beta1);
    const b2 = f32(this.beta2);
    const c1 = f32(1 - b1);
    const c2 = f32(1 - b2);
    for (const [g, v] of pairs) {
      const [m] = this.slotsFor(v, 1);
      v.assign(ops.sub(v, ops.mul(ops.sign(ops.add(ops.mul(m, b1), ops.mul(g, c1))), lr)));
      m.assign(ops.add(ops.mul(m, b2), ops.mul(g, c2)));
    }
  }
}
