/**
 * RMSprop with Keras 3's defaults and update rule (keras/src/optimizers/rmsprop.py), every step a
 * float32 engine op in Keras's order.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { BASE_OPTION_KEYS, type BaseOptimizerOptions } from './base-options.ts';
import { Optimizer, boolOption, nonNegativeOption, rangeOption } from './optimizer.ts';
import type { LearningRate } from './schedules/schedule.ts';

const f32 = Math.fround;

/** Options of {@link RMSprop}; the defaults are Keras 3's. */
export interface RMSpropOptions extends BaseOptimizerOptions {
  /** Default 0.001; a number, a schedule or a function of the step. */
  learningRate?: LearningRate;
  /** Discount of the squared-gradient average, in [0, 1]; default 0.9. */
  rho?: number;
  /** Momentum in [0, 1]; default 0 (no momentum slot). */
  momentum?: number;
  /** Added under the square root, >= 0; default 1e-7. */
  epsilon?: number;
  /** Divide by the estimated variance (slot `average_gradient`); default false. */
  centered?: boolean;
}

/**
 * RMSprop (`keras.optimizers.RMSprop`), each step a float32 op, in this order (rho and 1 - rho computed in float64
 * as Keras's Python floats, then rounded):
 *   `vel = rho * vel + (1 - rho) * g^2`;
 *   centered: `avg = rho * avg + (1 - rho) * g`, `den = (vel - avg^2) + eps`; else `den = vel + eps`;
 *   `inc = (lr * g) / sqrt(den)`; momentum > 0: `mom = momentum * mom + inc`, `var -= mom`; else `var -= inc`.
 * Slots `rmsprop/<weight>_velocity`, then `_momentum` (momentum > 0), then `_average_gradient` (centered).
 * @throws {@link ArgumentError} for a bad learning rate, rho or momentum outside [0, 1], a negative epsilon, or an
 * unknown or bad option.
 */
export class RMSprop extends Optimizer {
  /** Discount of the squared-gradient average. */
  readonly rho: number;
  /** Momentum (0: none). */
  readonly momentum: number;
  /** The epsilon under the square root. */
  readonly epsilon: number;
  /** Whether the centered variant is used. */
  readonly centered: boolean;

  constructor(o: RMSpropOptions = {}) {
    checkOptions('RMSprop', o, ['learningRate', 'rho', 'momentum', 'epsilon', 'centered', ...BASE_OPTION_KEYS]);
    const { learningRate, rho, momentum, epsilon, centered, ...base } = o;
    super('RMSprop', learningRate ?? 0.001, base);
    const r = o as Record<string, unknown>;
    this.rho = rangeOption('RMSprop', r, 'rho', 0.9, 0, 1, false);
    this.momentum = rangeOption('RMSprop', r, 'momentum', 0, 0, 1, false);
    this.epsilon = nonNegativeOption('RMSprop', r, 'epsilon', 1e-7);
    this.centered = boolOption('RMSprop', r, 'centered');
  }

  private slotNames(): string[] {
    return ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['average_gradient'] : [])];
  }

  protected override slotCount(): number {
    return this.slotNames().length;
  }

  /** `{ name, learningRate, rho, momentum, epsilon, centered }` and the base options that are set. */
  override getConfig(): Record<string, number | boolean | string> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  /** Zero-filled slots: velocity, momentum (momentum > 0), average gradient (centered). */
  protected createSlots(v: Variable): Variable[] {
    return this.namedSlots(v, this.slotNames());
  }

  /** One RMSprop step for every pair. */
  protected update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void {
    const rho = f32(this.rho);
    const oneMinusRho = f32(1 - this.rho);
    const eps = f32(this.epsilon);
    for (const [g, v] of pairs) {
      const slots = this.slotsFor(v, this.slotCount());
      const vel = slots[0];
      const mom = this.momentum > 0 ? slots[1] : undefined;
      const avg = this.centered ? slots[slots.length - 1] : undefined;
      vel.assign(ops.add(ops.mul(vel, rho), ops.mul(ops.square(g), oneMinusRho)));
      let den: Tensor;
      if (avg) {
        avg.assign(ops.add(ops.mul(avg, rho), ops.mul(g, oneMinusRho)));
        den = ops.add(ops.sub(vel, ops.square(avg)), eps);
      } else {
        den = ops.add(vel, eps);
      }
      const inc = ops.div(ops.mul(g, lr), ops.sqrt(den));
      if (mom) {
        mom.assign(ops.add(ops.mul(mom, f32(this.momentum)), inc));
        v.assign(ops.sub(v, mom));
      } else {
        v.assign(ops.sub(v, inc));
      }
    }
  }
}
