/**
 * Several inputs and outputs in compile/fit/evaluate/predict (Keras 3 semantics):
 * - a loss per output (a list by position, an object by output name, or one loss for all), lossWeights, metrics
 *   per output; logs named `loss`, `<output>_loss` (unweighted) and `<output>_<metric>`, as Keras 3 does;
 * - one fit step equals the step computed by hand: total = l0 * w0 + l1 * w1 in output order, SGD, bit for bit;
 * - labels as [x, [y1, y2]] and [x, {name: y}] give the same bits; several inputs as [[x1, x2], y];
 * - evaluate returns [loss, <output>_loss..., <output>_<metric>...]; predict returns the outputs' structure;
 * - errors for losses, weights, metrics or labels that do not match the outputs;
 * - exact resume of a two-output model (its per-output loss trackers are checkpointed).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { lcgValues } from './helpers.ts';

const L = dt.layers;
const root = mkdtempSync(join(tmpdir(), 'ditto-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const N = 24;
const x = dt.tensor(lcgValues(N * 4, 1), [N, 4]);
const yc = dt.tensor(Int32Array.from(lcgValues(N, 2, 0, 3), (v) => Math.floor(v)), [N], 'int32');
const yr = dt.tensor(lcgValues(N, 3), [N, 1]);

/** A trunk with two heads: 'cls' (3-way softmax) and 'reg' (one value). */
function twoHeads(): dt.Functional {
  resetNames();
  const init = (seed: number) => ({ kernelInitializer: new dt.initializers.GlorotUniform({ seed }) });
  const inp = dt.Input({ shape: [4], name: 'features' });
  const h = new L.Dense(8, { activation: 'relu', ...init(1) }).apply(inp);
  const cls = new L.Dense(3, { activation: 'softmax', name: 'cls', ...init(2) }).apply(h);
  const reg = new L.Dense(1, { name: 'reg', ...init(3) }).apply(h);
  return new dt.Model({ inputs: inp, outputs: [cls, reg] });
}

const listData = () => dt.data.Dataset.fromTensorSlices([x, [yc, yr]]).batch(8);
const objectData = () => dt.data.Dataset.fromTensorSlices([x, { reg: yr, cls: yc }]).batch(8);

