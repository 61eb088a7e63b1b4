/**
 * Keras configs as real Keras wrote them: the `config.json` of each `.keras` file in ../shared/keras-files (read
 * when the folder exists; the files are not in this repository) parses to the model its README describes, or, for
 * a layer class ditto does not have yet, fails with the "unsupported Keras class" error naming it and where it
 * sits; their compile_config restores the optimizer, loss and metrics. Optimizer configs round-trip for every
 * optimizer, and a legacy `.h5` training_config (handwritten, as tf.keras 2.10 writes it) is read.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { compileFromKerasConfig, compileToKerasConfig, optimizerFromKerasConfig, optimizerToKerasConfig } from '../../../src/nn/saving/index.ts';
import { ROOT } from '../../util/subprocess.ts';

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const DIR = resolve(ROOT, '../shared/keras-files');
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.keras')).sort() : [];

/** One entry of a zip archive, through its central directory (stored or deflated entries). */
function zipEntry(buf: Buffer, name: string): Buffer {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip');
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    if (buf.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return method === 0 ? data : inflateRawSync(data);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`no ${name} in the archive`);
}

const configOf = (file: string): Record<string, any> => JSON.parse(zipEntry(readFileSync(resolve(DIR, file)), 'config.json').toString('utf8'));

describe.skipIf(files.length === 0)('config.json of the real .keras files', () => {
  it('the folder holds the files this test knows', () => {
    expect(files).toEqual(['mnist-cnn-bn-k3.10.keras', 'mnist-lstm-k3.9.keras', 'mnist-mlp-k3.14.keras']);
  });

  it('mnist-mlp-k3.14.keras: InputLayer, Flatten, Dense x4; compile_config restores Adam', () => {
    const cfg = configOf('mnist-mlp-k3.14.keras');
    const m = dt.models.modelFromJSON(cfg) as dt.Sequential;
    expect(m.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Flatten', 'Dense', 'Dense', 'Dense', 'Dense']);
    expect(m.layers.slice(2).map((l) => (l as dt.layers.Dense).units)).toEqual([64, 32, 16, 10]);
    expect(m.weights.map((w) => w.shape)).toEqual([[784, 64], [64], [64, 32], [32], [32, 16], [16], [16, 10], [10]]);
    // Written back, the architecture reads the same (names kept).
    expect(dt.models.modelFromJSON(m.toJSON()).toJSON()).toBe(m.toJSON());
    const c = compileFromKerasConfig(cfg.compile_config);
    expect(c.optimizer).toBeInstanceOf(dt.optimizers.Adam);
    expect(c.loss).toBe('sparse_categorical_crossentropy');
    expect(c.metrics).toEqual(['accuracy']);
    m.compile(c);
    expect(optimizerToKerasConfig(m.compiled!.optimizer).config).toEqual({ ...cfg.compile_config.optimizer.config });
  });

  it('mnist-cnn-bn-k3.10.keras: the CNN with BatchNormalization parses and runs', () => {
    const cfg = configOf('mnist-cnn-bn-k3.10.keras');
    const m = dt.models.modelFromJSON(JSON.stringify(cfg)) as dt.Sequential;
    expect(m.layers.map((l) => l.constructor.name)).toEqual([
      'InputLayer', 'Conv2D', 'BatchNormalization', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Dropout', 'Conv2D',
      'BatchNormalization', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'BatchNormalization',
      'Dropout', 'Dense',
    ]);
    expect(m.layers.map((l) => l.name)).toEqual(cfg.config.layers.map((l: { config: { name: string } }) => l.config.name));
    const y = m.call(dt.zeros([1, 28, 28, 1]), {});
    expect(y.shape).toEqual([1, 10]);
    const c = compileFromKerasConfig(cfg.compile_config);
    expect((c.optimizer as dt.optimizers.Adam).learningRate).toBe(cfg.compile_config.optimizer.config.learning_rate);
    expect(c.loss).toBe('categorical_crossentropy');
  });

  it('written back, each parsable file\'s config is what Keras wrote, but for listed differences', () => {
    // The differences, each harmless to Keras's from_config: shared_object_id marks; compile_config (not part of
    // toJSON); InputLayer 'optional' and Dense 'quantization_config' (newer Keras only: older Keras 3 would refuse
    // them); activity_regularizer null on Dense (Keras's base Layer accepts it); build_config on weightless layers;
    // the timesteps of a recurrent layer's build_config (null: ditto's recurrent layers build for any length).
    const allowed = [
      /\.shared_object_id$/, /^\.compile_config$/, /\.config\.layers\[\d+\]\.config\.(optional|quantization_config|activity_regularizer)$/, /\.config\.layers\[\d+\]\.build_config$/,
      /\.config\.layers\[\d+\]\.build_config\.input_shape\[1\]$/,
    ];
    for (const f of ['mnist-mlp-k3.14.keras', 'mnist-cnn-bn-k3.10.keras', 'mnist-lstm-k3.9.keras']) {
      const real = configOf(f);
      const ours = JSON.parse(dt.models.modelFromJSON(real).toJSON());
      const diffs: string[] = [];
      const diff = (a: any, b: any, p: string): void => {
        if (JSON.stringify(a) === JSON.stringify(b)) return;
        if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b) && (!Array.isArray(a) || a.length === b.length)) {
          for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], Array.isArray(a) ? `${p}[${k}]` : `${p}.${k}`);
          return;
        }
        diffs.push(p);
      };
      diff(real, ours, '');
      expect(diffs.filter((d) => !allowed.some((r) => r.test(d))), f).toEqual([]);
      expect(diffs.length).toBeGreaterThan(0); // the comparison ran (shared_object_id differs at least)
    }
  });

  it('mnist-lstm-k3.9.keras: the LSTM layers are read with every field of the file', () => {
    const cfg = configOf('mnist-lstm-k3.9.keras');
    const m = dt.models.modelFromJSON(cfg) as dt.Sequential;
    const lstms = m.layers.filter((l) => l instanceof dt.layers.LSTM) as unknown as dt.layers.LSTM[];
    expect(lstms.map((l) => [l.name, l.units, l.returnSequences])).toEqual([['lstm', 128, true], ['lstm_1', 128, false]]);
    expect(lstms[0].cell.weights.map((w) => w.shape)).toEqual([[28, 512], [128, 512], [512]]);
    m.dispose();
  });
});

