/**
 * fit's epoch and validation options with Keras 3 semantics (issue 18): stepsPerEpoch on finite and infinite
 * Datasets (one stream cut into epochs, a finite one ending an epoch early when it runs out and restarting),
 * validationSteps (one validation stream), validationFreq (int or list; History lists only validated epochs),
 * initialEpoch, the verbose 2 line format, trainOnBatch / testOnBatch / predictOnBatch against fit / evaluate /
 * predict on one batch, returnDict keys, and the regularization penalties in evaluate and `model.losses`.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { RecordingSink, lcgValues } from './helpers.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());

const N = 20;
const x = dt.tensor(lcgValues(N * 4, 5), [N, 4]);
const y = dt.tensor(Int32Array.from({ length: N }, (_, i) => (i * 5) % 3), [N], 'int32');

function model(o: { lr?: number | (() => number); reg?: boolean; metrics?: string[] } = {}): dt.Sequential {
  const I = dt.initializers;
  const m = new dt.Sequential([
    dt.layers.Input({ shape: [4] }),
    new dt.layers.Dense(5, { activation: 'relu', kernelInitializer: new I.GlorotUniform({ seed: 3 }), ...(o.reg ? { kernelRegularizer: new dt.regularizers.L2({ l2: 0.05 }) } : {}) }),
    new dt.layers.Dense(3, { activation: 'softmax', kernelInitializer: new I.GlorotUniform({ seed: 4 }) }),
  ]);
  m.compile({ optimizer: new dt.optimizers.SGD({ learningRate: o.lr ?? 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: o.metrics ?? ['accuracy'] });
  return m;
}

/** Batch i (of 4 samples) of x, y. */
function batch(i: number): [dt.Tensor, dt.Tensor] {
  return [dt.slice(x, i * 4, 4), dt.slice(y, i * 4, 4)];
}

/** The weights after trainOnBatch on the given batch indices in order. */
async function trainedOn(indices: number[]): Promise<string> {
  const m = model();
  for (const i of indices) {
    const [bx, by] = batch(i);
    await m.trainOnBatch(bx, by);
    dt.dispose([bx, by]);
  }
  const d = await m.weightsDigest();
  m.dispose();
  return d;
}

/** fit's weights and the batches per epoch it ran. */
async function fitted(data: dt.BatchSource, o: dt.FitOptions): Promise<{ weights: string; perEpoch: number[]; history: dt.History }> {
  const m = model();
  const perEpoch: number[] = [];
  const counter = new dt.callbacks.LambdaCallback({ onEpochBegin: () => { perEpoch.push(0); }, onBatchEnd: () => { perEpoch[perEpoch.length - 1]++; } });
  const history = await m.fit(data, { verbose: 0, callbacks: [counter], ...o });
  const weights = await m.weightsDigest();
  m.dispose();
  return { weights, perEpoch, history };
}

const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(4); // 5 batches

describe('stepsPerEpoch, validationSteps, validationFreq, initialEpoch', () => {
  it('stepsPerEpoch on a finite Dataset: one stream; an epoch that reaches the end stops there, the next starts a new pass', async () => {
    const r = await fitted(ds, { epochs: 4, stepsPerEpoch: 2 });
    expect(r.perEpoch).toEqual([2, 2, 1, 2]);
    expect(r.history.params).toEqual({ verbose: 0, epochs: 4, steps: 2 });
    expect(r.weights).toBe(await trainedOn([0, 1, 2, 3, 4, 0, 1]));
  });

  it('stepsPerEpoch on an infinite Dataset (repeat): one endless stream', async () => {
    const r = await fitted(ds.repeat(), { epochs: 2, stepsPerEpoch: 3 });
    expect(r.perEpoch).toEqual([3, 3]);
    expect(r.weights).toBe(await trainedOn([0, 1, 2, 3, 4, 0]));
    // Arrays with stepsPerEpoch: the same rule (5 batches of 4).
    const m = model();
    const perEpoch: number[] = [];
    const counter = new dt.callbacks.LambdaCallback({ onEpochBegin: () => { perEpoch.push(0); }, onBatchEnd: () => { perEpoch[perEpoch.length - 1]++; } });
    await m.fit(x, y, { epochs: 3, stepsPerEpoch: 3, batchSize: 4, verbose: 0, callbacks: [counter] });
    expect(perEpoch).toEqual([3, 2, 3]);
    m.dispose();
  });

  it('validationFreq (int or list): validation only in those epochs; History lists only their val_* values', async () => {
    const every2 = await fitted(ds, { epochs: 4, validationData: ds, validationFreq: 2 });
    expect(every2.history.history.loss.length).toBe(4);
    expect(every2.history.history.val_loss.length).toBe(2);
    const list = await fitted(ds, { epochs: 4, validationData: ds, validationFreq: [1, 4] });
    expect(list.history.history.val_loss.length).toBe(2);
    // The validated epochs' values are those of a run that validates every epoch (validation changes no weights).
    const all = await fitted(ds, { epochs: 4, validationData: ds });
    expect(every2.history.history.val_loss).toEqual([all.history.history.val_loss[1], all.history.history.val_loss[3]]);
    expect(list.history.history.val_loss).toEqual([all.history.history.val_loss[0], all.history.history.val_loss[3]]);
    expect(every2.weights).toBe(all.weights);
  });

  it('validationSteps: the validation data is one stream (Keras cached evaluation iterator)', async () => {
    // learning rate 0: the weights never change, so each validation's value depends only on the batches it reads.
    const m = model({ lr: () => 0 });
    const h = await m.fit(ds, { epochs: 3, validationData: ds, validationSteps: 3, verbose: 0 });
    const first = await m.evaluate(ds.take(3), { verbose: 0 });
    const second = await m.evaluate(ds.skip(3), { verbose: 0 });
    expect(h.history.val_loss).toEqual([first[0], second[0], first[0]]);
    expect(await m.evaluate(ds, { steps: 3, verbose: 0 })).toEqual(first);
    m.dispose();
  });

  it('initialEpoch with arrays numbers the epochs from it', async () => {
    const m = model();
    const h = await m.fit(x, y, { epochs: 3, initialEpoch: 1, batchSize: 8, verbose: 0 });
    expect(h.epoch).toEqual([1, 2]);
    m.dispose();
  });
});

