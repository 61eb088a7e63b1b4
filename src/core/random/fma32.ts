/**
 * Exact single-rounding float32 fused multiply-add, fma32(a, b, c) = f32(a*b + c), as C `fmaf` computes it.
 * Needed wherever XLA:CPU contracts a float32 multiply-add into a hardware FMA (spec §4.4, §4.7).
 * Part of src/core: imports nothing outside src/core.
 */

const FLT_MAX = 3.4028234663852886e38; // (2 - 2^-23) * 2^127
const OVERFLOW_THRESHOLD = 3.4028235677973366e38; // 2^128 - 2^103

/**
 * f32(a*b + c) with one rounding (round to nearest, ties to even). a, b, c must be float32 values
 * (results of Math.fround); other inputs are rounded to float32 first.
 *
 * Method: a*b of two float32 values has at most 48 significant bits, so the float64 product p is exact, and
 * s = fl64(p + c) is within half a float64 ulp of the exact sum v. Then Math.fround(s) is already RN32(v) unless
 * s is exactly halfway between two float32 values (every float32 midpoint is a float64, so a v on the other side
 * of a midpoint would have rounded to the midpoint, not past it). Only in that case is the TwoSum error
 * e = v - s needed: e > 0 rounds up, e < 0 rounds down, e = 0 is a true tie (ties to even, as fround does).
 * (Equivalent to rounding v to float64 "to odd" and then to float32; checked against C fmaf on 4M triples.)
 */
export function fma32(a: number, b: number, c: number): number {
  a = Math.fround(a);
  b = Math.fround(b);
  c = Math.fround(c);
  const p = a * b; // exact (|p| < 2^256, at most 48 significant bits)
  const s = p + c;
  const r = Math.fround(s);
  if (r === s || !Number.isFinite(s)) return r;
  let o: number; // the other float32 neighbour of s when s is a midpoint
  if (Number.isFinite(r)) {
    o = 2 * s - r; // exact
    if (Math.fround(o) !== o) return r; // s is not a float32 midpoint: no double-rounding hazard
  } else {
    // Overflow: the only midpoint is the rounding threshold 2^128 - 2^103, between FLT_MAX and "2^128" (inf).
    if (Math.abs(s) !== OVERFLOW_THRESHOLD) return r;
    o = s > 0 ? FLT_MAX : -FLT_MAX;
  }
  const bv = s - p;
  const e = (p - (s - bv)) + (c - bv);
  if (e === 0) return r;
  return (e > 0) === (o > r) ? o : r;
}
