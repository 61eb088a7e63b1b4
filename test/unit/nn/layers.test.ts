/**
 * Layer contract tests (Keras run_layer_test style): for each layer the output shape (declared and
 * actual), its weights (names, shapes, trainable flags, initializer values), the forward value
 * against a float64 reference and a gradient check of the input and every weight against float64
 * central differences; Dropout's training/inference behaviour; constructor and input errors.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import type { Layer } from '../../../src/nn/layer.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import * as N from '../../reference/nn64.ts';
import * as R from '../../reference/ops64.ts';
import { Lcg, hashString } from '../../util/gradcheck.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());

const L = dt.layers;
const I = dt.initializers;

interface LayerCase {
  name: string;
  make: () => Layer;
  xShape: number[];
  /** Output shape with batch dim. */
  outShape: number[];
  /** [key, shape] of each weight in order. */
  weights: [string, number[]][];
  /** float64 reference of the layer given its input and weights (in `weights` order). */
  ref: (x: R.A64, ws: R.A64[]) => R.A64;
  /** Input values: distinct (no pooling ties) when set. */
  distinct?: boolean;
}

const seeded = (seed: number) => new I.GlorotUniform({ seed });
const biasInit = new I.RandomUniform({ minval: -0.5, maxval: 0.5, seed: 9 });

const CASES: LayerCase[] = [
  {
    name: 'Dense (tanh) on [N, F]',
    make: () => new L.Dense(3, { activation: 'tanh', kernelInitializer: seeded(1), biasInitializer: biasInit }),
    xShape: [2, 5], outShape: [2, 3], weights: [['kernel', [5, 3]], ['bias', [3]]],
    ref: (x, [k, b]) => R.tanh(R.add(N.matmul(x, k), b)),
  },
  {
    name: 'Dense (linear) on [N, T, F] multiplies along the last axis',
    make: () => new L.Dense(4, { kernelInitializer: seeded(2), biasInitializer: biasInit }),
    xShape: [2, 3, 5], outShape: [2, 3, 4], weights: [['kernel', [5, 4]], ['bias', [4]]],
    ref: (x, [k, b]) => R.reshape(R.add(N.matmul(R.reshape(x, [6, 5]), k), b), [2, 3, 4]),
  },
  {
    name: "Conv2D (sigmoid, strides 2, 'same')",
    make: () => new L.Conv2D(3, [3, 3], { strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: seeded(3), biasInitializer: biasInit }),
    xShape: [2, 5, 5, 2], outShape: [2, 3, 3, 3], weights: [['kernel', [3, 3, 2, 3]], ['bias', [3]]],
    ref: (x, [k, b]) => R.sigmoid(R.add(N.conv2d(x, k, { strides: 2, padding: 'same' }), b)),
  },
  {
    name: "Conv2D ('valid', no bias, 2x1 kernel)",
    make: () => new L.Conv2D(2, [2, 1], { useBias: false, kernelInitializer: seeded(4) }),
    xShape: [1, 4, 3, 2], outShape: [1, 3, 3, 2], weights: [['kernel', [2, 1, 2, 2]]],
    ref: (x, [k]) => N.conv2d(x, k, { padding: 'valid' }),
  },
  {
    name: 'MaxPooling2D (2x2)',
    make: () => new L.MaxPooling2D([2, 2]),
    xShape: [2, 4, 5, 2], outShape: [2, 2, 2, 2], weights: [], distinct: true,
    ref: (x) => N.maxPool2d(x, { poolSize: 2 }),
  },
  {
    name: "AveragePooling2D (3x3, strides 1, 'same')",
    make: () => new L.AveragePooling2D(3, { strides: 1, padding: 'same' }),
    xShape: [1, 4, 4, 2], outShape: [1, 4, 4, 2], weights: [],
    ref: (x) => N.avgPool2d(x, { poolSize: 3, strides: 1, padding: 'same' }),
  },
  {
    name: 'GlobalAveragePooling2D',
    make: () => new L.GlobalAveragePooling2D(),
    xShape: [2, 3, 4, 3], outShape: [2, 3], weights: [],
    ref: (x) => R.mean(x, [1, 2]),
  },
  {
    name: 'Flatten',
    make: () => new L.Flatten(),
    xShape: [2, 3, 2, 2], outShape: [2, 12], weights: [],
    ref: (x) => R.reshape(x, [2, 12]),
  },
  {
    name: "Activation('softmax')",
    make: () => new L.Activation('softmax'),
    xShape: [3, 4], outShape: [3, 4], weights: [],
    ref: (x) => N.softmax(x),
  },
  {
    name: 'Dropout at inference is the identity',
    make: () => new L.Dropout(0.5, { seed: 1 }),
    xShape: [2, 3], outShape: [2, 3], weights: [],
    ref: (x) => x,
  },
];

