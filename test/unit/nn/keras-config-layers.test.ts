/**
 * Every layer class of dt.layers has a Keras 3 config translation (src/nn/saving/layer-table.ts), and its config
 * round-trips: layer -> Keras config -> JSON -> layer -> Keras config gives the same config, built with
 * non-default options so that each translated field is exercised. The table must list every layer class, so a new
 * layer without a translation fails here.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { layerFromKerasConfig, layerToKerasConfig, registeredSpecs, specOf } from '../../../src/nn/saving/index.ts';

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const I = dt.initializers;
/** Constructor arguments per class (options not at their defaults where the class has some); null: not a layer class. */
const CASES: Record<string, unknown[] | null> = {
  Dense: [4, {
    activation: 'relu', useBias: false, kernelInitializer: new I.HeNormal({ seed: 3 }), kernelRegularizer: new dt.regularizers.L2({ l2: 0.01 }),
    kernelConstraint: new dt.constraints.MaxNorm({ maxValue: 2, axis: 0 }), activityRegularizer: 'l1',
  }],
  Conv2D: [4, [3, 2], { strides: 2, padding: 'same', dilationRate: 1, activation: 'tanh', biasInitializer: 'ones', biasConstraint: new dt.constraints.NonNeg(), biasRegularizer: new dt.regularizers.L1L2({ l1: 0.1, l2: 0.2 }) }],
  Conv2DTranspose: [4, 3, { strides: 2, padding: 'same', outputPadding: 1, activation: 'relu', kernelInitializer: new I.RandomNormal({ mean: 0.5, stddev: 2, seed: 1 }) }],
  DepthwiseConv2D: [3, { depthMultiplier: 2, padding: 'same', useBias: false, depthwiseInitializer: new I.Constant({ value: 0.5 }) }],
  SeparableConv2D: [4, 3, { depthMultiplier: 2, dilationRate: 2, pointwiseInitializer: new I.Orthogonal({ gain: 2, seed: 5 }) }],
  Dropout: [0.25, { noiseShape: [null, 1, 1, 3] }],
  MaxPooling2D: [[3, 3], { strides: 1, padding: 'same' }],
  AveragePooling2D: [2, {}],
  GlobalAveragePooling2D: [{ keepdims: true }],
  GlobalMaxPooling2D: [{ keepdims: false }],
  Flatten: [],
  Activation: ['gelu'],
  UpSampling2D: [[2, 3], { interpolation: 'bilinear' }],
  ZeroPadding2D: [[[1, 2], [3, 4]]],
  Cropping2D: [[1, 2]],
  Reshape: [[8, 24]],
  Permute: [[2, 1, 3]],
  RepeatVector: [3],
  Rescaling: [1 / 255, { offset: -1 }],
  Resizing: [4, 5, { interpolation: 'nearest', cropToAspectRatio: true }],
  CenterCrop: [4, 4],
  Normalization: [{ axis: [-1], mean: [0.5, 1, 2], variance: [1, 2, 3], invert: true }],
  GaussianNoise: [0.1],
  GaussianDropout: [0.2],
  SpatialDropout2D: [0.3],
  BatchNormalization: [{ momentum: 0.9, epsilon: 1e-5, center: false, movingVarianceInitializer: new I.Constant({ value: 2 }) }],
  LayerNormalization: [{ axis: [-2, -1], rmsScaling: true, scale: false }],
  GroupNormalization: [{ groups: 3, epsilon: 1e-4 }],
  ReLU: [{ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }],
  LeakyReLU: [{ negativeSlope: 0.2 }],
  ELU: [{ alpha: 0.5 }],
  PReLU: [{ alphaInitializer: new I.Constant({ value: 0.25 }), sharedAxes: [1, 2] }],
  Softmax: [{ axis: 1 }],
  RandomFlip: ['vertical', { seed: 4 }],
  RandomRotation: [[-0.2, 0.1], { fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest', seed: 5 }],
  RandomTranslation: [0.1, [-0.2, 0.2], { seed: 6 }],
  RandomZoom: [0.1, null, { fillMode: 'nearest' }],
  RandomCrop: [4, 4, { seed: 8 }],
  RandomContrast: [0.3, { valueRange: [0, 1], seed: 9 }],
  RandomBrightness: [0.2, { valueRange: [0, 255] }],
  Add: [], Subtract: [], Multiply: [], Average: [], Maximum: [], Minimum: [],
  Concatenate: [{ axis: 1 }],
  Dot: [[1, 2], { normalize: true }],
  InputLayer: [{ shape: [5, 3], batchSize: 7, dtype: 'int32' }],
  Embedding: [10, 4, { maskZero: true, embeddingsInitializer: new I.RandomNormal({ stddev: 0.1, seed: 2 }), embeddingsRegularizer: new dt.regularizers.L2({ l2: 0.01 }), embeddingsConstraint: new dt.constraints.NonNeg() }],
  Masking: [{ maskValue: -1 }],
  Conv1D: [4, 3, { padding: 'causal', dilationRate: 2, groups: 2, activation: 'relu', useBias: false, kernelInitializer: new I.HeNormal({ seed: 3 }), kernelRegularizer: 'l2' }],
  MaxPooling1D: [3, { strides: 1, padding: 'same' }],
  AveragePooling1D: [2, {}],
  GlobalMaxPooling1D: [{ keepdims: true }],
  GlobalAveragePooling1D: [{ keepdims: true }],
  UpSampling1D: [3],
  ZeroPadding1D: [[1, 2]],
  Cropping1D: [[2, 0]],
  SimpleRNN: [3, { activation: 'relu', returnSequences: true, goBackwards: true, dropout: 0.25, seed: 4, recurrentRegularizer: 'l2', activityRegularizer: 'l1' }],
  LSTM: [4, { recurrentActivation: 'hard_sigmoid', unitForgetBias: false, returnState: true, kernelInitializer: new I.HeNormal({ seed: 3 }), biasConstraint: new dt.constraints.NonNeg(), recurrentDropout: 0.5 }],
  GRU: [5, { resetAfter: false, stateful: true, useBias: false, recurrentInitializer: new I.Orthogonal({ gain: 2, seed: 1 }), kernelRegularizer: new dt.regularizers.L2({ l2: 0.01 }) }],
  SimpleRNNCell: [3, { activation: 'sigmoid', dropout: 0.1, seed: 2 }],
  LSTMCell: [4, { recurrentActivation: 'tanh', unitForgetBias: false, recurrentConstraint: new dt.constraints.MaxNorm({ maxValue: 2, axis: 0 }) }],
  GRUCell: [5, { resetAfter: false, biasInitializer: 'ones' }],
  RNN: [new dt.layers.LSTMCell(4, { name: 'my_cell', activation: 'relu' }), { returnSequences: true, goBackwards: true }],
  Bidirectional: [new dt.layers.GRU(3, { returnSequences: true, name: 'g' }), { mergeMode: 'sum' }],
  TimeDistributed: [new dt.layers.Dense(3, { activation: 'relu', name: 'd' })],
  // TextVectorization's vocabulary is a Keras asset file, not config: not serialized yet.
  TextVectorization: null,
  // Not classes one serializes: a function, and abstract bases.
  Input: null, Layer: null, Merge: null, RandomImageLayer: null, RNNCell: null,
};

const L = dt.layers as unknown as Record<string, unknown>;

describe('Keras config of every layer class', () => {
  it('the table lists every layer class of dt.layers, and each has a translation', () => {
    const classes = Object.keys(L).filter((k) => typeof L[k] === 'function' && /^[A-Z]/.test(k));
    expect(classes.sort()).toEqual(Object.keys(CASES).sort());
    const specs = new Set(registeredSpecs().map((s) => s.cls));
    const missing = Object.entries(CASES).filter(([, c]) => c !== null).map(([k]) => k).filter((k) => !specs.has(L[k] as never));
    expect(missing).toEqual([]);
  });

  for (const [name, args] of Object.entries(CASES)) {
    if (!args) continue;
    it(`${name}: config -> JSON -> layer -> the same config`, () => {
      const Ctor = L[name] as new (...a: unknown[]) => dt.layers.Layer;
      const layer = new Ctor(...args);
      const cfg = layerToKerasConfig(layer);
      expect(cfg.class_name).toBe(name);
      expect(cfg.module).toBe('keras.layers');
      expect(cfg.registered_name).toBeNull();
      if (name !== 'InputLayer') {
        expect(cfg.config.name).toBe(layer.name);
        expect(cfg.config.dtype).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
      }
      for (const k of Object.keys(cfg.config)) expect(k).toMatch(/^[a-z0-9_]+$/); // snake_case keys only
      const back = layerFromKerasConfig(JSON.parse(JSON.stringify(cfg)));
      expect(back).toBeInstanceOf(Ctor);
      expect(back.constructor).toBe(Ctor);
      expect(layerToKerasConfig(back)).toEqual(cfg);
    });

    it(`${name}: getConfig() says what the Keras config says (each key under its Keras name)`, () => {
      const Ctor = L[name] as new (...a: unknown[]) => dt.layers.Layer;
      const layer = new Ctor(...args);
      const own = layer.getConfig();
      const keras = layerToKerasConfig(layer).config;
      const spec = specOf(layer)!;
      const fields = [...(spec.args ?? []), ...(spec.fields ?? [])];
      const renamed: Record<string, string> = { name: 'name', trainable: 'trainable', dataFormat: 'data_format', batchShape: 'batch_shape', dtype: 'dtype', activation: 'activation' };
      // The wrappers' nested layers are Keras objects, each checked as its own class; RNN's getConfig flattens its cell's.
      const nestedKeys = ['layer', 'backwardLayer', 'cell'];
      const cellSpec = layer instanceof dt.layers.RNN && name === 'RNN' ? specOf(layer.cell)! : undefined;
      for (const [k, v0] of Object.entries(own)) {
        if (nestedKeys.includes(k)) {
          expect(keras[k === 'backwardLayer' ? 'backward_layer' : k], `${name}.${k}`).toMatchObject({ module: 'keras.layers' });
          continue;
        }
        if (cellSpec && !fields.some((fs) => fs.ts === k) && !['name', 'trainable', 'dtype'].includes(k)) {
          const fs = [...(cellSpec.args ?? []), ...(cellSpec.fields ?? [])].find((x) => x.ts === k);
          expect(fs, `${name}.getConfig().${k} has no Keras field in the cell`).toBeDefined();
          expect((keras.cell as { config: Record<string, unknown> }).config[fs!.keras], `${name}.${k}`).toEqual(v0 ?? null);
          continue;
        }
        if (name === 'InputLayer' && k === 'trainable') continue; // Keras's InputLayer config has no trainable
        // ditto's own serialized initializers are { className, config }; Keras's { module, class_name, config, ... }.
        const v = v0 !== null && typeof v0 === 'object' && 'className' in v0 ? { module: 'keras.initializers', class_name: (v0 as { className: string }).className, config: (v0 as unknown as { config: unknown }).config, registered_name: null } : v0;
        const key = fields.find((fs) => fs.ts === k)?.keras ?? renamed[k];
        expect(key, `${name}.getConfig().${k} has no Keras field`).toBeDefined();
        expect(JSON.parse(JSON.stringify(keras[key!])), `${name}.${k}`).toEqual(JSON.parse(JSON.stringify(v ?? null)));
      }
    });
  }

  it('writes Keras 3 field values: Dense initializers, regularizers, constraints', () => {
    const cfg = layerToKerasConfig(new dt.layers.Dense(3, CASES.Dense![1] as never)).config;
    expect(cfg.kernel_initializer).toEqual({ module: 'keras.initializers', class_name: 'HeNormal', config: { seed: 3 }, registered_name: null });
    expect(cfg.bias_initializer).toEqual({ module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null });
    expect(cfg.kernel_regularizer).toEqual({ module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null });
    expect(cfg.activity_regularizer).toMatchObject({ class_name: 'L1' });
    expect(cfg.kernel_constraint).toEqual({ module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 2, axis: 0 }, registered_name: null });
    expect(cfg.bias_regularizer).toBeNull();
    expect(cfg.use_bias).toBe(false);
  });

  it('a built layer carries build_config and is built again from it (weights exist)', () => {
    const conv = new dt.layers.Conv2D(4, 3);
    conv.ensureBuilt([null, 8, 8, 2]);
    const cfg = layerToKerasConfig(conv);
    expect(cfg.build_config).toEqual({ input_shape: [null, 8, 8, 2] });
    const back = layerFromKerasConfig(cfg);
    expect(back.built).toBe(true);
    expect(back.weights.map((w) => w.shape)).toEqual([[3, 3, 2, 4], [4]]);
  });
});