describe('optimizer and compile configs', () => {
  const O = dt.optimizers;
  const cases: [string, dt.optimizers.Optimizer][] = [
    ['SGD', new O.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1 })],
    ['RMSprop', new O.RMSprop({ rho: 0.8, momentum: 0.1, centered: true, epsilon: 1e-6 })],
    ['Adam', new O.Adam({ learningRate: 3e-4, beta1: 0.8, amsgrad: true, globalClipnorm: 2 })],
    ['AdamW', new O.AdamW({ weightDecay: 0.01 })],
    ['Adamax', new O.Adamax({ beta2: 0.99, useEma: true, emaMomentum: 0.9 })],
    ['Nadam', new O.Nadam({ clipvalue: 0.5, gradientAccumulationSteps: 2 })],
    ['Adagrad', new O.Adagrad({ initialAccumulatorValue: 0.2 })],
    ['Adadelta', new O.Adadelta({ rho: 0.9, learningRate: 1 })],
    ['Lion', new O.Lion({ beta1: 0.95, learningRate: new O.schedules.ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.5, staircase: true }) })],
  ];
  for (const [name, opt] of cases) {
    it(`${name}: config -> optimizer -> the same config, and the same getConfig`, () => {
      const cfg = optimizerToKerasConfig(opt);
      expect(cfg).toMatchObject({ module: 'keras.optimizers', class_name: name, registered_name: null });
      expect(cfg.config.name).toBe(name.toLowerCase());
      for (const k of Object.keys(cfg.config)) expect(k).toMatch(/^[a-z0-9_]+$/);
      const back = optimizerFromKerasConfig(JSON.parse(JSON.stringify(cfg)));
      expect(back.constructor).toBe(opt.constructor);
      expect(optimizerToKerasConfig(back)).toEqual(cfg);
      const strip = (c: Record<string, unknown>): Record<string, unknown> => ({ ...c, learningRate: typeof c.learningRate === 'number' ? Math.fround(c.learningRate) : c.learningRate });
      expect(strip(back.getConfig())).toEqual(strip(opt.getConfig()));
    });
  }

  it('Adam writes every Keras 3 field, in Keras\'s names', () => {
    expect(optimizerToKerasConfig(new O.Adam()).config).toEqual({
      name: 'adam', learning_rate: Math.fround(0.001), weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null,
      use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, gradient_accumulation_steps: null, loss_scale_factor: null,
      beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false,
    });
    expect(optimizerToKerasConfig(new O.Lion({ learningRate: new O.schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }) })).config.learning_rate)
      .toMatchObject({ module: 'keras.optimizers.schedules', class_name: 'CosineDecay', config: { initial_learning_rate: 0.1, decay_steps: 100, alpha: 0 } });
  });

  it('a tf.keras 2.10 training_config (optimizer_config, MeanMetricWrapper metrics, decay 0) is read', () => {
    const tc = {
      loss: 'categorical_crossentropy',
      metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'categorical_accuracy' } }]],
      weighted_metrics: null, loss_weights: null,
      optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.0010000000474974513, decay: 0.0, beta_1: 0.8999999761581421, beta_2: 0.9990000128746033, epsilon: 1e-7, amsgrad: false } },
    };
    const c = compileFromKerasConfig(tc);
    expect(c.optimizer).toBeInstanceOf(O.Adam);
    expect((c.optimizer as dt.optimizers.Adam).beta1).toBe(0.8999999761581421);
    expect(c.metrics).toEqual(['accuracy']); // Keras 2's per-output nesting of a one-output model, unwrapped
    const m = new dt.Sequential([dt.Input({ shape: [3] }), new dt.layers.Dense(2, { activation: 'softmax' })]);
    m.compile(c);
  });

  it('Keras 3 serialized losses and metrics with their default arguments read back as their names; other arguments are refused', () => {
    const ser = (module: string, className: string, config: Record<string, unknown>) => ({ module, class_name: className, config, registered_name: null });
    // As Keras 3 writes keras.losses.CategoricalCrossentropy() and keras.metrics.SparseTopKCategoricalAccuracy() in compile_config.
    const cc = {
      optimizer: 'rmsprop',
      loss: ser('keras.losses', 'CategoricalCrossentropy', { name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0.0, axis: -1 }),
      metrics: [
        ser('keras.metrics', 'CategoricalAccuracy', { name: 'categorical_accuracy', dtype: 'float32' }),
        ser('keras.metrics', 'TopKCategoricalAccuracy', { name: 'top_k_categorical_accuracy', dtype: 'float32', k: 5 }),
      ],
    };
    const c = compileFromKerasConfig(cc);
    // A loss by its class name (dt.losses.get resolves it; Huber's name 'huber_loss' is not a loss name), a metric by
    // its name (the key of its logs).
    expect([c.loss, c.metrics]).toEqual(['CategoricalCrossentropy', ['categorical_accuracy', 'top_k_categorical_accuracy']]);
    const m = new dt.Sequential([dt.Input({ shape: [3] }), new dt.layers.Dense(2, { activation: 'softmax' })]);
    m.compile(c);
    const huber = compileFromKerasConfig({ optimizer: 'adam', loss: ser('keras.losses', 'Huber', { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 1.0 }) });
    expect(huber.loss).toBe('Huber');
    m.compile(huber);
    expect(compileFromKerasConfig({ optimizer: 'adam', loss: ser('keras.losses', 'SparseCategoricalCrossentropy', { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, ignore_class: null }) }).loss)
      .toBe('SparseCategoricalCrossentropy');
    m.dispose();
    // Anything else would be lost by reading the entry as its name: refused, naming it.
    const smoothed = { ...cc, loss: ser('keras.losses', 'CategoricalCrossentropy', { name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0.1, axis: -1 }) };
    expect(() => compileFromKerasConfig(smoothed)).toThrow(/unsupported CategoricalCrossentropy arguments label_smoothing/);
    expect(() => compileFromKerasConfig({ ...cc, loss: ser('keras.losses', 'CategoricalCrossentropy', { name: 'categorical_crossentropy', reduction: 'sum', axis: -1 }) }))
      .toThrow(/unsupported CategoricalCrossentropy arguments reduction/);
    expect(() => compileFromKerasConfig({ ...cc, loss: ser('keras.losses', 'CategoricalCrossentropy', { name: 'categorical_crossentropy', from_logits: true }) }))
      .toThrow(/unsupported CategoricalCrossentropy arguments from_logits/);
    expect(() => compileFromKerasConfig({ ...cc, metrics: [ser('keras.metrics', 'TopKCategoricalAccuracy', { name: 'top_k_categorical_accuracy', k: 3 })] }))
      .toThrow(/unsupported TopKCategoricalAccuracy arguments k/);
  });

  it('refuses what it cannot honour, naming it', () => {
    expect(() => optimizerFromKerasConfig({ class_name: 'Muon', config: {} })).toThrow(/unsupported optimizer class 'Muon'/);
    expect(() => optimizerFromKerasConfig({ class_name: 'SGD', config: { learning_rate: 0.1, decay: 0.01 } })).toThrow(/unsupported field decay=0.01 of optimizer SGD \(at compile_config.optimizer\)/);
    expect(() => optimizerFromKerasConfig({ class_name: 'Adam', config: { loss_scale_factor: 128 } })).toThrow(/loss_scale_factor=128/);
    expect(() => compileFromKerasConfig({ optimizer: 'adam', loss: 'mse', steps_per_execution: 4 })).toThrow(/unsupported compile field steps_per_execution=4/);
    expect(() => compileFromKerasConfig({ optimizer: 'adam', loss: { class_name: 'Huber', config: { name: 'huber', delta: 2 } } })).toThrow(/unsupported Huber arguments delta/);
    expect(() => optimizerToKerasConfig(new O.SGD({ learningRate: (step: number) => 0.1 / (step + 1) }))).toThrow(/function cannot be written/);
  });

  it('compileToKerasConfig writes a compiled model\'s compile_config', () => {
    const m = new dt.Sequential([dt.Input({ shape: [3] }), new dt.layers.Dense(2)]);
    const options = { optimizer: new O.RMSprop({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
    expect(compileToKerasConfig(m, options)).toBeNull();
    m.compile(options);
    const cc = compileToKerasConfig(m, options)!;
    expect(cc).toEqual({
      optimizer: optimizerToKerasConfig(m.compiled!.optimizer), loss: 'sparse_categorical_crossentropy', loss_weights: null, metrics: ['accuracy'],
      weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false,
    });
    expect(compileToKerasConfig(m)).toEqual(cc); // the options the model was compiled with, by default
    m.compile({ ...options, loss: new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    expect(() => compileToKerasConfig(m)).toThrow(/the loss is an object \(SparseCategoricalCrossentropy\); only Keras names can be written/);
    const back = compileFromKerasConfig(JSON.parse(JSON.stringify(cc)));
    expect(back.optimizer).toBeInstanceOf(O.RMSprop);
    expect([back.loss, back.metrics]).toEqual(['sparse_categorical_crossentropy', ['accuracy']]);
  });
});
