/**
 * The randomUniform op and device dropout against the host-side randomness layer (src/core/random), which is
 * itself checked against the spec's vectors: randomUniform == uniformValues bit for bit for both algorithms and
 * odd sizes; statelessDropout == dropoutValues bit for bit (shapes, rates, noise shapes); the TF stateless_dropout
 * docstring masks through the device path; gradients; errors. Runs on the CPU and on WebGPU (skipped with the
 * reason without an adapter or without the op; failing then under REQUIRE_WEBGPU=1).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import {
  dropoutValues, normalValues, philoxKeyCounterForSeed, tfPhiloxWords, tfUint32ToFloat, threefryKeyForSeed,
  truncatedNormalValues, uniformValues, type RandomAlgorithm,
} from '../../src/core/random/index.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { expectNoLeaks } from '../util/leaks.ts';
import { describeWebGpu, webgpuUnavailable } from '../util/webgpu.ts';

const ALGS: RandomAlgorithm[] = ['philox', 'threefry'];

/** Why the op cannot run on WebGPU here (no adapter, or a WebGPU backend without the op), or null. */
async function webgpuOpUnavailable(): Promise<string | null> {
  const unavailable = await webgpuUnavailable();
  if (unavailable !== null) return unavailable;
  await dt.setBackend('webgpu');
  const has = adv.currentBackend().supports('randomUniform');
  await dt.setBackend('cpu');
  return has ? null : 'the WebGPU backend lacks the randomUniform op';
}
const WEBGPU_UNAVAILABLE = await webgpuOpUnavailable();
afterAll(() => dt.shutdown());

/** Philox key/counter or threefry key of a seed pair, as statelessDropout derives them. */
function streamFor(seed: [number, number], algorithm: RandomAlgorithm) {
  if (algorithm === 'philox') {
    const kc = philoxKeyCounterForSeed(seed);
    return { algorithm, key: kc.key, counter: kc.counter };
  }
  return { algorithm, key: threefryKeyForSeed(seed) };
}

/** Deterministic test inputs with negatives, zeros and non-round values (an LCG, not the engine's RNG). */
function data(n: number, salt: number): Float32Array {
  let s = (salt * 2654435761) >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 17 === 0 ? 0 : (s / 4294967296 - 0.5) * 7;
  }
  return out;
}

