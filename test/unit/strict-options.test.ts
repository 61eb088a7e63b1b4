/**
 * Issue 21, item 1: every public constructor and function that takes an options object refuses a non-object and
 * unknown keys, with Keras's kind of message naming the class or function.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';

/** Positional arguments before the options object, per class; null: the class takes no options object. */
const POSITIONAL: Record<string, Record<string, unknown[] | null>> = {
  layers: {
    Activation: ['relu'], AveragePooling2D: [[2, 2]], Conv2D: [4, 3], Dense: [4], Dropout: [0.5], Flatten: [],
    GlobalAveragePooling2D: [], MaxPooling2D: [[2, 2]],
    BatchNormalization: [], LayerNormalization: [], GroupNormalization: [],
    UpSampling2D: [2], ZeroPadding2D: [1], Cropping2D: [1], GlobalMaxPooling2D: [], Reshape: [[4]], Permute: [[1]],
    RepeatVector: [2], Rescaling: [0.5], Resizing: [2, 2], CenterCrop: [2, 2], Normalization: [], GaussianNoise: [0.1],
    GaussianDropout: [0.1], SpatialDropout2D: [0.1],
    Conv2DTranspose: [4, 3], DepthwiseConv2D: [3], SeparableConv2D: [4, 3],
    Input: null, InputLayer: null, // need { shape }: tested below
    Layer: null, // abstract: a user subclass may take more keys
    ReLU: [], LeakyReLU: [], ELU: [], PReLU: [], Softmax: [],
    RandomFlip: ['horizontal'], RandomRotation: [0.1], RandomTranslation: [0.1, 0.1], RandomZoom: [0.1, null], RandomCrop: [2, 2],
    RandomContrast: [0.1], RandomBrightness: [0.1], RandomImageLayer: null, // abstract base of the augmentation layers
    Add: [], Average: [], Concatenate: [], Dot: [1], Maximum: [], Minimum: [], Multiply: [], Subtract: [],
    Merge: null, // abstract base of the merge layers
    Embedding: [5, 2], Masking: [], Conv1D: [4, 3], MaxPooling1D: [2], AveragePooling1D: [2], GlobalMaxPooling1D: [],
    GlobalAveragePooling1D: [], UpSampling1D: [2], ZeroPadding1D: [1], Cropping1D: [1], TextVectorization: [],
    SimpleRNN: [2], LSTM: [2], GRU: [2], SimpleRNNCell: [2], LSTMCell: [2], GRUCell: [2], RNN: [new dt.layers.GRUCell(2)],
    RNNCell: null, // abstract base of the cells
    Bidirectional: [new dt.layers.LSTM(2)], TimeDistributed: [new dt.layers.Dense(2)],
  },
  optimizers: {
    Adam: [], SGD: [], Optimizer: null,
    Adadelta: [], Adagrad: [], Adamax: [], AdamW: [], Lion: [], Nadam: [], RMSprop: [], Ftrl: [], LearningRateSchedule: null, // the schedules need arguments: tested in schedules.test.ts
  },
  initializers: {
    Constant: [], GlorotNormal: [], GlorotUniform: [], HeNormal: [], HeUniform: [], Identity: [], LecunNormal: [],
    LecunUniform: [], Ones: [], Orthogonal: [], RandomNormal: [], RandomUniform: [], TruncatedNormal: [],
    VarianceScaling: [], Zeros: [], Initializer: null, RandomInitializer: null,
  },
  losses: {
    CategoricalCrossentropy: [], MeanSquaredError: [], SparseCategoricalCrossentropy: [], BinaryCrossentropy: [],
    BinaryFocalCrossentropy: [], CategoricalHinge: [], CosineSimilarity: [], Hinge: [], Huber: [], KLDivergence: [],
    LogCosh: [], MeanAbsoluteError: [], MeanAbsolutePercentageError: [], MeanSquaredLogarithmicError: [], Poisson: [],
    SquaredHinge: [], KerasLoss: null,
  },
  callbacks: {
    EarlyStopping: [], Callback: null, CallbackList: null, TerminateOnNaN: null,
    ModelCheckpoint: [], ReduceLROnPlateau: [], LearningRateScheduler: [() => 0.1], CSVLogger: ['/tmp/log.csv'], LambdaCallback: [], BackupAndRestore: [],
  },
  metrics: {
    AUC: [], BinaryAccuracy: [], CategoricalAccuracy: [], F1Score: [], FBetaScore: [], Mean: [], MeanAbsoluteError: [],
    MeanIoU: [3], MeanSquaredError: [], Precision: [], R2Score: [], Recall: [], RootMeanSquaredError: [],
    SparseCategoricalAccuracy: [], SparseTopKCategoricalAccuracy: [], Sum: [], TopKCategoricalAccuracy: [],
    MeanMetric: null, MeanMetricWrapper: null, Metric: null,
  },
  regularizers: { L1: [], L1L2: [], L2: [], OrthogonalRegularizer: [] },
  constraints: { MaxNorm: [], MinMaxNorm: [], NonNeg: [], UnitNorm: [] },
};

