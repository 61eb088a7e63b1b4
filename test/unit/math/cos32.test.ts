/**
 * cos32 and pow32 (src/core/math/cos.ts, pow.ts), the host-side float32 functions of the
 * learning-rate schedules, against float64 Math.cos / Math.pow: sampled bounds matching the
 * documented measured errors (exhaustive runs gave 1.49 ulp / 1.31 * 2^-24 absolute for cos on
 * [0.5, pi]); special values; integer powers exact products rounded once.
 */
import { describe, expect, it } from 'vitest';
import { cos32, pow32 } from '../../../src/core/math/index.ts';
import { ulpError } from './ulp.ts';

const fr = Math.fround;

describe('cos32', () => {
  it('is within 1.5 ulp (|cos| >= 1e-3) and 1.32 * 2^-24 absolute on [0, pi] and [-8192, 8192]', () => {
    let ulp = 0;
    let abs = 0;
    const n = 1 << 18;
    for (const [lo, hi] of [[0, Math.PI], [-8192, 8192]]) {
      for (let i = 0; i <= n; i++) {
        const x = fr(lo + ((hi - lo) * i) / n);
        const r = Math.cos(x);
        const y = cos32(x);
        abs = Math.max(abs, Math.abs(y - r));
        if (Math.abs(r) >= 1e-3) ulp = Math.max(ulp, ulpError(y, r));
      }
    }
    expect(ulp).toBeLessThanOrEqual(1.5);
    expect(abs).toBeLessThanOrEqual(1.32 * 2 ** -24);
    expect(ulp).toBeGreaterThan(0); // the check measures something
  });

  it('special values: cos(0) = 1, even, NaN for NaN and infinities', () => {
    expect(cos32(0)).toBe(1);
    expect(cos32(-0)).toBe(1);
    expect(cos32(fr(Math.PI))).toBe(-1);
    expect(cos32(-1.25)).toBe(cos32(1.25));
    for (const x of [NaN, Infinity, -Infinity]) expect(cos32(x)).toBeNaN();
  });
});

describe('pow32', () => {
  it('integer exponents: the exact product rounded once', () => {
    expect(pow32(0.5, 3)).toBe(0.125);
    expect(pow32(fr(0.9), 2)).toBe(fr(fr(0.9) * fr(0.9)));
    expect(pow32(3, -2)).toBe(fr(1 / 9));
    expect(pow32(0, 0)).toBe(1);
    expect(pow32(7, 1)).toBe(7);
  });

  it('fractional exponents: within 12.5 ulp for |y ln x| <= 8; special cases', () => {
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = fr(0.01 + 0.99 * ((i * 0.6180339887) % 1));
      const y = fr(0.001 + 20 * ((i * 0.7548776662) % 1));
      if (Math.abs(y * Math.log(x)) > 8 || Number.isInteger(y)) continue;
      worst = Math.max(worst, ulpError(pow32(x, y), Math.pow(x, y)));
    }
    expect(worst).toBeLessThanOrEqual(12.5);
    expect(pow32(1, 0.3)).toBe(1);
    expect(pow32(0, 0.5)).toBe(0);
    expect(pow32(0, -0.5)).toBe(Infinity);
    expect(pow32(-2, 0.5)).toBeNaN();
  });
});
