// Host-side Keras backend values for both algorithms: properties, cross-checks with the TF / JAX layers, dropout, errors.
import { describe, expect, it } from 'vitest';
import {
  dropoutKeepMask, dropoutKeepRule, dropoutScale, dropoutValues, normalValues, truncatedNormalValues, uniformValues,
} from '../../../src/core/random/distributions.ts';
import { jaxNormal, jaxTruncatedNormal, jaxUniform } from '../../../src/core/random/jax-random.ts';
import { tfGenerateKey } from '../../../src/core/random/tf-seed.ts';
import { tfUniformRaw } from '../../../src/core/random/tf-philox-stream.ts';
import { tfStatelessNormal, tfStatelessTruncatedNormal, tfStatelessUniform } from '../../../src/core/random/tf-stateless.ts';

const f = Math.fround;
const ALGS = ['philox', 'threefry'] as const;
const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe.each(ALGS)('%s values', (algorithm) => {
  it('uniform lies in [0, 1) with a plausible mean; minval/maxval map into [min, max]', () => {
    const u = uniformValues([100, 100], [5, 9], { algorithm });
    let sum = 0;
    let outside = 0;
    for (const v of u) {
      sum += v;
      if (!(v >= 0 && v < 1)) outside++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / u.length - 0.5)).toBeLessThan(0.01);
    const w = uniformValues([1000], [5, 9], { algorithm, minval: -2, maxval: 3 });
    expect(w.every((v) => v >= -2 && v <= 3)).toBe(true);
  });

  it('same seed gives the same bytes; different seeds (either word) differ', () => {
    for (const gen of [uniformValues, normalValues, truncatedNormalValues]) {
      const a = gen([257], [11, 3], { algorithm });
      expect(bytes(gen([257], [11, 3], { algorithm })).equals(bytes(a))).toBe(true);
      expect(bytes(gen([257], [12, 3], { algorithm })).equals(bytes(a))).toBe(false);
      expect(bytes(gen([257], [11, 4], { algorithm })).equals(bytes(a))).toBe(false);
    }
  });

  it('normal has mean ~0 and sd ~1; truncated normal stays in (-2, 2)', () => {
    const z = normalValues([20000], [1, 2], { algorithm });
    let s = 0;
    let s2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / z.length)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s2 / z.length) - 1)).toBeLessThan(0.03);
    const t = truncatedNormalValues([20000], [1, 2], { algorithm, mean: 0, stddev: 1 });
    expect(t.every((v) => Math.abs(v) < 2)).toBe(true);
  });

  it('element counts follow the shape (scalar = 1 element, a zero dim = none)', () => {
    expect(uniformValues([], [1, 1], { algorithm }).length).toBe(1);
    expect(normalValues([0, 4], [1, 1], { algorithm }).length).toBe(0);
    expect(truncatedNormalValues([3, 1, 2], [1, 1], { algorithm }).length).toBe(6);
  });
});

describe('backend semantics', () => {
  it('philox = TF stateless ops after Keras _cast_seed (castSeed: false skips the cast)', () => {
    const seed = [-1, 2147483647] as const;
    const cast = [2147483645, 1] as const;
    expect(Array.from(uniformValues([9], seed, { algorithm: 'philox', minval: -1, maxval: 2 })))
      .toEqual(Array.from(tfStatelessUniform(9, cast, -1, 2)));
    expect(Array.from(normalValues([9], seed, { algorithm: 'philox', mean: 1, stddev: 3 })))
      .toEqual(Array.from(tfStatelessNormal(9, cast, 1, 3)));
    expect(Array.from(truncatedNormalValues([9], seed, { algorithm: 'philox', stddev: 0.2 })))
      .toEqual(Array.from(tfStatelessTruncatedNormal(9, cast, 0, 0.2)));
    expect(Array.from(uniformValues([9], seed, { algorithm: 'philox', castSeed: false })))
      .toEqual(Array.from(tfStatelessUniform(9, seed)));
  });

  it('threefry = JAX samplers keyed by the seed pair, then f32(f32(z * stddev) + mean)', () => {
    const key = [7, 8];
    expect(Array.from(uniformValues([9], [7, 8], { algorithm: 'threefry', minval: -1, maxval: 2 })))
      .toEqual(Array.from(jaxUniform(key, 9, -1, 2)));
    const z = jaxNormal(key, 9);
    expect(Array.from(normalValues([9], [7, 8], { algorithm: 'threefry', mean: 1, stddev: 3 })))
      .toEqual(Array.from(z, (v) => f(f(v * 3) + 1)));
    const t = jaxTruncatedNormal(key, 9, -2, 2);
    expect(Array.from(truncatedNormalValues([9], [7, 8], { algorithm: 'threefry', mean: 0.5, stddev: 0.1 })))
      .toEqual(Array.from(t, (v) => f(f(v * f(0.1)) + f(0.5))));
    expect(Array.from(uniformValues([3], [2 ** 32 + 7, 8], { algorithm: 'threefry' })))
      .toEqual(Array.from(jaxUniform(key, 3)));
  });
});

