/**
 * PiecewiseConstantDecay (keras/src/optimizers/schedules/learning_rate_schedule.py), in float32.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../../core/internal.ts';
import { LearningRateSchedule, nameOf } from './schedule.ts';

const f32 = Math.fround;

/** Options of {@link PiecewiseConstantDecay} (Keras's arguments, camelCase). */
export interface PiecewiseConstantDecayOptions {
  /** Step boundaries: integers, strictly increasing, at least one. */
  boundaries: readonly number[];
  /** The learning rates: one more than the boundaries. */
  values: readonly number[];
  /** Default 'PiecewiseConstant'. */
  name?: string;
}

/**
 * A piecewise constant learning rate (Keras `PiecewiseConstantDecay`): `values[0]` while `step <= boundaries[0]`,
 * `values[i]` while `boundaries[i-1] < step <= boundaries[i]`, `values[n]` after `boundaries[n-1]`, each value
 * rounded to float32. Computed as Keras does, a float32 sum of indicator * value terms (first, last, then the
 * middle ones in order), of which exactly one is non-zero.
 * @throws {@link ArgumentError} for boundaries that are not strictly increasing integers, values.length !==
 * boundaries.length + 1, a non-finite value or an unknown option.
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  /** The step boundaries. */
  readonly boundaries: readonly number[];
  /** The learning rates. */
  readonly values: readonly number[];
  /** The schedule's name. */
  readonly name: string;

  constructor(o: PiecewiseConstantDecayOptions) {
    super();
    checkOptions('PiecewiseConstantDecay', o, ['boundaries', 'values', 'name']);
    const b = o.boundaries;
    const v = o.values;
    if (!Array.isArray(b) || b.length === 0 || b.some((x, i) => !Number.isInteger(x) || (i > 0 && !(x > b[i - 1])))) {
      throw new ArgumentError(`PiecewiseConstantDecay: expected boundaries to be a non-empty array of strictly increasing integers. Received: boundaries=${JSON.stringify(b)}`);
    }
    if (!Array.isArray(v) || v.length !== b.length + 1 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new ArgumentError(`PiecewiseConstantDecay: expected values to be ${b.length + 1} finite numbers (one more than the boundaries). Received: values=${JSON.stringify(v)}`);
    }
    this.boundaries = [...b];
    this.values = [...v];
    this.name = nameOf('PiecewiseConstantDecay', o as unknown as Record<string, unknown>, 'PiecewiseConstant');
  }

  /** The float32 learning rate at `step`. */
  call(step: number): number {
    const b = this.boundaries;
    const v = this.values.map(f32);
    const n = b.length;
    let r = 0;
    r = f32(r + (step <= b[0] ? v[0] : 0));
    r = f32(r + (step > b[n - 1] ? v[n] : 0));
    for (let i = 1; i < n; i++) r = f32(r + (step > b[i - 1] && step <= b[i] ? v[i] : 0));
    return r;
  }

  /** `{ className, boundaries, values, name }`. */
  getConfig(): Record<string, string | readonly number[]> {
    return { className: 'PiecewiseConstantDecay', boundaries: this.boundaries, values: this.values, name: this.name };
  }
}
