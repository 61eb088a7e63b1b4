// fma32: exact single-rounding float32 FMA, against C fmaf (golden) and an independent BigInt reference.
import { describe, expect, it } from 'vitest';
import { fma32 } from '../../../src/core/random/fma32.ts';
import { b64Words, bitsOf, exactDyadic, floatOf, loadGolden, roundToF32 } from './helpers.ts';

// Source: test/golden/random-fma32.json, C fmaf of glibc 2.36 on x86-64 (FMA CPU), via glibc-check.ts --write-golden.
const golden = loadGolden<{ quads: string }>('random-fma32.json');

/** Exact f32(a*b + c) with BigInt arithmetic only. */
function refFma(a: number, b: number, c: number): number {
  const A = exactDyadic(a);
  const B = exactDyadic(b);
  const C = exactDyadic(c);
  const pe = A.exp + B.exp;
  const e = Math.min(pe, C.exp);
  const num = ((A.num * B.num) << BigInt(pe - e)) + (C.num << BigInt(C.exp - e));
  return roundToF32(num, e);
}

const sameF32 = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));

describe('fma32', () => {
  it('equals C fmaf on 4096 golden triples (random, near-cancelling, subnormal results)', () => {
    const q = b64Words(golden.quads);
    expect(q.length).toBe(4 * 4096);
    let bad = 0;
    for (let i = 0; i < q.length; i += 4) {
      const got = fma32(floatOf(q[i]), floatOf(q[i + 1]), floatOf(q[i + 2]));
      if (!sameF32(got, floatOf(q[i + 3]))) bad++;
    }
    expect(bad).toBe(0);
  });

  it('equals an exact BigInt rounding on 20000 random and near-cancelling triples', () => {
    let s = 0x9e3779b9;
    const rnd = (): number => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
    const rf = (emin: number, emax: number): number =>
      floatOf(((rnd() & 0x80000000) | ((emin + (rnd() % (emax - emin + 1))) << 23) | (rnd() & 0x7fffff)) >>> 0);
    let bad = 0;
    for (let i = 0; i < 20000; i++) {
      let a: number, b: number, c: number;
      if (i % 3 === 0) {
        a = rf(1, 254); b = rf(1, 254); c = rf(1, 254);
      } else if (i % 3 === 1) {
        a = rf(100, 154); b = rf(100, 154);
        c = floatOf((bitsOf(-Math.fround(a * b)) + (rnd() % 9) - 4) >>> 0);
      } else {
        a = rf(1, 70); b = rf(1, 70); c = rf(0, 20);
      }
      const want = refFma(a, b, c);
      const got = fma32(a, b, c);
      if (!(got === want || (Number.isNaN(got) && Number.isNaN(want)))) bad++;
    }
    expect(bad).toBe(0);
  });

  it('differs from the doubly rounded f32(f32(a*b)+c) where it must', () => {
    const a = Math.fround(1 + 2 ** -12);
    const c = -Math.fround(1 + 2 ** -11);
    expect(fma32(a, a, c)).toBe(2 ** -24); // exact a*a + c = 2^-24
    expect(Math.fround(Math.fround(a * a) + c)).toBe(0);
    expect(fma32(Infinity, 1, 1)).toBe(Infinity);
    expect(fma32(Infinity, 0, 1)).toBeNaN();
  });
});
