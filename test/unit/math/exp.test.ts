// Accuracy, special values, monotonicity and determinism of exp32 and expm1_32 (src/core/math/exp.ts)
// against float64 references. Exhaustive maxima (test/unit/math/exhaustive.ts) are in the JSDoc.
import { describe, expect, it } from 'vitest';
import { exp32, expm1_32 } from '../../../src/core/math/index.ts';
import { REF, bitsOfAll, f32FromBits, resultChecksum, spreadInputs, sweepBits, sweepRandom } from './ulp.ts';

const NEG = 0x80000000;
const TINY = 0x32800000; // 2^-26
const EXPM1_MAX = 1.21; // exhaustive over 2^-26 <= |x| <= 104: 1.2020

describe('exp32', () => {
  it('max error over every 64th float32 in [-104, 89] with |x| >= 2^-26 and 0.5M random inputs', () => {
    // below 2^-26 the result is exactly 1: sampled every 4096th pattern only
    const acc = sweepBits(exp32, REF.exp, 0, TINY, 4096);
    sweepBits(exp32, REF.exp, TINY, 0x42b20001, 64, acc); // [2^-26, 89]
    sweepBits(exp32, REF.exp, NEG, NEG + TINY, 4096, acc);
    sweepBits(exp32, REF.exp, NEG + TINY, NEG + 0x42d00001, 64, acc); // [-104, -2^-26]
    sweepRandom(exp32, REF.exp, NEG, NEG + 0x42d00001, 250_000, 1, acc);
    sweepRandom(exp32, REF.exp, 0, 0x42b20001, 250_000, 2, acc);
    console.log(`exp32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(0.78); // exhaustive: 0.7791 (subnormal result)
  });

  it('special values', () => {
    expect(exp32(0)).toBe(1);
    expect(exp32(-0)).toBe(1);
    expect(exp32(-Infinity)).toBe(0);
    expect(Object.is(exp32(-Infinity), 0)).toBe(true);
    expect(exp32(Infinity)).toBe(Infinity);
    expect(exp32(NaN)).toBeNaN();
    expect(exp32(f32FromBits(0x7f800001))).toBeNaN();
    expect(exp32(f32FromBits(0xffc00000))).toBeNaN();
    expect(exp32(89)).toBe(Infinity);
    expect(exp32(f32FromBits(0x42b17218))).toBe(Math.fround(Math.exp(f32FromBits(0x42b17218)))); // 88.72283: largest finite
    expect(exp32(f32FromBits(0x42b17218 + 1))).toBe(Infinity);
    expect(exp32(3e38)).toBe(Infinity);
    expect(exp32(-3e38)).toBe(0);
    expect(exp32(-104)).toBe(0);
    expect(exp32(-103.9)).toBe(2 ** -149); // smallest subnormal
    expect(exp32(1)).toBe(Math.fround(Math.E));
    // subnormal results: correctly rounded from the f32 core (checked against the reference)
    for (const x of [-87.5, -90, -95, -100, -103]) {
      const y = exp32(x);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(2 ** -126);
      expect(Math.abs(y - Math.exp(x))).toBeLessThanOrEqual(0.78 * 2 ** -149);
    }
  });

  it('is monotonic on dense runs of consecutive floats', () => {
    let violations = 0;
    for (const start of [0x3e000000, 0x3f300000, 0x42b00000, 0xc2ae0000, 0xc2c00000, 0xbf300000, 0x33000000]) {
      let prev = exp32(f32FromBits(start));
      const sign = start >= NEG ? -1 : 1;
      for (let b = start + 1; b < start + 200_000; b++) {
        const y = exp32(f32FromBits(b));
        if (sign > 0 ? y < prev : y > prev) violations++;
        prev = y;
      }
    }
    expect(violations).toBe(0);
  });

  it('is deterministic: same bits on every call, and the recorded checksum', () => {
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(exp32, xs)).toEqual(bitsOfAll(exp32, xs));
    // golden: changing the algorithm changes this, and shaders/lib/math.wgsl must change with it
    expect(resultChecksum(exp32)).toBe('8e541de8');
  });
});

describe('expm1_32', () => {
  it('max error over every 256th float32 in [-104, 89] with |x| >= 2^-26 and 0.5M random inputs', () => {
    const acc = sweepBits(expm1_32, REF.expm1, 0, TINY, 4096); // tiny: returns x
    sweepBits(expm1_32, REF.expm1, TINY, 0x42b20001, 256, acc);
    sweepBits(expm1_32, REF.expm1, NEG, NEG + TINY, 4096, acc);
    sweepBits(expm1_32, REF.expm1, NEG + TINY, NEG + 0x42d00001, 256, acc);
    sweepRandom(expm1_32, REF.expm1, NEG, NEG + 0x42d00001, 250_000, 3, acc);
    sweepRandom(expm1_32, REF.expm1, 0, 0x42b20001, 250_000, 4, acc);
    console.log(`expm1_32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(EXPM1_MAX);
  });

  it('special values', () => {
    expect(Object.is(expm1_32(0), 0)).toBe(true);
    expect(Object.is(expm1_32(-0), -0)).toBe(true);
    expect(expm1_32(-Infinity)).toBe(-1);
    expect(expm1_32(-104)).toBe(-1);
    expect(expm1_32(-20)).toBe(-1);
    expect(expm1_32(Infinity)).toBe(Infinity);
    expect(expm1_32(89)).toBe(Infinity);
    expect(expm1_32(NaN)).toBeNaN();
    expect(expm1_32(2 ** -30)).toBe(2 ** -30);
    expect(expm1_32(-(2 ** -149))).toBe(-(2 ** -149));
    expect(expm1_32(1)).toBe(Math.fround(Math.E - 1));
  });

  it('agrees with exp32 - 1 where there is no cancellation and is deterministic', () => {
    for (const x of [1, 2, 5, 10, 20, 40, 80, 88]) {
      const d = Math.abs(expm1_32(x) - (exp32(x) - 1)) / exp32(x);
      expect(d).toBeLessThan(2 ** -22);
    }
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(expm1_32, xs)).toEqual(bitsOfAll(expm1_32, xs));
    expect(resultChecksum(expm1_32)).toBe('9585b6ec');
  });
});
