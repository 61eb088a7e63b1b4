/**
 * Normalization (Keras 3 preprocessing layer):
 * - adapt on a Tensor, on a batched Dataset (uneven last batch), on a Dataset of [x, y] tuples and of unbatched
 *   rank-1 samples gives the same mean and variance bits (one Welford float64 pass in row-major order), equal to the
 *   float64 two-pass mean and population variance rounded to float32 (ties aside: checked within 1 ulp);
 * - the weights mean / variance / count (non-trainable, count int32 and 0 as in Keras), axis null / several axes;
 * - call: (x - mean) / max(sqrt(var), 1e-7), invert, given mean/variance (right-aligned to the kept axes), the
 *   gradient in x; Keras's documented examples; errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { describeGradcheck, uniform } from '../../util/gradcheck.ts';
import { ulpDistance } from '../../util/compare.ts';

const L = dt.layers;
beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(() => dt.shutdown());

const data = (n: number, f: number, seed: number) => Float32Array.from({ length: n * f }, (_, i) => Math.fround(Math.sin(i * 0.37 + seed) * 50 + (i % f) * 100 + 1000));

/** Two-pass float64 mean and population variance per column of an [n, f] row-major array. */
function stats64(v: Float32Array, n: number, f: number): [number[], number[]] {
  const mean = Array.from({ length: f }, (_, k) => { let s = 0; for (let i = 0; i < n; i++) s += v[i * f + k]; return s / n; });
  const vr = Array.from({ length: f }, (_, k) => { let s = 0; for (let i = 0; i < n; i++) s += (v[i * f + k] - mean[k]) ** 2; return s / n; });
  return [mean, vr];
}

async function weightsOf(l: dt.layers.Normalization): Promise<[Float32Array, Float32Array]> {
  return [(await l.mean!.data()) as Float32Array, (await l.variance!.data()) as Float32Array];
}