describe('verbose 2', () => {
  it("prints Keras 3's one line per epoch: 'Epoch i/N' then 'n/n - Ns - Nms/step - key: value ...'", async () => {
    const m = model();
    const sink = new RecordingSink(false);
    await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 2, sink, validationSplit: 0.2 });
    const lines = sink.out.split('\n');
    expect(lines.length).toBe(5);
    expect(lines[4]).toBe('');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[2]).toBe('Epoch 2/2');
    // Keras: ':.4f', or ':.4e' when the value is <= 1e-3 (0 prints 0.0000e+00).
    const v = String.raw`\d\.\d{4}(e[+-]\d\d)?`;
    const line = new RegExp(String.raw`^2/2 - \d+s - \d+(s|ms|us)/step - accuracy: ${v} - loss: ${v} - val_accuracy: ${v} - val_loss: ${v}$`);
    expect(lines[1]).toMatch(line);
    expect(lines[3]).toMatch(line);
    m.dispose();
  });
});

describe('trainOnBatch, testOnBatch, predictOnBatch, returnDict', () => {
  it('trainOnBatch = fit on that one batch; testOnBatch = evaluate; predictOnBatch = predict', async () => {
    const [bx, by] = batch(1);
    const a = model();
    const r = await a.trainOnBatch(bx, by);
    const b = model();
    const h = await b.fit(bx, by, { batchSize: 4, shuffle: false, verbose: 0 });
    expect(r).toEqual([h.history.loss[0], h.history.accuracy[0]]);
    expect(await a.weightsDigest()).toBe(await b.weightsDigest());
    const c = model();
    const d = await c.trainOnBatch(bx, by, { returnDict: true });
    expect(Object.keys(d)).toEqual(['accuracy', 'loss']);
    expect([d.loss, d.accuracy]).toEqual(r);
    c.dispose();
    // testOnBatch accumulates like Keras (no reset): a fresh compile gives the one-batch value.
    a.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    b.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const t = await a.testOnBatch(bx, by, { returnDict: true });
    const e = await a.evaluate(bx, by, { verbose: 0, returnDict: true });
    expect(t).toEqual(e);
    expect(await b.evaluate(bx, by, { verbose: 0 })).toEqual([e.loss, e.accuracy]);
    const p = a.predictOnBatch(bx);
    const q = await a.predict(bx);
    expect(Array.from(await p.data())).toEqual(Array.from(await q.data()));
    dt.dispose([bx, by, p, q]);
    a.dispose();
    b.dispose();
  });

  it('trainOnBatch with classWeight equals its sampleWeight; bad options fail clearly', async () => {
    const [bx, by] = batch(2);
    const sw = dt.tensor(Float32Array.from(await by.data(), (c) => (c === 1 ? 4 : 1)), [4]);
    const a = model();
    const b = model();
    expect(await a.trainOnBatch(bx, by, { classWeight: { 1: 4 } })).toEqual(await b.trainOnBatch(bx, by, { sampleWeight: sw }));
    await expect(a.trainOnBatch(bx, by, { classWeight: { 1: 4 }, sampleWeight: sw })).rejects.toThrow(/^trainOnBatch: expected classWeight or sampleWeight, not both/);
    await expect(a.trainOnBatch(bx, by, { reset: true } as dt.TrainOnBatchOptions)).rejects.toThrow(/^trainOnBatch: unrecognized options {reset}/);
    await expect(a.testOnBatch(bx, undefined as unknown as dt.Tensor)).rejects.toThrow(/^testOnBatch: expected labels y/);
    expect(() => a.predictOnBatch(null as unknown as dt.Tensor)).toThrow(/^predictOnBatch: expected x to be a tensor/);
    dt.dispose([bx, by, sw]);
    a.dispose();
    b.dispose();
  });
});

describe('regularization in evaluate (Keras test step) and model.losses', () => {
  it('evaluate and val_loss add the penalties: loss = sum([compiled loss, ...model.losses])', async () => {
    const m = model({ reg: true });
    const penalties = m.losses;
    expect(penalties.length).toBe(1);
    const w = m.trainableWeights[0];
    const expectedPenalty = dt.tidy(() => dt.mul(dt.sum(dt.square(w)), Math.fround(0.05)));
    expect(Array.from(await penalties[0].data())).toEqual(Array.from(await expectedPenalty.data()));
    const [loss] = await m.evaluate(x, y, { batchSize: N, verbose: 0 });
    const pred = await m.predict(x);
    const expected = dt.tidy(() => dt.sum(dt.stack([new dt.losses.SparseCategoricalCrossentropy().call(y, pred), dt.reshape(penalties[0], [])])));
    expect(loss).toBe((await expected.data())[0]);
    const h = await m.fit(x, y, { epochs: 1, batchSize: N, verbose: 0, validationData: [x, y], validationBatchSize: N });
    const [after] = await m.evaluate(x, y, { batchSize: N, verbose: 0 });
    expect(h.history.val_loss[0]).toBe(after);
    dt.dispose([...penalties, expectedPenalty, pred, expected]);
    m.dispose();
  });
});
