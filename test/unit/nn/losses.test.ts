/**
 * Losses and metrics against float64 hand computations: sparse categorical cross-entropy from
 * probabilities (Keras normalises by the row sum, then clips to float32 [1e-7, 1 - 1e-7]) and from
 * logits, categorical cross-entropy, mean squared error (values within a few float32 ulps, gradients
 * by central differences); accuracy metrics and MeanMetric weighting; bad labels and names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as N from '../../reference/nn64.ts';
import * as R from '../../reference/ops64.ts';
import { type GradCheckSpec, describeGradcheck, fixed, uniform } from '../../util/gradcheck.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});

const EPS_LO = Math.fround(1e-7); // Keras's epsilon() and 1 - epsilon() as float32 clip bounds
const EPS_HI = Math.fround(1 - 1e-7);
const clip = (p: number) => Math.min(Math.max(p, EPS_LO), EPS_HI);

/** Row-major [rows, cols] float32 values (rounded now, so the reference sees what the engine sees). */
function mat(rows: number[][]): { t: () => dt.Tensor; v: number[][] } {
  const v = rows.map((r) => r.map(Math.fround));
  return { t: () => dt.tensor(v.flat(), [v.length, v[0].length]), v };
}

/** The loss value (a scalar) of `loss` on fresh tensors; checks that nothing leaks. */
function value(loss: dt.losses.Loss, yTrue: () => dt.Tensor, yPred: () => dt.Tensor): number {
  const before = dt.memory().numTensors;
  const a = yTrue();
  const b = yPred();
  const l = loss.call(a, b);
  expect(l.shape).toEqual([]);
  const out = l.dataSync()[0];
  dt.dispose([a, b, l]);
  expect(dt.memory().numTensors).toBe(before);
  return out;
}

/** |ours - ref| within 4 float32 ulps of ref (plus a tiny absolute floor for values near 0). */
function expectNear(ours: number, ref: number): void {
  expect(Math.abs(ours - ref), `ours ${ours}, float64 reference ${ref}`).toBeLessThanOrEqual(4 * 2 ** -23 * Math.abs(ref) + 1e-12);
}

// Unnormalised probability rows (sums 0.9 .. 1.3), with entries that the clip must catch.
const P = mat([
  [0.2, 0.3, 0.5, 0.1],
  [1e-9, 0.9, 0.05, 0.05],
  [0.7, 0.0, 0.6, 0.0],
  [1.2999999, 1e-12, 0, 0],
]);
const LABELS = [2, 0, 3, 0];
const LOGITS = mat([
  [2.5, -1, 0.3, 7],
  [-3, -3, -3, -3],
  [10, 0, -10, 1],
  [0.1, 0.2, 0.3, 0.4],
]);
const labelsT = () => dt.tensor(LABELS, [4], 'int32');