function opSuite(backend: dt.BackendName): void {
  it('equals uniformValues(shape, seed) bit for bit, both algorithms, odd and shaped sizes', async () => {
    await dt.setBackend(backend);
    const shapes = [[1], [3], [5], [7], [1001], [], [0], [2, 3], [4, 1, 5], [3, 0, 2]];
    const seeds: [number, number][] = [[42, 0], [1, 2], [812, 7], [4294967295, 0]];
    for (const algorithm of ALGS) {
      for (const seed of seeds) {
        for (const shape of shapes) {
          const u = adv.randomUniform(shape, streamFor(seed, algorithm));
          expect(u.shape).toEqual(shape);
          expect(u.dtype).toBe('float32');
          expectBitsEqual(await u.data() as Float32Array, uniformValues(shape, seed, { algorithm }), `${algorithm} ${seed} [${shape}]`);
          u.dispose();
        }
      }
    }
  });

  it('philox: the 128-bit counter carries across words (TF SkipOne)', async () => {
    await dt.setBackend(backend);
    const key = Uint32Array.of(0x12345678, 0x9abcdef0);
    for (const counter of [[0xfffffffe, 0xffffffff, 5, 6], [0xffffffff, 0xffffffff, 0xffffffff, 1], [0xfffffffd, 0, 0, 0]]) {
      const n = 23;
      const words = tfPhiloxWords(n, { key, counter: Uint32Array.from(counter) });
      const want = Float32Array.from(words, tfUint32ToFloat);
      const u = adv.randomUniform([n], { algorithm: 'philox', key, counter });
      expectBitsEqual(await u.data() as Float32Array, want, `counter ${counter}`);
      u.dispose();
    }
  });

  it('TF stateless_dropout docstring masks through the device path (exact)', async () => {
    await dt.setBackend(backend);
    const x = dt.ones([3, 5]);
    const a = dt.random.statelessDropout(x, 0.5, [1, 0], { algorithm: 'philox' });
    const b = dt.random.statelessDropout(x, 0.8, [1, 0], { algorithm: 'philox' });
    expect(await a.array()).toEqual([[2, 0, 2, 0, 0], [0, 0, 2, 0, 2], [0, 0, 0, 0, 2]]);
    expect(await b.array()).toEqual([[5, 0, 0, 0, 0], [0, 0, 0, 0, 5], [0, 0, 0, 0, 5]]);
    dt.dispose([x, a, b]);
  });

  it('statelessDropout equals dropoutValues bit for bit over shapes, rates, noise shapes and both algorithms', async () => {
    await dt.setBackend(backend);
    const cases: { shape: number[]; noise?: (number | null)[]; pad?: number[] }[] = [
      { shape: [7] }, { shape: [1001] }, { shape: [3, 5] }, { shape: [2, 3, 4] },
      { shape: [2, 3, 4], noise: [2, 1, 4] }, { shape: [2, 3, 4], noise: [1, 3, 1] }, { shape: [4, 6], noise: [null, 1], pad: [4, 1] },
      { shape: [3, 5, 2], noise: [5, 1], pad: [1, 5, 1] }, { shape: [1, 1] }, { shape: [] }, { shape: [0, 3] },
    ];
    const rates = [0, 1e-7, 0.1, 0.2, 0.5, 0.625, 0.8, 0.9999, 1];
    let k = 0;
    for (const algorithm of ALGS) {
      for (const c of cases) {
        for (const rate of rates) {
          const n = c.shape.reduce((a, b) => a * b, 1);
          const xv = data(n, ++k);
          const seed: [number, number] = [k * 7919, k % 3];
          const x = dt.tensor(xv, c.shape);
          const y = dt.random.statelessDropout(x, rate, seed, { algorithm, noiseShape: c.noise });
          const noiseShape = c.pad ?? (c.noise as number[] | undefined) ?? c.shape;
          const want = dropoutValues(xv, c.shape, rate, seed, { algorithm, noiseShape });
          expect(y.shape).toEqual(c.shape);
          expectBitsEqual(await y.data() as Float32Array, want, `${algorithm} [${c.shape}] noise [${noiseShape}] rate ${rate}`);
          dt.dispose([x, y]);
        }
      }
    }
  });

  it('the default algorithm is getAlgorithm() at call time', async () => {
    await dt.setBackend(backend);
    const x = dt.tensor(data(64, 3), [8, 8]);
    try {
      for (const algorithm of ALGS) {
        dt.random.setAlgorithm(algorithm);
        const y = dt.random.statelessDropout(x, 0.3, [5, 6]);
        expectBitsEqual(await y.data() as Float32Array, dropoutValues(data(64, 3), [8, 8], 0.3, [5, 6], { algorithm }), algorithm);
        y.dispose();
      }
    } finally {
      dt.random.setAlgorithm('philox');
      x.dispose();
    }
  });

  it('gradient flows: dx = where(keep, dy, 0) scaled (mask * scale), matching the values of dropout(ones)', async () => {
    await dt.setBackend(backend);
    for (const algorithm of ALGS) {
      for (const noiseShape of [undefined, [1, 5]]) {
        const x = dt.tensor(data(15, 9), [3, 5]);
        const [dx] = dt.grad((t: dt.Tensor) => dt.sum(dt.random.statelessDropout(t, 0.4, [3, 1], { algorithm, noiseShape })))(x);
        const want = dropoutValues(new Float32Array(15).fill(1), [3, 5], 0.4, [3, 1], { algorithm, noiseShape: noiseShape ?? [3, 5] });
        expectBitsEqual(await dx.data() as Float32Array, want, `${algorithm} dx`);
        // rate 0 passes the gradient through; rate 1 gives zeros.
        const [d0] = dt.grad((t: dt.Tensor) => dt.sum(dt.random.statelessDropout(t, 0, [3, 1], { algorithm })))(x);
        const [d1] = dt.grad((t: dt.Tensor) => dt.sum(dt.random.statelessDropout(t, 1, [3, 1], { algorithm })))(x);
        expect(Array.from(await d0.data())).toEqual(new Array(15).fill(1));
        expect(Array.from(await d1.data())).toEqual(new Array(15).fill(0));
        dt.dispose([x, dx, d0, d1]);
      }
    }
  });

  it('statelessUniform / Normal / TruncatedNormal upload the host values exactly', async () => {
    await dt.setBackend(backend);
    for (const algorithm of ALGS) {
      const u = dt.random.statelessUniform([5, 7], [9, 2], { minval: -3, maxval: 4, algorithm });
      const z = dt.random.statelessNormal([5, 7], [9, 2], { mean: 1, stddev: 2, algorithm });
      const t = dt.random.statelessTruncatedNormal([5, 7], [9, 2], { mean: -1, stddev: 0.5, algorithm });
      expectBitsEqual(await u.data() as Float32Array, uniformValues([5, 7], [9, 2], { algorithm, minval: -3, maxval: 4 }));
      expectBitsEqual(await z.data() as Float32Array, normalValues([5, 7], [9, 2], { algorithm, mean: 1, stddev: 2 }));
      expectBitsEqual(await t.data() as Float32Array, truncatedNormalValues([5, 7], [9, 2], { algorithm, mean: -1, stddev: 0.5 }));
      // castSeed: false feeds the pair to TF's GenerateKey unchanged (differs from the Keras cast for seed >= 2^31 - 2).
      if (algorithm === 'philox') {
        const big: [number, number] = [2147483647, 0];
        const a = dt.random.statelessUniform([4], big, { algorithm, castSeed: false });
        const b = dt.random.statelessUniform([4], big, { algorithm });
        expectBitsEqual(await a.data() as Float32Array, uniformValues([4], big, { algorithm, castSeed: false }));
        expectBitsEqual(await b.data() as Float32Array, uniformValues([4], big, { algorithm }));
        dt.dispose([a, b]);
      }
      dt.dispose([u, z, t]);
    }
  });

  it('leaks nothing (forward and gradient)', async () => {
    await dt.setBackend(backend);
    const x = dt.tensor(data(12, 4), [3, 4]);
    await expectNoLeaks(() => {
      dt.random.statelessDropout(x, 0.5, [1, 2]).dispose();
      dt.random.statelessDropout(x, 0.5, [1, 2], { algorithm: 'threefry', noiseShape: [1, 4] }).dispose();
      dt.grad((t: dt.Tensor) => dt.sum(dt.random.statelessDropout(t, 0.5, [1, 2])))(x)[0].dispose();
    });
    x.dispose();
  });
}

