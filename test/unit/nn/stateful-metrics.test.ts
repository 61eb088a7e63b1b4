/**
 * Stateful metrics in compile (issue 18): Keras 3 names ('auc', 'precision', 'recall', 'r2_score', ...) and any
 * dt.metrics.Metric instance give exactly the values of the metric classes updated directly with the same batches;
 * validation leaves fit's accumulators as they were; per-output metrics of a two-output model; an exact resume
 * from a mid-epoch checkpoint with shuffled arrays and an AUC metric (its variables are saved and restored);
 * clear errors for names that need arguments, vector results and an instance given twice.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { lcgValues } from './helpers.ts';

const unavailable = await webgpuUnavailable();

const root = mkdtempSync(join(tmpdir(), 'ditto-stateful-metrics-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const N = 24;
const X = lcgValues(N * 3, 11);
const Y = Float32Array.from({ length: N }, (_, i) => ((i * 5) % 7 < 3 ? 1 : 0));
await dt.setBackend('cpu');
const x = dt.tensor(X, [N, 3]);
const yBin = dt.tensor(Y, [N, 1]);

function binary(lr: number | (() => number) = 0.2, metrics: (string | dt.metrics.Metric)[] = ['auc', 'precision', 'recall', 'binary_accuracy']): dt.Sequential {
  const I = dt.initializers;
  const m = new dt.Sequential([
    dt.layers.Input({ shape: [3] }),
    new dt.layers.Dense(4, { activation: 'tanh', kernelInitializer: new I.GlorotUniform({ seed: 5 }) }),
    new dt.layers.Dense(1, { activation: 'sigmoid', kernelInitializer: new I.GlorotUniform({ seed: 6 }) }),
  ]);
  m.compile({ optimizer: new dt.optimizers.SGD({ learningRate: lr }), loss: 'binary_crossentropy', metrics });
  return m;
}

/** The result of `metric` updated with (y, pred) in batches of `b` rows. */
async function direct(metric: dt.metrics.Metric, y: dt.Tensor, pred: dt.Tensor, b: number): Promise<number> {
  for (let i = 0; i < y.shape[0]; i += b) {
    const n = Math.min(b, y.shape[0] - i);
    dt.tidy(() => metric.update(dt.slice(y, i, n), dt.slice(pred, i, n)));
  }
  const r = metric.result();
  const v = (await r.data())[0];
  r.dispose();
  metric.dispose();
  return v;
}