describe('dropout', () => {
  const RATES = [0.1, 0.2, 0.3, 1 / 3, 0.5, 0.75, 0.9999999];

  it('the integer keep rule equals the float definitions (TF rnd >= f32(rate); JAX uniform < f32(1 - rate))', () => {
    for (const rate of RATES) {
      const tfMask = dropoutKeepMask([4099], rate, [3, 1], { algorithm: 'philox' });
      const rnd = tfUniformRaw(4099, tfGenerateKey([3, 1]));
      expect(Array.from(tfMask)).toEqual(Array.from(rnd, (r) => (r >= f(rate) ? 1 : 0)));
      const jaxMask = dropoutKeepMask([4099], rate, [3, 1], { algorithm: 'threefry' });
      const u = jaxUniform([3, 1], 4099);
      expect(Array.from(jaxMask)).toEqual(Array.from(u, (r) => (r < f(1 - rate) ? 1 : 0)));
    }
    expect(dropoutKeepRule(0.5, 'philox')).toEqual({ bits: 'low23', compare: 'ge', threshold: 4194304 });
    expect(dropoutKeepRule(0.5, 'threefry')).toEqual({ bits: 'high23', compare: 'lt', threshold: 4194304 });
  });

  it('scales kept values: TF multiplies by f32(1/(1-rate)), JAX divides by f32(1-rate)', () => {
    expect(dropoutScale(0.3, 'philox')).toEqual({ op: 'mul', factor: f(1 / (1 - 0.3)) });
    expect(dropoutScale(0.3, 'threefry')).toEqual({ op: 'div', factor: f(0.7) });
    const x = Float32Array.from({ length: 12 }, (_, i) => i - 5.5);
    for (const algorithm of ALGS) {
      const y = dropoutValues(x, [3, 4], 0.3, [1, 2], { algorithm });
      const mask = dropoutKeepMask([3, 4], 0.3, [1, 2], { algorithm });
      const { op, factor } = dropoutScale(0.3, algorithm);
      for (let i = 0; i < 12; i++) {
        const kept = op === 'mul' ? f(x[i] * factor) : f(x[i] / factor);
        expect(Object.is(y[i], mask[i] ? kept : 0)).toBe(true);
      }
    }
  });

  it('broadcasts a noise shape and handles rate 0 / 1', () => {
    const x = new Float32Array(15).fill(1);
    for (const algorithm of ALGS) {
      const y = dropoutValues(x, [3, 5], 0.5, [4, 4], { algorithm, noiseShape: [1, 5] });
      for (let r = 1; r < 3; r++) expect(Array.from(y.subarray(5 * r, 5 * r + 5))).toEqual(Array.from(y.subarray(0, 5)));
      expect(Array.from(dropoutValues(x, [3, 5], 0, [4, 4], { algorithm }))).toEqual(Array.from(x));
      expect(Array.from(dropoutValues(x, [3, 5], 1, [4, 4], { algorithm }))).toEqual(new Array(15).fill(0));
    }
  });
});

describe('argument errors', () => {
  it('start with the function name and say what was received', () => {
    expect(() => uniformValues([2], [1.5, 0], { algorithm: 'philox' })).toThrow(
      'uniformValues: expected seed of two integers. Received: seed=[1.5, 0]',
    );
    expect(() => normalValues([2, -1], [1, 0], { algorithm: 'philox' })).toThrow(
      'normalValues: expected shape to be an array of non-negative integers. Received: shape=[2, -1]',
    );
    expect(() => truncatedNormalValues([2], [1, 0], { algorithm: 'mt' as never })).toThrow(
      "truncatedNormalValues: expected algorithm 'philox' or 'threefry'. Received: algorithm=\"mt\"",
    );
    expect(() => uniformValues([2], [1, 0], { algorithm: 'threefry', maxval: NaN })).toThrow(
      'uniformValues: expected maxval to be a finite number. Received: maxval=NaN',
    );
    expect(() => dropoutKeepMask([2], 1.5, [1, 0], { algorithm: 'philox' })).toThrow(
      'dropoutKeepMask: expected rate to be a number in [0, 1]. Received: rate=1.5',
    );
    expect(() => dropoutValues(new Float32Array(4), [2, 2], 0.5, [1, 0], { algorithm: 'philox', noiseShape: [2] })).toThrow(
      /^dropoutValues: expected noiseShape of rank 2/,
    );
  });
});
