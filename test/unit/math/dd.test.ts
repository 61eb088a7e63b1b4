// The double-float32 quotient divDD (src/core/math/dd.ts) used by tanh32 and sigmoid32: with zero
// low parts it must equal the correctly rounded float32 quotient; with low parts it must be within
// ~0.5 ulp of the exact (ah + al) / (bh + bl).
import { describe, expect, it } from 'vitest';
import { divDD } from '../../../src/core/math/dd.ts';
import { f32FromBits, ulpError } from './ulp.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

describe('divDD', () => {
  it('equals Math.fround(ah / bh) when the low parts are zero', () => {
    const r = rng(99);
    let bad = 0;
    for (let i = 0; i < 500_000; i++) {
      const ah = f32FromBits(0x3d800000 + (r() % 0x03000000)); // [2^-4, 2^2)
      const bh = f32FromBits(0x3f800000 + (r() % 0x00800000)); // [1, 2)
      if (divDD(ah, 0, bh, 0) !== Math.fround(ah / bh)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('is within 0.501 ulp of (ah + al) / (bh + bl)', () => {
    const r = rng(7);
    let worst = 0;
    for (let i = 0; i < 500_000; i++) {
      const ah = f32FromBits(0x3d800000 + (r() % 0x03000000));
      const bh = f32FromBits(0x3f800000 + (r() % 0x00800000));
      const al = Math.fround(ah * ((r() / 2 ** 32 - 0.5) * 2 ** -23));
      const bl = Math.fround(bh * ((r() / 2 ** 32 - 0.5) * 2 ** -23));
      const e = ulpError(divDD(ah, al, bh, bl), (ah + al) / (bh + bl));
      if (e > worst) worst = e;
    }
    console.log(`divDD: max ${worst.toFixed(5)} ulp`);
    expect(worst).toBeLessThanOrEqual(0.501);
  });
});
