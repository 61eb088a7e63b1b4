/**
 * Fingerprints of tensor contents for op traces: a 64-bit hash of the stored bits (float32 NaNs canonicalized to
 * 0x7fc00000, because a NaN's payload is not part of ditto's guarantee; the sign of zero and every other bit count)
 * and statistics: min, max and mean of the finite values (mean summed in float64 in index order) and the counts of
 * NaN, infinite and subnormal values. Everything is computed from the bits with integer arithmetic, so the same
 * tensor gives the same fingerprint in every process, on every backend and machine.
 * Part of src/core: imports nothing outside src/core.
 */
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

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mix(h: number, k: number, rot: number, add: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << rot) | (h >>> (32 - rot));
  return (Math.imul(h, 5) + add) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex8 = (x: number): string => x.toString(16).padStart(8, '0');

/** The fingerprint of `data` (a tensor's values in row-major order, of `dtype`). */
export function fingerprint(data: TypedArray, dtype: DType): Fingerprint {
  const n = data.length;
  // Two MurmurHash3-style lanes over 32-bit words (bool/uint8 values widened to one word each).
  let h1 = 0x2545f491 ^ n;
  let h2 = 0x9e3779b9 ^ Math.imul(n, 0x27d4eb2f);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let nan = 0;
  let inf = 0;
  let sub = 0;
  if (dtype === 'float32') {
    const f = data as Float32Array;
    const w = new Uint32Array(f.buffer, f.byteOffset, n);
    for (let i = 0; i < n; i++) {
      let u = w[i];
      const e = u & 0x7f800000;
      if (e === 0x7f800000) {
        if (u & 0x7fffff) {
          nan++;
          u = 0x7fc00000;
        } else inf++;
      } else {
        if (e === 0 && (u & 0x7fffff) !== 0) sub++;
        const v = f[i];
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        finite++;
      }
      h1 = mix(h1, u, 13, 0xe6546b64);
      h2 = mix(h2, u ^ 0x5bd1e995, 17, 0x561ccd1b);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      h1 = mix(h1, v | 0, 13, 0xe6546b64);
      h2 = mix(h2, (v | 0) ^ 0x5bd1e995, 17, 0x561ccd1b);
    }
    finite = n;
  }
  h1 = fmix(h1 ^ h2);
  h2 = fmix(h2 ^ h1);
  const any = finite > 0;
  return { hash: hex8(h1) + hex8(h2), min: any ? min : null, max: any ? max : null, mean: any ? sum / finite : null, nan, inf, sub };
}
