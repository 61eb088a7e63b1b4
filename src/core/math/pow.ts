// Float32 power x^y for the host-side scalars of optimizers and learning-rate schedules, from the
// engine's own exp32 and log32 (so no platform Math.pow is involved): an integer exponent by exact
// binary exponentiation in float64 rounded once, any other as exp32(y * log32(x)).
// Imports only src/core/math/*.
import { exp32 } from './exp.ts';
import { log32 } from './log.ts';

const fr = Math.fround;

/** x^n for an integer n >= 0 by binary exponentiation in float64 (a fixed, platform-independent sequence). */
export function powIntF64(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) result *= base;
    base *= base;
    e = Math.floor(e / 2);
  }
  return result;
}

/**
 * x^y in float32 (x and y are rounded to float32 first).
 *   y an integer with |y| <= 2^24: f32(powIntF64(x, |y|)), or f32(1 / that) for y < 0 (within 1 ulp; exact for
 *     y = 0, 1 and for exact powers);
 *   otherwise: x == 1 -> 1; x == 0 -> (y > 0 ? 0 : +Infinity); x < 0 or NaN -> NaN;
 *     else exp32(f32(y * log32(x))). log32's 0.84 ulp and the product's rounding are multiplied by |y ln x| in the
 *     result: measured at most 12.2 ulp (7e-7 relative) against float64 Math.pow over 200000 pairs with
 *     |y ln x| <= 8, x in [0.01, 1] (test/unit/math/cos32.test.ts); a correctly rounded powf would be within 0.5.
 */
export function pow32(x: number, y: number): number {
  const a = fr(x);
  const b = fr(y);
  if (Number.isNaN(a) || Number.isNaN(b)) return b === 0 ? 1 : NaN;
  if (Number.isInteger(b) && Math.abs(b) <= 2 ** 24) {
    const p = powIntF64(a, Math.abs(b));
    return b < 0 ? fr(1 / p) : fr(p);
  }
  if (a === 1) return 1;
  if (a === 0) return b > 0 ? 0 : Infinity;
  if (a < 0) return NaN;
  return exp32(fr(b * log32(a)));
}
