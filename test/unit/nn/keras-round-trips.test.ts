/**
 * Round trips through Keras's file formats, and a legacy `.h5` full model built per the spec:
 * - ditto -> `.keras` -> ditto, bit for bit, for a trained functional model with Conv2D, BatchNormalization (moving
 *   statistics updated), an Add skip and Dense: the same weights and predictions, the same Adam slots and iteration
 *   count, and training after the reload ends with the digest of training without the save (a reload without the
 *   optimizer's state does not: the check can fail);
 * - a tf.keras 2.10-style `.h5` full model written here per ../shared/specs/keras-format.md (model_config with
 *   batch_input_shape, BatchNormalization's axis as [3], `kernel:0` datasets in per-layer groups, layer_names and
 *   weight_names attributes, a training_config with Keras 2's nested metrics) loads with dt.models.loadModel,
 *   compiled, and predicts as the float64 forward pass of the same config and weights (golden values made by
 *   test/reference/keras-sequential64.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { type H5DatasetSpec, type H5GroupSpec, writeHdf5 } from '../../../src/nn/saving/hdf5.ts';
import { type KerasLayerEntry, kerasSequential64 } from '../../reference/keras-sequential64.ts';
import { type A64, arr } from '../../reference/ops64.ts';

const L = dt.layers;
let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-keras-round-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  resetNames();
  dt.utils.setRandomSeed(5);
});

const hex = (a: ArrayLike<number>) => Buffer.from(Float32Array.from(a).buffer).toString('hex');
const slotBits = async (opt: dt.optimizers.Optimizer) => Promise.all(opt.variables().map(async (v) => hex(await v.data() as Float32Array)));

function images(seed: number, n = 8) {
  const x = dt.tensor(Float32Array.from({ length: n * 6 * 6 * 2 }, (_, i) => Math.sin(i * 0.37 + seed * 1.3)), [n, 6, 6, 2]);
  const y = dt.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 3), [n], 'int32');
  return { x, y, data: dt.data.Dataset.fromTensorSlices([x, y]).batch(4) };
}

/** Conv2D -> BatchNormalization -> relu, plus a 1x1 Conv2D projection of the input, Add, Flatten, Dense softmax. */
function residual(): dt.Model {
  const init = (s: number) => ({ kernelInitializer: new dt.initializers.GlorotUniform({ seed: s }) });
  const inp = dt.Input({ shape: [6, 6, 2] });
  let h = new L.Conv2D(4, 3, { padding: 'same', ...init(1) }).apply(inp);
  h = new L.BatchNormalization().apply(h);
  h = new L.Activation('relu').apply(h);
  const skip = new L.Conv2D(4, 1, { useBias: false, ...init(2) }).apply(inp);
  h = new L.Add().apply([h, skip]);
  h = new L.Flatten().apply(h);
  const out = new L.Dense(3, { activation: 'softmax', ...init(3) }).apply(h);
  return new dt.Model({ inputs: inp, outputs: out });
}