/** Seeded input values (distinct values when pooling must not tie). */
function inputValues(c: LayerCase): Float32Array {
  const rng = new Lcg(hashString(c.name));
  const n = c.xShape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: n }, (_, i) => (c.distinct ? (i - n / 2) / n : rng.uniform(-1, 1)));
  if (c.distinct) for (let i = n - 1; i > 0; i--) { const j = rng.int(i + 1); [v[i], v[j]] = [v[j], v[i]]; }
  return v;
}

describe('layer contracts', () => {
  for (const c of CASES) {
    it(`${c.name}: shape, weights, forward, gradients`, async () => {
      const before = dt.memory().numTensors;
      const layer = c.make();
      const xv = inputValues(c);
      const x = dt.tensor(xv, c.xShape);
      const y = layer.apply(x);
      // shape: declared (batch unknown) and actual
      expect(layer.computeOutputShape([null, ...c.xShape.slice(1)])).toEqual([null, ...c.outShape.slice(1)]);
      expect(y.shape).toEqual(c.outShape);
      // weights: Keras names, shapes, order, all trainable
      expect(layer.weights.map((w) => [w.name, [...w.shape]])).toEqual(c.weights.map(([k, s]) => [`${layer.name}/${k}`, s]));
      expect(layer.trainableWeights.length).toBe(c.weights.length);
      expect(layer.countParams()).toBe(c.weights.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0));
      // forward against the float64 reference
      const x64 = R.arr(c.xShape, xv);
      const w64 = await Promise.all(layer.weights.map(async (w) => R.arr([...w.shape], Float64Array.from((await w.data()) as Float32Array))));
      const ref = c.ref(x64, w64);
      const got = await y.data();
      const scale = Math.max(1, ...Array.from(ref.data, Math.abs));
      ref.data.forEach((r, i) => expect(Math.abs(got[i] - r), `output ${i}: ${got[i]} vs ${r}`).toBeLessThanOrEqual(1e-5 * scale));
      if (y !== x) y.dispose();
      // gradients of L = sum(v * layer(x)) w.r.t. x and every weight, against central differences
      const rng = new Lcg(hashString(`${c.name}/v`));
      const v = Float64Array.from({ length: ref.data.length }, () => rng.uniform(-1, 1));
      const vT = dt.tensor(Float32Array.from(v), c.outShape);
      const loss = (xx: dt.Tensor) => dt.sum(dt.mul(layer.apply(xx), vT));
      const [dx] = dt.grad(loss)(x);
      const ours = [Float64Array.from(await dx.data())];
      dx.dispose();
      if (layer.trainableWeights.length) {
        const { value, grads } = dt.variableGrads(() => loss(x), layer.trainableWeights);
        for (const g of grads) ours.push(Float64Array.from(await g.data()));
        dt.dispose([value, ...grads]);
      }
      const L64 = (xa: R.A64, ws: R.A64[]) => c.ref(xa, ws).data.reduce((s, yv, i) => s + v[i] * yv, 0);
      const args = [x64, ...w64];
      args.forEach((a, k) => {
        const num = Array.from(a.data, (_, j) => {
          const x0 = a.data[j];
          const h = 1e-6 * Math.max(1, Math.abs(x0));
          a.data[j] = x0 + h;
          const lp = L64(args[0], args.slice(1));
          a.data[j] = x0 - h;
          const lm = L64(args[0], args.slice(1));
          a.data[j] = x0;
          return (lp - lm) / (2 * h);
        });
        const gscale = Math.max(1, ...num.map(Math.abs));
        num.forEach((n, j) => {
          const what = k === 0 ? `d/dx[${j}]` : `d/d${c.weights[k - 1][0]}[${j}]`;
          expect(Math.abs(ours[k][j] - n), `${what}: ours ${ours[k][j]}, numeric ${n}`).toBeLessThanOrEqual(1e-4 * gscale + 2e-3 * Math.abs(n));
        });
      });
      dt.dispose([x, vT]);
      layer.dispose();
      expect(dt.memory().numTensors, 'live tensors after dispose').toBe(before);
    });
  }
});

