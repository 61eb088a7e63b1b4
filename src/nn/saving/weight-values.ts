/**
 * Checking file datasets against a model's variables before anything is assigned: each dataset must
 * have the variable's shape and a convertible element type (float32 or float64 for a float32
 * variable, rounded to float32; int32 or int64 in range for an int32 one). Errors name the file,
 * the item in the file and the variable, so a bad file is reported and the model left untouched.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError, type Variable, fmtShape, ops, tidy } from '../../core/internal.ts';
import type { H5Dataset } from './hdf5.ts';

/** A variable with the host values it will receive. */
export interface PendingAssign {
  /** The model's variable. */
  variable: Variable;
  /** The values, already in the variable's dtype. */
  values: Float32Array | Int32Array;
}

/**
 * The values of `d` for variable `v`, converted to its dtype.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming `fn`, `source` and `item` for a shape or type that differs.
 */
export function datasetValues(fn: string, source: string, item: string, d: H5Dataset, v: Variable): Float32Array | Int32Array {
  const want = `${fmtShape(v.shape)} ${v.dtype}`;
  if (d.shape.length !== v.shape.length || d.shape.some((n, i) => n !== v.shape[i])) {
    throw new DataFormatError(`${fn}: ${source}: '${item}' has shape ${fmtShape(d.shape)}, but the model's '${v.name}' expects ${want}`);
  }
  const bad = (): never => {
    throw new DataFormatError(`${fn}: ${source}: '${item}' holds ${d.dtype} values, which ditto does not convert to the model's '${v.name}' (${want})`);
  };
  if (v.dtype === 'float32') {
    if (d.data instanceof Float32Array) return d.data;
    if (d.data instanceof Float64Array) return Float32Array.from(d.data);
    return bad();
  }
  if (d.data instanceof Int32Array) return d.data;
  if (d.data instanceof BigInt64Array) {
    const out = new Int32Array(d.data.length);
    for (let i = 0; i < out.length; i++) {
      const x = d.data[i];
      if (x > 2147483647n || x < -2147483648n) bad();
      out[i] = Number(x);
    }
    return out;
  }
  return bad();
}

/** Assigns every pending value (after all were checked). */
export function assignAll(pending: readonly PendingAssign[]): void {
  for (const { variable, values } of pending) tidy(() => variable.assign(ops.tensor(values, variable.shape, variable.dtype)));
}
