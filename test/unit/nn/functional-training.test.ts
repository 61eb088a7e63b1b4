/**
 * Training functional models with the same code as Sequential:
 * - the residual CNN built with the functional API (Add skip) and the same network as a Sequential with a
 *   hand-written skip layer (dt.add), from the same weights, end fit with bit-identical weights, History and
 *   evaluate values: the graph runs exactly the equivalent ops;
 * - a shared layer trains as one set of weights (its gradient is the sum over both uses);
 * - CPU and WebGPU give the same weight digest after fit (with Dropout in the graph).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { bandImages, batches } from './helpers.ts';
import { residualModel, residualSequential } from './residual.ts';

const unavailable = await webgpuUnavailable();

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

describe('functional residual CNN: training', () => {
  it('trains to bit-identical weights, History and evaluate values as the same network written with dt.add', async () => {
    const [x, y] = bandImages(48, 21);
    const functional = residualModel({ seed: 5 });
    const sequential = residualSequential(99);
    expect(sequential.weights.map((w) => w.shape)).toEqual(functional.weights.map((w) => w.shape));
    sequential.setWeights(functional.getWeights());
    const before = await functional.weightsDigest();
    expect(await sequential.weightsDigest()).toBe(before);
    const results = [];
    for (const m of [functional, sequential]) {
      m.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const h = await m.fit(batches(x, y, 16), { epochs: 2, verbose: 0, validationData: batches(x, y, 16) });
      results.push({ history: JSON.stringify(h.toJSON()), evaluate: await m.evaluate(batches(x, y, 16), { verbose: 0 }), digest: await m.weightsDigest() });
    }
    expect(results[0].digest).not.toBe(before);
    expect(results[1]).toEqual(results[0]);
    // predict gives the same bits too
    const [pf, ps] = await Promise.all([functional.predict(x), sequential.predict(x)]);
    expect(await pf.data()).toEqual(await ps.data());
  });

  it('a shared layer trains as one set of weights', async () => {
    const a = dt.Input({ shape: [3] });
    const b = dt.Input({ shape: [3] });
    const shared = new dt.layers.Dense(1, { kernelInitializer: new dt.initializers.GlorotUniform({ seed: 1 }) });
    const s = dt.layers.add([shared.apply(a), shared.apply(b)]);
    const x = dt.Input({ shape: [3] });
    // One input fed to both branches through a nested two-input model.
    const pair = new dt.Model({ inputs: [a, b], outputs: s });
    const model = new dt.Model({ inputs: x, outputs: pair.apply([x, x]) as dt.SymbolicTensor });
    expect(model.trainableWeights.length).toBe(2);
    const g = dt.variableGrads(() => dt.sum(model.call(dt.ones([1, 3]))), model.trainableWeights);
    // d/dk of (k.x + b) + (k.x + b) with x = 1: 2 per kernel entry, 2 for the bias
    expect(Array.from(await g.grads[0].data())).toEqual([2, 2, 2]);
    expect(Array.from(await g.grads[1].data())).toEqual([2]);
  });
});

describe('functional residual CNN: CPU and WebGPU', () => {
  itWebGpu('fit gives the same weight digest on CPU and WebGPU (Dropout in the graph)', unavailable, async () => {
    const digests: string[] = [];
    for (const backend of ['cpu', 'webgpu'] as const) {
      await dt.setBackend(backend);
      resetNames();
      dt.utils.setRandomSeed(7);
      const [x, y] = bandImages(32, 3);
      const model = residualModel({ dropout: 0.3 });
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      await model.fit(batches(x, y, 16), { epochs: 1, verbose: 0 });
      digests.push(await model.weightsDigest());
      model.dispose();
    }
    expect(digests[1]).toBe(digests[0]);
  }, 120_000);
});
