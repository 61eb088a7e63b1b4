/**
 * Model architectures in Keras 3's config format: model -> toJSON -> modelFromJSON gives the same architecture (the
 * same JSON again) and, with the same weights, the same predictions bit for bit, for a Sequential CNN, a
 * functional residual block with Add and Concatenate, nested models, shared layers and a registered custom layer;
 * legacy Keras 2 configs (nested-list inbound nodes, batch_input_shape) are read; and bad configs give errors that
 * name the class, the field and where it sits.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { layerToKerasConfig, modelFromJSON } from '../../../src/nn/saving/index.ts';
import { lcgValues } from './helpers.ts';

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

type AnyModel = dt.ModelBase<any, any>;

/** Rebuilds `model` from its JSON, copies the weights, and checks the JSON and the outputs on `x` are equal. */
async function roundTrip(model: AnyModel, x: dt.Tensor | dt.Tensor[]): Promise<AnyModel> {
  const json = model.toJSON();
  const back = dt.models.modelFromJSON(json);
  expect(back.constructor).toBe(model.constructor);
  expect(back.toJSON()).toBe(json);
  expect(back.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
  back.setWeights(model.getWeights());
  const a = model.call(x as never, {}) as unknown as dt.Tensor | dt.Tensor[];
  const b = back.call(x as never, {}) as unknown as dt.Tensor | dt.Tensor[];
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(bs.length).toBe(as.length);
  for (let i = 0; i < as.length; i++) {
    expect(bs[i].shape).toEqual(as[i].shape);
    expect(new Uint32Array((await bs[i].data() as Float32Array).buffer)).toEqual(new Uint32Array((await as[i].data() as Float32Array).buffer));
  }
  return back;
}

const img = (n: number, h: number, w: number, c: number, seed: number): dt.Tensor => dt.tensor(lcgValues(n * h * w * c, seed), [n, h, w, c]);

describe('model config round trips', () => {
  it('Sequential CNN: same JSON, same predictions bit for bit', async () => {
    const model = new dt.Sequential([
      dt.Input({ shape: [10, 10, 2] }),
      new dt.layers.Conv2D(6, 3, { activation: 'relu', padding: 'same' }),
      new dt.layers.BatchNormalization(),
      new dt.layers.MaxPooling2D(2),
      new dt.layers.Dropout(0.3),
      new dt.layers.Flatten(),
      new dt.layers.Dense(5, { activation: 'softmax' }),
    ]);
    const cfg = JSON.parse(model.toJSON());
    expect(cfg).toMatchObject({ module: 'keras', class_name: 'Sequential', registered_name: null });
    expect(cfg.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense']);
    expect(cfg.config.layers[0].config).toEqual({ batch_shape: [null, 10, 10, 2], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' });
    expect(cfg.config.build_input_shape).toEqual([null, 10, 10, 2]);
    expect(cfg.build_config).toEqual({ input_shape: [null, 10, 10, 2] });
    // Moving statistics that differ from the initial ones make the check meaningful.
    const ws = model.getWeights().map((w, i) => dt.tensor(lcgValues(w.size, 100 + i, 0.5, 1.5), w.shape));
    model.setWeights(ws);
    await roundTrip(model, img(3, 10, 10, 2, 1));
  });

  it('Sequential declared by inputShape gets an InputLayer first (as Keras 3) and predicts the same', async () => {
    const model = new dt.Sequential([new dt.layers.Dense(4, { inputShape: [3], activation: 'tanh' }), new dt.layers.Dense(2)]);
    const back = dt.models.modelFromJSON(model.toJSON()) as dt.Sequential;
    expect(back.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Dense', 'Dense']);
    back.setWeights(model.getWeights());
    const x = dt.tensor(lcgValues(6, 3), [2, 3]);
    expect(await back.call(x).data()).toEqual(await model.call(x).data());
  });

  it('functional residual block with Add and Concatenate', async () => {
    const inp = dt.Input({ shape: [8, 8, 3] });
    const a = new dt.layers.Conv2D(4, 3, { padding: 'same', activation: 'relu' }).apply(inp);
    const b = new dt.layers.Conv2D(4, 3, { padding: 'same' }).apply(a);
    const s = new dt.layers.Add().apply([a, b]);
    const c = new dt.layers.Concatenate({ axis: -1 }).apply([s, inp]);
    const p = new dt.layers.GlobalAveragePooling2D().apply(c);
    const out = new dt.layers.Dense(3, { activation: 'softmax' }).apply(p);
    const model = new dt.Model({ inputs: inp, outputs: out });
    const cfg = JSON.parse(model.toJSON());
    expect(cfg).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional' });
    expect(cfg.config.input_layers).toEqual(['input_layer', 0, 0]);
    expect(cfg.config.output_layers).toEqual(['dense', 0, 0]);
    const add = cfg.config.layers.find((l: { class_name: string }) => l.class_name === 'Add');
    expect(add.inbound_nodes).toEqual([{
      args: [[
        { class_name: '__keras_tensor__', config: { shape: [null, 8, 8, 4], dtype: 'float32', keras_history: ['conv2d', 0, 0] } },
        { class_name: '__keras_tensor__', config: { shape: [null, 8, 8, 4], dtype: 'float32', keras_history: ['conv2d_1', 0, 0] } },
      ]],
      kwargs: {},
    }]);
    await roundTrip(model, img(2, 8, 8, 3, 2));
  });

  it('shared layers (one Dense on two inputs) and several inputs/outputs, named', async () => {
    const x1 = dt.Input({ shape: [4], name: 'left' });
    const x2 = dt.Input({ shape: [4], name: 'right' });
    const shared = new dt.layers.Dense(3, { activation: 'relu', name: 'shared' });
    const y1 = shared.apply(x1);
    const y2 = shared.apply(x2);
    const m = new dt.layers.Maximum().apply([y1, y2]);
    const o1 = new dt.layers.Dense(2, { name: 'head_a' }).apply(m);
    const o2 = new dt.layers.Subtract().apply([y1, y2]);
    const model = new dt.Model({ inputs: [x1, x2], outputs: [o1, o2] });
    const cfg = JSON.parse(model.toJSON());
    const sh = cfg.config.layers.find((l: { name: string }) => l.name === 'shared');
    expect(sh.inbound_nodes.map((n: any) => n.args[0].config.keras_history)).toEqual([['left', 0, 0], ['right', 0, 0]]);
    expect(cfg.config.input_layers).toEqual([['left', 0, 0], ['right', 0, 0]]);
    const back = await roundTrip(model, [dt.tensor(lcgValues(8, 4), [2, 4]), dt.tensor(lcgValues(8, 5), [2, 4])]);
    expect(back.weights.length).toBe(4);
  });

  it('nested models: a Sequential and a functional model inside a functional model', async () => {
    const innerSeq = new dt.Sequential([new dt.layers.Dense(5, { activation: 'relu' }), new dt.layers.Dense(4)], { name: 'inner_seq' });
    const ii = dt.Input({ shape: [4] });
    const innerFn = new dt.Model({ inputs: ii, outputs: new dt.layers.Dense(4, { activation: 'tanh' }).apply(ii), name: 'inner_fn' });
    const inp = dt.Input({ shape: [4] });
    const h = innerSeq.apply(inp);
    const k = innerFn.apply(h);
    const k2 = innerFn.apply(k); // the nested model called twice: node indices 0 and 1
    const out = new dt.layers.Average().apply([k, k2]);
    const model = new dt.Model({ inputs: inp, outputs: out, name: 'outer' });
    const cfg = JSON.parse(model.toJSON());
    const fn = cfg.config.layers.find((l: { name: string }) => l.name === 'inner_fn');
    expect(fn.class_name).toBe('Functional');
    expect(fn.inbound_nodes.map((n: any) => n.args[0].config.keras_history)).toEqual([['inner_seq', 0, 0], ['inner_fn', 0, 0]]);
    const avg = cfg.config.layers.find((l: { class_name: string }) => l.class_name === 'Average');
    expect(avg.inbound_nodes[0].args[0].map((t: any) => t.config.keras_history)).toEqual([['inner_fn', 0, 0], ['inner_fn', 1, 0]]);
    await roundTrip(model, dt.tensor(lcgValues(12, 6), [3, 4]));
  });

  it('a nested functional model as the output: its node counts from 1 in output_layers, as Keras writes it', async () => {
    const ii = dt.Input({ shape: [3] });
    const inner = new dt.Model({ inputs: ii, outputs: new dt.layers.Dense(2).apply(ii), name: 'inner' });
    const inp = dt.Input({ shape: [3] });
    const model = new dt.Model({ inputs: inp, outputs: inner.apply(new dt.layers.Dense(3).apply(inp)), name: 'outer' });
    const cfg = JSON.parse(model.toJSON());
    expect(cfg.config.output_layers).toEqual(['inner', 1, 0]);
    expect(cfg.config.layers.find((l: { name: string }) => l.name === 'inner').inbound_nodes[0].args[0].config.keras_history).toEqual(['dense_1', 0, 0]);
    await roundTrip(model, dt.tensor(lcgValues(6, 8), [2, 3]));
  });

  it('a registered custom layer round-trips with registered_name package>Name', async () => {
    class Scale extends dt.layers.Layer {
      readonly factor: number;
      constructor(config: { factor?: number; name?: string; trainable?: boolean } = {}) {
        const { factor, ...rest } = config;
        super(rest);
        this.factor = factor ?? 2;
      }
      computeOutputShape(s: dt.SymbolicShape): (number | null)[] { return [...s]; }
      call(x: dt.Tensor): dt.Tensor { return dt.mul(x, this.factor); }
      override getConfig(): Record<string, unknown> { return { ...super.getConfig(), factor: this.factor }; }
    }
    dt.utils.registerKerasSerializable(Scale, { package: 'MyPkg' });
    const model = new dt.Sequential([dt.Input({ shape: [3] }), new Scale({ factor: 3 }), new dt.layers.Dense(2)]);
    const cfg = JSON.parse(model.toJSON());
    expect(cfg.config.layers[1]).toMatchObject({ class_name: 'Scale', registered_name: 'MyPkg>Scale', config: { name: 'scale', factor: 3 } });
    const back = await roundTrip(model, dt.tensor(lcgValues(6, 7), [2, 3]));
    expect((back as dt.Sequential).layers[1]).toBeInstanceOf(Scale);
    // Unregistered classes are refused when written, with the fix in the message.
    class Plain extends Scale {}
    expect(() => new dt.Sequential([dt.Input({ shape: [3] }), new Plain()]).toJSON()).toThrow(/class Plain has no Keras config translation; register it with dt.utils.registerKerasSerializable/);
    // customObjects resolves a class name that is not registered.
    const json = JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 3], name: 'i' } }, { class_name: 'Plain', config: { name: 'p', factor: 5 } }] } });
    expect(() => modelFromJSON(json)).toThrow(/unsupported Keras class 'Plain'/);
    const m2 = modelFromJSON(json, { customObjects: { Plain } }) as dt.Sequential;
    expect((m2.layers[1] as Plain).factor).toBe(5);
  });
});