describe('weights and initializers', () => {
  it('kernels come from the given initializer, biases default to zeros; names follow Keras', async () => {
    const conv = new L.Conv2D(3, 3, { kernelInitializer: new I.GlorotUniform({ seed: 7 }) });
    const x = dt.zeros([1, 5, 5, 2]);
    conv.apply(x).dispose();
    const expected = new I.GlorotUniform({ seed: 7 }).apply([3, 3, 2, 3]);
    expect(Array.from(await conv.kernel!.data())).toEqual(Array.from(await expected.data()));
    expect(Array.from(await conv.bias!.data())).toEqual([0, 0, 0]);
    expect(conv.weights.map((w) => w.name)).toEqual(['conv2d/kernel', 'conv2d/bias']);
    const d1 = new L.Dense(2);
    const d2 = new L.Dense(2, { name: 'head' });
    expect([d1.name, d2.name, new L.Dense(1).name, new L.MaxPooling2D().name, new L.GlobalAveragePooling2D().name]).toEqual(['dense', 'head', 'dense_1', 'max_pooling2d', 'global_average_pooling2d']);
    dt.dispose([x, expected]);
    conv.dispose();
  });

  it('trainable: false makes every weight non-trainable', () => {
    const d = new L.Dense(2, { trainable: false });
    const x = dt.zeros([1, 3]);
    d.apply(x).dispose();
    expect(d.trainableWeights).toEqual([]);
    expect(d.nonTrainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    expect(d.weights.length).toBe(2);
    x.dispose();
    d.dispose();
  });
});

describe('Dropout in training mode', () => {
  it('zeroes some inputs and scales the rest by 1 / (1 - rate); each call draws a new mask', async () => {
    const layer = new L.Dropout(0.4, { seed: 11 });
    const xv = Float32Array.from({ length: 400 }, (_, i) => 1 + (i % 7));
    const x = dt.tensor(xv, [20, 20]);
    const a = await layer.apply(x, { training: true }).data();
    const b = await layer.apply(x, { training: true }).data();
    let zeros = 0;
    a.forEach((v, i) => {
      if (v === 0) zeros++;
      else expect(Math.abs(v / xv[i] - 1 / 0.6)).toBeLessThan(1e-6);
    });
    expect(zeros).toBeGreaterThan(120); // ~160 expected
    expect(zeros).toBeLessThan(200);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    // the same seed replays the same masks in the same order
    const again = new L.Dropout(0.4, { seed: 11 });
    expect(Array.from(await again.apply(x, { training: true }).data())).toEqual(Array.from(a));
    x.dispose();
  });

  it('the gradient is the mask times the scale', async () => {
    const x = dt.tensor(Float32Array.from({ length: 60 }, (_, i) => Math.cos(i)), [6, 10]);
    const y = await new L.Dropout(0.3, { seed: 5 }).apply(x, { training: true }).data();
    const [dx] = dt.grad((xx: dt.Tensor) => dt.sum(new L.Dropout(0.3, { seed: 5 }).apply(xx, { training: true })))(x);
    const g = await dx.data();
    y.forEach((v, i) => expect(g[i]).toBe(v === 0 ? 0 : Math.fround(1 / 0.7)));
    dt.dispose([x, dx]);
  });

  it('noiseShape broadcasts the mask; rate 0 and inference pass values through', async () => {
    const x = dt.ones([8, 6]);
    const y = await new L.Dropout(0.5, { seed: 3, noiseShape: [null, 1] }).apply(x, { training: true }).data();
    for (let r = 0; r < 8; r++) expect(new Set(y.subarray(r * 6, r * 6 + 6)).size).toBe(1);
    expect(Array.from(await new L.Dropout(0, { seed: 3 }).apply(x, { training: true }).data())).toEqual(new Array(48).fill(1));
    expect(new L.Dropout(0.5).apply(x, { training: false })).toBe(x);
    x.dispose();
  });
});

describe('layer errors', () => {
  const err = (fn: () => unknown): Error => {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected an error');
  };

  it('bad constructor arguments name the layer, the expectation and the value', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new L.Conv2D(0, 3), /^Conv2D: expected filters to be a positive integer. Received: filters=0/],
      [() => new L.Conv2D(2, 3, { padding: 'full' as 'same' }), /^Conv2D: expected padding 'valid' or 'same'. Received: padding="full"/],
      [() => new L.Dense(-1), /^Dense: expected units to be a positive integer. Received: units=-1/],
      [() => new L.Dense(2, { activation: 'gelu_fast' }), /^Dense: unknown activation 'gelu_fast'. Expected one of: relu, softmax, sigmoid, tanh, linear, relu6/],
      [() => new L.Dropout(1.5), /^Dropout: expected rate in \[0, 1\]. Received: rate=1.5/],
      [() => new L.Dropout(0.5, { seed: 0.5 }), /^Dropout: expected an integer seed. Received: seed=0.5/],
      [() => new L.Dense(2, { inputShape: [0] }), /^Dense: expected inputShape of positive integers or null/],
      [() => new L.Dense(2, { name: '' }), /^Dense: expected a non-empty string name/],
      [() => new L.InputLayer({}), /^InputLayer: expected a shape/],
      [() => new dt.Sequential([new L.Dense(1, { name: 'a' }), new L.Dense(1, { name: 'a' })]), /^Sequential.add: expected unique layer names. Received: a second layer named 'a'/],
    ];
    for (const [fn, re] of cases) {
      const e = err(fn);
      expect(e).toBeInstanceOf(dt.TensorEngineError);
      expect(e.message).toMatch(re);
    }
  });

  it('wrong input rank, channels, feature size or too small an input: ShapeError naming the layer', () => {
    const conv = new L.Conv2D(2, 3);
    const x3 = dt.zeros([2, 8, 8]);
    const x4 = dt.zeros([2, 8, 8, 1]);
    const x4c = dt.zeros([2, 8, 8, 3]);
    const tiny = dt.zeros([1, 2, 2, 1]);
    expect(() => conv.apply(x3)).toThrow(/^Conv2D 'conv2d': expected input of rank 4 \[N, H, W, C\]. Received: input shape \(None, 8, 8\)/);
    conv.apply(x4).dispose();
    const e = err(() => conv.apply(x4c));
    expect(e).toBeInstanceOf(dt.ShapeError);
    expect(e.message).toBe("Conv2D 'conv2d': expected input with 1 channels. Received: input shape (None, 8, 8, 3)");
    // too small: in a model, the layer says so while building; called directly, the op does
    expect(() => new dt.Sequential([new L.Conv2D(2, 3, { inputShape: [2, 2, 1] })])).toThrow(/^Conv2D 'conv2d_1': input \(None, 2, 2, 1\) is too small for kernel \[3, 3\] with padding 'valid'/);
    expect(() => new L.Conv2D(2, 3).apply(tiny)).toThrow(/^conv2d: expected the input height \(2\) to be at least the window height \(3\)/);
    const dense = new L.Dense(2);
    const a = dt.zeros([2, 4]);
    const b = dt.zeros([2, 5]);
    dense.apply(a).dispose();
    expect(() => dense.apply(b)).toThrow(/^Dense 'dense': expected input with last dimension 4. Received: input shape \(None, 5\)/);
    expect(() => new L.MaxPooling2D().apply(a)).toThrow(/^MaxPooling2D 'max_pooling2d': expected input of rank 4/);
    dt.dispose([x3, x4, x4c, tiny, a, b]);
    conv.dispose();
    dense.dispose();
  });
});