describe('stateful metrics in compile', () => {
  it('names and instances give the metric classes’ values (evaluate), keys as given', async () => {
    const f1 = new dt.metrics.F1Score({ average: 'micro', threshold: 0.5 });
    const m = binary(0.2, ['auc', 'precision', 'recall', f1, 'binary_accuracy']);
    await m.fit(x, yBin, { epochs: 2, batchSize: 8, verbose: 0 });
    const logs = await m.evaluate(x, yBin, { batchSize: 7, verbose: 0, returnDict: true });
    expect(Object.keys(logs).sort()).toEqual(['auc', 'binary_accuracy', 'f1_score', 'loss', 'precision', 'recall']);
    const pred = await m.predict(x, { batchSize: 7 });
    expect(logs.auc).toBe(await direct(new dt.metrics.AUC(), yBin, pred, 7));
    expect(logs.precision).toBe(await direct(new dt.metrics.Precision(), yBin, pred, 7));
    expect(logs.recall).toBe(await direct(new dt.metrics.Recall(), yBin, pred, 7));
    expect(logs.f1_score).toBe(await direct(new dt.metrics.F1Score({ average: 'micro', threshold: 0.5 }), yBin, pred, 7));
    expect(logs.binary_accuracy).toBe(await direct(new dt.metrics.BinaryAccuracy(), yBin, pred, 7));
    expect(await m.evaluate(x, yBin, { batchSize: 7, verbose: 0 })).toEqual([logs.loss, logs.auc, logs.precision, logs.recall, logs.f1_score, logs.binary_accuracy]);
    pred.dispose();
    m.dispose();
    f1.dispose(); // the user's instance stays the user's
  });

  it("fit's epoch values are the metric over the epoch's batches; validation leaves the training accumulators alone", async () => {
    const auc = new dt.metrics.AUC({ numThresholds: 50 });
    const m = binary(() => 0, [auc, 'r2_score']); // weights fixed: training predictions = inference ones (no dropout)
    const h = await m.fit(x, yBin, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, validationData: [x, yBin], validationBatchSize: 5 });
    const pred = await m.predict(x, { batchSize: 8 });
    expect(h.history.auc[0]).toBe(await direct(new dt.metrics.AUC({ numThresholds: 50 }), yBin, pred, 8));
    expect(h.history.r2_score[0]).toBe(await direct(new dt.metrics.R2Score(), yBin, pred, 8));
    expect(h.history.val_auc[0]).toBe(await direct(new dt.metrics.AUC({ numThresholds: 50 }), yBin, pred, 5));
    // The instance holds the training state of the last epoch, not the validation's.
    const r = auc.result();
    expect((await r.data())[0]).toBe(h.history.auc[0]);
    dt.dispose([r, pred]);
    m.dispose();
    auc.dispose();
  });

  it('per-output stateful metrics of a two-output model', async () => {
    const I = dt.initializers;
    const inputs = dt.Input({ shape: [3] });
    const h = new dt.layers.Dense(4, { activation: 'tanh', kernelInitializer: new I.GlorotUniform({ seed: 1 }) }).apply(inputs);
    const a = new dt.layers.Dense(1, { activation: 'sigmoid', name: 'a', kernelInitializer: new I.GlorotUniform({ seed: 2 }) }).apply(h);
    const b = new dt.layers.Dense(1, { name: 'b', kernelInitializer: new I.GlorotUniform({ seed: 3 }) }).apply(h);
    const m = new dt.Model({ inputs, outputs: [a, b] });
    m.compile({ optimizer: 'sgd', loss: ['binary_crossentropy', 'mse'], metrics: { a: ['auc'], b: [new dt.metrics.RootMeanSquaredError()] } });
    const logs = await m.evaluate(x, [yBin, yBin], { batchSize: 10, verbose: 0, returnDict: true });
    expect(Object.keys(logs).sort()).toEqual(['a_auc', 'a_loss', 'b_loss', 'b_root_mean_squared_error', 'loss']);
    const [pa, pb] = (await m.predict(x, { batchSize: 10 })) as unknown as dt.Tensor[];
    expect(logs.a_auc).toBe(await direct(new dt.metrics.AUC(), yBin, pa, 10));
    expect(logs.b_root_mean_squared_error).toBe(await direct(new dt.metrics.RootMeanSquaredError(), yBin, pb, 10));
    dt.dispose([pa, pb]);
    m.dispose();
  });

  it('clear errors: names that need arguments, a vector result, an instance twice', async () => {
    const m = binary();
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mean_iou'] })).toThrow(/^compile: metric 'mean_iou' cannot be made from its name: MeanIoU needs numClasses/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1_score'] })).toThrow(/^compile: metric 'f1_score' cannot be made from its name: .*average: 'macro'/);
    const auc = new dt.metrics.AUC();
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [auc, auc] })).toThrow(/^compile: expected each metric instance once/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['auc', auc] })).toThrow(/^compile: expected distinct metric names .* 'auc' twice/);
    const perClass = new dt.metrics.Precision({ thresholds: [0.3, 0.7] });
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [perClass] });
    await expect(m.fit(x, yBin, { verbose: 0 })).rejects.toThrow(/^fit: expected metric 'precision' to give one number per epoch .* Received: a result of shape \[2\]/);
    m.dispose();
    auc.dispose();
    perClass.dispose();
  });
});