describe('legacy Keras 2 / tf.keras configs (read)', () => {
  // Modelled on the model_config attribute of a tf.keras 2.10 .h5 file (../shared/specs/keras-format.md).
  const legacySequential = {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 6, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' } },
        { class_name: 'Conv2D', config: { name: 'conv2d', trainable: true, batch_input_shape: [null, 6, 6, 1], dtype: 'float32', filters: 3, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
        { class_name: 'Activation', config: { name: 'activation', trainable: true, dtype: 'float32', activation: 'relu' } },
        { class_name: 'MaxPooling2D', config: { name: 'max_pooling2d', trainable: true, dtype: 'float32', pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' } },
        { class_name: 'Dropout', config: { name: 'dropout', trainable: true, dtype: 'float32', rate: 0.25, noise_shape: null, seed: null } },
        { class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' } },
        { class_name: 'BatchNormalization', config: { name: 'bn', trainable: true, dtype: 'float32', axis: [1], momentum: 0.99, epsilon: 0.001, center: true, scale: true, beta_initializer: { class_name: 'Zeros', config: {} }, gamma_initializer: { class_name: 'Ones', config: {} }, moving_mean_initializer: { class_name: 'Zeros', config: {} }, moving_variance_initializer: { class_name: 'Ones', config: {} }, beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null } },
        { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 4, activation: 'softmax', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
      ],
    },
  };

  it('a Keras 2 Sequential CNN (batch_input_shape, dtype strings, no module) loads and runs', async () => {
    const bnAxisFixed = structuredClone(legacySequential);
    bnAxisFixed.config.layers[6].config.axis = -1 as never; // Keras 2 writes BatchNormalization's axis as a list
    const m = dt.models.modelFromJSON(JSON.stringify(bnAxisFixed)) as dt.Sequential;
    expect(m.name).toBe('sequential');
    expect(m.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Conv2D', 'Activation', 'MaxPooling2D', 'Dropout', 'Flatten', 'BatchNormalization', 'Dense']);
    expect(m.built).toBe(true);
    expect(m.weights.map((w) => w.shape)).toEqual([[3, 3, 1, 3], [3], [27], [27], [27], [27], [27, 4], [4]]);
    const y = m.call(img(2, 6, 6, 1, 9));
    expect(y.shape).toEqual([2, 4]);
    // An h5 model_config may also be given wrapped: { model_config: {...} } is accepted.
    expect(dt.models.modelFromJSON({ model_config: bnAxisFixed }).name).toBe('sequential');
  });

  it('Keras 2 BatchNormalization axis as a one-element list is read', () => {
    const m = dt.models.modelFromJSON(legacySequential) as dt.Sequential;
    expect((m.layers[6] as dt.layers.BatchNormalization).axis).toBe(1);
  });

  it('a Keras 2 functional model (nested-list inbound nodes, shared layer, Add) loads and matches the same model built in ditto', async () => {
    const legacy = {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'a' }, name: 'a', inbound_nodes: [] },
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'b' }, name: 'b', inbound_nodes: [] },
          { class_name: 'Dense', config: { name: 'shared', trainable: true, dtype: 'float32', units: 3, activation: 'relu', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null }, name: 'shared', inbound_nodes: [[['a', 0, 0, {}]], [['b', 0, 0, {}]]] },
          { class_name: 'Add', config: { name: 'add', trainable: true, dtype: 'float32' }, name: 'add', inbound_nodes: [[['shared', 0, 0, {}], ['shared', 1, 0, {}]]] },
        ],
        input_layers: [['a', 0, 0], ['b', 0, 0]],
        output_layers: [['add', 0, 0]],
      },
      keras_version: '2.10.0',
      backend: 'tensorflow',
    };
    const m = dt.models.modelFromJSON(JSON.stringify(legacy)) as dt.Functional;
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'b', 'shared', 'add']);
    const a = dt.Input({ shape: [4], name: 'a2' });
    const b = dt.Input({ shape: [4], name: 'b2' });
    const d = new dt.layers.Dense(3, { activation: 'relu' });
    const ref = new dt.Model({ inputs: [a, b], outputs: new dt.layers.Add().apply([d.apply(a), d.apply(b)]) });
    ref.setWeights(m.getWeights());
    const xs = [dt.tensor(lcgValues(8, 11), [2, 4]), dt.tensor(lcgValues(8, 12), [2, 4])];
    // Keras 2's output_layers [['add', 0, 0]] is one output (a list of one is unwrapped, as Keras 3 does).
    expect(await (m.call(xs) as dt.Tensor).data()).toEqual(await (ref.call(xs) as dt.Tensor).data());
  });

  it('Keras 2: a nested functional model\'s nodes count its built-in node 0', () => {
    const inner = {
      class_name: 'Functional', name: 'inner', inbound_nodes: [[['a', 0, 0, {}]]],
      config: { name: 'inner', layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'x' }, name: 'x', inbound_nodes: [] },
        { class_name: 'Dense', config: { name: 'd', units: 3 }, name: 'd', inbound_nodes: [[['x', 0, 0, {}]]] },
      ], input_layers: [['x', 0, 0]], output_layers: [['d', 0, 0]] },
    };
    const legacy = { class_name: 'Functional', config: { name: 'outer', layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'a' }, name: 'a', inbound_nodes: [] },
      inner,
      { class_name: 'Activation', config: { name: 'act', activation: 'relu' }, name: 'act', inbound_nodes: [[['inner', 1, 0, {}]]] },
    ], input_layers: [['a', 0, 0]], output_layers: [['act', 0, 0]] } };
    const m = dt.models.modelFromJSON(legacy) as dt.Functional;
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'inner', 'act']);
    expect(m.outputs[0].shape).toEqual([null, 3]);
  });

  it('Keras 2.0\'s Sequential config as a bare list of layers', () => {
    const m = dt.models.modelFromJSON({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3] } }] });
    expect(m.weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
  });
});

