// JAX <= 0.4.38 (original threefry layout) random bits, keys and samplers (spec §4).
import { describe, expect, it } from 'vitest';
import { jaxFoldIn, jaxPRNGKey, jaxRandomBits, jaxSplit } from '../../../src/core/random/jax-prng.ts';
import {
  NORMAL_UNIFORM_LOW, jaxBernoulli, jaxNormal, jaxRandint, jaxTruncatedNormal, jaxUniform, jaxUnitFromBits,
} from '../../../src/core/random/jax-random.ts';
import { threefry2x32 } from '../../../src/core/random/threefry.ts';
import { erf32, erfinv32 } from '../../../src/core/random/xla-erf.ts';

/** zlib.adler32 of an ASCII string, as jax tests/random_test.py derives its seeds (RandomValuesCase._seed). */
function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}
const caseKey = (name: string): Uint32Array => jaxPRNGKey(adler32(name + 'threefry2x32'));

describe('keys, bits, split, fold_in', () => {
  it('PRNGKey(seed) = (0, seed) for 0 <= seed < 2^32; (hi, lo) beyond', () => {
    expect(Array.from(jaxPRNGKey(1701))).toEqual([0, 1701]);
    expect(Array.from(jaxPRNGKey(2 ** 32 + 3))).toEqual([1, 3]);
  });

  it('matches the jax-v0.4.38 tests/random_test.py vectors (spec §4.3)', () => {
    // testRngRandomBits: random_bits(PRNGKey(1701), 32, (3,))
    expect(Array.from(jaxRandomBits(jaxPRNGKey(1701), 3))).toEqual([56197195, 4200222568, 961309823]);
    // split(PRNGKey(0), 4)
    expect(Array.from(jaxSplit(jaxPRNGKey(0), 4))).toEqual([
      2285895361, 1501764800, 1518642379, 4090693311, 433833334, 4221794875, 839183663, 3740430601,
    ]);
    // fold_in(PRNGKey(0), 4)
    expect(Array.from(jaxFoldIn(jaxPRNGKey(0), 4))).toEqual([2285895361, 433833334]);
    // randint(PRNGKey(0), (3, 3), 0, 8)
    expect(Array.from(jaxRandint(jaxPRNGKey(0), 9, 0, 8))).toEqual([2, 1, 3, 6, 1, 5, 6, 3, 4]);
  });

  it('matches testRandomDistributionValues bits (5,) uint32 and randint (5,) [0, 10) exactly', () => {
    // Source: jax-v0.4.38 tests/random_test.py _RANDOM_VALUES_CASES (threefry2x32 rows), key PRNGKey(adler32(name+impl)).
    expect(Array.from(jaxRandomBits(caseKey('bits'), 5))).toEqual([1978747883, 4134381225, 3628107870, 689687174, 2788938207]);
    expect(Array.from(jaxRandint(caseKey('randint'), 5, 0, 10))).toEqual([0, 5, 7, 7, 5]);
  });

  it('original layout: element i < h is y0 of (i, i+h), element i >= h is y1 of (i-h, i); odd n pads with 0', () => {
    const key = [123, 456];
    const n = 7;
    const h = 4;
    const bits = jaxRandomBits(key, n);
    for (let j = 0; j < h; j++) {
      const y = threefry2x32(key, [j, j + h === n ? 0 : j + h]);
      expect(bits[j]).toBe(y[0]);
      if (j + h < n) expect(bits[j + h]).toBe(y[1]);
    }
  });
});

describe('samplers', () => {
  it('match testRandomDistributionValues to 6 decimals (spec §4.8)', () => {
    // Source: jax-v0.4.38 tests/random_test.py, threefry2x32 rows, float32, shape (5,), printed to 6 decimals.
    const six = (a: ArrayLike<number>): string[] => Array.from(a, (v) => v.toFixed(6));
    expect(six(jaxUniform(caseKey('uniform'), 5))).toEqual(six([0.298671, 0.073213, 0.873356, 0.260549, 0.412797]));
    expect(six(jaxNormal(caseKey('normal'), 5))).toEqual(six([-1.173234, -1.511662, 0.070593, -0.099764, 1.052845]));
    expect(six(jaxTruncatedNormal(caseKey('truncated_normal'), 5, 0, 2))).toEqual(six([0.582807, 1.709771, 0.159513, 0.861376, 0.36148]));
    expect(Array.from(jaxBernoulli(caseKey('bernoulli'), 5, 0.5))).toEqual([0, 1, 1, 1, 0]);
  });

  it('key (42, 0) intermediates of spec §5.6', () => {
    // Source: spec §5.6 "Intermediates on the JAX side".
    expect(jaxUnitFromBits(threefry2x32([42, 0], [0, 0])[0])).toBe(0.8690483570098877);
    expect(jaxUniform([42, 0], 1, NORMAL_UNIFORM_LOW, 1)[0]).toBe(0.7380967736244202);
    expect(jaxNormal([42, 0], 1)[0]).toBe(1.1219041347503662);
    const a = erf32(Math.fround(-2 / Math.SQRT2));
    expect(a).toBe(-0.9544997215270996); // spec §4.6: b = -a = 0.9544997215270996
    expect(erf32(Math.fround(Math.fround(2) / Math.fround(Math.SQRT2)))).toBe(0.9544997215270996);
    expect(jaxUniform([42, 0], 1, a, -a)[0]).toBe(0.7045131325721741);
    expect(jaxTruncatedNormal([42, 0], 1, -2, 2)[0]).toBe(1.0461605787277222);
    expect(Math.fround(Math.SQRT2) * erfinv32(0.7045131325721741)).toBeCloseTo(1.0461605787277222, 6);
  });

  it('uniform stays in [minval, maxval) and is the high 23 bits', () => {
    const bits = jaxRandomBits([9, 9], 1000);
    const u = jaxUniform([9, 9], 1000);
    for (let i = 0; i < 1000; i++) {
      expect(u[i]).toBe((bits[i] >>> 9) / 8388608);
      expect(u[i] >= 0 && u[i] < 1).toBe(true);
    }
    for (const v of jaxUniform([9, 9], 1000, -3, -1)) expect(v >= -3 && v <= -1).toBe(true);
  });

  it('truncated normal is clipped into the open interval and normal is finite', () => {
    for (const v of jaxTruncatedNormal([5, 6], 2000, -2, 2)) expect(Math.abs(v)).toBeLessThan(2);
    for (const v of jaxNormal([5, 6], 2000)) expect(Number.isFinite(v)).toBe(true);
  });

  it('randint: span 1 when max <= min, full int32 range, negative bounds', () => {
    expect(Array.from(jaxRandint([1, 2], 4, 5, 5))).toEqual([5, 5, 5, 5]);
    for (const v of jaxRandint([1, 2], 100, -7, 3)) expect(v >= -7 && v < 3).toBe(true);
    for (const v of jaxRandint([1, 2], 100, -(2 ** 31), 2 ** 31 - 1)) expect(Number.isInteger(v)).toBe(true);
    expect(() => jaxRandint([1, 2], 4, 0.5, 3)).toThrow('jaxRandint: expected minval to be an integer. Received: minval=0.5');
  });
});
