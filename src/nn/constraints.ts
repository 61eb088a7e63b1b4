/**
 * Weight constraints with Keras 3 semantics (keras/src/constraints/constraints.py), applied to a weight after
 * every optimizer update (Keras's BaseOptimizer.apply: `variable.assign(variable.constraint(variable))`, in the
 * order of the trainable weights). Operation order as Keras (norm = sqrt(sum(w^2, axis, keepdims)) in the
 * engine's summation order; epsilon 1e-7):
 *  - MaxNorm(maxValue = 2, axis = 0): w * (clip(norm, 0, maxValue) / (1e-7 + norm));
 *  - MinMaxNorm(minValue = 0, maxValue = 1, rate = 1, axis = 0): w * ((rate * clip(norm, min, max) + (1 - rate) * norm) / (1e-7 + norm));
 *  - NonNeg: w * cast(w >= 0);
 *  - UnitNorm(axis = 0): w / (1e-7 + norm).
 * `getConstraint` resolves Keras names ('max_norm', 'min_max_norm', 'non_neg', 'unit_norm', class names).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, checkOptions, ops, tidy } from '../core/internal.ts';

const EPS = 1e-7;

/** A weight constraint: `apply(w)` is the projected weight (same shape). */
export interface Constraint {
  /** The constrained value of `w`. */
  apply(w: Tensor): Tensor;
  /** Keras-style configuration. */
  getConfig(): Record<string, unknown>;
}

function num(cls: string, key: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${cls}: expected ${key} a finite number. Received: ${key}=${JSON.stringify(v)}`);
  return v;
}

function axisOf(cls: string, v: unknown): number | number[] {
  if (v === undefined) return 0;
  const ok = Number.isInteger(v) || (Array.isArray(v) && v.every((a) => Number.isInteger(a)));
  if (!ok) throw new ArgumentError(`${cls}: expected axis an integer or a list of integers. Received: axis=${JSON.stringify(v)}`);
  return v as number | number[];
}

const norms = (w: Tensor, axis: number | number[]) => ops.sqrt(ops.sum(ops.square(w), axis, true));

/** Keras `MaxNorm`: caps the norm of each slice along `axis` at maxValue. */
export class MaxNorm implements Constraint {
  /** The largest norm. */
  readonly maxValue: number;
  /** The norm's axis (or axes). */
  readonly axis: number | number[];
  /** @param options maxValue (default 2), axis (default 0) */
  constructor(options: { maxValue?: number; axis?: number | number[] } = {}) {
    checkOptions('MaxNorm', options, ['maxValue', 'axis']);
    this.maxValue = num('MaxNorm', 'maxValue', options.maxValue, 2);
    this.axis = axisOf('MaxNorm', options.axis);
  }
  /** w * (clip(norm, 0, maxValue) / (1e-7 + norm)). */
  apply(w: Tensor): Tensor {
    return tidy(() => {
      const n = norms(w, this.axis);
      return ops.mul(w, ops.div(ops.clipByValue(n, 0, this.maxValue), ops.add(n, EPS)));
    });
  }
  /** `{ maxValue, axis }`. */
  getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Keras `MinMaxNorm`: moves the norm of each slice towards [minValue, maxValue] at `rate`. */
export class MinMaxNorm implements Constraint {
  /** The smallest norm. */
  readonly minValue: number;
  /** The largest norm. */
  readonly maxValue: number;
  /** The rate (1: strict). */
  readonly rate: number;
  /** The norm's axis (or axes). */
  readonly axis: number | number[];
  /** @param options minValue (0), maxValue (1), rate (1), axis (0) */
  constructor(options: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    checkOptions('MinMaxNorm', options, ['minValue', 'maxValue', 'rate', 'axis']);
    this.minValue = num('MinMaxNorm', 'minValue', options.minValue, 0);
    this.maxValue = num('MinMaxNorm', 'maxValue', options.maxValue, 1);
    this.rate = num('MinMaxNorm', 'rate', options.rate, 1);
    if (this.minValue > this.maxValue) throw new ArgumentError(`MinMaxNorm: expected minValue <= maxValue. Received: minValue=${this.minValue}, maxValue=${this.maxValue}`);
    this.axis = axisOf('MinMaxNorm', options.axis);
  }
  /** w * ((rate * clip(norm, min, max) + (1 - rate) * norm) / (1e-7 + norm)). */
  apply(w: Tensor): Tensor {
    return tidy(() => {
      const n = norms(w, this.axis);
      const desired = ops.add(ops.mul(ops.clipByValue(n, this.minValue, this.maxValue), this.rate), ops.mul(n, 1 - this.rate));
      return ops.mul(w, ops.div(desired, ops.add(n, EPS)));
    });
  }
  /** `{ minValue, maxValue, rate, axis }`. */
  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Keras `NonNeg`: negative entries become 0. */
export class NonNeg implements Constraint {
  /** @param options none */
  constructor(options: Record<string, never> = {}) {
    checkOptions('NonNeg', options, []);
  }
  /** w * cast(w >= 0). */
  apply(w: Tensor): Tensor {
    return tidy(() => ops.mul(w, ops.cast(ops.greaterEqual(w, 0), 'float32')));
  }
  /** `{}`. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Keras `UnitNorm`: each slice along `axis` scaled to norm 1. */
export class UnitNorm implements Constraint {
  /** The norm's axis (or axes). */
  readonly axis: number | number[];
  /** @param options axis (default 0) */
  constructor(options: { axis?: number | number[] } = {}) {
    checkOptions('UnitNorm', options, ['axis']);
    this.axis = axisOf('UnitNorm', options.axis);
  }
  /** w / (1e-7 + norm). */
  apply(w: Tensor): Tensor {
    return tidy(() => ops.div(w, ops.add(norms(w, this.axis), EPS)));
  }
  /** `{ axis }`. */
  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * A constraint or a name: 'max_norm', 'min_max_norm', 'non_neg', 'unit_norm' or a class name (Keras defaults).
 * @inline
 */
export type ConstraintId = Constraint | 'max_norm' | 'min_max_norm' | 'non_neg' | 'unit_norm' | 'MaxNorm' | 'MinMaxNorm' | 'NonNeg' | 'UnitNorm';

const NAMES: Record<string, () => Constraint> = {
  max_norm: () => new MaxNorm(), MaxNorm: () => new MaxNorm(),
  min_max_norm: () => new MinMaxNorm(), MinMaxNorm: () => new MinMaxNorm(),
  non_neg: () => new NonNeg(), NonNeg: () => new NonNeg(),
  unit_norm: () => new UnitNorm(), UnitNorm: () => new UnitNorm(),
};

/**
 * The constraint for an id (undefined/null: none). Exported as `dt.constraints.get`.
 * @throws {@link ArgumentError} for an unknown name or a non-constraint.
 */
export function getConstraint(fn: string, id: ConstraintId | null | undefined): Constraint | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'string') {
    const make = Object.hasOwn(NAMES, id) ? NAMES[id] : undefined;
    if (!make) throw new ArgumentError(`${fn}: unknown constraint '${id}'. Expected one of: ${Object.keys(NAMES).join(', ')}`);
    return make();
  }
  if (typeof id === 'object' && typeof (id as Constraint).apply === 'function') return id;
  throw new ArgumentError(`${fn}: expected a constraint (an object with apply) or a name. Received: ${typeof id}`);
}