describe('config errors name the class, the field and where it sits', () => {
  const seqWith = (layer: unknown): string => JSON.stringify({
    module: 'keras', class_name: 'Sequential',
    config: { name: 'seq', layers: [{ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 5, 4], name: 'in' } }, layer] },
  });

  it('unknown class: names the class and its path', () => {
    const json = seqWith({ module: 'keras.layers', class_name: 'ConvLSTM1D', config: { name: 'gru_7', units: 4 } });
    expect(() => dt.models.modelFromJSON(json)).toThrow(dt.ArgumentError);
    expect(() => dt.models.modelFromJSON(json)).toThrow("Keras config: unsupported Keras class 'ConvLSTM1D': ditto has no such layer; a custom class needs dt.utils.registerKerasSerializable or customObjects (at seq/layers[1] ('gru_7'))");
  });

  it('unknown class inside a nested model: the whole path', () => {
    const inner = JSON.parse(seqWith({ class_name: 'ConvLSTM1D', config: { name: 'bi' } }));
    inner.config.name = 'inner';
    const json = JSON.stringify({ class_name: 'Sequential', config: { name: 'outer', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 5, 4], name: 'i0' } }, inner] } });
    expect(() => dt.models.modelFromJSON(json)).toThrow(/unsupported Keras class 'ConvLSTM1D'.*\(at outer\/layers\[1\] \('inner'\) > inner\/layers\[1\] \('bi'\)\)$/);
  });

  it('unsupported field values', () => {
    const dense = (extra: Record<string, unknown>): string => seqWith({ class_name: 'Dense', config: { name: 'd', units: 3, ...extra } });
    expect(() => dt.models.modelFromJSON(dense({ dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } })))
      .toThrow(/unsupported dtype "mixed_float16".*\(at seq\/layers\[1\] \('d'\), field dtype\)/);
    expect(() => dt.models.modelFromJSON(dense({ lora_rank: 4 }))).toThrow(/unsupported field lora_rank=4 of Dense: ditto cannot honour it \(at seq\/layers\[1\] \('d'\)\)/);
    expect(() => dt.models.modelFromJSON(dense({ kernel_regularizer: { class_name: 'L3', config: {} } }))).toThrow(/unsupported regularizer class 'L3'.*field kernel_regularizer/);
    expect(() => dt.models.modelFromJSON(dense({ kernel_initializer: { class_name: 'Foo', config: {} } }))).toThrow(/unsupported initializer.*Foo.*field kernel_initializer/);
    expect(() => dt.models.modelFromJSON(dense({ activation: 'swishy' }))).toThrow(/cannot build Dense: Dense: unknown activation 'swishy'/);
    expect(() => dt.models.modelFromJSON(seqWith({ class_name: 'Conv3D', config: { name: 'c' } }))).toThrow(/unsupported Keras class 'Conv3D'/);
    expect(() => dt.models.modelFromJSON(seqWith({ class_name: 'Conv1D', config: { name: 'c' } }))).toThrow(/missing field filters of Conv1D/); // Conv1D is supported (seq-inputs)
    const conv = seqWith({ class_name: 'Flatten', config: { name: 'f', data_format: 'channels_first' } });
    expect(() => dt.models.modelFromJSON(conv)).toThrow(/unsupported field data_format="channels_first" of Flatten/);
    // Harmless fields are accepted: trainable, float32 dtype, channels_last, null regularizers, quantization_config null.
    const ok = dt.models.modelFromJSON(dense({ trainable: false, dtype: 'float32', kernel_regularizer: null, quantization_config: null, lora_rank: null })) as dt.Sequential;
    expect(ok.layers[1].trainable).toBe(false);
  });

  it('malformed JSON and configs are DataFormatErrors', () => {
    expect(() => dt.models.modelFromJSON('{"class_name": "Sequential", ')).toThrow(dt.DataFormatError);
    expect(() => dt.models.modelFromJSON('{"class_name": "Sequential", ')).toThrow(/modelFromJSON: expected JSON text/);
    expect(() => dt.models.modelFromJSON('[1, 2]')).toThrow(/expected a serialized object \{ class_name, config \}/);
    expect(() => dt.models.modelFromJSON({ class_name: 'Sequential', config: { name: 's', layers: 3 } })).toThrow(dt.DataFormatError);
    expect(() => dt.models.modelFromJSON({ class_name: 'Dense', config: { name: 'd', units: 2 } })).toThrow(/expected a model \(Sequential or Functional\)/);
    const badNode = { class_name: 'Functional', config: { name: 'f', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 2], name: 'i' }, name: 'i', inbound_nodes: [] }, { class_name: 'Dense', config: { name: 'd', units: 2 }, name: 'd', inbound_nodes: [[['nope', 0, 0, {}]]] }], input_layers: [['i', 0, 0]], output_layers: [['d', 0, 0]] } };
    expect(() => dt.models.modelFromJSON(badNode)).toThrow(/a node refers to unknown layer 'nope' \(at f\/layers\[1\] \('d'\)\)/);
  });

  it('a frozen model: trainable=false is honoured when its layers are frozen too, refused otherwise', () => {
    const layers = [{ class_name: 'InputLayer', config: { batch_shape: [null, 3], name: 'i' } }, { class_name: 'Dense', config: { name: 'd', units: 2, trainable: false } }];
    const m = dt.models.modelFromJSON({ class_name: 'Sequential', config: { name: 's', trainable: false, layers } });
    expect([m.trainable, m.trainableWeights.length, m.nonTrainableWeights.length]).toEqual([false, 0, 2]);
    (layers[1].config as Record<string, unknown>).trainable = true;
    expect(() => dt.models.modelFromJSON({ class_name: 'Sequential', config: { name: 's', trainable: false, layers } })).toThrow(/unsupported trainable=false on a model whose layers are trainable \(ditto freezes layers: set trainable false on each layer\) \(at s\)$/);
  });

  it('layerToKerasConfig of a layer is consistent with its getConfig (name, trainable)', () => {
    const d = new dt.layers.Dense(2, { trainable: false, name: 'x' });
    const cfg = layerToKerasConfig(d).config;
    expect([cfg.name, cfg.trainable]).toEqual([d.getConfig().name, d.getConfig().trainable]);
  });
});