describe('ditto -> .keras -> ditto', () => {
  it('a trained functional Conv2D/BatchNormalization/Add/Dense model: weights, predictions, Adam state; training continues bit for bit', async () => {
    const a = residual();
    a.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await a.fit(images(1).data, { epochs: 2, verbose: 0 });
    const p = join(dir, 'residual.keras');
    await a.save(p);

    const b = await dt.models.loadModel(p);
    expect(b).toBeInstanceOf(dt.Model);
    expect(b.layers.map((l) => l.constructor.name)).toEqual(a.layers.map((l) => l.constructor.name));
    const wa = await Promise.all(a.weights.map(async (v) => `${v.name} ${hex(await v.data() as Float32Array)}`));
    const wb = await Promise.all(b.weights.map(async (v) => `${v.name} ${hex(await v.data() as Float32Array)}`));
    expect(wb.map((s) => s.split(' ')[1])).toEqual(wa.map((s) => s.split(' ')[1])); // moving mean/variance included
    expect(b.weights.length).toBe(9); // conv 2, BN 4 (gamma, beta, moving mean, variance), 1x1 conv 1, dense 2
    const probe = images(7);
    const [pa, pb] = [await a.predict(probe.x), await b.predict(probe.x)];
    expect(hex(await pb.data())).toBe(hex(await pa.data()));
    expect(b.compiled?.optimizer).toBeInstanceOf(dt.optimizers.Adam);
    expect(b.compiled?.optimizer.iterations).toBe(4);
    expect(await slotBits(b.compiled!.optimizer)).toEqual(await slotBits(a.compiled!.optimizer));

    // a control: the same weights with fresh optimizer slots train differently
    const fresh = await dt.models.loadModel(p, { compile: false });
    fresh.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

    const more = images(2);
    await a.fit(more.data, { verbose: 0 });
    await b.fit(more.data, { verbose: 0 });
    await fresh.fit(more.data, { verbose: 0 });
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    expect(await fresh.weightsDigest()).not.toBe(await a.weightsDigest());

    // and back again: the reloaded model, saved, reloads to itself
    const p2 = join(dir, 'residual-2.keras');
    await b.save(p2);
    const c = await dt.models.loadModel(p2);
    expect(await c.weightsDigest()).toBe(await b.weightsDigest());
    expect(await slotBits(c.compiled!.optimizer)).toEqual(await slotBits(b.compiled!.optimizer));
    dt.dispose([pa, pb, probe.x, probe.y, more.x, more.y]);
    for (const m of [a, b, c, fresh]) m.dispose();
  });
});

// ---------------------------------------------------------------- a legacy .h5 full model, per the spec

