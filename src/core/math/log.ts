// Float32 natural log and log1p built only from rounded f32 + - * /, exact int<->float
// conversions and bit operations, so the WGSL copies (dt_log, dt_log1p in shaders/lib/math.wgsl)
// give the same bits. Also exports log1pCore (input given as hi + lo) for softplus.
// Imports only src/core/math/*.
import { bitsOfF32, f32FromBits } from './f32-bits.ts';

const fr = Math.fround;

const LN2HI = f32FromBits(0x3f317200); // 0.693145752: 15 significant bits, so k*LN2HI is exact for |k| < 512
const LN2LO = f32FromBits(0x35bfbe8e); // 1.42860677e-6 = ln2 - LN2HI rounded
// log(1+f) = 2 atanh(s) = 2s + s*R(z), s = f/(2+f), z = s^2, R(z) ~ z*(L1 + z*(L2 + z*L3)) on
// z in [0, 0.0300] (|s| <= 3 - 2*sqrt(2)): minimax, approximation error 8.8e-10 absolute in R
// (contributes < 0.01 ulp).
const L1 = f32FromBits(0x3f2aaabe); // 0.66666782
const L2 = f32FromBits(0x3eccae25); // 0.39976612
const L3 = f32FromBits(0x3e9914c4); // 0.29898655
// Mantissa reduction: adding 0x3f800000 - 0x3f3504f3 to the bits moves m in [sqrt(2)/2, sqrt(2))
// to exponent k; (bits & 0x7fffff) + 0x3f3504f3 then gives back m in that interval.
const SQRT_HALF_BITS = 0x3f3504f3; // 0.70710677 = sqrt(1/2) rounded
const K_SHIFT = 0x3f800000 - SQRT_HALF_BITS; // 0x004afb0d

/**
 * log(1+f) + k*ln2 + c for f in [sqrt(2)/2 - 1, sqrt(2) - 1] (slightly beyond is fine),
 * k an integer (as a float), c a small correction term.
 * Steps (WGSL `dt_log_core`; every op rounded to f32):
 *   s = f / (2 + f);  z = s*s;  R = z*(L1 + z*(L2 + z*L3));  hfsq = 0.5*(f*f)
 *   return (((s*(hfsq + R) + (k*LN2LO + c)) - hfsq) + f) + k*LN2HI
 * (Exact identity: f - f^2/2 + s*f^2/2 = 2s, so this is 2s + s*R + k*ln2 + c with small rounding.)
 */
function logCore(f: number, dk: number, c: number): number {
  const s = fr(f / fr(2 + f));
  const z = fr(s * s);
  const r = fr(z * fr(L1 + fr(z * fr(L2 + fr(z * L3)))));
  const hfsq = fr(0.5 * fr(f * f));
  const t = fr(fr(s * fr(hfsq + r)) + fr(fr(dk * LN2LO) + c));
  return fr(fr(fr(t - hfsq) + f) + fr(dk * LN2HI));
}

/**
 * Natural logarithm in float32. Measured max error over every positive float32 (exhaustive,
 * subnormals included, float64 reference): 0.8399 ulp, at x = 1.4133185.
 * Special values: log(±0) = -Inf, log(x < 0) = NaN, log(-Inf) = NaN, log(+Inf) = +Inf,
 * log(NaN) = NaN, log(1) = +0 exactly.
 *
 * Steps (WGSL `dt_log`), ix = bits(x):
 *   1. ix == 0 or 0x80000000 -> -Inf;  ix >= 0x7f800000 (NaN, +Inf, any negative) -> x if +Inf else NaN
 *   2. if ix < 0x00800000 (subnormal, integer-only so a flush-to-zero device agrees):
 *        p = 31 - clz(ix) (position of the leading 1);  ix = ((ix << (23 - p)) & 0x7fffff) | 0x3f800000;
 *        kb = p - 149;  else kb = 0
 *   3. iu = ix + 0x004afb0d;  k = i32(iu >> 23) - 127 + kb;  f = f32(bits((iu & 0x7fffff) + 0x3f3504f3)) - 1
 *   4. return logCore(f, f32(k), 0)
 */
export function log32(x: number): number {
  let ix = bitsOfF32(x);
  if ((ix & 0x7fffffff) === 0) return -Infinity;
  if (ix >= 0x7f800000) return ix === 0x7f800000 ? Infinity : NaN;
  let kb = 0;
  if (ix < 0x00800000) {
    const p = 31 - Math.clz32(ix);
    ix = ((ix << (23 - p)) & 0x7fffff) | 0x3f800000;
    kb = p - 149;
  }
  const iu = ix + K_SHIFT;
  const k = (iu >>> 23) - 127 + kb;
  const f = fr(f32FromBits((iu & 0x7fffff) + SQRT_HALF_BITS) - 1);
  return logCore(f, k, 0);
}

/**
 * log(1 + (xh + xl)) for xh > -1 finite (not NaN, not ±Inf) and |xl| <= 2^-23 |xh|.
 * Steps (WGSL `dt_log1p_core`):
 *   1. u = [opaque](1 + xh);  bb = [opaque](u - 1);  err = (1 - (u - bb)) + (xh - bb)   (TwoSum, exact)
 *      ([opaque]: the WGSL copy passes the value through dt_opaque, see exp.ts expCore)
 *   2. iu = bits(u) + 0x004afb0d;  k = i32(iu >> 23) - 127
 *   3. if k == 0:  f = xh;  c = xl / u
 *      else:       f = f32(bits((iu & 0x7fffff) + 0x3f3504f3)) - 1;  c = (err + xl) / u
 *   4. return logCore(f, f32(k), c)
 * @internal
 */
export function log1pCore(xh: number, xl: number): number {
  const u = fr(1 + xh);
  const iu = bitsOfF32(u) + K_SHIFT;
  const k = (iu >>> 23) - 127;
  if (k === 0) return logCore(xh, 0, fr(xl / u));
  const bb = fr(u - 1);
  const err = fr(fr(1 - fr(u - bb)) + fr(xh - bb));
  const f = fr(f32FromBits((iu & 0x7fffff) + SQRT_HALF_BITS) - 1);
  return logCore(f, k, fr(fr(err + xl) / u));
}

/**
 * log(1 + x) in float32, accurate near 0. Measured max error (float64 reference), exhaustive
 * over every float32 x > -1 with |x| >= 2^-25 (below, x is returned, the correctly rounded
 * result): 0.8399 ulp for x > 0 (at x = 0.41331851), 0.8264 ulp for x < 0.
 * Special values: log1p(±0) = ±0 (sign kept; |x| < 2^-24 returns x), log1p(-1) = -Inf,
 * log1p(x < -1) = NaN, log1p(-Inf) = NaN, log1p(+Inf) = +Inf, NaN -> NaN.
 *
 * Steps (WGSL `dt_log1p`), ix = bits(x):
 *   1. ix == 0xbf800000 -> -Inf;  ix > 0xbf800000 (x < -1, -Inf, negative NaN) or +NaN -> NaN;  +Inf -> +Inf
 *   2. |x| < 2^-24 (bits & 0x7fffffff < 0x33800000) -> x
 *   3. return log1pCore(x, 0)
 */
export function log1p32(x: number): number {
  const ix = bitsOfF32(x);
  if (ix >= 0x7f800000) {
    if (ix === 0x7f800000) return Infinity;
    if (ix === 0xbf800000) return -Infinity;
    if (ix > 0xbf800000 || ix < 0x80000000) return NaN;
  }
  if ((ix & 0x7fffffff) < 0x33800000) return fr(x);
  return log1pCore(fr(x), 0);
}
