/**
 * Tensor storage and its reference count: the backend buffer shared by every tensor that views it
 * (reshape shares storage) and kept alive by gradient tapes for the backward pass. The buffer is
 * freed when its last reference is released.
 * Part of src/core: imports nothing outside src/core.
 */
import type { Backend } from './backend.ts';
import { type DType, bytesPerElement } from './dtype.ts';
import { release } from './memory-budget.ts';

/** Backend-owned buffer shared by every tensor that views it (reshape shares storage). */
export interface Storage {
  readonly backend: Backend;
  readonly handle: unknown;
  readonly dtype: DType;
  readonly size: number;
  refs: number;
}

/** Drops one reference to `s`; the last one frees the backend buffer. */
export function releaseStorage(s: Storage): void {
  s.refs--;
  if (s.refs === 0) release(s.backend, s.handle, s.dtype, s.size);
}

/** Bytes held by storage of `dtype` and `size`. */
export function storageBytes(dtype: DType, size: number): number {
  return size * bytesPerElement(dtype);
}
