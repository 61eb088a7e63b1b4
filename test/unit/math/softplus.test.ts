// Accuracy, special values, monotonicity and determinism of softplus32 (src/core/math/softplus.ts)
// against the float64 reference. Exhaustive maximum (test/unit/math/exhaustive.ts) is in the JSDoc.
import { describe, expect, it } from 'vitest';
import { softplus32 } from '../../../src/core/math/index.ts';
import { REF, bitsOfAll, f32FromBits, resultChecksum, spreadInputs, sweepBits, sweepRandom } from './ulp.ts';

const SOFTPLUS_MAX = 1.21; // exhaustive over 2^-26 <= |x| <= 104: 1.2013
const NEG = 0x80000000;
const TINY = 0x32800000; // 2^-26

describe('softplus32', () => {
  it('max error over every 256th float32 in [-104, -2^-26] and [2^-26, 18], every 4096th elsewhere, 0.5M random', () => {
    const acc = sweepBits(softplus32, REF.softplus, 0, 0x7f800000, 4096);
    sweepBits(softplus32, REF.softplus, TINY, 0x41900000, 256, acc);
    sweepBits(softplus32, REF.softplus, NEG, 0xff800000, 4096, acc);
    sweepBits(softplus32, REF.softplus, NEG + TINY, NEG + 0x42d00001, 256, acc);
    sweepRandom(softplus32, REF.softplus, NEG + 0x38000000, NEG + 0x42d00000, 250_000, 12, acc);
    sweepRandom(softplus32, REF.softplus, 0x38000000, 0x41a00000, 250_000, 13, acc);
    console.log(`softplus32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(SOFTPLUS_MAX);
  });

  it('special values, monotonicity and determinism', () => {
    expect(softplus32(0)).toBe(Math.fround(Math.LN2));
    expect(softplus32(-0)).toBe(Math.fround(Math.LN2));
    expect(softplus32(Infinity)).toBe(Infinity);
    expect(softplus32(-Infinity)).toBe(0);
    expect(softplus32(NaN)).toBeNaN();
    expect(softplus32(3e38)).toBe(3e38 === Math.fround(3e38) ? 3e38 : Math.fround(3e38));
    expect(softplus32(-104)).toBe(0);
    expect(softplus32(100)).toBe(100);
    let violations = 0;
    for (const start of [0x00000000, 0x3f000000, 0x80000001, 0xbf000000, 0xc1800000]) {
      const neg = start >= NEG;
      let prev = softplus32(f32FromBits(start));
      for (let b = start + 1; b < start + 100_000; b++) {
        const y = softplus32(f32FromBits(b));
        if (neg ? y > prev : y < prev) violations++;
        prev = y;
      }
    }
    expect(violations).toBe(0);
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(softplus32, xs)).toEqual(bitsOfAll(softplus32, xs));
    expect(resultChecksum(softplus32)).toBe('0ec06657'); // golden; see exp.test.ts
  });
});
