/**
 * The training API on small models: fit learns (also without a declared input shape), History
 * keys/params/bits, evaluate returns [loss, ...metrics] equal to the validation logs, predict
 * returns a tensor, get/setWeights, the live-tensor count is the same after epoch 1 and epoch 3
 * and nothing leaks (also after errors), and bad input gives a clear error naming the problem.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { History } from '../../../src/nn/history.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { expectBitsEqual } from '../../util/compare.ts';
import { bandImages, batches, bits, smallCnn } from './helpers.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());

/** Resolves to the error a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('fit', () => {
  it('learns the toy task; History has Keras keys, params and float32 bits', async () => {
    const [x, y] = bandImages(48, 1);
    const model = smallCnn({ inputShape: false, dropout: 0 }); // no declared input shape, as in the Keras example
    model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(batches(x, y, 16), { epochs: 6, verbose: 0 });
    expect(h).toBeInstanceOf(dt.History);
    expect(Object.keys(h.history)).toEqual(['accuracy', 'loss']);
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.params).toEqual({ verbose: 0, epochs: 6, steps: 3 });
    expect(h.history.loss[5]).toBeLessThan(h.history.loss[0] * 0.7);
    expect(h.history.accuracy[5]).toBeGreaterThan(0.8);
    for (const v of [...h.history.loss, ...h.history.accuracy]) expect(Math.fround(v)).toBe(v);
    // accuracy over 48 samples is a multiple of 1/48 (batch-size-weighted mean)
    for (const a of h.history.accuracy) expect(Math.abs(a * 48 - Math.round(a * 48))).toBeLessThan(1e-4);
    const j = h.toJSON();
    expect(j.bits.loss).toEqual(h.history.loss.map(bits));
    const back = History.fromJSON(JSON.parse(JSON.stringify(j)));
    expect(back.history).toEqual(h.history);
    expect(back.epoch).toEqual(h.epoch);
    expect(model.compiled!.optimizer.iterations).toBe(18);
    dt.dispose([x, y]);
    model.dispose();
  });

  it('initialEpoch resumes the epoch numbering', async () => {
    const [x, y] = bandImages(16, 2);
    const model = smallCnn();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const h = await model.fit(batches(x, y, 8), { epochs: 3, initialEpoch: 1, verbose: 0 });
    expect(h.epoch).toEqual([1, 2]);
    expect(Object.keys(h.history)).toEqual(['loss']);
    dt.dispose([x, y]);
    model.dispose();
  });

  it('any async iterable works; an unknown step count is learnt from the first epoch', async () => {
    const [x, y] = bandImages(24, 3);
    const ds = batches(x, y, 8);
    const source = { [Symbol.asyncIterator]: () => ds.iterate(0) }; // no cardinality()
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const h = await model.fit(source, { epochs: 2, verbose: 0 });
    expect(h.params.steps).toBe(3);
    expect(h.history.loss.length).toBe(2);
    dt.dispose([x, y]);
    model.dispose();
  });
});

describe('memory', () => {
  it('the live-tensor count is the same after epoch 1 and epoch 3 (dropout, metrics, validation)', async () => {
    const [x, y] = bandImages(32, 4);
    const [vx, vy] = bandImages(16, 5);
    const model = smallCnn({ dropout: 0.3 });
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const counts: { numTensors: number; numBuffers: number }[] = [];
    await model.fit(batches(x, y, 8), { epochs: 3, verbose: 0, validationData: batches(vx, vy, 8), callbacks: [{ onEpochEnd: () => { counts.push(dt.memory()); } }] });
    expect(counts.length).toBe(3);
    expect(counts[2]).toEqual(counts[0]);
    expect(counts[1]).toEqual(counts[0]);
    // evaluate and a disposed prediction leave nothing behind either
    await model.evaluate(batches(vx, vy, 8), { verbose: 0 });
    (await model.predict(vx)).dispose();
    expect(dt.memory()).toEqual(counts[0]);
    dt.dispose([x, y, vx, vy]);
    model.dispose();
  });

  it('a model built, trained, evaluated and disposed leaves no tensors or buffers', async () => {
    const [x, y] = bandImages(16, 6);
    const before = dt.memory();
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(batches(x, y, 8), { epochs: 2, verbose: 0, validationData: batches(x, y, 8) });
    await model.evaluate(batches(x, y, 8), { verbose: 0 });
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' }); // recompiling releases the old trackers
    model.dispose();
    expect(dt.memory()).toEqual(before);
    dt.dispose([x, y]);
  });
});

describe('evaluate and predict', () => {
  it('evaluate returns [loss, ...metrics], equal to the last epoch\'s validation logs', async () => {
    const [x, y] = bandImages(24, 7);
    const [vx, vy] = bandImages(20, 8);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(batches(x, y, 8), { epochs: 2, verbose: 0, validationData: batches(vx, vy, 8) });
    expect(Object.keys(h.history)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const r = await model.evaluate(batches(vx, vy, 8), { verbose: 0 });
    expect(r.length).toBe(2);
    expect(bits(r[0])).toBe(bits(h.history.val_loss[1]));
    expect(bits(r[1])).toBe(bits(h.history.val_accuracy[1]));
    // the loss is the batch-size-weighted mean over 8 + 8 + 4 samples of the per-batch losses
    const probs = await model.predict(vx);
    const p = (await probs.data()) as Float32Array;
    const labels = await vy.data();
    let nll = 0;
    for (let i = 0; i < 20; i++) nll -= Math.log(p[i * 3 + labels[i]]);
    expect(r[0]).toBeCloseTo(nll / 20, 5);
    probs.dispose();
    // no metrics: [loss]
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    expect((await model.evaluate(batches(vx, vy, 8), { verbose: 0 })).length).toBe(1);
    dt.dispose([x, y, vx, vy]);
    model.dispose();
  });

  it('predict returns a tensor: batched over a tensor or over a dataset, dropout off', async () => {
    const [x, y] = bandImages(13, 9);
    const model = smallCnn({ dropout: 0.5 });
    const whole = model.call(x);
    const p1 = await model.predict(x, { batchSize: 5 });
    expect(p1).toBeInstanceOf(dt.Tensor);
    expect(p1.shape).toEqual([13, 3]);
    expectBitsEqual((await p1.data()) as Float32Array, (await whole.data()) as Float32Array, 'predict vs call');
    const p2 = await model.predict(batches(x, y, 4));
    expect(p2.shape).toEqual([13, 3]);
    expectBitsEqual((await p2.data()) as Float32Array, (await whole.data()) as Float32Array, 'predict(dataset) vs call');
    const rows = (await p1.data()) as Float32Array;
    for (let i = 0; i < 13; i++) expect(rows[3 * i] + rows[3 * i + 1] + rows[3 * i + 2]).toBeCloseTo(1, 5);
    await expect(model.predict(x, { batchSize: 0 })).rejects.toThrow(/^predict: expected a positive integer batchSize. Received: 0/);
    dt.dispose([x, y, whole, p1, p2]);
    model.dispose();
  });
});

describe('getWeights / setWeights', () => {
  it('copies out and in, in `weights` order; a bad list changes nothing', async () => {
    const a = smallCnn({ seed: 1 });
    const b = smallCnn({ seed: 10 });
    const wa = a.getWeights();
    expect(wa.map((w) => w.shape)).toEqual([[3, 3, 1, 4], [4], [4, 3], [3]]);
    expect(await b.weightsDigest()).not.toBe(await a.weightsDigest());
    b.setWeights(wa);
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    dt.dispose(wa); // copies: the model keeps its weights
    expect(await a.weightsDigest()).toBe(await b.weightsDigest());
    const c = smallCnn({ seed: 11 });
    const dc = await c.weightsDigest();
    const ws = a.getWeights();
    expect(() => c.setWeights(ws.slice(0, 3))).toThrow(/^setWeights: expected 4 tensors. Received: 3/);
    const swapped = [ws[0], ws[1], ws[3], ws[2]];
    const e = (() => { try { c.setWeights(swapped); } catch (err) { return err as Error; } })();
    expect(e).toBeInstanceOf(dt.ShapeError);
    expect(e!.message).toBe("setWeights: expected tensor 2 ('dense_2/kernel') of shape [4, 3]. Received: [3]");
    expect(await c.weightsDigest()).toBe(dc);
    dt.dispose(ws);
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('bad input: clear errors, nothing leaked', () => {
  it('fit/evaluate before compile', async () => {
    const [x, y] = bandImages(8, 1);
    const model = smallCnn();
    for (const p of [model.fit(batches(x, y, 4)), model.evaluate(batches(x, y, 4))]) {
      const e = await rejection(p);
      expect(e).toBeInstanceOf(dt.ArgumentError);
      expect(e.message).toMatch(/^(fit|evaluate): the model must be compiled first: call model.compile\(\{ optimizer, loss, metrics \}\)/);
    }
    dt.dispose([x, y]);
    model.dispose();
  });

  it('unknown loss, optimizer or metric names and missing options; a rejected compile changes nothing', async () => {
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    expect(() => model.compile({ optimizer: 'adam', loss: 'ctc' })).toThrow(/^losses.get: unknown loss 'ctc'/);
    expect(() => model.compile({ optimizer: 'rmsprops', loss: 'mse' })).toThrow(/^compile: unknown optimizer "rmsprops". Expected one of 'sgd', 'rmsprop', .*'lion', 'ftrl' or an Optimizer instance/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['aucc'] })).toThrow(/^compile: unknown metric 'aucc'/);
    expect(() => model.compile({ loss: 'mse' } as dt.CompileOptions)).toThrow(/^compile: expected an optimizer/);
    expect(() => model.compile({ optimizer: 'adam' } as dt.CompileOptions)).toThrow(/^compile: expected a loss/);
    const [x, y] = bandImages(8, 4);
    const h = await model.fit(batches(x, y, 4), { verbose: 0 }); // still compiled as before the rejected calls
    expect(Object.keys(h.history)).toEqual(['accuracy', 'loss']);
    dt.dispose([x, y]);
    model.dispose();
  });

  it('wrong rank or channels, labels out of range, float labels, mismatched batch sizes, no labels', async () => {
    const [x, y] = bandImages(8, 2);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(batches(x, y, 8), { verbose: 0 }); // optimizer slots and metric trackers exist from here on
    const one = (xs: dt.Tensor, ys?: dt.Tensor) => ({ async *[Symbol.asyncIterator]() { yield ys ? [xs, ys] : [xs]; } });
    const cases: [() => [dt.Tensor, dt.Tensor?], typeof dt.TensorEngineError, RegExp][] = [
      [() => [dt.zeros([4, 8, 8]), dt.zeros([4], 'int32')], dt.ShapeError, /^sequential: expected input of shape \(None, 8, 8, 1\). Received: x.shape=\[4, 8, 8\]/],
      [() => [dt.zeros([4, 8, 8, 3]), dt.zeros([4], 'int32')], dt.ShapeError, /^sequential: expected input of shape \(None, 8, 8, 1\). Received: x.shape=\[4, 8, 8, 3\]/],
      [() => [dt.zeros([4, 8, 8, 1]), dt.tensor([0, 1, 3, 2], [4], 'int32')], dt.ArgumentError, /^sparse_categorical_crossentropy: expected indices in \[0, 3\). Received: indices\[2\]=3/],
      [() => [dt.zeros([4, 8, 8, 1]), dt.tensor([0, 1, 7, 2], [4], 'uint8')], dt.ArgumentError, /^sparse_categorical_crossentropy: expected labels in \[0, 3\). Received: label 7 at index 2/],
      [() => [dt.zeros([4, 8, 8, 1]), dt.tensor([0, 1, 3.5, 2])], dt.ArgumentError, /^sparse_categorical_crossentropy: expected indices in \[0, 3\). Received: indices\[2\]=3/], // float labels are cast (Keras)
      [() => [dt.zeros([4, 8, 8, 1]), dt.zeros([3], 'int32')], dt.ShapeError, /^fit: expected x and y with the same number of samples. Received: x.shape=\[4, 8, 8, 1\], y.shape=\[3\]/],
      [() => [dt.zeros([4, 8, 8, 1])], dt.ArgumentError, /^fit: expected dataset elements \[x, y\] with labels/],
    ];
    for (const [make, cls, re] of cases) {
      const before = dt.memory();
      const [bx, by] = make();
      const e = await rejection(model.fit(one(bx, by), { verbose: 0 }));
      expect(e, re.source).toBeInstanceOf(cls);
      expect(e.message).toMatch(re);
      dt.dispose(by ? [bx, by] : [bx]); // the batch is the iterable's: fit leaves it alive
      expect(dt.memory(), `leak after: ${e.message}`).toEqual(before);
    }
    // evaluate checks the same way
    const e = await rejection(model.evaluate(one(dt.zeros([2, 8, 8, 1]), dt.zeros([5], 'int32')), { verbose: 0 }));
    expect(e.message).toMatch(/^evaluate: expected x and y with the same number of samples/);
    // a model that was never built learns nothing from a rejected shape
    const fresh = smallCnn({ inputShape: false });
    fresh.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await expect(fresh.fit(one(dt.zeros([2, 8, 8]), dt.zeros([2], 'int32')), { verbose: 0 })).rejects.toThrow(/^Conv2D 'conv2d_1': expected input of rank 4/);
    const h = await fresh.fit(batches(x, y, 4), { verbose: 0 });
    expect(h.history.loss.length).toBe(1);
    dt.dispose([x, y]);
    model.dispose();
    fresh.dispose();
  });

  it('bad fit options and sources', async () => {
    const [x, y] = bandImages(8, 3);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await expect(model.fit(batches(x, y, 4), { epochs: 0 })).rejects.toThrow(/^fit: expected epochs to be a positive integer. Received: epochs=0/);
    await expect(model.fit(batches(x, y, 4), { epochs: 2, initialEpoch: 2 })).rejects.toThrow(/^fit: expected 0 <= initialEpoch < epochs. Received: initialEpoch=2, epochs=2/);
    await expect(model.fit(batches(x, y, 4).take(0), { verbose: 0 })).rejects.toThrow(/^fit: the dataset produced no batches in epoch 1/);
    await expect(model.fit({} as dt.BatchSource, { verbose: 0 })).rejects.toThrow(/^fit: expected a Dataset or an async iterable of \[x, y\] batches/);
    const strings = { async *[Symbol.asyncIterator]() { yield ['a', 'b']; } };
    await expect(model.fit(strings, { verbose: 0 })).rejects.toThrow(/^fit: expected dataset elements \[x, y\] of tensors. Received: an array of non-tensors/);
    dt.dispose([x, y]);
    model.dispose();
  });
});
