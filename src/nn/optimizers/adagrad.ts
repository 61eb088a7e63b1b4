/**
 * Adagrad with Keras 3's defaults and update rule (keras/src/optimizers/adagrad.py), every step a
 * float32 engine op in Keras's order.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, nonNegativeOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** Options of {@link Adagrad}; the defaults are Keras 3's. */
export interface AdagradOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Starting value of the accumulators, >= 0; default 0.1. */
  initialAccumulatorValue?: number;
  /** Added under the square root, >= 0; default 1e-7. */
  epsilon?: number;
}

/**
 * Adagrad (`keras.optimizers.Adagrad`), each step a float32 op, in this order: `acc = acc + g^2`;
 * `var -= (lr * g) / sqrt(acc + eps)`. Slot `adagrad/<weight>_accumulator`, filled with
 * f32(initialAccumulatorValue) at creation.
 * @throws {@link ArgumentError} for a bad learning rate, a negative initialAccumulatorValue or epsilon, or an
 * unknown or bad option.
 */
export class Adagrad extends Optimizer {
  /** Starting value of the accumulators. */
  readonly initialAccumulatorValue: number;
  /** The epsilon under the square root. */
  readonly epsilon: number;

  constructor(o: AdagradOptions = {}) {
    checkOptions('Adagrad', o, ['learningRate', 'initialAccumulatorValue', 'epsilon', ...BASE_OPTION_KEYS]);
    const { learningRate, initialAccumulatorValue, epsilon, ...base } = o;
    super('Adagrad', learningRate ?? 0.001, base);
    this.initialAccumulatorValue = nonNegativeOption('Adagrad', o as Record<string, unknown>, 'initialAccumulatorValue', 0.1);
    this.epsilon = nonNegativeOption('Adagrad', o as Record<string, unknown>, 'epsilon', 1e-7);
  }

  protected override slotCount(): number {
    return 1;
  }

  /** `{ name, learningRate, initialAccumulatorValue, epsilon }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  /** One slot, the accumulator, filled with initialAccumulatorValue. */
  protected createSlots(v: Variable): Variable[] {
    return this.namedSlots(v, ['accumulator'], f32(this.initialAccumulatorValue));
  }

  /** One Adagrad step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const eps = f32(this.epsilon);
    for (const [g, v] of pairs) {
      const [acc] = this.slotsFor(v, 1);
      acc.assign(ops.add(acc, ops.square(g)));
      v.assign(ops.sub(v, ops.div(ops.mul(g, lr), ops.sqrt(ops.add(acc, eps)))));
    }
  }
}
