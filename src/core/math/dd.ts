// Double-float32 helpers for the engine's float32 math: an exact product error and an
// accurately rounded quotient of two unevaluated sums (hi + lo), built only from rounded f32
// + - * / and exact bit masks, so the WGSL copy (shaders/lib/math.wgsl) gives the same bits.
// Imports only src/core/math/f32-bits.ts.
import { bitsOfF32, f32FromBits } from './f32-bits.ts';

const fr = Math.fround;

/**
 * Quotient (ah + al) / (bh + bl), rounded to float32 with error ~0.5 ulp + 2^-40 relative.
 * Preconditions (callers guarantee them): ah, bh normal and within [2^-4, 2^4]; |al| <= 2^-20 |ah|;
 * |bl| <= 2^-20 |bh|; `/` is correctly rounded (the WebGPU backend self-tests this).
 *
 * Steps (the WGSL `dt_div_dd` performs exactly these, every op rounded to f32):
 *   1. q = [opaque](ah / bh)     ([opaque]: WGSL dt_opaque, an identity the compiler cannot see through)
 *   2. p = q * bh
 *   3. qh = bits(q) & 0xfffff000; ql = q - qh;  bhh = bits(bh) & 0xfffff000; bhl = bh - bhh   (exact splits)
 *   4. perr = (((qh*bhh - p) + qh*bhl) + ql*bhh) + ql*bhl     (exact: q*bh = p + perr, Dekker)
 *   5. rho = (((ah - p) - perr) + al) - q*bl                  (ah - q*bh is exact for a correctly rounded q)
 *   6. return q + rho / bh
 */
export function divDD(ah: number, al: number, bh: number, bl: number): number {
  const q = fr(ah / bh);
  const p = fr(q * bh);
  const qh = f32FromBits(bitsOfF32(q) & 0xfffff000);
  const ql = fr(q - qh);
  const bhh = f32FromBits(bitsOfF32(bh) & 0xfffff000);
  const bhl = fr(bh - bhh);
  const perr = fr(fr(fr(fr(fr(qh * bhh) - p) + fr(qh * bhl)) + fr(ql * bhh)) + fr(ql * bhl));
  const rho = fr(fr(fr(fr(ah - p) - perr) + al) - fr(q * bl));
  return fr(q + fr(rho / bh));
}
