/**
 * Exact resume of a functional model: a residual CNN (Add skip) whose head is a nested Sequential with Dropout,
 * checkpointed after every step, resumed in a fresh program from a checkpoint in the middle of the first epoch,
 * ends with the uninterrupted run's History, weights and optimizer step. The checkpoint records every weight
 * (the nested model's too) and the nested Dropout's seed generator under its stable name `head/dropout`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { resetNames } from '../../src/nn/naming.ts';
import { bandImages } from '../unit/nn/helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'ditto-functional-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

await dt.setBackend('cpu');
const [xTrain, yTrain] = bandImages(48, 31);

/** What a fresh process would build: names reset, seed set, unseeded layers. */
function program() {
  resetNames();
  dt.utils.setRandomSeed(812);
  const L = dt.layers;
  const inputs = dt.Input({ shape: [8, 8, 1] });
  const c1 = new L.Conv2D(4, 3, { padding: 'same', activation: 'relu' }).apply(inputs);
  const c2 = new L.Conv2D(4, 3, { padding: 'same' }).apply(c1);
  const head = new dt.Sequential([new L.GlobalAveragePooling2D(), new L.Dropout(0.3), new L.Dense(3, { activation: 'softmax' })], { name: 'head' });
  const model = new dt.Model({ inputs, outputs: head.apply(L.add([c1, c2])) });
  model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(48).batch(16); // 3 steps per epoch
  const fit = (o: Partial<dt.FitOptions> = {}) => model.fit(train, { epochs: 2, verbose: 0, ...o });
  return { model, fit };
}

async function outcome(model: dt.Functional, history: dt.History) {
  return { history: JSON.stringify(history.toJSON()), weights: await dt.utils.weightsDigest(model), iterations: model.compiled!.optimizer.iterations };
}

describe('functional model: checkpoint and exact resume', () => {
  it('resuming from a mid-epoch checkpoint gives the uninterrupted run bit for bit', async () => {
    const p = program();
    const expected = await outcome(p.model, await p.fit());
    p.model.dispose();

    const dir = join(root, 'ckpt');
    const q = program();
    const h = await q.fit({ checkpoint: { dir, everySteps: 1, keep: 10 } });
    expect(await outcome(q.model, h)).toEqual(expected);
    q.model.dispose();
    const names = readdirSync(dir).sort();
    expect(names.length).toBe(6);
    const state = JSON.parse(readFileSync(join(dir, names[1], 'state.json'), 'utf8'));
    expect(Object.keys(state.seedGenerators)).toEqual(['head/dropout']);
    expect(state.model.weights.map((w: { name: string }) => w.name)).toEqual([
      'conv2d/kernel', 'conv2d/bias', 'conv2d_1/kernel', 'conv2d_1/bias', 'dense/kernel', 'dense/bias',
    ]);
    // Keep checkpoints up to step 2 only: the run resumes in the middle of epoch 1.
    for (const n of names.slice(2)) rmSync(join(dir, n), { recursive: true });

    const r = program();
    const resumed = await outcome(r.model, await r.fit({ resumeFrom: dir }));
    r.model.dispose();
    expect(resumed).toEqual(expected);
  });
});
