/**
 * Whole-model Keras files (src/nn/saving/keras-model-file.ts), with a stand-in for the config layer
 * (a function that builds the MNIST MLP): save -> load round trip bit for bit, the real Keras 3.14
 * `.keras` and legacy `.h5` full models, and the errors (wrong extension, weights-only `.h5`, a
 * model_config that is not JSON, weights that do not match the model built from the config: the
 * new model disposed).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { writeHdf5 } from '../../../src/nn/saving/hdf5.ts';
import { readKerasArchive } from '../../../src/nn/saving/keras-archive.ts';
import { type KerasModelFile, loadKerasModelFile, readKerasModelFile, saveKerasModelFile } from '../../../src/nn/saving/keras-model-file.ts';
import { ROOT } from '../../util/subprocess.ts';

const L = dt.layers;
const KERAS_FILES = resolve(ROOT, '..', 'shared', 'keras-files');
const real = (f: string) => join(KERAS_FILES, f);

let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-keras-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetNames());

function mlp(seed = 1, last = 10): dt.Sequential {
  const k = { kernelInitializer: new dt.initializers.GlorotUniform({ seed }), biasInitializer: new dt.initializers.RandomNormal({ seed: seed + 1 }) };
  return new dt.Sequential([
    dt.layers.Input({ shape: [28, 28] }),
    new L.Flatten(),
    new L.Dense(64, { activation: 'relu', ...k }),
    new L.Dense(32, { activation: 'relu', ...k }),
    new L.Dense(16, { activation: 'relu', ...k }),
    new L.Dense(last, { activation: 'softmax', ...k }),
  ]);
}

/** The stand-in for the config layer: the MLP for any Sequential config. */
const fromConfig = (seed: number, last = 10) => (f: KerasModelFile) => {
  expect(f.config.class_name).toBe('Sequential');
  return mlp(seed, last);
};

describe('Keras model files', () => {
  it('saveKerasModelFile -> loadKerasModelFile: config.json as given, weights bit for bit', async () => {
    const a = mlp(1);
    const p = join(dir, 'm.keras');
    const config = { module: 'keras', class_name: 'Sequential', config: { name: a.name }, registered_name: null };
    await saveKerasModelFile('save', a, p, config);
    const archive = await readKerasArchive(readFileSync(p), p);
    expect(archive.config).toEqual(config);
    expect(archive.metadata.keras_version).toBe('3.14.0');
    expect(archive.metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    const b = await loadKerasModelFile('loadModel', p, fromConfig(7));
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    await expect(saveKerasModelFile('save', a, join(dir, 'm.h5'), config)).rejects.toThrow(/^save: expected a path ending in '.keras'/);
    a.dispose();
    b.dispose();
  });

  it.runIf(existsSync(real('mnist-mlp-k3.14.keras')) && existsSync(real('mnist-mlp-k3.14-legacy.h5')))('the real Keras 3.14 .keras and legacy .h5 full models give the same weights', async () => {
    const k = await loadKerasModelFile('loadModel', real('mnist-mlp-k3.14.keras'), fromConfig(1));
    const h = await loadKerasModelFile('loadModel', real('mnist-mlp-k3.14-legacy.h5'), fromConfig(2));
    expect(await h.weightsDigest()).toBe(await k.weightsDigest());
    const legacy = await readKerasModelFile('loadModel', real('mnist-mlp-k3.14-legacy.h5'));
    expect(legacy.format).toBe('legacy-h5');
    expect(legacy.metadata).toEqual({ keras_version: '3.14.0', backend: 'tensorflow' });
    expect(legacy.trainingConfig?.loss).toBe('sparse_categorical_crossentropy');
    k.dispose();
    h.dispose();
  });

  it('errors: wrong extension, weights-only .h5, model_config not JSON, weights that do not fit the config (model disposed)', async () => {
    await expect(readKerasModelFile('loadModel', join(dir, 'x.safetensors'))).rejects.toThrow(dt.ArgumentError);
    const weightsOnly = join(dir, 'w.h5');
    writeFileSync(weightsOnly, await writeHdf5({ attrs: { layer_names: [] } }, 'w'));
    await expect(readKerasModelFile('loadModel', weightsOnly)).rejects.toThrow(/^loadModel: .*w\.h5: expected a Keras full model with a 'model_config' attribute.*model\.loadWeights/);
    const badConfig = join(dir, 'c.h5');
    writeFileSync(badConfig, await writeHdf5({ attrs: { model_config: '{"class_name": "Seq' }, children: new Map([['model_weights', { attrs: { layer_names: [] } }]]) }, 'c'));
    await expect(readKerasModelFile('loadModel', badConfig)).rejects.toThrow(/^loadModel: .*c\.h5: the 'model_config' attribute is not valid JSON/);
    const p = join(dir, 'n.keras');
    const saved = mlp(3);
    await saveKerasModelFile('save', saved, p, { class_name: 'Sequential' });
    saved.dispose();
    let built: dt.Sequential | undefined;
    await expect(loadKerasModelFile('loadModel', p, (f) => (built = fromConfig(4, 11)(f)))).rejects.toThrow(/n\.keras!model\.weights\.h5: 'layers\/dense_3\/vars\/0' has shape \[16, 10\], but the model's 'dense_\d+\/kernel' expects \[16, 11\]/);
    expect(built?.built).toBe(false); // disposed
  });
});
