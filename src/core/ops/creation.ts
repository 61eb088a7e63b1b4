/**
 * Creating tensors: from JS values (`tensor`, `scalar`), filled (`zeros`, `ones`, `fill`),
 * copies (`clone`), `variable`, and `cast`.
 * Part of src/core.
 */
import { type DType, type TypedArray, checkDType, dtypeOfArray } from '../dtype.ts';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { runOp } from '../run-op.ts';
import { checkShape, sizeOf } from '../shape.ts';
import { makeVariable, upload } from '../tensor-factory.ts';
import { Tensor, type Variable, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

/** Values accepted by `tensor()`. */
export type TensorValues = number | boolean | TypedArray | OtherTypedArray | readonly TensorValues[] | number[];

/**
 * Typed arrays that {@link tensor} converts, as TensorFlow.js does: to float32 unless a dtype is given
 * (Float64Array values are rounded to the nearest float32).
 */
export type OtherTypedArray = Float64Array | Int8Array | Int16Array | Uint16Array | Uint32Array | Uint8ClampedArray;

/** Whether `a` is a typed array that tensor() converts (not one of the dtypes' own arrays). */
function isOtherTypedArray(a: unknown): a is OtherTypedArray {
  return a instanceof Float64Array || a instanceof Int8Array || a instanceof Int16Array || a instanceof Uint16Array
    || a instanceof Uint32Array || a instanceof Uint8ClampedArray;
}

const fillOp = defineOp({
  name: 'fill',
  infer: (_inputs, a) => ({ shape: a.shape, dtype: a.dtype }),
});

const castOp = defineOp({
  name: 'cast',
  infer: ([x], a) => ({ shape: [...x.shape], dtype: a.dtype }),
  grad: (dy, { inputs: [x] }) => [x.dtype === 'float32' ? dy : null],
});

/**
 * A tensor from a number, a boolean, (nested) arrays or a typed array, like TF.js `tf.tensor`. The shape defaults
 * to the nesting of the arrays (a typed array is 1-D); the dtype to the typed array's (Float32Array, Int32Array,
 * Uint8Array), else float32. int32/uint8 values must be integers in range: nothing is silently truncated.
 *
 * @example
 * ```ts
 * const x = dt.tensor([[1, 2], [3, 4]]);            // float32 [2, 2]
 * const y = dt.tensor([1, 2, 3, 4], [2, 2], 'int32'); // int32 [2, 2]
 * ```
 * @throws {@link ShapeError} for a ragged array or a shape whose size differs from the number of values;
 * {@link DTypeError} for an unknown dtype or out-of-range integer values; {@link ArgumentError} for other input.
 */
export function tensor(values: TensorValues, shape?: readonly number[], dtype?: DType): Tensor {
  if (dtype !== undefined) checkDType('tensor', 'dtype', dtype);
  const fromTyped = dtypeOfArray(values);
  const dt: DType = dtype ?? fromTyped ?? 'float32';
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (fromTyped) {
    flat = values as TypedArray;
    inferred = [flat.length];
  } else if (isOtherTypedArray(values)) {
    flat = values;
    inferred = [values.length];
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [Number(values)];
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = (values as unknown[]).flat(Infinity) as number[];
  } else {
    throw new ArgumentError(`tensor: expected a number, nested arrays or a typed array. Received: ${values === null ? 'null' : values instanceof BigInt64Array || values instanceof BigUint64Array ? 'a BigInt typed array' : typeof values}`);
  }
  const finalShape = shape === undefined ? inferred : [...shape];
  checkShape('tensor', finalShape);
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(`tensor: expected ${sizeOf(finalShape)} values for shape ${fmtShape(finalShape)}. Received: ${flat.length} values`);
  }
  return upload(toTypedArray(flat, dt), finalShape, dt);
}

