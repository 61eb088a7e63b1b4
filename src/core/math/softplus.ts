// Float32 softplus log(1 + e^x) built from the engine's own exp and log1p cores, so the WGSL
// copy (dt_softplus in shaders/lib/math.wgsl) gives the same bits. Never overflows.
// Imports only src/core/math/*.
import { expCore, expCoreOut, pow2 } from './exp.ts';
import { bitsOfF32 } from './f32-bits.ts';
import { log1pCore } from './log.ts';

const fr = Math.fround;

/**
 * softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|) in float32. Measured max error
 * (float64 reference), exhaustive over every float32 with 2^-26 <= |x| <= 104 (outside: ln 2,
 * x, or e^x, sampled): 1.2013 ulp for x > 0 (at x = 0.34479389: the rounding of log1p adds to the
 * final rounding of x + log1p), 0.8799 ulp for x < 0.
 * Special values: softplus(+Inf) = +Inf, softplus(-Inf) = +0, softplus(0) = ln 2 rounded,
 * x < -103.97 -> +0, NaN -> NaN.
 *
 * Steps (WGSL `dt_softplus`), ix = bits(x):
 *   1. (ix & 0x7fffffff) >= 0x7f800000: +Inf -> +Inf, -Inf -> +0, NaN -> NaN
 *   2. ph, pl, n = expCore(-|x|);  n1 = n >> 1;  s1 = 2^n1;  s2 = 2^(n - n1)
 *      wh = (ph*s1)*s2;  wl = (pl*s1)*s2                    (w = e^-|x| in [0, 1])
 *   3. L = log1pCore(wh, wl)
 *   4. x > 0 (ix in (0, 0x80000000)): return x + L;  else return L
 */
export function softplus32(x: number): number {
  const ix = bitsOfF32(x);
  if ((ix & 0x7fffffff) >= 0x7f800000) return ix === 0x7f800000 ? Infinity : ix === 0xff800000 ? 0 : NaN;
  const ph = expCore(-Math.abs(fr(x)));
  const n = expCoreOut[1]!;
  const n1 = n >> 1;
  const s1 = pow2(n1);
  const s2 = pow2(n - n1);
  const wh = fr(fr(ph * s1) * s2);
  const wl = fr(fr(expCoreOut[0]! * s1) * s2);
  const l = log1pCore(wh, wl);
  if (ix !== 0 && ix < 0x80000000) return fr(fr(x) + l);
  return l;
}
