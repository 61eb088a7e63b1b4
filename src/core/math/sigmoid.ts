// Float32 logistic sigmoid 1 / (1 + e^-x) built only from rounded f32 + - * /, floor and bit
// operations, so the WGSL copy (dt_sigmoid in shaders/lib/math.wgsl) gives the same bits.
// Never overflows: e^-|x| <= 1 is the only exponential taken. Imports only src/core/math/*.
import { divDD } from './dd.ts';
import { expCore, expCoreOut, pow2 } from './exp.ts';
import { bitsOfF32 } from './f32-bits.ts';

const fr = Math.fround;

/**
 * Logistic sigmoid 1 / (1 + e^-x) in float32. Measured max error (float64 reference), exhaustive
 * over every float32 with 2^-26 <= |x| <= 104 (outside, the result is 0.5, 0 or 1 and sampled):
 * 0.5407 ulp for x > 0 (at x = 0.34354746); 0.7791 ulp for x < 0, at x = -87.71021, a subnormal
 * result (rounded twice).
 * Special values: sigmoid(+Inf) = 1, sigmoid(-Inf) = +0, sigmoid(0) = 0.5, x >= 17.33 -> 1,
 * x < -103.97 -> +0, NaN -> NaN.
 *
 * Steps (WGSL `dt_sigmoid`), ix = bits(x):
 *   1. (ix & 0x7fffffff) >= 0x7f800000: +Inf -> 1, -Inf -> +0, NaN -> NaN
 *   2. ph, pl, n = expCore(-|x|);  n1 = n >> 1;  s1 = 2^n1;  s2 = 2^(n - n1)
 *      wh = (ph*s1)*s2;  wl = (pl*s1)*s2                    (w = e^-|x| in [0, 1])
 *   3. dh = [opaque](1 + wh);  dl = (wh - (dh - 1)) + wl    (Fast2Sum; [opaque]: WGSL dt_opaque, see expCore)
 *   4. x >= 0 (sign bit clear): return divDD(1, 0, dh, dl)
 *      x < 0:                   return (divDD(ph, pl, dh, dl) * s1) * s2
 *      (the quotient is computed at scale ~1 and scaled by 2^n last, one rounding into subnormals)
 */
export function sigmoid32(x: number): number {
  const ix = bitsOfF32(x);
  if ((ix & 0x7fffffff) >= 0x7f800000) return ix === 0x7f800000 ? 1 : ix === 0xff800000 ? 0 : NaN;
  const ph = expCore(-Math.abs(fr(x)));
  const pl = expCoreOut[0]!;
  const n = expCoreOut[1]!;
  const n1 = n >> 1;
  const s1 = pow2(n1);
  const s2 = pow2(n - n1);
  const wh = fr(fr(ph * s1) * s2);
  const wl = fr(fr(pl * s1) * s2);
  const dh = fr(1 + wh);
  const dl = fr(fr(wh - fr(dh - 1)) + wl);
  if (ix < 0x80000000) return divDD(1, 0, dh, dl);
  return fr(fr(divDD(ph, pl, dh, dl) * s1) * s2);
}