describe('several outputs: compile and fit', () => {
  it('logs loss, <output>_loss and <output>_<metric>; evaluate returns them in Keras order', async () => {
    const model = twoHeads();
    expect(model.outputNames).toEqual(['cls', 'reg']);
    model.compile({ optimizer: 'adam', loss: ['sparse_categorical_crossentropy', 'mse'], lossWeights: [1, 0.5], metrics: [['accuracy'], []] });
    const h = await model.fit(listData(), { epochs: 2, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss']);
    const [loss, clsLoss, regLoss, acc] = await model.evaluate(listData(), { verbose: 0 });
    // The total is the weighted sum of the unweighted per-output losses (batch-weighted means are linear).
    expect(loss).toBeCloseTo(clsLoss + 0.5 * regLoss, 5);
    expect(acc).toBeGreaterThanOrEqual(0);
    // the per-output losses are the plain losses of each head's predictions
    const [pc, pr] = (await model.predict(x)) as unknown as dt.Tensor[];
    expect(pc.shape).toEqual([N, 3]);
    expect(pr.shape).toEqual([N, 1]);
    expect(regLoss).toBeCloseTo((await new dt.losses.MeanSquaredError().call(yr, pr).data())[0], 5);
  });

  it('one fit step is the step computed by hand: total = l0 * w0 + l1 * w1, bit for bit', async () => {
    const model = twoHeads();
    const manual = twoHeads();
    model.compile({ optimizer: new dt.optimizers.SGD({ learningRate: 0.1 }), loss: ['sparse_categorical_crossentropy', 'mse'], lossWeights: [0.7, 0.5] });
    await model.fit(dt.data.Dataset.fromTensorSlices([x, [yc, yr]]).batch(N), { epochs: 1, verbose: 0 });
    const sgd = new dt.optimizers.SGD({ learningRate: 0.1 });
    const cce = new dt.losses.SparseCategoricalCrossentropy();
    const mse = new dt.losses.MeanSquaredError();
    const vars = manual.trainableWeights;
    const { grads } = dt.variableGrads(() => {
      const [pc, pr] = manual.call(x, { training: true }) as unknown as dt.Tensor[];
      return dt.add(dt.mul(cce.call(yc, pc), 0.7), dt.mul(mse.call(yr, pr), 0.5));
    }, vars);
    sgd.applyGradients(grads.map((g, i) => [g, vars[i]] as const));
    expect(await model.weightsDigest()).toBe(await manual.weightsDigest());
  });

  it('labels by output name and losses, weights and metrics as objects give the same bits as lists', async () => {
    const a = twoHeads();
    a.compile({ optimizer: 'adam', loss: ['sparse_categorical_crossentropy', 'mse'], lossWeights: [1, 0.5], metrics: ['accuracy', []] });
    const ha = await a.fit(listData(), { epochs: 2, verbose: 0 });
    const b = twoHeads();
    b.compile({ optimizer: 'adam', loss: { reg: 'mse', cls: 'sparse_categorical_crossentropy' }, lossWeights: { cls: 1, reg: 0.5 }, metrics: { cls: 'accuracy', reg: [] } });
    const hb = await b.fit(objectData(), { epochs: 2, verbose: 0 });
    expect(JSON.stringify(hb.toJSON())).toBe(JSON.stringify(ha.toJSON()));
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    // One loss for every output.
    const c = twoHeads();
    c.compile({ optimizer: 'adam', loss: 'mse' });
    const hc = await c.fit(dt.data.Dataset.fromTensorSlices([x, [dt.oneHot(yc, 3), yr]]).batch(8), { verbose: 0 });
    expect(Object.keys(hc.history)).toEqual(['cls_loss', 'loss', 'reg_loss']);
  });

  it('named outputs: outputs as an object, predictions as that object', async () => {
    resetNames();
    const inp = dt.Input({ shape: [4] });
    const model = new dt.Model({ inputs: inp, outputs: { b: new L.Dense(1).apply(inp), a: new L.Dense(2, { activation: 'softmax' }).apply(inp) } });
    expect(model.outputNames).toEqual(['a', 'b']);
    model.compile({ optimizer: 'sgd', loss: { a: 'sparse_categorical_crossentropy', b: 'mse' }, metrics: { a: ['accuracy'] } });
    const yc2 = dt.tensor(Int32Array.from(lcgValues(N, 9, 0, 2), (v) => Math.floor(v)), [N], 'int32');
    const h = await model.fit(dt.data.Dataset.fromTensorSlices([x, { a: yc2, b: yr }]).batch(8), { verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['a_accuracy', 'a_loss', 'b_loss', 'loss']);
    const p = (await model.predict(x, { batchSize: 10 })) as unknown as Record<string, dt.Tensor>;
    expect(Object.keys(p)).toEqual(['b', 'a']);
    expect(p.a.shape).toEqual([N, 2]);
    expect(await p.a.data()).toEqual(await (model.call(x) as unknown as Record<string, dt.Tensor>).a.data());
  });
});

describe('several inputs', () => {
  it('[[x1, x2], y] batches train a two-input model; predict takes [x1, x2]', async () => {
    resetNames();
    const a = dt.Input({ shape: [4] });
    const b = dt.Input({ shape: [2] });
    const out = new L.Dense(3, { activation: 'softmax' }).apply(L.concatenate([a, b]));
    const model = new dt.Model({ inputs: [a, b], outputs: out });
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x2 = dt.tensor(lcgValues(N * 2, 5), [N, 2]);
    const h = await model.fit(dt.data.Dataset.fromTensorSlices([[x, x2], yc]).batch(8), { epochs: 2, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['accuracy', 'loss']);
    const p = (await model.predict([x, x2], { batchSize: 7 })) as dt.Tensor;
    expect(p.shape).toEqual([N, 3]);
    expect(await p.data()).toEqual(await (model.call([x, x2]) as dt.Tensor).data());
    const [loss] = await model.evaluate(dt.data.Dataset.fromTensorSlices([[x, x2], yc]).batch(8), { verbose: 0 });
    expect(Number.isFinite(loss)).toBe(true);
  });
});

describe('several outputs: errors', () => {
  it('refuses losses, weights and metrics that do not match the outputs, and lossWeights with one output', () => {
    const model = twoHeads();
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow(/^compile: expected loss to have one entry per output \(2: cls, reg\)\. Received: 1 entries$/);
    expect(() => model.compile({ optimizer: 'sgd', loss: { cls: 'mse' } })).toThrow(/^compile: expected loss keyed by the output names \[cls, reg\]\. Received: keys \[cls\] \(missing: reg\)$/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: { cls: 1, other: 2 } })).toThrow(/^compile: expected lossWeights keyed by the output names/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] })).toThrow(/^compile: expected metrics to have one entry per output/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [['acuracy'], []] })).toThrow(/^compile: unknown metric 'acuracy'/);
    const one = new dt.Sequential([dt.layers.Input({ shape: [4] }), new L.Dense(1)]);
    expect(() => one.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1] })).toThrow(/^compile: the option lossWeights is not supported yet: lossWeights applies to models with several outputs; this model has one\./);
    expect(() => one.compile({ optimizer: 'sgd', loss: ['mse', 'mse'] })).toThrow(/^compile: expected one loss for a model with one output\. Received: an array of losses$/);
  });

  it('refuses labels that do not match the outputs', async () => {
    const model = twoHeads();
    model.compile({ optimizer: 'sgd', loss: ['sparse_categorical_crossentropy', 'mse'] });
    await expect(model.fit(dt.data.Dataset.fromTensorSlices([x, yc]).batch(8), { verbose: 0 })).rejects.toThrow(/^fit: expected labels for each of the 2 outputs: a list by position or an object keyed by \[cls, reg\]\. Received: one tensor of shape \[8\]$/);
    await expect(model.fit(dt.data.Dataset.fromTensorSlices([x, { cls: yc, rag: yr }]).batch(8), { verbose: 0 })).rejects.toThrow(/Received: an object \{cls, rag\}$/);
    const uneven = { async *[Symbol.asyncIterator]() { yield [x, [yc, dt.zeros([N - 1, 1])]]; } };
    await expect(model.fit(uneven, { verbose: 0 })).rejects.toThrow(/^fit: expected x and y with the same number of samples\. Received: x\.shape=\[24, 4\], y\.shape=\[\[24\], \[23, 1\]\]$/);
  });
});