/** Deterministic weights of a shape (a small irrational walk, no randomness). */
const values = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + k) * 0.5);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** The model_config, in tf.keras 2.10's form (no module, batch_input_shape, dtype strings, BN axis a list). */
const LEGACY_LAYERS: KerasLayerEntry[] = [
  { class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 5, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' } },
  {
    class_name: 'Conv2D',
    config: {
      name: 'conv2d', trainable: true, batch_input_shape: [null, 5, 5, 1], dtype: 'float32', filters: 3, kernel_size: [3, 3], strides: [1, 1],
      padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'relu', use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    },
  },
  {
    class_name: 'BatchNormalization',
    config: {
      name: 'batch_normalization', trainable: true, dtype: 'float32', axis: [3], momentum: 0.99, epsilon: 0.001, center: true, scale: true,
      beta_initializer: { class_name: 'Zeros', config: {} }, gamma_initializer: { class_name: 'Ones', config: {} },
      moving_mean_initializer: { class_name: 'Zeros', config: {} }, moving_variance_initializer: { class_name: 'Ones', config: {} },
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    },
  },
  { class_name: 'MaxPooling2D', config: { name: 'max_pooling2d', trainable: true, dtype: 'float32', pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' } },
  { class_name: 'Dropout', config: { name: 'dropout', trainable: true, dtype: 'float32', rate: 0.25, noise_shape: null, seed: null } },
  { class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' } },
  {
    class_name: 'Dense',
    config: {
      name: 'dense', trainable: true, dtype: 'float32', units: 4, activation: 'softmax', use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    },
  },
];

/** Each layer's weights as Keras 2 names them (in weight order) with shapes. */
const LEGACY_WEIGHTS: Record<string, [string, number[]][]> = {
  conv2d: [['kernel:0', [3, 3, 1, 3]], ['bias:0', [3]]],
  batch_normalization: [['gamma:0', [3]], ['beta:0', [3]], ['moving_mean:0', [3]], ['moving_variance:0', [3]]],
  dense: [['kernel:0', [12, 4]], ['bias:0', [4]]],
};

function legacyWeights(): Map<string, A64[]> {
  let k = 0;
  return new Map(Object.entries(LEGACY_WEIGHTS).map(([layer, ws]) => [layer, ws.map(([n, s]) => {
    const v = values(size(s), k++);
    return arr(s, n === 'moving_variance:0' ? v.map((x) => x * x + 0.5) : v); // a variance is positive
  })]));
}

/** The whole file, as tf.keras 2.10's model.save('x.h5') lays it out. */
function legacyFile(weights: Map<string, A64[]>): H5GroupSpec {
  const layers = LEGACY_LAYERS.slice(1).map((l) => l.config.name as string);
  const trainingConfig = {
    loss: 'sparse_categorical_crossentropy',
    metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy' } }]],
    weighted_metrics: null, loss_weights: null,
    optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.0010000000474974513, decay: 0.0, beta_1: 0.8999999761581421, beta_2: 0.9990000128746033, epsilon: 1e-7, amsgrad: false } },
  };
  const layerGroup = (name: string): H5GroupSpec => {
    const ws = LEGACY_WEIGHTS[name] ?? [];
    const datasets = new Map<string, H5DatasetSpec>(ws.map(([n, s], i) => [n, { shape: s, dtype: '<f', data: Float32Array.from(weights.get(name)![i].data) }]));
    return {
      attrs: { weight_names: ws.map(([n]) => `${name}/${n}`) },
      children: ws.length ? new Map([[name, { children: datasets }]]) : undefined,
    };
  };
  return {
    attrs: {
      backend: 'tensorflow', keras_version: '2.10.0',
      model_config: JSON.stringify({ class_name: 'Sequential', config: { name: 'sequential', layers: LEGACY_LAYERS } }),
      training_config: JSON.stringify(trainingConfig),
    },
    children: new Map([
      ['model_weights', {
        attrs: { layer_names: layers, backend: 'tensorflow', keras_version: '2.10.0' },
        children: new Map(layers.map((n) => [n, layerGroup(n)])),
      }],
    ]),
  };
}

describe('legacy .h5 full model, built per the spec', () => {
  it('loadModel reads a tf.keras 2.10 file: architecture, weights, compile; predictions = float64 golden values', async () => {
    const weights = legacyWeights();
    const p = join(dir, 'legacy-cnn.h5');
    writeFileSync(p, await writeHdf5(legacyFile(weights), p));
    const m = await dt.models.loadModel(p);
    expect(m.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense']);
    expect((m.layers[2] as dt.layers.BatchNormalization).axis).toBe(3); // Keras 2's [3]
    expect(m.compiled?.optimizer).toBeInstanceOf(dt.optimizers.Adam);
    expect(m.compileArgs?.metrics).toEqual(['accuracy']);
    expect(m.compiled?.optimizer.iterations).toBe(0);

    const n = 3;
    const x = Float32Array.from({ length: n * 25 }, (_, i) => ((i * 37) % 17) / 16);
    const ours = await (await m.predict(dt.tensor(x, [n, 5, 5, 1]))).data() as Float32Array;
    const golden = kerasSequential64(LEGACY_LAYERS, (l) => weights.get(l.config.name) ?? [], arr([n, 5, 5, 1], x)).data;
    let worst = 0;
    for (let i = 0; i < golden.length; i++) worst = Math.max(worst, Math.abs(ours[i] - golden[i]));
    expect(worst).toBeLessThan(1e-6);
    // a legacy model keeps training (fresh optimizer slots: legacy optimizer_weights are not read)
    const y = dt.tensor(Int32Array.from([0, 1, 3]), [3], 'int32');
    await m.fit(dt.data.Dataset.fromTensorSlices([dt.tensor(x, [n, 5, 5, 1]), y]).batch(3), { verbose: 0 });
    expect(m.compiled?.optimizer.iterations).toBe(1);
    m.dispose();
  });

  it('the same file with a weight of the wrong shape: a DataFormatError naming the dataset', async () => {
    const weights = legacyWeights();
    const spec = legacyFile(weights);
    const dense = ((spec.children!.get('model_weights') as H5GroupSpec).children!.get('dense') as H5GroupSpec).children!.get('dense') as H5GroupSpec;
    (dense.children as Map<string, H5DatasetSpec>).set('kernel:0', { shape: [4, 12], dtype: '<f', data: Float32Array.from(weights.get('dense')![0].data) });
    const p = join(dir, 'legacy-bad.h5');
    writeFileSync(p, await writeHdf5(spec, p));
    await expect(dt.models.loadModel(p)).rejects.toThrow(dt.DataFormatError);
    await expect(dt.models.loadModel(p)).rejects.toThrow(/^loadModel: .*legacy-bad\.h5: 'model_weights\/dense\/dense\/kernel:0' has shape \[4, 12\], but the model's 'dense\/kernel' expects \[12, 4\] float32/);
  });
});
