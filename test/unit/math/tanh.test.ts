// Accuracy, special values, oddness, monotonicity and determinism of tanh32 (src/core/math/tanh.ts)
// against the float64 reference. Exhaustive maximum (test/unit/math/exhaustive.ts) is in the JSDoc.
import { describe, expect, it } from 'vitest';
import { tanh32 } from '../../../src/core/math/index.ts';
import { REF, bitsOfAll, bitsOfF32, f32FromBits, resultChecksum, spreadInputs, sweepBits, sweepRandom } from './ulp.ts';

const TANH_MAX = 0.65; // exhaustive: 0.6454

describe('tanh32', () => {
  it('max error over every 64th float32 in [2^-13, 11], every 4096th of other magnitudes, 1M random', () => {
    // below 2^-12 tanh returns x, from 10 on it returns ±1: those ranges are sampled coarsely
    const acc = sweepBits(tanh32, REF.tanh, 0, 0x7f800000, 4096);
    sweepBits(tanh32, REF.tanh, 0x39000000, 0x41300000, 64, acc);
    sweepBits(tanh32, REF.tanh, 0x80000000 + 17, 0xff800000, 4096, acc); // negative side: odd by construction
    sweepBits(tanh32, REF.tanh, 0x80000000 + 0x39000000 + 31, 0x80000000 + 0x41300000, 1024, acc);
    sweepRandom(tanh32, REF.tanh, 0x39000000, 0x41300000, 1_000_000, 9, acc); // [2^-13, 11): the non-trivial range
    console.log(`tanh32: max ${acc.max.toFixed(4)} ulp at x=${acc.argmax} over ${acc.count} inputs`);
    expect(acc.max).toBeLessThanOrEqual(TANH_MAX);
  });

  it('special values', () => {
    expect(Object.is(tanh32(0), 0)).toBe(true);
    expect(Object.is(tanh32(-0), -0)).toBe(true);
    expect(tanh32(Infinity)).toBe(1);
    expect(tanh32(-Infinity)).toBe(-1);
    expect(tanh32(NaN)).toBeNaN();
    expect(tanh32(f32FromBits(0xff800001))).toBeNaN();
    expect(tanh32(2 ** -149)).toBe(2 ** -149);
    expect(tanh32(-(2 ** -140))).toBe(-(2 ** -140));
    expect(tanh32(2 ** -13)).toBe(2 ** -13);
    for (const x of [9.02, 10, 20, 1e10, 3e38]) {
      expect(tanh32(x)).toBe(1);
      expect(tanh32(-x)).toBe(-1);
    }
    expect(tanh32(9)).toBe(Math.fround(Math.tanh(9)));
    expect(tanh32(9)).toBeLessThan(1);
  });

  it('is exactly odd and bounded by 1', () => {
    let bad = 0;
    for (let i = 0; i < 300_000; i++) {
      const b = (i * 2654435761) >>> 0 & 0x7fffffff;
      if (b > 0x7f800000) continue;
      const x = f32FromBits(b);
      const y = tanh32(x);
      if (bitsOfF32(tanh32(-x)) !== (bitsOfF32(y) | 0x80000000) >>> 0 || y > 1 || y < 0) bad++;
    }
    expect(bad).toBe(0);
  });

  it('is monotonic on dense runs (polynomial/exp switch at 0.3, near 1) and deterministic', () => {
    let violations = 0;
    for (const start of [0x3e990000, 0x39700000, 0x3f000000, 0x40e00000, 0x41100000]) {
      let prev = tanh32(f32FromBits(start));
      for (let b = start + 1; b < start + 200_000; b++) {
        const y = tanh32(f32FromBits(b));
        if (y < prev) violations++;
        prev = y;
      }
    }
    expect(violations).toBe(0);
    const xs = spreadInputs(50_000);
    expect(bitsOfAll(tanh32, xs)).toEqual(bitsOfAll(tanh32, xs));
    expect(resultChecksum(tanh32)).toBe('622f61b0'); // golden; see exp.test.ts
  });
});
