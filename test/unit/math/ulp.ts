// Test helpers for the float32 math functions: error in float32 ulps against a float64 reference,
// float64 reference functions, and bit-pattern sweeps. Test-only; never imported by src/.
import { bitsOfF32, f32FromBits } from '../../../src/core/math/index.ts';

const TWO128 = 2 ** 128;

/**
 * |y - ref| in units of the float32 ulp at ref (ulp of the binade containing |ref|; 2^-149 below
 * 2^-126). y is a float32 result, ref an (almost) exact float64 value. ±Infinity counts as ±2^128
 * when ref is finite (so overflowing to Infinity just above the largest float is a sub-ulp error).
 * NaN ref needs NaN y (0), else Infinity.
 */
export function ulpError(y: number, ref: number): number {
  if (Number.isNaN(ref)) return Number.isNaN(y) ? 0 : Infinity;
  if (Number.isNaN(y)) return Infinity;
  if (y === ref) return 0;
  if (!Number.isFinite(ref)) return Infinity;
  const yy = Number.isFinite(y) ? y : Math.sign(y) * TWO128;
  const a = Math.abs(ref);
  if (a >= TWO128 && yy === Math.sign(ref) * TWO128) return 0; // correctly overflowed to ±Infinity
  let u: number;
  if (a < 2 ** -126) u = 2 ** -149;
  else {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e--;
    else if (2 ** (e + 1) <= a) e++;
    u = 2 ** (Math.min(e, 127) - 23);
  }
  return Math.abs(yy - ref) / u;
}

/** float64 references (test only). */
export const REF = {
  exp: (x: number) => Math.exp(x),
  expm1: (x: number) => Math.expm1(x),
  log: (x: number) => Math.log(x),
  log1p: (x: number) => Math.log1p(x),
  tanh: (x: number) => Math.tanh(x),
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
} as const;

export interface ErrStats {
  max: number;
  argmax: number;
  count: number;
}

/**
 * Max ulp error of f against ref over the float32 bit patterns lo, lo+step, ... < hi
 * (bit patterns as unsigned integers; negative floats are 0x80000000 + |bits|).
 */
export function sweepBits(
  f: (x: number) => number,
  ref: (x: number) => number,
  lo: number,
  hi: number,
  step: number,
  acc: ErrStats = { max: 0, argmax: NaN, count: 0 },
): ErrStats {
  for (let b = lo; b < hi; b += step) {
    const x = f32FromBits(b);
    const y = f(x);
    const r = ref(x);
    acc.count++;
    // fast path: a correctly rounded result is within 0.5 ulp, below any max worth recording
    if (y === Math.fround(r) && acc.max >= 0.5) continue;
    const e = ulpError(y, r);
    if (e > acc.max || Number.isNaN(e)) {
      acc.max = e;
      acc.argmax = x;
    }
  }
  return acc;
}

/** Max ulp error over `n` random float32 values drawn uniformly from the bit patterns [lo, hi). */
export function sweepRandom(
  f: (x: number) => number,
  ref: (x: number) => number,
  lo: number,
  hi: number,
  n: number,
  seed: number,
  acc: ErrStats = { max: 0, argmax: NaN, count: 0 },
): ErrStats {
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // LCG: reproducible, good enough for sampling
    const b = lo + Math.floor(((s ^ (s >>> 16)) / 2 ** 32) * (hi - lo));
    const x = f32FromBits(b);
    const e = ulpError(f(x), ref(x));
    acc.count++;
    if (e > acc.max || Number.isNaN(e)) {
      acc.max = e;
      acc.argmax = x;
    }
  }
  return acc;
}

export { bitsOfF32, f32FromBits };

/** The float32 bits of f(x) for every x in xs. */
export function bitsOfAll(f: (x: number) => number, xs: Float32Array): Uint32Array {
  const out = new Uint32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = bitsOfF32(f(xs[i]!));
  return out;
}

/** n float32 inputs spread over all bit patterns (NaN and ±Inf included): bits (i * 2654435761) mod 2^32. */
export function spreadInputs(n: number): Float32Array {
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = f32FromBits(Math.imul(i, 2654435761) >>> 0);
  return xs;
}

/** FNV-1a hash of the result bits of f over spreadInputs(100_000): a golden value for regression tests. */
export function resultChecksum(f: (x: number) => number): string {
  const bits = bitsOfAll(f, spreadInputs(100_000));
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    for (let k = 0; k < 32; k += 8) h = Math.imul(h ^ ((b >>> k) & 0xff), 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
