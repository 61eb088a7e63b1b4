/**
 * Data types of ditto tensors and the typed arrays that hold them on the host.
 * Part of src/core: imports nothing outside src/core.
 */
import { DTypeError } from './errors.ts';

/** The element types a tensor can have. Comparisons produce 'uint8' (0 or 1). */
export type DType = 'float32' | 'int32' | 'uint8';

/** Host array for each dtype. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** Map from dtype to its typed array type. */
export interface DTypeArrayMap {
  float32: Float32Array;
  int32: Int32Array;
  uint8: Uint8Array;
}

export const DTYPES: readonly DType[] = ['float32', 'int32', 'uint8'];

/** Bytes per element. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'uint8' ? 1 : 4;
}

/** Throws unless `dtype` is one of the supported dtypes. */
export function checkDType(fn: string, name: string, dtype: unknown): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'uint8') {
    throw new DTypeError(`${fn}: expected ${name} to be one of 'float32', 'int32', 'uint8'. Received: ${name}=${JSON.stringify(dtype)}`);
  }
}

/** A zero-filled typed array of `size` elements of `dtype`, on the given buffer kind. */
export function allocArray(dtype: DType, size: number, shared = false): TypedArray {
  const bytes = size * bytesPerElement(dtype);
  const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return viewOf(dtype, buf, 0, size);
}

/** A typed-array view of `size` elements of `dtype` over `buffer` at byte `offset`. */
export function viewOf(dtype: DType, buffer: ArrayBufferLike, offset: number, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, offset, size);
    case 'int32': return new Int32Array(buffer, offset, size);
    case 'uint8': return new Uint8Array(buffer, offset, size);
  }
}

/** The dtype whose typed array `a` is, or undefined. */
export function dtypeOfArray(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'uint8';
  return undefined;
}
