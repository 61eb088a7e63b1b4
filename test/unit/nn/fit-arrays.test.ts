/**
 * fit / evaluate on arrays (issue 18): arrays give the bits of the equivalent Dataset (shuffle false, and shuffled
 * with the Dataset.shuffle order of the same seed), the shuffle seed comes from the global seed (reproducible,
 * different for another seed), validationSplit takes the last samples by Keras's `floor(n * (1 - split))`,
 * validationData arrays equal a Dataset, classWeight equals the explicit sampleWeight, and bad arguments fail clearly.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { makeDefaultSeed } from '../../../src/core/internal.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { epochPermutation } from '../../../src/nn/training/array-order.ts';
import { lcgValues } from './helpers.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());

const N = 20;
const x = dt.tensor(lcgValues(N * 4, 3), [N, 4]);
const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % 3);
const y = dt.tensor(labels, [N], 'int32');

/** A small seeded classifier. */
function model(seed = 1, o: { lr?: number; metrics?: string[]; reg?: boolean } = {}): dt.Sequential {
  const I = dt.initializers;
  const m = new dt.Sequential([
    dt.layers.Input({ shape: [4] }),
    new dt.layers.Dense(5, { activation: 'relu', kernelInitializer: new I.GlorotUniform({ seed }), ...(o.reg ? { kernelRegularizer: new dt.regularizers.L2({ l2: 0.01 }) } : {}) }),
    new dt.layers.Dense(3, { activation: 'softmax', kernelInitializer: new I.GlorotUniform({ seed: seed + 1 }) }),
  ]);
  m.compile({ optimizer: new dt.optimizers.SGD({ learningRate: o.lr ?? 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: o.metrics ?? ['accuracy'] });
  return m;
}

async function outcome(m: dt.Sequential, h: dt.History) {
  const r = { history: JSON.stringify(h.toJSON()), weights: await m.weightsDigest() };
  m.dispose();
  return r;
}

function rows(t: dt.Tensor, begin: number, n: number): dt.Tensor {
  return dt.slice(t, begin, n);
}

describe('fit on arrays', () => {
  it('equals the same data as a Dataset (shuffle false), validation arrays included; the caller keeps its tensors', async () => {
    const [xv, yv] = [rows(x, 14, 6), rows(y, 14, 6)];
    const a = model();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0, validationData: [xv, yv] });
    // A second fit (the lazily made metric accumulators exist now) leaves the tensor count as it was.
    const w = model();
    await w.fit(x, y, { batchSize: 6, verbose: 0, validationSplit: 0.2 });
    const before = dt.memory().numTensors;
    await w.fit(x, y, { epochs: 2, batchSize: 6, verbose: 0, validationSplit: 0.2 });
    expect(dt.memory().numTensors).toBe(before);
    w.dispose();
    const b = model();
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(6);
    const hb = await b.fit(ds, { epochs: 2, verbose: 0, validationData: dt.data.Dataset.fromTensorSlices([xv, yv]).batch(32) });
    expect(ha.params).toEqual({ verbose: 0, epochs: 2, steps: 4 });
    expect(Object.keys(ha.history)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(await outcome(a, ha)).toEqual(await outcome(b, hb));
    expect(x.isDisposed || y.isDisposed || xv.isDisposed).toBe(false);
    dt.dispose([xv, yv]);
  });

  it("the shuffled order is Dataset.shuffle's full-buffer order of the same seed", async () => {
    const n = 13;
    const idx = dt.tensor(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32');
    const ds = dt.data.Dataset.fromTensorSlices(idx).shuffle(n, { seed: 4242 });
    for (const epoch of [0, 1, 5]) {
      const got: number[] = [];
      for await (const t of ds.iterate(epoch)) {
        got.push((await t.data())[0]);
        t.dispose();
      }
      expect(Array.from(epochPermutation(4242, epoch, n))).toEqual(got);
    }
    idx.dispose();
  });

  it('shuffle (default true) takes its seed from the global seed: reproducible, different for another seed, equal to Dataset.shuffle', async () => {
    const run = async (seed: number) => {
      dt.utils.setRandomSeed(seed);
      const m = model();
      return outcome(m, await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 }));
    };
    const r1 = await run(7);
    expect(await run(7)).toEqual(r1);
    expect((await run(8)).weights).not.toBe(r1.weights);
    // The seed is the first makeDefaultSeed() draw after setRandomSeed(7): a Dataset shuffled with it gives the same bits.
    dt.utils.setRandomSeed(7);
    const m = model();
    const seed = makeDefaultSeed();
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).shuffle(N, { seed }).batch(8);
    expect(await outcome(m, await m.fit(ds, { epochs: 2, verbose: 0 }))).toEqual(r1);
  });

  it('validationSplit holds out the last floor(n * (1 - split)) .. n samples, before shuffling', async () => {
    const split = 0.3; // floor(20 * 0.7) = 14 train samples
    const a = model();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 5, shuffle: false, validationSplit: split, verbose: 0 });
    const [xt, yt, xv, yv] = [rows(x, 0, 14), rows(y, 0, 14), rows(x, 14, 6), rows(y, 14, 6)];
    const b = model();
    const hb = await b.fit(xt, yt, { epochs: 2, batchSize: 5, shuffle: false, validationData: [xv, yv], verbose: 0 });
    expect(ha.params.steps).toBe(3);
    expect(await outcome(a, ha)).toEqual(await outcome(b, hb));
    // Keras's float64 rule: 1000 * (1 - 0.07) = 929.9999999999999, so 929 samples train (one batch of 929), not 930.
    const xs = dt.zeros([1000, 4]);
    const ys = dt.zeros([1000], 'int32');
    const c = model();
    const hc = await c.fit(xs, ys, { batchSize: 929, validationSplit: 0.07, verbose: 0 });
    expect(hc.params.steps).toBe(1);
    await expect(c.fit(x, y, { validationSplit: 0.99, verbose: 0 })).rejects.toThrow(/^fit: training data contains 20 samples, which is not sufficient to split it/);
    c.dispose();
    dt.dispose([xt, yt, xv, yv, xs, ys]);
  });

  it('classWeight equals the explicit sampleWeight (arrays and Dataset), for sparse and one-hot labels', async () => {
    const classWeight = { 0: 0.5, 2: 3 }; // class 1 weighs 1
    const sw = dt.tensor(Float32Array.from(labels, (c) => (c === 0 ? 0.5 : c === 2 ? 3 : 1)), [N]);
    const a = model();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, classWeight, verbose: 0 });
    const b = model();
    const hb = await b.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, sampleWeight: sw, verbose: 0 });
    const expected = await outcome(b, hb);
    expect(await outcome(a, ha)).toEqual(expected);
    // A Dataset's batches get the same weights from their labels.
    const c = model();
    const hc = await c.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(8), { epochs: 2, classWeight, verbose: 0 });
    expect(await outcome(c, hc)).toEqual(expected);
    // ... and a Dataset may carry sample weights itself: [x, y, sampleWeight].
    const d = model();
    const hd = await d.fit(dt.data.Dataset.fromTensorSlices([x, y, sw]).batch(8), { epochs: 2, verbose: 0 });
    expect(await outcome(d, hd)).toEqual(expected);
    // One-hot labels: the class is argmax(y).
    const oneHot = dt.oneHot(y, 3);
    const mk = () => {
      const m = model();
      m.compile({ optimizer: new dt.optimizers.SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy' });
      return m;
    };
    const e = mk();
    const he = await e.fit(x, oneHot, { batchSize: 8, shuffle: false, classWeight, verbose: 0 });
    const f = mk();
    const hf = await f.fit(x, oneHot, { batchSize: 8, shuffle: false, sampleWeight: sw, verbose: 0 });
    expect(await outcome(e, he)).toEqual(await outcome(f, hf));
    dt.dispose([sw, oneHot]);
  });

  it('evaluate on arrays equals evaluate on the Dataset, with sample weights too', async () => {
    const m = model();
    const sw = dt.tensor(Float32Array.from({ length: N }, (_, i) => 1 + (i % 4)), [N]);
    const a = await m.evaluate(x, y, { batchSize: 6, verbose: 0 });
    const b = await m.evaluate(dt.data.Dataset.fromTensorSlices([x, y]).batch(6), { verbose: 0 });
    expect(a).toEqual(b);
    const c = await m.evaluate(x, y, { batchSize: 6, verbose: 0, sampleWeight: sw });
    const d = await m.evaluate(dt.data.Dataset.fromTensorSlices([x, y, sw]).batch(6), { verbose: 0 });
    expect(c).toEqual(d);
    expect(c[0]).not.toBe(a[0]);
    expect(c[1]).toBe(a[1]); // metrics are not weighted (Keras's `metrics`)
    sw.dispose();
    m.dispose();
  });

  it('bad arguments fail clearly and leave nothing behind', async () => {
    const m = model();
    const before = dt.memory().numTensors;
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(4);
    const y5 = dt.zeros([5], 'int32');
    await expect(m.fit(x, y, { batchSize: 4, verbose: 0, shufle: true } as dt.FitOptions)).rejects.toThrow(/^fit: unrecognized options {shufle}/);
    await expect(m.fit(x, y5)).rejects.toThrow(/^fit: expected x and y with the same number of samples/);
    await expect(m.fit(ds, { validationSplit: 0.2 })).rejects.toThrow(/^fit: validationSplit applies to array data/);
    await expect(m.fit(ds, { batchSize: 4 })).rejects.toThrow(/^fit: batchSize applies to array data/);
    await expect(m.fit(ds, { shuffle: true })).rejects.toThrow(/^fit: shuffle applies to array data/);
    await expect(m.fit(x as unknown as dt.BatchSource)).rejects.toThrow(/^fit: expected labels y with array x/);
    await expect(m.fit(ds, y as unknown as dt.FitOptions)).rejects.toThrow(/^fit: expected fit\(x, y, options\) with array x/);
    await expect(m.fit(x, y, { batchSize: 0 })).rejects.toThrow(/^fit: expected batchSize to be a positive integer/);
    await expect(m.fit(x, y, { validationSplit: 1 })).rejects.toThrow(/^fit: expected validationSplit to be a number in \[0, 1\)/);
    await expect(m.fit(x, y, { classWeight: { 0: 1 }, sampleWeight: dt.ones([N]) })).rejects.toThrow(/^fit: expected classWeight or sampleWeight, not both/);
    await expect(m.fit(x, y, { classWeight: { a: 1 } as unknown as Record<number, number> })).rejects.toThrow(/^fit: expected classWeight keys to be class indices/);
    await expect(m.fit(x, y, { validationFreq: 0 })).rejects.toThrow(/^fit: expected validationFreq to be a positive integer or a list/);
    await expect(m.fit(x, y, { validationSteps: 2 })).rejects.toThrow(/^fit: validationSteps applies to validation data/);
    await expect(m.fit(x, y, { validationData: [x] as unknown as [dt.Tensor, dt.Tensor] })).rejects.toThrow(/^fit: expected validationData to be a Dataset or arrays/);
    await expect(m.evaluate(ds, { batchSize: 4 })).rejects.toThrow(/^evaluate: batchSize applies to array data/);
    await expect(m.evaluate(x, y, { returnDict: 1 } as unknown as dt.EvaluateOptions)).rejects.toThrow(/^evaluate: expected returnDict true or false/);
    expect(dt.memory().numTensors).toBe(before + 2); // y5 and the dt.ones of the classWeight case: ours to dispose
    y5.dispose();
    m.dispose();
  });
});
