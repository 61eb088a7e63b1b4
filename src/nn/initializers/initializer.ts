/**
 * The base class of every weight initializer (Keras `keras.initializers.Initializer`): `apply(shape, dtype)`
 * returns a new tensor, `getConfig()` a JSON-friendly description that `deserialize` turns back into an equal
 * initializer. Shared argument checks for subclasses live here too.
 * Part of src/nn: imports src/core only.
 */
import {
  ArgumentError, type DType, DTypeError, type Tensor, checkDType, checkOptions as checkCoreOptions, checkShape, fmtValue,
} from '../../core/internal.ts';

/** JSON-friendly constructor arguments of an initializer. */
export type InitializerConfig = Record<string, unknown>;

/** A weight initializer: a recipe that produces a tensor of any requested shape. */
export abstract class Initializer {
  /** The Keras class name, used in error messages and by serialize/deserialize. */
  static readonly className: string = 'Initializer';

  /** The Keras class name of this initializer. */
  get className(): string {
    return (this.constructor as typeof Initializer).className;
  }

  /**
   * A new tensor [shape] of `dtype` (default float32) holding the initial values.
   * @param shape e.g. a Dense kernel [in, out] or a Conv2D kernel [kh, kw, in, out]
   */
  abstract apply(shape: readonly number[], dtype?: DType): Tensor;

  /** Constructor arguments (Keras get_config); `new Class(config)` rebuilds an equal initializer. */
  getConfig(): InitializerConfig {
    return {};
  }

  /** Throws unless shape is valid; returns a copy. */
  protected checkShape(shape: unknown): number[] {
    checkShape(`${this.className}.apply`, shape);
    return [...shape];
  }

  /** Throws unless dtype is valid and, for integer dtypes, `value` is an integer in its range. */
  protected checkValueForDType(dtype: unknown, name: string, value: number): void {
    const fn = `${this.className}.apply`;
    checkDType(fn, 'dtype', dtype);
    if (dtype === 'float32') return;
    const [lo, hi] = dtype === 'int32' ? [-2147483648, 2147483647] : [0, 255];
    if (!Number.isInteger(value) || value < lo || value > hi) {
      throw new DTypeError(`${fn}: expected ${name} to be an integer in [${lo}, ${hi}] for dtype ${dtype}. Received: ${name}=${value}`);
    }
  }

  /** Throws unless dtype is float32 (random initializers produce floats only). */
  protected checkFloatDType(dtype: unknown): void {
    const fn = `${this.className}.apply`;
    checkDType(fn, 'dtype', dtype);
    if (dtype !== 'float32') {
      throw new DTypeError(`${fn}: expected dtype 'float32' (a floating dtype). Received: dtype=${JSON.stringify(dtype)}`);
    }
  }
}

/** Throws unless `options` is undefined or an object whose keys are all in `allowed` (when given); see core's checkOptions. */
export function checkOptions(fn: string, options: unknown, allowed?: readonly string[]): void {
  checkCoreOptions(fn, options, allowed);
}

/** Throws unless x is a finite number; returns it. */
export function finiteArg(fn: string, name: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new ArgumentError(`${fn}: expected ${name} to be a finite number. Received: ${name}=${fmtValue(x)}`);
  }
  return x;
}
