/**
 * Every single-input layer of dt.layers works in a functional graph unchanged: called on a symbolic input it
 * infers the shape the layer really produces, and a model made of it computes, bit for bit, what the layer applied
 * directly computes (inference mode). The table must list every layer class, so new layers are checked too.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { lcgValues } from './helpers.ts';

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

/** Constructor arguments and the input shape (without batch) for each single-input layer; null: not checked here. */
const CASES: Record<string, { args: unknown[]; shape?: number[] } | null> = {
  Activation: { args: ['relu'] }, AveragePooling2D: { args: [[2, 2]] }, Conv2D: { args: [4, 3] }, Dense: { args: [4] },
  Dropout: { args: [0.5] }, Flatten: { args: [] }, GlobalAveragePooling2D: { args: [] }, MaxPooling2D: { args: [[2, 2]] },
  BatchNormalization: { args: [] }, LayerNormalization: { args: [] }, GroupNormalization: { args: [{ groups: 3 }] },
  UpSampling2D: { args: [2] }, ZeroPadding2D: { args: [1] }, Cropping2D: { args: [1] }, GlobalMaxPooling2D: { args: [] },
  Reshape: { args: [[8, 24]] }, Permute: { args: [[2, 1, 3]] }, RepeatVector: { args: [2], shape: [5] },
  Rescaling: { args: [0.5] }, Resizing: { args: [4, 4] }, CenterCrop: { args: [4, 4] },
  Normalization: { args: [{ mean: 0.5, variance: 2 }] },
  GaussianNoise: { args: [0.1] }, GaussianDropout: { args: [0.1] }, SpatialDropout2D: { args: [0.1] },
  ReLU: { args: [] }, LeakyReLU: { args: [] }, ELU: { args: [] }, PReLU: { args: [] }, Softmax: { args: [] },
  RandomFlip: { args: ['horizontal'] }, RandomRotation: { args: [0.1] }, RandomTranslation: { args: [0.1, 0.1] },
  RandomZoom: { args: [0.1] }, RandomCrop: { args: [4, 4] }, RandomContrast: { args: [0.1] }, RandomBrightness: { args: [0.1] },
  DepthwiseConv2D: { args: [3] }, SeparableConv2D: { args: [4, 3] }, Conv2DTranspose: { args: [4, 3] },
  Conv1D: { args: [4, 3], shape: [8, 3] }, MaxPooling1D: { args: [2], shape: [8, 3] }, AveragePooling1D: { args: [2], shape: [8, 3] },
  GlobalMaxPooling1D: { args: [], shape: [8, 3] }, GlobalAveragePooling1D: { args: [], shape: [8, 3] }, UpSampling1D: { args: [2], shape: [8, 3] },
  ZeroPadding1D: { args: [1], shape: [8, 3] }, Cropping1D: { args: [1], shape: [8, 3] }, Masking: { args: [], shape: [8, 3] },
  // Embedding takes ids (functional graphs with masks: masking.test.ts); TextVectorization takes strings.
  Embedding: null, TextVectorization: null,
  SimpleRNN: { args: [4], shape: [5, 3] }, LSTM: { args: [4, { returnSequences: true }], shape: [5, 3] }, GRU: { args: [4], shape: [5, 3] },
  RNN: { args: [new dt.layers.LSTMCell(4)], shape: [5, 3] }, Bidirectional: { args: [new dt.layers.GRU(4)], shape: [5, 3] },
  TimeDistributed: { args: [new dt.layers.Dense(4)], shape: [5, 3] },
  // Not single-input layers, or not layers to construct: tested elsewhere.
  SimpleRNNCell: null, LSTMCell: null, GRUCell: null, RNNCell: null, // cells take [x, ...states]: recurrent.test.ts
  Input: null, InputLayer: null, Layer: null, RandomImageLayer: null,
  Add: null, Average: null, Concatenate: null, Dot: null, Maximum: null, Minimum: null, Multiply: null, Subtract: null, Merge: null,
};

const L = dt.layers as unknown as Record<string, unknown>;

describe('single-input layers in a functional graph', () => {
  it('the table lists every layer class of dt.layers', () => {
    const classes = Object.keys(L).filter((k) => typeof L[k] === 'function' && /^[A-Z]/.test(k));
    expect(classes.sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [name, c] of Object.entries(CASES)) {
    if (!c) continue;
    it(`${name}: symbolic shape = real shape; model(x) = layer(x) bit for bit`, async () => {
      const Ctor = L[name] as new (...a: unknown[]) => dt.layers.Layer;
      const layer = new Ctor(...c.args);
      const shape = c.shape ?? [8, 8, 3];
      const inp = dt.Input({ shape });
      const sym = layer.apply(inp);
      const model = new dt.Model({ inputs: inp, outputs: sym });
      const x = dt.tensor(lcgValues(2 * shape.reduce((a, b) => a * b, 1), 7), [2, ...shape]);
      const y = model.call(x);
      expect(sym.shape).toEqual([null, ...y.shape.slice(1)]);
      expect(await y.data()).toEqual(await layer.apply(x).data());
      expect(model.weights).toEqual(layer.weights);
    });
  }
});