describe('Normalization.adapt', () => {
  it('a Tensor and the same values as batched Datasets give the same bits, ~the float64 statistics', async () => {
    const n = 203;
    const f = 3;
    const v = data(n, f, 1);
    const x = dt.tensor(v, [n, f]);
    const a = new L.Normalization();
    await a.adapt(x);
    const [m, vr] = await weightsOf(a);
    const [m64, v64] = stats64(v, n, f);
    for (let k = 0; k < f; k++) {
      expect(ulpDistance(m[k], Math.fround(m64[k]))).toBeLessThanOrEqual(1);
      expect(ulpDistance(vr[k], Math.fround(v64[k]))).toBeLessThanOrEqual(1);
    }
    const y = dt.zeros([n]);
    const sources: AsyncIterable<unknown>[] = [
      dt.data.Dataset.fromTensorSlices(x).batch(32),
      dt.data.Dataset.fromTensorSlices([x, y]).batch(50),
      dt.data.Dataset.fromTensorSlices(x), // rank-1 elements: one sample each (Keras batches them)
    ];
    for (const ds of sources) {
      const b = new L.Normalization();
      await b.adapt(ds);
      const [mb, vb] = await weightsOf(b);
      expect(Buffer.from(mb.buffer)).toEqual(Buffer.from(m.buffer));
      expect(Buffer.from(vb.buffer)).toEqual(Buffer.from(vr.buffer));
      b.dispose();
    }
    expect(x.isDisposed).toBe(false); // the caller's tensor is not disposed
    // the weights: non-trainable mean, variance, count (int32, 0 as in Keras 3)
    expect(a.trainableWeights).toEqual([]);
    expect(a.weights.map((w) => [w.name, w.shape, w.dtype])).toEqual([
      [`${a.name}/mean`, [3], 'float32'], [`${a.name}/variance`, [3], 'float32'], [`${a.name}/count`, [], 'int32'],
    ]);
    expect(Array.from(await a.weights[2].data())).toEqual([0]);
    // call normalizes with those weights
    const z = a.apply(x);
    const zd = await z.data();
    for (let i = 0; i < 6; i++) {
      const k = i % f;
      const want = Math.fround(Math.fround(v[i] - m[k]) / Math.fround(Math.sqrt(vr[k])));
      expect(zd[i]).toBe(want);
    }
    dt.dispose([x, y, z]);
    a.dispose();
  });

  it('axis null and several axes; the statistics of a tiny case are exact', async () => {
    const x = dt.tensor([1, 2, 3, 4, 5], [5]);
    const l = new L.Normalization({ axis: null });
    await l.adapt(x);
    const out = l.apply(dt.tensor([1, 2, 3], [3]));
    // Keras's documented example: array([-1.4142135, -0.70710677, 0.], dtype=float32)
    expect(Array.from(await out.data())).toEqual([-1.4142135381698608, -0.7071067690849304, 0]);
    expect(l.mean!.shape).toEqual([]);
    const x2 = dt.tensor(Float32Array.from({ length: 4 * 2 * 3 }, (_, i) => i), [4, 2, 3]);
    const l2 = new L.Normalization({ axis: [1, -1] });
    await l2.adapt(x2);
    expect(l2.mean!.shape).toEqual([2, 3]);
    // position (j, k) sees j*3 + k + 6 * {0, 1, 2, 3}: mean j*3 + k + 9, variance 36 * 1.25 = 45
    expect(Array.from(await l2.mean!.data())).toEqual([9, 10, 11, 12, 13, 14]);
    expect(Array.from(await l2.variance!.data())).toEqual([45, 45, 45, 45, 45, 45]);
    dt.dispose([x, out, x2]);
  });

  it('Keras\'s per-feature example, invert, and given mean/variance', async () => {
    const adaptData = dt.tensor([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]);
    const l = new L.Normalization({ axis: -1 });
    await l.adapt(adaptData);
    const y = l.apply(dt.tensor([[0, 7, 4]]));
    expect(Array.from(await y.data())).toEqual([-1, -1, -1]);
    const inv = new L.Normalization({ axis: -1, invert: true });
    await inv.adapt(adaptData);
    expect(Array.from(await inv.apply(dt.tensor([[-1, -1, -1]])).data())).toEqual([0, 7, 4]);
    const given = new L.Normalization({ mean: 3, variance: 2 });
    expect(Array.from(await given.apply(dt.tensor([[1], [2], [3]])).data())).toEqual([-1.4142135381698608, -0.7071067690849304, 0]);
    expect(given.weights).toEqual([]);
    const perAxis = new L.Normalization({ axis: [1, 2], mean: [1, 2], variance: [4, 4] });
    const p = perAxis.apply(dt.ones([1, 2, 2]));
    expect(Array.from(await p.data())).toEqual([0, -0.5, 0, -0.5]);
    // variance 0: the standard deviation is floored at 1e-7
    const zero = new L.Normalization({ mean: 0, variance: 0 });
    expect(Array.from(await zero.apply(dt.tensor([[1e-7]])).data())).toEqual([1]);
    await expect(given.adapt(adaptData)).rejects.toThrow(/adapt: expected a layer without a given mean and variance/);
    adaptData.dispose();
  });

  it('config and shape errors', async () => {
    expect(() => new L.Normalization({ mean: 1 })).toThrow(/^Normalization: expected both mean and variance, or neither/);
    expect(() => new L.Normalization({ mean: [1, 2], variance: [1] })).toThrow(/same shape/);
    expect(() => new L.Normalization({ mean: [[1]], variance: [[1]] })).toThrow(/rank <= the number of kept axes \(1\)/);
    expect(() => new L.Normalization({ axis: [1, 1] })).toThrow(/^Normalization: expected axis to be an integer, an array of distinct integers or null/);
    expect(() => new L.Normalization({ axis: 1.5 })).toThrow(dt.ArgumentError);
    expect(() => new L.Normalization({ invert: 1 as unknown as boolean })).toThrow(/invert to be a boolean/);
    expect(() => new L.Normalization({ means: 1 } as object)).toThrow(/unrecognized options \{means\}/);
    const x = dt.zeros([2, 3]);
    expect(() => new L.Normalization({ axis: 2 }).apply(x)).toThrow(/expected every axis in \[-2, 2\)/);
    expect(() => new L.Normalization({ axis: 0 }).apply(x)).toThrow(/axis 0 is the batch axis/);
    expect(() => new L.Normalization({ mean: [1, 2], variance: [1, 1] }).apply(x)).toThrow(/broadcasts to the kept axes \[3\]/);
    const l = new L.Normalization();
    await l.adapt(x);
    await expect(l.adapt(dt.zeros([2, 4]))).rejects.toThrow(dt.ShapeError);
    await expect(new L.Normalization().adapt(dt.data.Dataset.fromTensorSlices(x).take(0))).rejects.toThrow(/at least one sample/);
    await expect(new L.Normalization().adapt(42 as unknown as dt.Tensor)).rejects.toThrow(/expected a Tensor or an iterable of batches/);
    x.dispose();
  });
});

const m = [0.5, -1, 2];
const s = [2, 0.5, 3];
describeGradcheck('Normalization: gradient in x against float64 central differences', [
  {
    name: 'Normalization given mean/variance',
    f: (x) => new L.Normalization({ mean: m, variance: s.map((v) => v * v) }).apply(x),
    ref: (x) => ({ shape: x.shape, data: x.data.map((v, i) => (v - m[i % 3]) / s[i % 3]) }),
    inputs: [uniform([4, 3])],
  },
  {
    name: 'Normalization invert',
    f: (x) => new L.Normalization({ mean: m, variance: s.map((v) => v * v), invert: true }).apply(x),
    ref: (x) => ({ shape: x.shape, data: x.data.map((v, i) => m[i % 3] + v * s[i % 3]) }),
    inputs: [uniform([4, 3])],
  },
]);
