/**
 * BatchNormalization in a model: fit calls it in training mode (its moving statistics change, by the
 * Keras update), evaluate and predict in inference mode (nothing changes); the moving statistics are in
 * model.weights / nonTrainableWeights (not trainable, no optimizer slots), saveWeights / loadWeights,
 * weightsDigest, and checkpoints, from which a resumed fit ends with the uninterrupted run's bits. A
 * BatchNormalization layer with trainable false changes nothing in fit.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { bandImages, batches } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'ditto-bn-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
await dt.setBackend('cpu');
const [xTrain, yTrain] = bandImages(48, 21);
const [xVal, yVal] = bandImages(16, 22);

/** A small CNN with BatchNormalization after each convolution, as a fresh process would build it. */
function bnModel(o: { frozen?: boolean } = {}): dt.Sequential {
  resetNames();
  dt.utils.setRandomSeed(812);
  const L = dt.layers;
  const model = new dt.Sequential([
    new L.Conv2D(4, [3, 3], { inputShape: [8, 8, 1] }),
    new L.BatchNormalization({ trainable: !o.frozen }),
    new L.Activation('relu'),
    new L.MaxPooling2D([2, 2]),
    new L.Conv2D(4, [2, 2], { padding: 'same' }),
    new L.BatchNormalization({ momentum: 0.9 }),
    new L.GlobalAveragePooling2D(),
    new L.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

const values = async (vs: readonly dt.Variable[]) => Promise.all(vs.map(async (v) => [...await v.data()]));

describe('BatchNormalization in fit, evaluate and predict', () => {
  it('the moving statistics are non-trainable weights of the model, in Keras order, without optimizer slots', async () => {
    const model = bnModel();
    expect(model.weights.map((w) => w.name)).toEqual([
      'conv2d/kernel', 'conv2d/bias', 'batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance',
      'conv2d_1/kernel', 'conv2d_1/bias', 'batch_normalization_1/gamma', 'batch_normalization_1/beta', 'batch_normalization_1/moving_mean', 'batch_normalization_1/moving_variance',
      'dense/kernel', 'dense/bias',
    ]);
    expect(model.nonTrainableWeights.map((w) => w.name)).toEqual(['batch_normalization/moving_mean', 'batch_normalization/moving_variance', 'batch_normalization_1/moving_mean', 'batch_normalization_1/moving_variance']);
    await model.fit(batches(xTrain, yTrain, 16), { epochs: 1, verbose: 0 });
    const slots = model.compiled!.optimizer.variables().map((v) => v.name);
    expect(slots.some((n) => n.includes('moving'))).toBe(false);
    expect(slots.some((n) => n.includes('batch_normalization/gamma'))).toBe(true);
    model.dispose();
  });

  it('fit updates the moving statistics; evaluate and predict change no weight', async () => {
    const model = bnModel();
    const bn = model.layers[1] as dt.layers.BatchNormalization;
    const before = await values(model.nonTrainableWeights);
    await model.fit(batches(xTrain, yTrain, 16), { epochs: 1, verbose: 0 });
    const after = await values(model.nonTrainableWeights);
    for (let i = 0; i < after.length; i++) expect(after[i]).not.toEqual(before[i]);
    // three steps from zeros: mean = sum over steps of 0.99^k * 0.01 * batch mean, never more than 3% of the batch means' range
    expect((await bn.movingMean!.data()).every((m) => Math.abs(m) < 1)).toBe(true);
    const digest = await dt.utils.weightsDigest(model);
    const trained = await values(model.weights);
    await model.evaluate(batches(xVal, yVal, 16), { verbose: 0 });
    const p = await model.predict(xVal);
    expect(await dt.utils.weightsDigest(model)).toBe(digest);
    expect(await values(model.weights)).toEqual(trained);
    // predict is inference: the same as calling the model without training
    const direct = model.call(xVal);
    expect([...await p.data()]).toEqual([...await direct.data()]);
    dt.dispose([p, direct]);
    model.dispose();
  });

  it('a BatchNormalization with trainable false keeps all its weights in fit', async () => {
    const model = bnModel({ frozen: true });
    const frozen = model.layers[1] as dt.layers.BatchNormalization;
    const before = await values(frozen.weights);
    await model.fit(batches(xTrain, yTrain, 16), { epochs: 1, verbose: 0 });
    expect(await values(frozen.weights)).toEqual(before);
    expect(frozen.trainableWeights).toEqual([]);
    model.dispose();
  });

  it('saveWeights / loadWeights and weightsDigest carry the moving statistics', async () => {
    const a = bnModel();
    await a.fit(batches(xTrain, yTrain, 16), { epochs: 1, verbose: 0 });
    const file = join(root, 'bn.safetensors');
    await a.saveWeights(file);
    const b = bnModel();
    expect(await dt.utils.weightsDigest(b)).not.toBe(await dt.utils.weightsDigest(a));
    await b.loadWeights(file);
    expect(await dt.utils.weightsDigest(b)).toBe(await dt.utils.weightsDigest(a));
    const ya = await a.predict(xVal);
    const yb = await b.predict(xVal);
    expect([...await yb.data()]).toEqual([...await ya.data()]);
    // the digest sees a change of the moving variance alone
    const bn = b.layers[5] as dt.layers.BatchNormalization;
    const mv = await bn.movingVariance!.data();
    bn.movingVariance!.assign(dt.tensor(Float32Array.from(mv, (v, i) => (i === 0 ? v * 2 : v))));
    expect(await dt.utils.weightsDigest(b)).not.toBe(await dt.utils.weightsDigest(a));
    dt.dispose([ya, yb]);
    a.dispose();
    b.dispose();
  });
});

describe('exact resume of a model with BatchNormalization', () => {
  it('a fit resumed from a mid-epoch checkpoint ends with the uninterrupted run\'s bits', async () => {
    const data = () => dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(48, { seed: 5 }).batch(16); // 3 steps per epoch
    const val = () => dt.data.Dataset.fromTensorSlices([xVal, yVal]).batch(16);
    const outcome = async (m: dt.Sequential, h: dt.History) => ({ history: JSON.stringify(h.toJSON()), digest: await dt.utils.weightsDigest(m) });

    const plain = bnModel();
    const expected = await outcome(plain, await plain.fit(data(), { epochs: 2, validationData: val(), verbose: 0 }));
    plain.dispose();

    const dir = join(root, 'ckpt');
    const saving = bnModel();
    const h = await saving.fit(data(), { epochs: 2, validationData: val(), verbose: 0, checkpoint: { dir, everySteps: 1, keep: 6 } });
    expect(await outcome(saving, h)).toEqual(expected); // checkpointing changes nothing
    saving.dispose();

    // Keep only the checkpoints up to step 4 (epoch 2, first step): the resumed run does steps 5 and 6.
    const resumeDir = join(root, 'resume');
    mkdirSync(resumeDir);
    for (const c of readdirSync(dir).filter((n) => /^ckpt-\d+$/.test(n) && Number(n.slice(5)) <= 4)) {
      mkdirSync(join(resumeDir, c));
      for (const f of readdirSync(join(dir, c))) writeFileSync(join(resumeDir, c, f), readFileSync(join(dir, c, f)));
    }
    expect(readdirSync(resumeDir).sort()).toEqual(['ckpt-000000001', 'ckpt-000000002', 'ckpt-000000003', 'ckpt-000000004']);
    const resumed = bnModel();
    const h2 = await resumed.fit(data(), { epochs: 2, validationData: val(), verbose: 0, resumeFrom: resumeDir });
    expect(await outcome(resumed, h2)).toEqual(expected);
    resumed.dispose();
  });
});