describe('several outputs: exact resume', () => {
  it('resuming from a mid-run checkpoint gives the uninterrupted run, per-output loss trackers included', async () => {
    const program = () => {
      const model = twoHeads();
      model.compile({ optimizer: 'adam', loss: ['sparse_categorical_crossentropy', 'mse'], lossWeights: [1, 0.5], metrics: [['accuracy'], []] });
      return { model, data: dt.data.Dataset.fromTensorSlices([x, [yc, yr]]).shuffle(N, { seed: 4 }).batch(8) };
    };
    const outcome = async (m: dt.Functional, h: dt.History) => ({ h: JSON.stringify(h.toJSON()), w: await m.weightsDigest() });
    const p = program();
    const expected = await outcome(p.model, await p.model.fit(p.data, { epochs: 2, verbose: 0 }));
    const dir = join(root, 'ck');
    const q = program();
    expect(await outcome(q.model, await q.model.fit(q.data, { epochs: 2, verbose: 0, checkpoint: { dir, everySteps: 1, keep: 10 } }))).toEqual(expected);
    const names = readdirSync(dir).sort();
    // Keep up to step 2 (epoch 1, mid-epoch): the accumulated cls_loss/reg_loss must come back from the checkpoint.
    for (const n of names.slice(2)) rmSync(join(dir, n), { recursive: true });
    const r = program();
    expect(await outcome(r.model, await r.model.fit(r.data, { epochs: 2, verbose: 0, resumeFrom: dir }))).toEqual(expected);
  });
});
