/**
 * The noise layers GaussianNoise, GaussianDropout and SpatialDropout2D (Keras 3):
 * - the identity at inference (the same tensor back);
 * - in training, exactly x + statelessNormal(0, stddev), x * statelessNormal(1, sqrt(rate / (1 - rate))) and
 *   statelessDropout with noise shape [N, 1, 1, C], each with the next seed pair of a SeedGenerator of the layer's seed;
 * - determinism: fresh layers with the same seed give the same values call by call, the next call differs, another
 *   seed differs; the generator is found by the checkpoint code (layerSeedGenerators);
 * - statistics of the noise on a large tensor, whole channels dropped, the gradient in x, config errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { layerSeedGenerators } from '../../../src/nn/checkpoint/parts.ts';
import type { CheckpointedModel } from '../../../src/nn/checkpoint/training-run.ts';

const L = dt.layers;
beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(() => dt.shutdown());

const bits = async (t: dt.Tensor) => Buffer.from((await t.data()).buffer);
const wave = (shape: number[]) => dt.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.77) * 2), shape);

type Make = (seed: number) => dt.layers.Layer;
const makers: [string, Make, number[]][] = [
  ['GaussianNoise', (seed) => new L.GaussianNoise(0.3, { seed }), [3, 5, 4]],
  ['GaussianDropout', (seed) => new L.GaussianDropout(0.4, { seed }), [3, 5, 4]],
  ['SpatialDropout2D', (seed) => new L.SpatialDropout2D(0.5, { seed }), [4, 3, 3, 8]],
];

describe('noise layers: inference, exact training values, determinism', () => {
  for (const [name, make, shape] of makers) {
    it(`${name}: identity at inference; same seed same values call by call; next call and another seed differ`, async () => {
      const x = wave(shape);
      const a = make(7);
      expect(a.apply(x)).toBe(x);
      expect(a.apply(x, { training: false })).toBe(x);
      const b = make(7);
      const c = make(8);
      const a1 = a.apply(x, { training: true });
      const a2 = a.apply(x, { training: true });
      const b1 = b.apply(x, { training: true });
      const b2 = b.apply(x, { training: true });
      const c1 = c.apply(x, { training: true });
      expect(await bits(a1)).toEqual(await bits(b1));
      expect(await bits(a2)).toEqual(await bits(b2));
      expect(await bits(a1)).not.toEqual(await bits(a2));
      expect(await bits(a1)).not.toEqual(await bits(c1));
      expect(await bits(a1)).not.toEqual(await bits(x));
      // the checkpoint code sees the layer's generator
      expect([...layerSeedGenerators({ layers: [a, b] } as unknown as CheckpointedModel).keys()]).toEqual([a.name, b.name]);
      dt.dispose([x, a1, a2, b1, b2, c1]);
    });
  }

  it('training values are exactly the stateless draws with the next seed pairs of SeedGenerator(seed)', async () => {
    const x = wave([2, 3, 4, 5]);
    const g = new dt.random.SeedGenerator(11);
    const noise = new L.GaussianNoise(0.25, { seed: 11 });
    for (let step = 0; step < 2; step++) {
      const z = dt.random.statelessNormal(x.shape, g.next() as [number, number], { stddev: 0.25 });
      const want = dt.add(x, z);
      const got = noise.apply(x, { training: true });
      expect(await bits(got)).toEqual(await bits(want));
      dt.dispose([z, want, got]);
    }
    const g2 = new dt.random.SeedGenerator(12);
    const z2 = dt.random.statelessNormal(x.shape, g2.next() as [number, number], { mean: 1, stddev: Math.sqrt(0.2 / 0.8) });
    const gd = new L.GaussianDropout(0.2, { seed: 12 }).apply(x, { training: true });
    const want2 = dt.mul(x, z2);
    expect(await bits(gd)).toEqual(await bits(want2));
    const g3 = new dt.random.SeedGenerator(13);
    const sd = new L.SpatialDropout2D(0.3, { seed: 13 }).apply(x, { training: true });
    const want3 = dt.random.statelessDropout(x, 0.3, g3.next() as [number, number], { noiseShape: [2, 1, 1, 5] });
    expect(await bits(sd)).toEqual(await bits(want3));
    dt.dispose([x, z2, gd, want2, sd, want3]);
  });
});

describe('noise layers: statistics and gradients', () => {
  it('GaussianNoise and GaussianDropout noise has the right mean and standard deviation', async () => {
    const n = 100_000;
    const moments = async (t: dt.Tensor): Promise<[number, number]> => {
      const v = await t.data();
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i];
      const m = s / n;
      let q = 0;
      for (let i = 0; i < n; i++) q += (v[i] - m) ** 2;
      return [m, Math.sqrt(q / n)];
    };
    const zeros = dt.zeros([n]);
    const ones = dt.ones([n]);
    const gn = new L.GaussianNoise(0.5, { seed: 3 }).apply(zeros, { training: true });
    const [m1, s1] = await moments(gn);
    expect(Math.abs(m1)).toBeLessThan(0.01); // 4.5 standard errors (0.5 / sqrt(1e5) = 0.0016)
    expect(Math.abs(s1 - 0.5)).toBeLessThan(0.01);
    const gd = new L.GaussianDropout(0.6, { seed: 3 }).apply(ones, { training: true });
    const [m2, s2] = await moments(gd);
    const sd = Math.sqrt(0.6 / 0.4);
    expect(Math.abs(m2 - 1)).toBeLessThan(0.025);
    expect(Math.abs(s2 - sd)).toBeLessThan(0.025);
    dt.dispose([zeros, ones, gn, gd]);
  });

  it('SpatialDropout2D drops whole channel maps, about rate of them, and scales the rest', async () => {
    const [n, h, w, c] = [50, 2, 3, 40];
    const x = dt.ones([n, h, w, c]);
    const y = new L.SpatialDropout2D(0.25, { seed: 5 }).apply(x, { training: true });
    const v = await y.data();
    let dropped = 0;
    for (let b = 0; b < n; b++) for (let k = 0; k < c; k++) {
      const first = v[b * h * w * c + k];
      expect([0, Math.fround(1 / 0.75)]).toContain(first);
      for (let p = 0; p < h * w; p++) expect(v[(b * h * w + p) * c + k]).toBe(first);
      if (first === 0) dropped++;
    }
    expect(Math.abs(dropped / (n * c) - 0.25)).toBeLessThan(0.04); // 2000 channels: 4 standard errors
    dt.dispose([x, y]);
  });

  it('gradients: dy through GaussianNoise, dy * noise through GaussianDropout and SpatialDropout2D', async () => {
    const x = wave([2, 3, 3, 4]);
    const v = wave([2, 3, 3, 4]);
    for (const [, make] of makers) {
      const noiseOf = make(21); // a twin: the same draw as the first call of make(21)
      const layer = make(21);
      const [g] = dt.grad((t) => dt.sum(dt.mul(layer.apply(t, { training: true }), v)))(x);
      let want: dt.Tensor;
      if (layer instanceof L.GaussianNoise) want = dt.clone(v);
      else {
        const ones = dt.ones(x.shape);
        const m = noiseOf.apply(ones, { training: true }); // the multiplier itself
        want = dt.mul(v, m);
        dt.dispose([ones, m]);
      }
      // equal values (+0 where dropout's gradient is where(keep, dy, 0) and v * 0 may be -0)
      expect(Array.from(await g.data(), (e) => e + 0)).toEqual(Array.from(await want.data(), (e) => e + 0));
      dt.dispose([g, want]);
    }
    dt.dispose([x, v]);
  });

  it('config errors', () => {
    expect(() => new L.GaussianNoise(-0.1)).toThrow(/^GaussianNoise: expected stddev in \[0, 1\]/);
    expect(() => new L.GaussianNoise(1.5)).toThrow(dt.ArgumentError);
    expect(() => new L.GaussianNoise(0.1, { seed: 1.5 })).toThrow(/^GaussianNoise: expected an integer seed\. Received: seed=1\.5/);
    expect(() => new L.GaussianDropout(1)).toThrow(/^GaussianDropout: expected rate in \[0, 1\)\. Received: rate=1/);
    expect(() => new L.SpatialDropout2D(1.2)).toThrow(/^SpatialDropout2D: expected rate in \[0, 1\]/);
    expect(() => new L.SpatialDropout2D(0.1, { noiseShape: [1] } as object)).toThrow(/unrecognized options \{noiseShape\}/);
    expect(() => new L.SpatialDropout2D(0.1, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/channels_first/);
    const x = dt.zeros([2, 3]);
    expect(() => new L.SpatialDropout2D(0.1).apply(x, { training: true })).toThrow(dt.ShapeError);
    expect(new L.GaussianNoise(0).seedGenerator).toBeUndefined();
    expect(new L.GaussianDropout(0).apply(x, { training: true })).toBe(x);
    x.dispose();
  });
});
