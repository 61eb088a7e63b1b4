// Accuracy, special values, monotonicity and determinism of log32 and log1p32 (src/core/math/log.ts)
// against float64 references. Exhaustive maxima (test/unit/math/exhaustive.ts) are in the JSDoc.
import { describe, expect, it } from 'vitest';
import { log1p32, log32 } from '../../../src/core/math/index.ts';
import { REF, bitsOfAll, f32FromBits, resultChecksum, spreadInputs, sweepBits, sweepRandom, ulpError } from './ulp.ts';

const LOG_MAX = 0.84; // exhaustive: 0.8399
const LOG1P_MAX = 0.84; // exhaustive over |x| >= 2^-25: 0.8399

describe('log32', () => {
  it('max error over every 128th float32 in [2^-12, 2^12], every 2048th positive float32 (subnormals included), 0.5M random', () => {
    // the mantissa reduction makes every binade alike; the binades near 1 are where the result is small
    const acc = sweepBits(log32, REF.log, 1, 0x7f800000, 2048);
    sweepBits(log32, REF.log, 0x39800000, 0x45800001, 128, acc);
    sweepRandom(log32, REF.log, 1, 0x7f800000, 250_000, 5, acc);
    sweepRandom(log32, REF.log, 0x3f000000, 0x40000000, 250_000, 6, acc); // around 1
    console.log(`log32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(LOG_MAX);
  });

  it('special values', () => {
    expect(log32(0)).toBe(-Infinity);
    expect(log32(-0)).toBe(-Infinity);
    expect(log32(-1)).toBeNaN();
    expect(log32(-(2 ** -149))).toBeNaN();
    expect(log32(-Infinity)).toBeNaN();
    expect(log32(Infinity)).toBe(Infinity);
    expect(log32(NaN)).toBeNaN();
    expect(log32(f32FromBits(0x7f800001))).toBeNaN();
    expect(Object.is(log32(1), 0)).toBe(true);
    expect(log32(2 ** -149)).toBe(Math.fround(-149 * Math.LN2));
    expect(log32(f32FromBits(0x7f7fffff))).toBe(Math.fround(Math.log(f32FromBits(0x7f7fffff))));
    expect(ulpError(log32(Math.fround(Math.E)), Math.log(Math.fround(Math.E)))).toBeLessThanOrEqual(LOG_MAX);
    for (let k = -149; k <= 127; k++) expect(Math.abs(log32(2 ** k) - k * Math.LN2)).toBeLessThanOrEqual(Math.abs(k * Math.LN2) * 2 ** -24 + 1e-45);
  });

  it('is monotonic on dense runs (around 1, subnormals, the sqrt(2) reduction boundary)', () => {
    let violations = 0;
    for (const start of [0x3f7e0000, 0x3f34f000, 0x3fb4f000, 0x00000001, 0x007f0000, 0x7f700000]) {
      let prev = log32(f32FromBits(start));
      for (let b = start + 1; b < start + 150_000; b++) {
        const y = log32(f32FromBits(b));
        if (y < prev) violations++;
        prev = y;
      }
    }
    expect(violations).toBe(0);
  });

  it('is deterministic', () => {
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(log32, xs)).toEqual(bitsOfAll(log32, xs));
    expect(resultChecksum(log32)).toBe('271e0537'); // golden; see exp.test.ts
  });
});

describe('log1p32', () => {
  it('max error over every 256th float32 in [-1, -2^-25] and [2^-25, 2^12], every 2048th elsewhere, 0.5M random', () => {
    const acc = sweepBits(log1p32, REF.log1p, 0, 0x7f800000, 2048);
    sweepBits(log1p32, REF.log1p, 0x33000000, 0x45800001, 256, acc);
    sweepBits(log1p32, REF.log1p, 0x80000000, 0xbf800000, 2048, acc);
    sweepBits(log1p32, REF.log1p, 0x80000000 + 0x33000000, 0xbf800000, 256, acc);
    sweepRandom(log1p32, REF.log1p, 0x80000000, 0xbf800000, 250_000, 7, acc);
    sweepRandom(log1p32, REF.log1p, 0x3e000000, 0x40800000, 250_000, 8, acc);
    console.log(`log1p32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(LOG1P_MAX);
  });

  it('special values', () => {
    expect(Object.is(log1p32(0), 0)).toBe(true);
    expect(Object.is(log1p32(-0), -0)).toBe(true);
    expect(log1p32(-1)).toBe(-Infinity);
    expect(log1p32(-1.5)).toBeNaN();
    expect(log1p32(-Infinity)).toBeNaN();
    expect(log1p32(Infinity)).toBe(Infinity);
    expect(log1p32(NaN)).toBeNaN();
    expect(log1p32(f32FromBits(0xffc00000))).toBeNaN();
    expect(log1p32(2 ** -149)).toBe(2 ** -149);
    expect(log1p32(2 ** -30)).toBe(2 ** -30);
    expect(log1p32(f32FromBits(0xbf7fffff))).toBe(Math.fround(-24 * Math.LN2)); // 1 + x = 2^-24 exactly
    expect(log1p32(f32FromBits(0x7f7fffff))).toBe(log32(f32FromBits(0x7f7fffff)));
  });

  it('is monotonic on dense runs and deterministic', () => {
    let violations = 0;
    for (const start of [0x3ed3f000, 0xbe95f000, 0x33800000, 0xbf7e0000, 0x3f7f0000]) {
      const neg = start >= 0x80000000;
      let prev = log1p32(f32FromBits(start));
      for (let b = start + 1; b < start + 150_000; b++) {
        const y = log1p32(f32FromBits(b));
        if (neg ? y > prev : y < prev) violations++;
        prev = y;
      }
    }
    expect(violations).toBe(0);
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(log1p32, xs)).toEqual(bitsOfAll(log1p32, xs));
    expect(resultChecksum(log1p32)).toBe('dfb7b9ea'); // golden; see exp.test.ts
  });
});