describe('exact resume with shuffled arrays and an AUC metric', () => {
  /** What a fresh process would build. */
  function program() {
    resetNames();
    dt.utils.setRandomSeed(99);
    const model = binary(0.3, ['auc', new dt.metrics.F1Score({ average: 'macro', threshold: 0.5 })]);
    const fit = (o: Partial<dt.FitOptions> = {}) => model.fit(x, yBin, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, ...o });
    return { model, fit };
  }
  async function outcome(model: dt.Sequential, h: dt.History) {
    return { history: JSON.stringify(h.toJSON()), weights: await model.weightsDigest(), iterations: model.compiled!.optimizer.iterations };
  }

  it('resuming from a mid-epoch checkpoint gives the uninterrupted run bit for bit', async () => {
    const p = program();
    const expected = await outcome(p.model, await p.fit());
    p.model.dispose();
    const dir = join(root, 'ckpt');
    const q = program();
    expect(await outcome(q.model, await q.fit({ checkpoint: { dir, everySteps: 1, keep: 10 } }))).toEqual(expected);
    q.model.dispose();
    const names = readdirSync(dir).sort();
    expect(names.length).toBe(6); // 18 training samples: 3 steps per epoch
    const state = JSON.parse(readFileSync(join(dir, names[1], 'state.json'), 'utf8'));
    expect(state.metrics).toEqual([
      { id: 'auc', fn: 'metric:AUC', shapes: [[200], [200], [200], [200]] },
      { id: 'f1_score', fn: 'metric:F1Score', shapes: [[1], [1], [1], [1]] },
    ]);
    expect(state.data.shuffleSeeds.length).toBe(1);
    // Keep the checkpoints up to step 1 only: the run resumes in the middle of epoch 1, with F1Score's state
    // (created by its first update) restored into a fresh instance.
    for (const n of names.slice(1)) rmSync(join(dir, n), { recursive: true });
    const r = program();
    expect(await outcome(r.model, await r.fit({ resumeFrom: dir }))).toEqual(expected);
    r.model.dispose();
    // Another global seed means another shuffle seed: the resume is refused.
    const s = program();
    dt.utils.setRandomSeed(100);
    await expect(s.fit({ resumeFrom: dir })).rejects.toThrow(/shuffle seeds/);
    s.model.dispose();
  });
});

describe('CPU and WebGPU', () => {
  itWebGpu('shuffled arrays, classWeight, validationSplit, AUC/Precision/F1 and a regularized validation loss: the same bits', unavailable, async () => {
    const runs: string[] = [];
    for (const backend of ['cpu', 'webgpu'] as const) {
      await dt.setBackend(backend);
      resetNames();
      dt.utils.setRandomSeed(5);
      const [bx, by] = [dt.tensor(X, [N, 3]), dt.tensor(Y, [N, 1])];
      const I = dt.initializers;
      const m = new dt.Sequential([
        dt.layers.Input({ shape: [3] }),
        new dt.layers.Dense(4, { activation: 'tanh', kernelInitializer: new I.GlorotUniform({ seed: 5 }), kernelRegularizer: new dt.regularizers.L2({ l2: 0.01 }) }),
        new dt.layers.Dense(1, { activation: 'sigmoid', kernelInitializer: new I.GlorotUniform({ seed: 6 }) }),
      ]);
      m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['auc', 'precision', new dt.metrics.F1Score({ average: 'micro', threshold: 0.5 })] });
      const h = await m.fit(bx, by, { epochs: 2, batchSize: 5, validationSplit: 0.25, classWeight: { 1: 3 }, verbose: 0 });
      runs.push(JSON.stringify({ h: h.toJSON(), w: await m.weightsDigest() }));
      m.dispose();
      dt.dispose([bx, by]);
    }
    expect(runs[1]).toBe(runs[0]);
  }, 120_000);
});