describe('loss values against float64 references', () => {
  it('sparse_categorical_crossentropy from probabilities: normalise, clip, log, mean', () => {
    let s = 0;
    P.v.forEach((row, b) => {
      const total = row.reduce((a, x) => a + x, 0);
      s += -Math.log(clip(row[LABELS[b]] / total));
    });
    const ref = s / 4;
    expectNear(value(dt.losses.get('sparse_categorical_crossentropy'), labelsT, P.t), ref);
    // labels [N, 1] and uint8 labels are accepted as well
    expectNear(value(new dt.losses.SparseCategoricalCrossentropy(), () => dt.tensor(LABELS, [4, 1], 'int32'), P.t), ref);
    expectNear(value(new dt.losses.SparseCategoricalCrossentropy(), () => dt.tensor(LABELS, [4], 'uint8'), P.t), ref);
    // the clip matters here: row 2's label has probability 0 (-> 1e-7), row 3's is ~1 (-> 1 - 1e-7)
    expect(ref).toBeGreaterThan(-Math.log(EPS_LO) / 4);
  });

  it('sparse_categorical_crossentropy from logits: -mean(logSoftmax[label])', () => {
    const ref = N.sparseCrossEntropy(R.arr([4, 4], LOGITS.v.flat()), LABELS).data[0];
    expectNear(value(new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true }), labelsT, LOGITS.t), ref);
  });

  it('categorical_crossentropy: one-hot and soft targets, probabilities and logits', () => {
    const soft = mat([[0, 0, 1, 0], [0.5, 0.5, 0, 0], [0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0]]);
    let s = 0;
    P.v.forEach((row, b) => {
      const total = row.reduce((a, x) => a + x, 0);
      row.forEach((p, k) => { s += -soft.v[b][k] * Math.log(clip(p / total)); });
    });
    expectNear(value(dt.losses.get('categorical_crossentropy'), soft.t, P.t), s / 4);
    const ls = N.logSoftmax(R.arr([4, 4], LOGITS.v.flat()));
    let sl = 0;
    soft.v.flat().forEach((t, i) => { sl += -t * ls.data[i]; });
    expectNear(value(new dt.losses.CategoricalCrossentropy({ fromLogits: true }), soft.t, LOGITS.t), sl / 4);
    // one-hot targets give the sparse loss
    const oneHot = () => dt.tidy(() => dt.oneHot(labelsT(), 4));
    expect(value(new dt.losses.CategoricalCrossentropy(), oneHot, P.t)).toBe(value(new dt.losses.SparseCategoricalCrossentropy(), labelsT, P.t));
  });

  it('mean_squared_error: mean over the last axis, then over the batch', () => {
    const a = mat([[0.5, -1, 2], [3, 0.25, -0.125]]);
    const b = mat([[0.4, -1.5, 2.2], [2, 0.3, 0.5]]);
    let s = 0;
    a.v.forEach((row, i) => { s += row.reduce((acc, x, k) => acc + (x - b.v[i][k]) ** 2, 0) / 3; });
    expectNear(value(dt.losses.get('mse'), a.t, b.t), s / 2);
    expectNear(value(dt.losses.get('mean_squared_error'), a.t, b.t), s / 2);
    // rank 1: one sample's mean
    expectNear(value(new dt.losses.MeanSquaredError(), () => dt.tensor([1, 2]), () => dt.tensor([0, 0])), 2.5);
  });
});

const probs = (shape: number[]) => uniform(shape, 0.05, 1);
const lossCases: GradCheckSpec[] = [
  {
    name: 'sparse CE from probabilities (normalised, inside the clip) w.r.t. yPred',
    f: (p) => new dt.losses.SparseCategoricalCrossentropy().call(dt.tensor(LABELS.slice(0, 3), [3], 'int32'), p),
    ref: (p) => {
      const n = R.div(p, R.sum(p, [1], true));
      return N.sparseCrossEntropyFromProbs(n, LABELS.slice(0, 3));
    },
    inputs: [probs([3, 4])],
  },
  {
    name: 'sparse CE from logits w.r.t. logits',
    f: (z) => new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true }).call(dt.tensor(LABELS, [4], 'int32'), z),
    ref: (z) => N.sparseCrossEntropy(z, LABELS),
    inputs: [uniform([4, 4], -3, 3)],
  },
  {
    name: 'categorical CE (soft targets) w.r.t. yPred',
    f: (p) => new dt.losses.CategoricalCrossentropy().call(dt.tensor([0.2, 0.8, 0, 0, 0.5, 0.5], [2, 3]), p),
    ref: (p) => {
      const n = R.div(p, R.sum(p, [1], true));
      return R.div(R.neg(R.sum(R.mul(R.arr([2, 3], [0.2, 0.8, 0, 0, 0.5, 0.5]), R.log(n)))), R.scalar64(2));
    },
    inputs: [probs([2, 3])],
  },
  {
    name: 'MSE w.r.t. both arguments',
    f: (a, b) => new dt.losses.MeanSquaredError().call(a, b),
    ref: (a, b) => N.meanSquaredError(a, b),
    inputs: [uniform([3, 5]), fixed([3, 5], Array.from({ length: 15 }, (_, i) => Math.sin(i)))],
  },
];
describeGradcheck('loss gradients (float64 central differences)', lossCases);

