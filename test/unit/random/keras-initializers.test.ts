// The 11 Keras initializer values for seed=42, shape (1, 1) (spec §5.6), from the §5.3/§5.4 formulas on our samplers.
import { describe, expect, it } from 'vitest';
import { normalValues, truncatedNormalValues, uniformValues } from '../../../src/core/random/distributions.ts';
import type { RandomAlgorithm } from '../../../src/core/random/algorithm.ts';
import { drawSeed } from '../../../src/core/random/seed-generator.ts';
import { bitsOf } from './helpers.ts';

/** Keras initializer math for shape (1, 1): fan_in = fan_out = 1 (spec §5.3, §5.4). */
function kerasValues(algorithm: RandomAlgorithm): Record<string, number> {
  const seed = drawSeed(42, { dtype: algorithm === 'threefry' ? 'uint32' : 'int64' }); // [42, 0]
  const one = (a: Float32Array): number => a[0];
  const normal = (stddev: number): number => one(normalValues([1, 1], seed, { algorithm, mean: 0, stddev }));
  const trunc = (stddev: number): number => one(truncatedNormalValues([1, 1], seed, { algorithm, mean: 0, stddev }));
  const unif = (limit: number): number => one(uniformValues([1, 1], seed, { algorithm, minval: -limit, maxval: limit }));
  const fanIn = 1;
  const fanAvg = (1 + 1) / 2;
  const vsTrunc = (s: number): number => trunc(Math.sqrt(s) / 0.87962566103423978);
  const vsUnif = (s: number): number => unif(Math.sqrt(3 * s));
  return {
    RandomNormal: normal(0.05),
    RandomUniform: unif(0.05),
    TruncatedNormal: trunc(0.05),
    VarianceScaling: vsTrunc(1 / Math.max(1, fanIn)),
    GlorotNormal: vsTrunc(1 / Math.max(1, fanAvg)),
    GlorotUniform: vsUnif(1 / Math.max(1, fanAvg)),
    HeNormal: vsTrunc(2 / Math.max(1, fanIn)),
    HeUniform: vsUnif(2 / Math.max(1, fanIn)),
    LecunNormal: vsTrunc(1 / Math.max(1, fanIn)),
    LecunUniform: vsUnif(1 / Math.max(1, fanIn)),
    // 1x1 Orthogonal: Householder QR of a 1x1 normal draw gives Q = 1, R = a; q * sign(r) = sign(a); gain 1.
    Orthogonal: Math.fround(1) * Math.sign(one(normalValues([1, 1], seed, { algorithm, mean: 0, stddev: 1 }))),
  };
}

describe('Keras initializers, seed=42, shape (1, 1)', () => {
  it('threefry (Keras on JAX <= 0.4.38) reproduces the 11 golden values bit for bit', () => {
    // Source: spec §5.6 table "Keras 3, JAX backend" (the Keras example run's golden values).
    const golden: Record<string, number> = {
      RandomNormal: 0.05609520897269249,
      RandomUniform: 0.03690483793616295,
      TruncatedNormal: 0.05230803042650223,
      VarianceScaling: 1.1893247365951538,
      GlorotNormal: 1.1893247365951538,
      GlorotUniform: 1.2784210443496704,
      HeNormal: 1.6819592714309692,
      HeUniform: 1.8079603910446167,
      LecunNormal: 1.1893247365951538,
      LecunUniform: 1.2784210443496704,
      Orthogonal: 1.0,
    };
    const got = kerasValues('threefry');
    for (const name of Object.keys(golden)) {
      expect({ name, bits: bitsOf(got[name]) }).toEqual({ name, bits: bitsOf(Math.fround(golden[name])) });
    }
  });

  it('philox (Keras on TF, after _cast_seed) gives these values of OUR implementation', () => {
    // Golden values of our own implementation, NOT checked against a TF run (spec §7.1): every TF component
    // (GenerateKey, stream layout, Box–Muller with glibc logf/sincosf, truncation) is verified separately.
    // Seed [42, 0] -> key (0x89e74cef, 0x53939b05); first normals [0.0158171, -1.5900869, ...].
    const ours: Record<string, number> = {
      RandomNormal: 0.000790853810030967,
      RandomUniform: -0.02175668440759182,
      TruncatedNormal: 0.000790853810030967,
      VarianceScaling: 0.017981600016355515,
      GlorotNormal: 0.017981600016355515,
      GlorotUniform: -0.7536736726760864,
      HeNormal: 0.025429822504520416,
      HeUniform: -1.065855622291565,
      LecunNormal: 0.017981600016355515,
      LecunUniform: -0.7536736726760864,
      Orthogonal: 1.0,
    };
    const got = kerasValues('philox');
    for (const name of Object.keys(ours)) {
      expect({ name, bits: bitsOf(got[name]) }).toEqual({ name, bits: bitsOf(Math.fround(ours[name])) });
    }
    // Self-consistency: the first Box–Muller output z0 = 0.0158171 is inside (-2, 2), so normal and truncated
    // normal share it, and each value is f32(f32(z0 * f32(stddev)) + 0).
    const f = Math.fround;
    const z0 = normalValues([1], [42, 0], { algorithm: 'philox' })[0];
    expect(z0).toBe(0.015817075967788696);
    expect(truncatedNormalValues([1], [42, 0], { algorithm: 'philox' })[0]).toBe(z0);
    expect(got.RandomNormal).toBe(f(f(z0 * f(0.05)) + 0));
    expect(got.HeNormal).toBe(f(f(z0 * f(Math.sqrt(2) / 0.87962566103423978)) + 0));
  });
});
