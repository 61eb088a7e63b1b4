// Float32 hyperbolic tangent built only from rounded f32 + - * /, floor and bit operations, so
// the WGSL copy (dt_tanh in shaders/lib/math.wgsl) gives the same bits.
// Imports only src/core/math/*.
import { divDD } from './dd.ts';
import { expCore, expCoreOut, pow2 } from './exp.ts';
import { bitsOfF32, f32FromBits } from './f32-bits.ts';

const fr = Math.fround;

// tanh(a) = a + a*z*P(z), z = a^2, P(z) = T0 + z*(T1 + z*(T2 + z*T3)) on a in [0, 0.3]:
// minimax for relative error of tanh, approximation error 1.1e-10 relative (0.002 ulp).
const T0 = f32FromBits(0xbeaaaaa9); // -0.33333331
const T1 = f32FromBits(0x3e08877a); // 0.13333693
const T2 = f32FromBits(0xbd5c7eb7); // -0.053831540
const T3 = f32FromBits(0x3ca41a5d); // 0.020031145
const POLY_END_BITS = 0x3e99999a; // 0.3: below it the polynomial, from it (1 - w)/(1 + w), w = e^(-2a)
const ONE_BITS = 0x3f800000;

/**
 * tanh(x) in float32. Measured max error over every float32 input (exhaustive, float64
 * reference): 0.6454 ulp, at x = ±0.50312412.
 * Odd by construction (computed on |x|, sign bit copied back). Special values: tanh(±0) = ±0,
 * |x| < 2^-12 -> x, |x| >= 10 -> ±1 exactly (tanh rounds to 1 from 9.01), tanh(±Inf) = ±1, NaN -> NaN.
 *
 * Steps (WGSL `dt_tanh`), ix = bits(x), sign = ix & 0x80000000, ax = ix & 0x7fffffff, a = bits^-1(ax):
 *   1. ax > 0x7f800000 -> NaN;  ax >= 0x41200000 (10) -> bits^-1(0x3f800000 | sign);  ax < 0x39800000 (2^-12) -> x
 *   2. if ax < 0x3e99999a (0.3): z = a*a;  y = a + a*(z*(T0 + z*(T1 + z*(T2 + z*T3))))
 *      else: ph, pl, n = expCore(-2*a);  n1 = n >> 1;  s1 = 2^n1;  s2 = 2^(n - n1)
 *            wh = (ph*s1)*s2;  wl = (pl*s1)*s2               (w = e^(-2a) in (2e-9, 0.55], exact scaling)
 *            nh = [opaque](1 - wh);  nl = ((1 - nh) - wh) - wl   (Fast2Sum: 1 - w = nh + nl)
 *            dh = [opaque](1 + wh);  dl = (wh - (dh - 1)) + wl   (Fast2Sum: 1 + w = dh + dl)
 *            ([opaque]: WGSL dt_opaque, see exp.ts expCore)
 *            y = divDD(nh, nl, dh, dl)
 *   3. return bits^-1(bits(y) | sign)   (y > 0, so TS writes it as sign ? -y : y)
 */
export function tanh32(x: number): number {
  const ix = bitsOfF32(x);
  const ax = ix & 0x7fffffff;
  if (ax > 0x7f800000) return NaN;
  const sign = ix & 0x80000000;
  if (ax >= 0x41200000) return f32FromBits(ONE_BITS | sign);
  if (ax < 0x39800000) return fr(x);
  const a = f32FromBits(ax);
  let y: number;
  if (ax < POLY_END_BITS) {
    const z = fr(a * a);
    const p = fr(T0 + fr(z * fr(T1 + fr(z * fr(T2 + fr(z * T3))))));
    y = fr(a + fr(a * fr(z * p)));
  } else {
    const ph = expCore(fr(-2 * a));
    const n = expCoreOut[1]!;
    const n1 = n >> 1;
    const s1 = pow2(n1);
    const s2 = pow2(n - n1);
    const wh = fr(fr(ph * s1) * s2);
    const wl = fr(fr(expCoreOut[0]! * s1) * s2);
    const nh = fr(1 - wh);
    const nl = fr(fr(fr(1 - nh) - wh) - wl);
    const dh = fr(1 + wh);
    const dl = fr(fr(wh - fr(dh - 1)) + wl);
    y = divDD(nh, nl, dh, dl);
  }
  return sign === 0 ? y : -y;
}