function classesOf(ns: Record<string, unknown>): string[] {
  return Object.keys(ns).filter((k) => typeof ns[k] === 'function' && /^[A-Z]/.test(k));
}

describe('strict options', () => {
  for (const [nsName, table] of Object.entries(POSITIONAL)) {
    const ns = (dt as unknown as Record<string, Record<string, unknown>>)[nsName];
    it(`dt.${nsName}: every class is listed`, () => {
      expect(classesOf(ns).sort()).toEqual(Object.keys(table).sort());
    });
    for (const [cls, args] of Object.entries(table)) {
      if (!args) continue;
      it(`dt.${nsName}.${cls} refuses an unknown key and a string`, () => {
        const C = ns[cls] as new (...a: unknown[]) => unknown;
        const bad = (o: unknown) => () => new C(...args, o);
        expect(bad({ notAnOption: 1 })).toThrow(dt.ArgumentError);
        expect(bad({ notAnOption: 1 })).toThrow(new RegExp(`^${cls}: unrecognized options \\{notAnOption\\}\\. Expected (one of: |no options)`));
        expect(bad('/path')).toThrow(new RegExp(`^${cls}: expected an options object\\. Received: a string "/path"$`));
        expect(bad(null)).toThrow(dt.TensorEngineError);
      });
    }
  }

  it("Keras's message for a misspelt layer option", () => {
    expect(() => new dt.layers.Dense(2, { activaton: 'relu' } as never)).toThrow(
      /^Dense: unrecognized options \{activaton\}\. Expected one of: name, inputShape, trainable, activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint$/,
    );
    expect(() => dt.layers.Input({ shape: [2], shap: [3] } as never)).toThrow(/^InputLayer: unrecognized options \{shap\}/);
    expect(() => dt.layers.Input('x' as never)).toThrow(/^InputLayer: expected an options object/);
  });

  it('a user Layer subclass may take its own keys', () => {
    class Mine extends dt.layers.Layer {
      constructor(config: { name?: string; units?: number }) { super(config); }
      computeOutputShape(s: readonly (number | null)[]) { return [...s]; }
      call(x: dt.Tensor) { return x; }
    }
    expect(new Mine({ units: 3 }).name).toMatch(/^mine/);
    expect(() => new Mine('x' as never)).toThrow(/^Mine: expected an options object/);
  });

  it('ops, random, data, datasets and Sequential', async () => {
    const x = dt.ones([1, 4, 4, 1]);
    const w = dt.ones([2, 2, 1, 1]);
    expect(() => dt.conv2d(x, w, { stride: 1 } as never)).toThrow(/^conv2d: unrecognized options \{stride\}\. Expected one of: strides, padding, dilations$/);
    expect(() => dt.maxPool2d(x, { pool: 2 } as never)).toThrow(/^maxPool2d: unrecognized options \{pool\}/);
    expect(() => dt.matmul(dt.ones([2, 2]), dt.ones([2, 2]), { transpose_a: true } as never)).toThrow(/^matmul: unrecognized options \{transpose_a\}/);
    expect(() => dt.random.statelessUniform([2], [1, 2], { max: 3 } as never)).toThrow(/^statelessUniform: unrecognized options \{max\}/);
    expect(() => dt.random.statelessNormal([2], [1, 2], 'x' as never)).toThrow(/^statelessNormal: expected an options object/);
    expect(() => new dt.random.SeedGenerator(1, { dtyp: 'int32' } as never)).toThrow(/^SeedGenerator: unrecognized options \{dtyp\}/);
    const t4 = dt.ones([4]);
    const ds = dt.data.Dataset.fromTensorSlices(t4);
    expect(() => ds.batch(2, { drop_remainder: true } as never)).toThrow(/^Dataset.batch: unrecognized options \{drop_remainder\}/);
    expect(() => ds.shuffle(2, { sed: 1 } as never)).toThrow(/^Dataset.shuffle: unrecognized options \{sed\}/);
    expect(() => ds.map((v) => v, { parallel: 2 } as never)).toThrow(/^Dataset.map: unrecognized options \{parallel\}/);
    expect(() => ds.paddedBatch(2, { padding_values: 0 } as never)).toThrow(/^Dataset.paddedBatch: unrecognized options \{padding_values\}/);
    await expect(dt.datasets.mnist.loadData('/path' as never)).rejects.toThrow(/^mnist.loadData: expected an options object\. Received: a string "\/path"$/);
    await expect(dt.datasets.mnist.loadData({ dir: '/x' } as never)).rejects.toThrow(/^mnist.loadData: unrecognized options \{dir\}\. Expected one of: path$/);
    expect(() => new dt.Sequential([], { nme: 'm' } as never)).toThrow(/^Sequential: unrecognized options \{nme\}/);
    const model = new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(1)]);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metric: ['accuracy'] } as never)).toThrow(/^compile: unrecognized options \{metric\}/);
    const one = dt.ones([1, 2]);
    expect(() => model.call(one, { trainig: true } as never)).toThrow(/\.call: unrecognized options \{trainig\}\. Expected one of: training, mask$/);
    expect(() => model.layers[1].apply(one, 'train' as never)).toThrow(/^Dense '.*'\.apply: expected an options object\. Received: a string "train"$/);
    one.dispose();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const data = dt.data.Dataset.fromTensorSlices([dt.ones([4, 2]), dt.ones([4, 1])]).batch(2);
    await expect(model.fit(data, { epoch: 2 } as never)).rejects.toThrow(/^fit: unrecognized options \{epoch\}\. Expected one of: epochs, /);
    await expect(model.fit(data, { batchSize: 32 } as never)).rejects.toThrow(/^fit: batchSize applies to array data: a Dataset keeps its own batches \(dataset\.batch\(n\)\)\. Received: batchSize with a Dataset$/);
    for (const k of ['validationSplit', 'shuffle', 'sampleWeight']) {
      await expect(model.fit(data, { [k]: 1 } as never)).rejects.toThrow(new RegExp(`^fit: ${k} applies to array data`));
    }
    await expect(model.evaluate(data, { batchSize: 2 } as never)).rejects.toThrow(/^evaluate: batchSize applies to array data/);
    await expect(model.evaluate(data, { callbacks: [] } as never)).rejects.toThrow(/^evaluate: the option callbacks is not supported yet/);
    await expect(model.evaluate(data, 'x' as never)).rejects.toThrow(/^evaluate: expected an options object/);
    await expect(model.predict(dt.ones([2, 2]), { batch_size: 2 } as never)).rejects.toThrow(/^predict: unrecognized options \{batch_size\}/);
    await expect(model.loadWeights('/nonexistent.safetensors', { match: 'order' } as never)).rejects.toThrow(/^loadWeights: unrecognized options \{match\}/);
    model.dispose();
    dt.dispose([x, w, t4]);
  });
});