describe('metrics', () => {
  it('accuracy: argmax (first index on ties) against sparse or one-hot labels', () => {
    const yPred = dt.tensor([[0.1, 0.7, 0.2], [0.5, 0.5, 0], [0.2, 0.3, 0.5], [0.9, 0.05, 0.05]]);
    const sparse = dt.tensor([1, 1, 2, 2], [4], 'int32');
    expect(Array.from(dt.metrics.sparseCategoricalAccuracy(sparse, yPred).dataSync())).toEqual([1, 0, 1, 0]);
    const oneHot = dt.oneHot(sparse, 3);
    expect(Array.from(dt.metrics.categoricalAccuracy(oneHot, yPred).dataSync())).toEqual([1, 0, 1, 0]);
    dt.dispose([yPred, sparse, oneHot]);
  });

  it('MeanMetric: per-sample values weigh 1, a scalar weighs its weight; 0 when empty', () => {
    const before = dt.memory().numTensors;
    const m = new dt.metrics.MeanMetric('loss');
    const read = (): number => {
      const r = m.result();
      const v = r.dataSync()[0];
      r.dispose();
      return v;
    };
    expect(read()).toBe(0);
    dt.tidy(() => {
      m.updateValues(dt.scalar(2), 3); // total 6, count 3
      m.updateValues(dt.tensor([1, 0, 1])); // total 8, count 6
    });
    expect(read()).toBe(Math.fround(8 / 6));
    m.reset();
    expect(read()).toBe(0);
    m.dispose();
    expect(dt.memory().numTensors).toBe(before);
  });
});

describe('loss errors', () => {
  const sce = new dt.losses.SparseCategoricalCrossentropy();
  const pred = () => dt.tensor([[0.5, 0.5], [0.2, 0.8]]);
  const err = (fn: () => unknown): Error => {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected an error');
  };

  it('labels out of range, float labels and shape mismatches', () => {
    const cases: [() => dt.Tensor, RegExp, typeof dt.TensorEngineError][] = [
      [() => dt.tensor([0, 2], [2], 'int32'), /^sparse_categorical_crossentropy: expected indices in \[0, 2\)/, dt.ArgumentError],
      [() => dt.tensor([-1, 0], [2], 'int32'), /^sparse_categorical_crossentropy: expected indices in \[0, 2\)/, dt.ArgumentError],
      [() => dt.tensor([0, 9], [2], 'uint8'), /^sparse_categorical_crossentropy: expected labels in \[0, 2\). Received: label 9 at index 1/, dt.ArgumentError],
      [() => dt.tensor([0, 2.5]), /^sparse_categorical_crossentropy: expected indices in \[0, 2\)/, dt.ArgumentError], // float labels are cast to int32 (Keras)
      [() => dt.tensor([0, 1, 1], [3], 'int32'), /^sparse_categorical_crossentropy: expected labels of shape \[2\] for yPred of shape \[2, 2\]. Received: yTrue.shape=\[3\]/, dt.ShapeError],
    ];
    for (const [labels, re, cls] of cases) {
      const y = labels();
      const p = pred();
      const e = err(() => sce.call(y, p));
      expect(e).toBeInstanceOf(cls);
      expect(e.message).toMatch(re);
      dt.dispose([y, p]);
    }
    const a = dt.zeros([2, 3]);
    const b = dt.zeros([2, 2]);
    expect(() => dt.losses.get('mse').call(a, b)).toThrow(/^mean_squared_error: expected yTrue and yPred of the same shape/);
    expect(() => dt.losses.get('categorical_crossentropy').call(a, b)).toThrow(/^categorical_crossentropy: expected yTrue and yPred of the same shape/);
    dt.dispose([a, b]);
  });

  it('unknown loss names list the known ones; loss objects pass through', () => {
    expect(() => dt.losses.get('ctc')).toThrow(/^losses.get: unknown loss 'ctc'. Expected one of: sparse_categorical_crossentropy/);
    const custom = { name: 'zero', call: () => dt.scalar(0) };
    expect(dt.losses.get(custom)).toBe(custom);
    const model = new dt.Sequential([new dt.layers.Dense(1)]);
    expect(() => model.compile({ optimizer: 'adam', loss: 'ctc' })).toThrow(dt.ArgumentError);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1'] })).toThrow(/^compile: unknown metric 'f1'/);
  });
});
