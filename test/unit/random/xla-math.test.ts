// XLA:CPU float32 erf / erf_inv / log / log1p ports (spec §4.7): sanity against float64 references.
// Bit-exactness is pinned only where the JAX goldens pin it (see jax.test.ts and keras-initializers.test.ts).
import { describe, expect, it } from 'vitest';
import { erf32, erfinv32 } from '../../../src/core/random/xla-erf.ts';
import { log1p32, logfXla } from '../../../src/core/random/xla-log.ts';
import { bitsOf, floatOf } from './helpers.ts';

const ulp = (x: number): number => floatOf(bitsOf(Math.abs(x)) + 1) - Math.abs(x);

/** float64 erf: 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1)) (all terms positive). */
function erf64(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}

describe('erf32', () => {
  it('is within 5 ulp (or 1e-9) of float64 erf on [-4, 4] (the rational approximation reaches ~4 ulp near |x| = 3.3)', () => {
    const far: number[] = [];
    for (let x = -4; x <= 4; x += 0.00097) {
      const xf = Math.fround(x);
      const y = erf32(xf);
      if (!(Math.abs(y - erf64(xf)) <= Math.max(5 * ulp(y), 1e-9))) far.push(xf);
    }
    expect(far).toEqual([]);
  });

  it('special values', () => {
    expect(erf32(0)).toBe(0);
    expect(erf32(4)).toBe(1);
    expect(erf32(-3.9)).toBe(-1);
  });
});

describe('erfinv32', () => {
  it('inverts erf to float32 accuracy on (-1, 1)', () => {
    const far: number[] = [];
    for (let y = -0.99999; y < 1; y += 0.000731) {
      const yf = Math.fround(y);
      const x = erfinv32(yf);
      // relative error of the inverse, measured through the float64 erf
      if (!(Math.abs(erf64(x) - yf) <= 4e-7 * Math.max(Math.abs(yf), 1e-3) + 1e-12)) far.push(yf);
    }
    expect(far).toEqual([]);
  });

  it('tails (w >= 5 branch) and specials', () => {
    const y = Math.fround(1 - 2 ** -20); // w = -log1p(-y^2) > 5
    const x = erfinv32(y);
    expect(Math.abs(1 - erf64(x) - 2 ** -20)).toBeLessThan(2e-9); // erfc(x) ~ 2^-20 to float32 accuracy of x
    expect(erfinv32(1)).toBe(Infinity);
    expect(erfinv32(-1)).toBe(-Infinity);
    expect(erfinv32(0)).toBe(0);
    expect(erfinv32(-0.5)).toBe(-erfinv32(0.5));
  });
});

describe('logfXla and log1p32', () => {
  it('logfXla is within 2 ulp of float64 log over many binades', () => {
    const far: number[] = [];
    for (let e = -126; e < 128; e += 0.0131) {
      const x = Math.fround(2 ** e);
      if (!Number.isFinite(x)) continue;
      const y = logfXla(x);
      if (!(Math.abs(y - Math.log(x)) <= 2 * ulp(y) + 1e-30)) far.push(x);
    }
    expect(far).toEqual([]);
    expect(logfXla(1)).toBe(0);
    expect(logfXla(0)).toBe(-Infinity);
    expect(logfXla(-2)).toBeNaN();
    expect(logfXla(Infinity)).toBe(Infinity);
  });

  it('log1p32 is within 2 ulp of float64 log1p on (-1, 2), both branches', () => {
    const far: number[] = [];
    for (let x = -0.9999; x < 2; x += 0.000613) {
      const xf = Math.fround(x);
      const y = log1p32(xf);
      // |x| >= sqrt(2)-1 evaluates log(f32(1 + x)): allow the error of that rounding too.
      const inputErr = Math.abs(xf) < 0.4142 ? 0 : Math.abs(Math.log(Math.fround(1 + xf)) - Math.log1p(xf));
      if (!(Math.abs(y - Math.log1p(xf)) <= 2 * ulp(y) + inputErr)) far.push(xf);
    }
    for (let e = -40; e < -1; e += 0.1) {
      const xf = Math.fround(-(2 ** e));
      const y = log1p32(xf);
      if (!(Math.abs(y - Math.log1p(xf)) <= 2 * ulp(y))) far.push(xf);
    }
    expect(far).toEqual([]);
    expect(log1p32(0)).toBe(0);
  });
});
