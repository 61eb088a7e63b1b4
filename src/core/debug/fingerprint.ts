/**
 * Fingerprints of tensor contents for op traces: a 64-bit hash of the stored bits (the first 64 bits of the SHA-1 of
 * the dtype's name and the little-endian bytes; float32 NaNs canonicalized to 0x7fc00000, because a NaN's payload is
 * not part of ditto's guarantee; the sign of zero and every other bit count)
 * and statistics: min, max and mean of the finite values (mean summed in float64 in index order) and the counts of
 * NaN, infinite and subnormal values. The hash is of the bits, never of decimal text, so the same tensor gives the
 * same fingerprint in every process, on every backend and machine.
 * Part of src/core: imports nothing outside src/core.
 */
import { createHash } from 'node:crypto';
import type { DType, TypedArray } from '../dtype.ts';

/** A tensor's fingerprint as a trace records it. */
export interface Fingerprint {
  /** 16 hex digits: the hash of the bits (NaNs canonicalized). */
  hash: string;
  /** Smallest finite value (null when there is none). */
  min: number | null;
  /** Largest finite value (null when there is none). */
  max: number | null;
  /** Mean of the finite values (float64 sum in index order; null when there is none). */
  mean: number | null;
  /** Number of NaN values. */
  nan: number;
  /** Number of infinite values. */
  inf: number;
  /** Number of subnormal (denormal) float32 values. */
  sub: number;
}

/** The fingerprint of `data` (a tensor's values in row-major order, of `dtype`). */
export function fingerprint(data: TypedArray, dtype: DType): Fingerprint {
  const n = data.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let nan = 0;
  let inf = 0;
  let sub = 0;
  let bytes: Uint8Array;
  if (dtype === 'float32') {
    const f = data as Float32Array;
    const w = new Uint32Array(f.buffer, f.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const u = w[i];
      const e = u & 0x7f800000;
      if (e === 0x7f800000) {
        if (u & 0x7fffff) nan++;
        else inf++;
        continue;
      }
      if (e === 0 && (u & 0x7fffff) !== 0) sub++;
      const v = f[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    finite = n - nan - inf;
    bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    if (nan) {
      // NaN payloads are not part of the guarantee: hash every NaN as the canonical quiet NaN.
      const c = new Uint32Array(w);
      for (let i = 0; i < n; i++) if ((c[i] & 0x7f800000) === 0x7f800000 && (c[i] & 0x7fffff) !== 0) c[i] = 0x7fc00000;
      bytes = new Uint8Array(c.buffer);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    finite = n;
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  // SHA-1 (native, fast) over the little-endian bytes and the dtype; the first 64 bits are kept.
  const hash = createHash('sha1').update(dtype).update(bytes).digest('hex').slice(0, 16);
  const any = finite > 0;
  return { hash, min: any ? min : null, max: any ? max : null, mean: any ? sum / finite : null, nan, inf, sub };
}
