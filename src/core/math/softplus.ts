// Float32 softplus log(1 + e^x) built from the engine's own exp and log1p cores, so the WGSL
// copy (dt_softplus in shaders/lib/math.wgsl) gives the same bits. Never overflows.
// Imports only src/core/math/*.
import { expCore, expCoreLo, expCoreN, pow2 } from './exp.ts';
import { bitsOfF32 } from './f32-bits.ts';
import { log1pCore } from './log.ts';

const fr = Math.fround;

/**
 * softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|) in float32. Max error see
 * softplus.test.ts (exhaustive measurement).
 * Special values: softplus(+Inf) = +Inf, softplus(-Inf) = +0, softplus(0) = ln 2 rounded,
 * x < -103.97 -> +0, NaN -> NaN.
 *
 * Steps (WGSL `dt_softplus`), ix = bits(x):
 *   1. (ix & 0x7fffffff) > 0x7f800000 -> NaN
 *   2. ph, pl, n = expCore(-|x|);  n1 = n >> 1;  s1 = 2^n1;  s2 = 2^(n - n1)
 *      wh = (ph*s1)*s2;  wl = (pl*s1)*s2                    (w = e^-|x| in [0, 1])
 *   3. L = log1pCore(wh, wl)
 *   4. x > 0 (ix in (0, 0x80000000)): return x + L;  else return L
 */
export function softplus32(x: number): number {
  const ix = bitsOfF32(x);
  if ((ix & 0x7fffffff) > 0x7f800000) return NaN;
  const ph = expCore(-Math.abs(fr(x)));
  const n1 = expCoreN >> 1;
  const s1 = pow2(n1);
  const s2 = pow2(expCoreN - n1);
  const wh = fr(fr(ph * s1) * s2);
  const wl = fr(fr(expCoreLo * s1) * s2);
  const l = log1pCore(wh, wl);
  if (ix !== 0 && ix < 0x80000000) return fr(fr(x) + l);
  return l;
}
