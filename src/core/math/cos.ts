// Float32 cosine built only from rounded f32 + - *, floor and exact integer arithmetic (Cody-Waite
// reduction by pi/4 with a three-part constant and minimax polynomials on [-pi/4, pi/4], after
// Cephes cosf). Host-only for now (learning-rate schedules); it has no WGSL copy yet.
// Imports only src/core/math/*.

const fr = Math.fround;

const FOPI = fr(1.2732395447351628); // 4/pi
// pi/4 = DP1 + DP2 + DP3; DP1 (8 bits) and DP2 (12 bits) are short, so j*DP1 is exact and j*DP2 nearly so.
const DP1 = fr(0.78515625);
const DP2 = fr(2.4187564849853515625e-4);
const DP3 = fr(3.77489497744594108e-8);
// sin(r) ~ r + r z (S3 + z (S2 + z S1)), cos(r) ~ 1 - z/2 + z^2 (C3 + z (C2 + z C1)), z = r^2, |r| <= pi/4.
const S1 = fr(-1.9515295891e-4);
const S2 = fr(8.3321608736e-3);
const S3 = fr(-1.6666654611e-1);
const C1 = fr(2.443315711809948e-5);
const C2 = fr(-1.388731625493765e-3);
const C3 = fr(4.166664568298827e-2);

/**
 * cos(x) in float32 for |x| <= 8192 (beyond, the reduction loses accuracy; NaN for ±Infinity and NaN).
 * Measured error against float64 Math.cos: every float32 in [0.5, pi]: at most 1.49 ulp where |cos x| >= 1e-3
 * (worst at x = 1.3188164), absolute error at most 7.8e-8 = 1.31 * 2^-24 everywhere (near the zero at pi/2 the
 * result is tiny, so that absolute error is many of its ulps); 2^20 evenly spaced x in [0, 0.5): 0.63 ulp;
 * 2^20 in [-8192, 8192]: 1.50 ulp where |cos x| >= 1e-3, 7.7e-8 absolute (test/unit/math/cos32.test.ts samples these).
 *
 * Steps, every op rounded to f32:
 *   1. a = |x|;  j = floor(a * FOPI);  if j is odd: j += 1      (j is an exact small integer)
 *   2. r = ((a - j*DP1) - j*DP2) - j*DP3;  z = r*r;  q = j mod 8;  s = +1
 *   3. if q > 3: q -= 4, s = -s;  if q > 1: s = -s
 *   4. q == 1 or 2:  y = ((((S1*z + S2)*z + S3)*z)*r) + r
 *      else:         y = (((((C1*z + C2)*z + C3)*z)*z) - 0.5*z) + 1
 *   5. return s * y
 */
export function cos32(x: number): number {
  const a = Math.abs(fr(x));
  if (!Number.isFinite(a)) return NaN;
  let j = Math.floor(fr(a * FOPI));
  if (j % 2 === 1) j += 1;
  const y = j;
  let q = j % 8;
  let sign = 1;
  if (q > 3) {
    q -= 4;
    sign = -sign;
  }
  if (q > 1) sign = -sign;
  const r = fr(fr(fr(a - fr(y * DP1)) - fr(y * DP2)) - fr(y * DP3));
  const z = fr(r * r);
  let v: number;
  if (q === 1 || q === 2) {
    const p = fr(fr(fr(fr(S1 * z) + S2) * z) + S3);
    v = fr(fr(fr(p * z) * r) + r);
  } else {
    const p = fr(fr(fr(fr(C1 * z) + C2) * z) + C3);
    v = fr(fr(fr(fr(p * z) * z) - fr(0.5 * z)) + 1);
  }
  return sign < 0 ? -v : v;
}
