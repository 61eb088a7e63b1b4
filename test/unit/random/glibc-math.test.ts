// glibc logf / sincosf ports (spec §3.5): golden sample from the C library + float64 sanity checks.
// The exhaustive 2^23 + 2^23 comparison lives in test/golden/gen/random/glibc-check.ts (run by hand; too slow here).
import { describe, expect, it } from 'vitest';
import { glibcLogf } from '../../../src/core/random/glibc-logf.ts';
import { glibcSincosf } from '../../../src/core/random/glibc-sincosf.ts';
import { b64Words, bitsOf, floatOf, loadGolden } from './helpers.ts';

interface GlibcGolden {
  logf: { k: string; bits: string };
  sincosf: { k: string; sinBits: string; cosBits: string };
}
// Source: test/golden/random-glibc.json, produced by glibc 2.36 (x86-64, FMA CPU) via glibc-check.ts --write-golden.
const golden = loadGolden<GlibcGolden>('random-glibc.json');
const EPS = Math.fround(1e-7);
const ulp = (x: number): number => floatOf(bitsOf(Math.abs(x)) + 1) - Math.abs(x);

describe('glibcLogf', () => {
  it('equals C logf on the golden sample of TF inputs u1 = max(k*2^-23, 1e-7f)', () => {
    const ks = b64Words(golden.logf.k);
    const want = b64Words(golden.logf.bits);
    expect(ks.length).toBeGreaterThan(9000);
    let bad = 0;
    for (let i = 0; i < ks.length; i++) {
      const u = ks[i] * 2 ** -23;
      if (bitsOf(glibcLogf(u < EPS ? EPS : u)) !== want[i]) bad++;
    }
    expect(bad).toBe(0);
  });

  it('is within 1 ulp of float64 log on every 64th TF input and on wide-range floats', () => {
    const far: number[] = [];
    const check = (x: number): void => {
      const y = glibcLogf(x);
      if (!(Math.abs(y - Math.log(x)) <= ulp(y))) far.push(x);
    };
    for (let k = 1; k < 1 << 23; k += 64) check(k * 2 ** -23);
    for (let e = -149; e < 128; e += 0.37) {
      const x = Math.fround(2 ** e);
      if (x !== 0 && Number.isFinite(x)) check(x);
    }
    expect(far).toEqual([]);
  });

  it('special cases follow glibc', () => {
    expect(glibcLogf(1)).toBe(0);
    expect(glibcLogf(0)).toBe(-Infinity);
    expect(glibcLogf(-0)).toBe(-Infinity);
    expect(glibcLogf(Infinity)).toBe(Infinity);
    expect(glibcLogf(-1)).toBeNaN();
    expect(glibcLogf(NaN)).toBeNaN();
    expect(glibcLogf(floatOf(1))).toBe(Math.fround(Math.log(floatOf(1)))); // smallest subnormal
  });
});

describe('glibcSincosf', () => {
  const out = new Float32Array(2);

  it('equals C sincosf on the golden sample of TF inputs v1 = f32(2*pi*k*2^-23)', () => {
    const ks = b64Words(golden.sincosf.k);
    const s = b64Words(golden.sincosf.sinBits);
    const c = b64Words(golden.sincosf.cosBits);
    expect(ks.length).toBeGreaterThan(9000);
    let bad = 0;
    for (let i = 0; i < ks.length; i++) {
      glibcSincosf(Math.fround(2 * Math.PI * (ks[i] * 2 ** -23)), out, 0);
      if (bitsOf(out[0]) !== s[i] || bitsOf(out[1]) !== c[i]) bad++;
    }
    expect(bad).toBe(0);
  });

  it('is within 1 ulp (plus 2^-150 near zero) of float64 sin/cos on every 64th TF input and on (-120, 120)', () => {
    const far: number[] = [];
    const check = (y: number): void => {
      glibcSincosf(y, out, 0);
      const okSin = Math.abs(out[0] - Math.sin(y)) <= ulp(out[0]) + 2 ** -150;
      const okCos = Math.abs(out[1] - Math.cos(y)) <= ulp(out[1]) + 2 ** -150;
      if (!okSin || !okCos) far.push(y);
    };
    for (let k = 0; k < 1 << 23; k += 64) check(Math.fround(2 * Math.PI * (k * 2 ** -23)));
    for (let y = -119.99; y < 120; y += 0.0137) check(Math.fround(y));
    expect(far).toEqual([]);
  });

  it('tiny arguments return (y, 1); |y| >= 120 is rejected', () => {
    glibcSincosf(1e-5, out, 0);
    expect([out[0], out[1]]).toEqual([Math.fround(1e-5), 1]);
    expect(() => glibcSincosf(200, out, 0)).toThrow('glibcSincosf: expected a finite float32 with |y| < 120. Received: y=200');
  });
});
