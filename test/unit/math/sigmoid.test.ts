// Accuracy, special values, symmetry, monotonicity and determinism of sigmoid32
// (src/core/math/sigmoid.ts) against the float64 reference.
// Exhaustive maxima (test/unit/math/exhaustive.ts) are in the JSDoc.
import { describe, expect, it } from 'vitest';
import { sigmoid32 } from '../../../src/core/math/index.ts';
import { REF, bitsOfAll, f32FromBits, resultChecksum, spreadInputs, sweepBits, sweepRandom } from './ulp.ts';

const SIGMOID_MAX = 0.78; // exhaustive over 2^-26 <= |x| <= 104: 0.7791 (subnormal result)
const NEG = 0x80000000;
const TINY = 0x32800000; // 2^-26

describe('sigmoid32', () => {
  it('max error over every 256th float32 in [-104, -2^-26] and [2^-26, 18], every 4096th elsewhere, 0.5M random', () => {
    // for |x| < 2^-26 the result is 0.5, above 18 it is 1, below -104 it is 0: sampled coarsely
    const acc = sweepBits(sigmoid32, REF.sigmoid, 0, 0x7f800000, 4096);
    sweepBits(sigmoid32, REF.sigmoid, TINY, 0x41900000, 256, acc);
    sweepBits(sigmoid32, REF.sigmoid, NEG, 0xff800000, 4096, acc);
    sweepBits(sigmoid32, REF.sigmoid, NEG + TINY, NEG + 0x42d00001, 256, acc);
    sweepRandom(sigmoid32, REF.sigmoid, NEG + 0x38000000, NEG + 0x42d00000, 250_000, 10, acc);
    sweepRandom(sigmoid32, REF.sigmoid, 0x38000000, 0x41a00000, 250_000, 11, acc);
    console.log(`sigmoid32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(SIGMOID_MAX);
  });

  it('special values', () => {
    expect(sigmoid32(0)).toBe(0.5);
    expect(sigmoid32(-0)).toBe(0.5);
    expect(sigmoid32(Infinity)).toBe(1);
    expect(sigmoid32(-Infinity)).toBe(0);
    expect(Object.is(sigmoid32(-Infinity), 0)).toBe(true);
    expect(sigmoid32(NaN)).toBeNaN();
    expect(sigmoid32(f32FromBits(0x7fc00001))).toBeNaN();
    expect(sigmoid32(17.5)).toBe(1);
    expect(sigmoid32(3e38)).toBe(1);
    expect(sigmoid32(-3e38)).toBe(0);
    expect(sigmoid32(-104)).toBe(0);
    expect(sigmoid32(-100)).toBe(Math.fround(Math.exp(-100))); // subnormal, = e^x to float32
    expect(sigmoid32(16)).toBeLessThan(1);
  });

  it('sigmoid(-x) = 1 - sigmoid(x) to within float32 rounding', () => {
    let worst = 0;
    for (let i = 0; i < 300_000; i++) {
      const x = Math.fround(((i * 0.618034) % 1) * 40 - 20);
      const d = Math.abs(sigmoid32(-x) + sigmoid32(x) - 1);
      if (d > worst) worst = d;
    }
    expect(worst).toBeLessThanOrEqual(2 ** -23); // each side within 0.78 ulp
  });

  it('is monotonic on dense runs and deterministic', () => {
    let violations = 0;
    for (const start of [0x00000000, 0x3f000000, 0x41800000, 0x80000001, 0xbf000000, 0xc1800000, 0xc2ae0000]) {
      const neg = start >= NEG;
      let prev = sigmoid32(f32FromBits(start));
      for (let b = start + 1; b < start + 150_000; b++) {
        const y = sigmoid32(f32FromBits(b));
        if (neg ? y > prev : y < prev) violations++;
        prev = y;
      }
    }
    expect(violations).toBe(0);
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(sigmoid32, xs)).toEqual(bitsOfAll(sigmoid32, xs));
    expect(resultChecksum(sigmoid32)).toBe('c66ff6d0'); // golden; see exp.test.ts
  });
});
