// Float32 error function erf built only from rounded f32 + - *, floor and bit operations (and the
// shared exp core), so the WGSL copy (dt_erf in shaders/lib/math.wgsl) gives the same bits.
// Imports only src/core/math/*.
import { expCore, expCoreOut, pow2 } from './exp.ts';
import { bitsOfF32, f32FromBits } from './f32-bits.ts';

const fr = Math.fround;

// erf(a) = a + a*P(a^2) on [0, 0.625): P(z) = S0 + z*(S1 + z*(S2 + z*(S3 + z*(S4 + z*S5)))),
// minimax for the relative error of erf (Lawson iteration in float64, coefficients rounded to
// f32), approximation error 1.7e-10 relative (0.003 ulp).
const S0 = f32FromBits(0x3e0375d4); // 0.12837917 (2/sqrt(pi) - 1)
const S1 = f32FromBits(0xbec093a2); // -0.37612635
const S2 = f32FromBits(0x3de71708); // 0.11283690
const S3 = f32FromBits(0xbcdbff15); // -0.026855031
const S4 = f32FromBits(0x3ba95c42); // 0.0051684687
const S5 = f32FromBits(0xba3e1bd4); // -0.00072520715
// erf(a) = 1 - e^R(a) on [0.625, 4): R(a) = L0 + a*(L1 + ... + a*L7) ~ log(erfc(a)), minimax for
// the absolute error of 1 - e^R in units of the result's ulp (weight erfc(a)), approximation error
// 0.004 ulp; the evaluation's rounding (R near -1) dominates the measured error.
const L0 = f32FromBits(0x38b1f519); // 8.4856707e-5
const L1 = f32FromBits(0xbf90843e); // -1.1290357
const L2 = f32FromBits(0xbf226938); // -0.63441801
const L3 = f32FromBits(0xbddb1995); // -0.10698239
const L4 = f32FromBits(0x3cc63f6e); // 0.024200168
const L5 = f32FromBits(0xbb786ea3); // -0.0037907741
const L6 = f32FromBits(0x39b7389b); // 3.4946654e-4
const L7 = f32FromBits(0xb75d2974); // -1.3182278e-5
const SMALL_END_BITS = 0x3f200000; // 0.625
const ONE_FROM_BITS = 0x40800000; // 4: erf rounds to 1 from 3.9192 on
const ONE_BITS = 0x3f800000;

/**
 * erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt in float32. Measured max error against a float64
 * reference (test/reference/erf64.ts), exhaustive over every positive float32 below 4 (scripts/erf-ulp-sweep.ts
 * in three ranges; negative x mirror them exactly, and from 4 on the result 1 is correctly rounded):
 * 1.2982 ulp at x = ±0.63725489 (the 1 - e^R branch, where R ~ -1 and its evaluation's rounding reaches
 * the result); below 0.625: 0.6973 ulp over [2^-30, 0.625) (at ±0.61802810), 0.5769 over [2^-99, 2^-30),
 * 0.7644 over the subnormals and [2^-126, 2^-99) (a*p rounds in the subnormal range, then a + a*p again).
 * Odd by construction (computed on |x|, sign bit copied back). Special values: erf(±0) = ±0,
 * tiny x -> x + x*S0 (S0 = 2/sqrt(pi) - 1), |x| >= 4 -> ±1 exactly (erf rounds to 1 from
 * 3.9192 on), erf(±Inf) = ±1, NaN -> NaN.
 *
 * Steps (WGSL `dt_erf`), ix = bits(x), sign = ix & 0x80000000, ax = ix & 0x7fffffff, a = bits^-1(ax):
 *   1. ax > 0x7f800000 -> NaN;  ax >= 0x40800000 (4) -> bits^-1(0x3f800000 | sign)
 *   2. if ax < 0x3f200000 (0.625): z = a*a;  p = S0 + z*(S1 + z*(S2 + z*(S3 + z*(S4 + z*S5))))
 *         y = a + a*p          (WGSL: this product and sum through dt_mul_bits / dt_add_bits, so a
 *                               driver that flushes subnormals still gives IEEE results for tiny a)
 *      else: r = L0 + a*(L1 + a*(L2 + a*(L3 + a*(L4 + a*(L5 + a*(L6 + a*L7))))))   (r in [-18, -0.97])
 *            ph, pl, n = expCore(r);  s = 2^n (n in [-26, -1]);  wh = ph*s;  wl = pl*s  (exact)
 *            nh = [opaque](1 - wh);  nl = ((1 - nh) - wh) - wl   (Fast2Sum: 1 - w = nh + nl)
 *            y = nh + nl
 *      ([opaque]: WGSL dt_opaque, see exp.ts expCore)
 *   3. return bits^-1(bits(y) | sign)   (y >= 0, so TS writes it as sign ? -y : y)
 */
export function erf32(x: number): number {
  const ix = bitsOfF32(x);
  const ax = ix & 0x7fffffff;
  if (ax > 0x7f800000) return NaN;
  const sign = ix & 0x80000000;
  if (ax >= ONE_FROM_BITS) return f32FromBits(ONE_BITS | sign);
  const a = f32FromBits(ax);
  let y: number;
  if (ax < SMALL_END_BITS) {
    const z = fr(a * a);
    const p = fr(S0 + fr(z * fr(S1 + fr(z * fr(S2 + fr(z * fr(S3 + fr(z * fr(S4 + fr(z * S5))))))))));
    y = fr(a + fr(a * p));
  } else {
    const r = fr(L0 + fr(a * fr(L1 + fr(a * fr(L2 + fr(a * fr(L3 + fr(a * fr(L4 + fr(a * fr(L5 + fr(a * fr(L6 + fr(a * L7))))))))))))));
    const ph = expCore(r);
    const s = pow2(expCoreOut[1]!);
    const wh = fr(ph * s);
    const wl = fr(expCoreOut[0]! * s);
    const nh = fr(1 - wh);
    const nl = fr(fr(fr(1 - nh) - wh) - wl);
    y = fr(nh + nl);
  }
  return sign === 0 ? y : -y;
}