describe('randomUniform op (cpu)', () => opSuite('cpu'));
describeWebGpu('randomUniform op (webgpu)', WEBGPU_UNAVAILABLE, () => opSuite('webgpu'));

describe('randomUniform and stateless* argument errors', () => {
  const key = [1, 2];
  it('randomUniform', () => {
    expect(() => adv.randomUniform([2, -1], { algorithm: 'philox', key })).toThrow(/^randomUniform: expected shape .*Received: shape=\[2, -1\]/);
    expect(() => adv.randomUniform([2], { algorithm: 'mt' as never, key })).toThrow(/^randomUniform: expected algorithm 'philox' or 'threefry'. Received: algorithm="mt"/);
    expect(() => adv.randomUniform([2], { algorithm: 'philox', key: [1, -2] })).toThrow(/^randomUniform: expected key of 2 u32 integers/);
    expect(() => adv.randomUniform([2], { algorithm: 'philox', key: [1, 2, 3] })).toThrow(/^randomUniform: expected key of 2 u32/);
    expect(() => adv.randomUniform([2], { algorithm: 'philox', key, counter: [1, 2, 3] })).toThrow(/^randomUniform: expected counter of 4 u32/);
    expect(() => adv.randomUniform([2], { algorithm: 'threefry', key, counter: [0, 0, 1, 0] })).toThrow(/^randomUniform: expected counter \[0, 0, 0, 0\] for algorithm 'threefry'/);
  });

  it('statelessUniform / Normal / TruncatedNormal', () => {
    const R = dt.random;
    expect(() => R.statelessUniform([2], [1] as never)).toThrow(/^statelessUniform: expected seed of two integers. Received: seed=\[1\]/);
    expect(() => R.statelessUniform([2], [1.5, 0])).toThrow(/^statelessUniform: expected seed of two integers/);
    expect(() => R.statelessUniform([2], [-1, 0], { algorithm: 'threefry' })).toThrow(/^statelessUniform: expected seed of two integers in \[0, 2\^32\) for algorithm 'threefry'/);
    expect(() => R.statelessUniform([2.5], [1, 0])).toThrow(/^statelessUniform: expected shape/);
    expect(() => R.statelessUniform([2], [1, 0], { minval: 2, maxval: 1 })).toThrow(/^statelessUniform: expected minval <= maxval. Received: minval=2, maxval=1/);
    expect(() => R.statelessUniform([2], [1, 0], { maxval: Infinity })).toThrow(/^statelessUniform: expected maxval to be a finite number/);
    expect(() => R.statelessUniform([2], [1, 0], { dtype: 'int32' })).toThrow(/^statelessUniform: expected dtype 'float32'/);
    expect(() => R.statelessUniform([2], [1, 0], { algorithm: 'x' as never })).toThrow(/^statelessUniform: expected algorithm/);
    expect(() => R.statelessNormal([2], [1, 0], { stddev: -1 })).toThrow(/^statelessNormal: expected stddev >= 0. Received: stddev=-1/);
    expect(() => R.statelessTruncatedNormal([2], [1, 0], { mean: NaN })).toThrow(/^statelessTruncatedNormal: expected mean to be a finite number/);
    expect(() => R.statelessNormal([2], [1, 0], { castSeed: 1 as never })).toThrow(/^statelessNormal: expected castSeed to be a boolean/);
  });

  it('statelessDropout', () => {
    const x = dt.ones([2, 3]);
    const R = dt.random;
    expect(() => R.statelessDropout(x, 1.5, [1, 0])).toThrow(/^statelessDropout: expected rate to be a number in \[0, 1\]. Received: rate=1.5/);
    expect(() => R.statelessDropout(x, NaN, [1, 0])).toThrow(/^statelessDropout: expected rate/);
    expect(() => R.statelessDropout(x, 0.5, [1, 0], { noiseShape: [2, 2] })).toThrow(/^statelessDropout: expected noiseShape of rank <= 2 with each dim equal to x's, 1 or null. Received: noiseShape=\[2, 2\], x.shape=\[2, 3\]/);
    expect(() => R.statelessDropout(x, 0.5, [1, 0], { noiseShape: [1, 2, 3] })).toThrow(/^statelessDropout: expected noiseShape/);
    expect(() => R.statelessDropout(x, 0.5, [1, 0, 2] as never)).toThrow(/^statelessDropout: expected seed of two integers/);
    const xi = dt.ones([2], 'int32');
    expect(() => R.statelessDropout(xi, 0.5, [1, 0])).toThrow(/^statelessDropout: expected x of dtype float32. Received: x.dtype=int32/);
    dt.dispose([x, xi]);
    expect(() => R.statelessDropout(x, 0.5, [1, 0])).toThrow(/^statelessDropout: expected a live tensor/);
  });
});