/** A rank-0 tensor holding `value` (default dtype float32). TF.js `tf.scalar`. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return tensor(value, [], dtype);
}

/**
 * A tensor of `shape` filled with `value` (default dtype float32). TF.js `tf.fill`.
 * @throws {@link ShapeError} for a shape that is not an array of non-negative integers; {@link DTypeError} for an
 * unknown dtype or a value that is not an integer in range for int32/uint8.
 */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  checkShape('fill', shape);
  checkDType('fill', 'dtype', dtype);
  checkValue('fill', value, dtype);
  return runOp(fillOp, [], { shape: [...shape], dtype, value });
}

/** A tensor of `shape` filled with 0 (default dtype float32). TF.js `tf.zeros`. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** A tensor of `shape` filled with 1 (default dtype float32). TF.js `tf.ones`. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros with the shape and dtype of `t`. TF.js `tf.zerosLike`. */
export function zerosLike(t: Tensor): Tensor {
  assertLive('zerosLike', t);
  return fill(t.shape, 0, t.dtype);
}

/** Ones with the shape and dtype of `t`. TF.js `tf.onesLike`. */
export function onesLike(t: Tensor): Tensor {
  assertLive('onesLike', t);
  return fill(t.shape, 1, t.dtype);
}

/**
 * Converts to `dtype` (TF.js `tf.cast`). float32 -> int32 truncates toward zero (NaN -> 0, out of range saturates);
 * to uint8 the integer part is taken modulo 256, as a C-style wrap. Same dtype: a copy.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkDType('cast', 'dtype', dtype);
  return runOp(castOp, [x], { dtype });
}

/** A new tensor with the same shape, dtype and values, in its own storage. TF.js `tf.clone`. */
export function clone(x: Tensor): Tensor {
  return runOp(castOp, [x], { dtype: x.dtype });
}

/**
 * A {@link Variable} initialised with a copy of `init`'s values (the variable never aliases `init`). TF.js
 * `tf.variable`. Options: `name` (default `variable_<id>`), `trainable` (default true).
 */
export function variable(init: Tensor, options: { name?: string; trainable?: boolean } = {}): Variable {
  checkOptions('variable', options, ['name', 'trainable']);
  assertLive('variable', init);
  const copy = clone(init);
  const v = makeVariable(copy, options.name ?? `variable_${copy.id}`, options.trainable ?? true);
  copy.dispose();
  return v;
}

function inferShape(values: readonly unknown[]): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const check = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new ArgumentError(`tensor: expected numbers at depth ${dim}. Received: ${Array.isArray(v) ? 'an array' : typeof v}`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(`tensor: expected a rectangular nested array of shape ${fmtShape(shape)}. Received: a ragged array (length ${Array.isArray(v) ? v.length : 'scalar'} at depth ${dim})`);
    }
    for (const x of v) check(x, dim + 1);
  };
  check(values, 0);
  return shape;
}

function toTypedArray(flat: ArrayLike<number>, dtype: DType): TypedArray {
  const n = flat.length;
  // The same type: the array itself, whose bits upload's backend.write copies (one memcpy; a signalling NaN is not
  // quieted, as a number round trip would)
  if ((dtype === 'float32' && flat instanceof Float32Array) || (dtype === 'int32' && flat instanceof Int32Array) || (dtype === 'uint8' && flat instanceof Uint8Array)) {
    return flat;
  }
  if (dtype === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(flat[i]);
    return out;
  }
  const out = dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(flat[i]);
    checkValue('tensor', v, dtype, i);
    out[i] = v;
  }
  return out;
}

/** Throws a DTypeError naming `fn` unless `v` is representable in `dtype` (integers in range for int32/uint8). */
export function checkValue(fn: string, v: number, dtype: DType, index?: number): void {
  if (dtype === 'float32') return;
  const [lo, hi] = dtype === 'int32' ? [-2147483648, 2147483647] : [0, 255];
  if (!Number.isInteger(v) || v < lo || v > hi) {
    const where = index === undefined ? '' : ` at index ${index}`;
    throw new DTypeError(`${fn}: expected integers in [${lo}, ${hi}] for dtype ${dtype}. Received: ${v}${where}`);
  }
}
