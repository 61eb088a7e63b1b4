/**
 * The 11 initializers of the reference example (../shared/reference/keras-reproducibility-example.txt) with
 * seed 42 on shape [1, 1], two calls each: equal to the host-level Keras formulas on both algorithms, and for
 * threefry equal to the printed (Keras on JAX) values as float32 bits (spec §5.6).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { normalValues, truncatedNormalValues, uniformValues, type RandomAlgorithm } from '../../../src/core/random/index.ts';

const I = dt.initializers;
const CLASSES = [
  I.RandomNormal, I.RandomUniform, I.TruncatedNormal, I.VarianceScaling, I.GlorotNormal, I.GlorotUniform,
  I.HeNormal, I.HeUniform, I.LecunNormal, I.LecunUniform, I.Orthogonal,
] as const;

/** Printed by the Keras example run (Keras 3, JAX backend), spec §5.6. */
const PRINTED: Record<string, number> = {
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

/** Host-level Keras formulas for shape (1, 1) (fan_in = fan_out = 1), seed pair [42, 0]. */
function hostValue(name: string, algorithm: RandomAlgorithm): number {
  const seed: [number, number] = [42, 0];
  const normal = (stddev: number) => normalValues([1, 1], seed, { algorithm, stddev })[0];
  const trunc = (stddev: number) => truncatedNormalValues([1, 1], seed, { algorithm, stddev })[0];
  const unif = (limit: number) => uniformValues([1, 1], seed, { algorithm, minval: -limit, maxval: limit })[0];
  const c = 0.87962566103423978;
  switch (name) {
    case 'RandomNormal': return normal(0.05);
    case 'RandomUniform': return unif(0.05);
    case 'TruncatedNormal': return trunc(0.05);
    case 'VarianceScaling': case 'GlorotNormal': case 'LecunNormal': return trunc(Math.sqrt(1) / c);
    case 'GlorotUniform': case 'LecunUniform': return unif(Math.sqrt(3));
    case 'HeNormal': return trunc(Math.sqrt(2) / c);
    case 'HeUniform': return unif(Math.sqrt(6));
    case 'Orthogonal': return Math.sign(normal(1));
  }
  throw new Error(name);
}

const bits = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0];

describe.each(['philox', 'threefry'] as const)('initializers(seed=42)([1, 1]) with %s', (algorithm) => {
  for (const C of CLASSES) {
    it(`${C.className}: two calls equal the host-level value${algorithm === 'threefry' ? ' and the printed Keras value' : ''}`, () => {
      dt.random.setAlgorithm(algorithm);
      try {
        for (let iteration = 0; iteration < 2; iteration++) {
          const t = new C({ seed: 42 }).apply([1, 1]);
          expect(t.shape).toEqual([1, 1]);
          expect(t.dtype).toBe('float32');
          const v = t.dataSync()[0];
          t.dispose();
          expect(bits(v)).toBe(bits(hostValue(C.className, algorithm)));
          if (algorithm === 'threefry') expect(bits(v)).toBe(bits(PRINTED[C.className]));
        }
        // The algorithm option fixes the algorithm regardless of the global choice.
        dt.random.setAlgorithm(algorithm === 'philox' ? 'threefry' : 'philox');
        const fixed = new C({ seed: 42, algorithm }).apply([1, 1]);
        expect(bits(fixed.dataSync()[0])).toBe(bits(hostValue(C.className, algorithm)));
        fixed.dispose();
      } finally {
        dt.random.setAlgorithm('philox');
      }
    });
  }
});

describe('initializers on larger shapes equal the host generators', () => {
  it('RandomNormal / RandomUniform / TruncatedNormal / VarianceScaling [3, 5], both algorithms', () => {
    for (const algorithm of ['philox', 'threefry'] as const) {
      const seed: [number, number] = [7, 0];
      const cases: [dt.initializers.Initializer, Float32Array][] = [
        [new I.RandomNormal({ seed: 7, mean: 1, stddev: 2, algorithm }), normalValues([3, 5], seed, { algorithm, mean: 1, stddev: 2 })],
        [new I.RandomUniform({ seed: 7, minval: -1, maxval: 3, algorithm }), uniformValues([3, 5], seed, { algorithm, minval: -1, maxval: 3 })],
        [new I.TruncatedNormal({ seed: 7, stddev: 0.3, algorithm }), truncatedNormalValues([3, 5], seed, { algorithm, stddev: 0.3 })],
        [new I.GlorotNormal({ seed: 7, algorithm }), truncatedNormalValues([3, 5], seed, { algorithm, stddev: Math.sqrt(1 / 4) / 0.87962566103423978 })],
        [new I.GlorotUniform({ seed: 7, algorithm }), uniformValues([3, 5], seed, { algorithm, minval: -Math.sqrt(3 / 4), maxval: Math.sqrt(3 / 4) })],
        [new I.VarianceScaling({ seed: 7, scale: 3, mode: 'fan_out', distribution: 'untruncated_normal', algorithm }), normalValues([3, 5], seed, { algorithm, stddev: Math.sqrt(3 / 5) })],
      ];
      for (const [init, want] of cases) {
        const t = init.apply([3, 5]);
        expect(Array.from(t.dataSync()), `${init.className} ${algorithm}`).toEqual(Array.from(want));
        t.dispose();
      }
    }
  });
});
