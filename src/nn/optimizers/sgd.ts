/**
 * Stochastic gradient descent with Keras 3's rule (keras/src/optimizers/sgd.py):
 *   momentum == 0: var -= lr * g
 *   else: m = m * momentum - lr * g; var += nesterov ? m * momentum - lr * g : m
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

/** Options of {@link SGD}; the defaults are Keras 3's. */
export interface SGDOptions extends BaseOptimizerOptions {
  /** Default 0.01; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Momentum in [0, 1]; default 0 (plain SGD, no slots). */
  momentum?: number;
  /** Nesterov momentum; default false. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with Keras 3's rule (`keras.optimizers.SGD`): without momentum `var -= lr * g`; with it
 * `m = m * momentum - lr * g` and `var += nesterov ? m * momentum - lr * g : m`. Every step is rounded to float32.
 * Takes the base options ({@link BaseOptimizerOptions}).
 * @throws {@link ArgumentError} for a learning rate that is not positive or a momentum outside [0, 1].
 */
export class SGD extends Optimizer {
  /** The momentum factor (0: none). */
  readonly momentum: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;

  constructor(o: SGDOptions = {}) {
    checkOptions('SGD', o, ['learningRate', 'momentum', 'nesterov', ...BASE_OPTION_KEYS]);
    const { learningRate, momentum, nesterov, ...base } = o;
    super('SGD', learningRate ?? 0.01, base);
    this.momentum = momentum ?? 0;
    this.nesterov = nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new ArgumentError(`SGD: expected momentum in [0, 1]. Received: momentum=${this.momentum}`);
  }

  protected override slotCount(): number {
    return this.momentum === 0 ? 0 : 1;
  }

  /** `{ name, learningRate, momentum, nesterov }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }

  /** One zero-filled slot, the momentum. */
  protected createSlots(v: Variable): Variable[] {
    return [ops.variable(ops.zerosLike(v), { name: `sgd/${v.name}_momentum`, trainable: false })];
  }

  /** One SGD step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    for (const [g, v] of pairs) {
      if (this.momentum === 0) {
        v.assign(ops.sub(v, ops.mul(g, lr)));
        continue;
      }
      const [m] = this.slotsFor(v, 1);
      const lrg = ops.mul(g, lr);
      m.assign(ops.sub(ops.mul(m, this.momentum), lrg));
      v.assign(ops.add(v, this.nesterov ? ops.sub(ops.mul(m, this.momentum), lrg) : m));
    }
  }
}
