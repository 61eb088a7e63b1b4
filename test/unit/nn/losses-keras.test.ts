/**
 * Keras 3 losses (dt.losses) against float64 references of Keras's formulas (test/reference/losses64.ts) on
 * golden inputs: per-sample values ('none') and reduced values within the stated ulps; reductions and sample
 * weights; SparseCategoricalCrossentropy's ignoreClass; gradients by float64 central differences; option errors;
 * Keras names; CPU vs WebGPU bit equality.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as L from '../../reference/losses64.ts';
import { type A64, scalar64 } from '../../reference/ops64.ts';
import { describeAgreement, input, ints, uni, type AgreementCase } from '../../agreement/harness.ts';
import { type GradCheckSpec, Lcg, describeGradcheck, fixed } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(async () => {
  await dt.setBackend('cpu');
});

const N = 6;
const C = 4;
const f32 = Math.fround;

/** [N, C] float32-rounded rows drawn from a seeded LCG. */
function rows(seed: number, lo: number, hi: number, draw?: (r: Lcg) => number): number[][] {
  const r = new Lcg(seed);
  return Array.from({ length: N }, () => Array.from({ length: C }, () => f32(draw ? draw(r) : r.uniform(lo, hi))));
}
const T = (v: number[][]) => dt.tensor(v.flat(), [v.length, v[0].length]);

const PROBS = rows(1, 0.02, 0.98);
const BIN = rows(2, 0, 1, (r) => (r.next() < 0.5 ? 0 : 1));
const SOFT = rows(3, 0, 1);
const LOGITS = rows(4, -4, 4);
const REAL_T = rows(5, -2, 2);
const REAL_P = rows(6, -2, 2);
const POS_T = rows(7, 0.1, 3);
const POS_P = rows(8, 0.1, 3);
const SIGNS = rows(9, 0, 1, (r) => (r.next() < 0.5 ? -1 : 1));
// One-hot rows and their labels.
const LABELS = [0, 3, 1, 2, 3, 0];
const ONEHOT = LABELS.map((l) => Array.from({ length: C }, (_, j) => (j === l ? 1 : 0)));
// Rows that the probability clip must catch: zeros, tiny and near-one entries.
const EDGE = [
  [0, 1, 0.5, 1e-9],
  [0.999999, 1e-12, 0.3, 0.7],
  [0.25, 0.25, 0.25, 0.25],
  [1, 0, 0, 0],
  [0.5, 0.5, 1e-8, 0.9999999],
  [0.1, 0.2, 0.3, 0.4],
].map((r) => r.map(f32));

interface ValueCase {
  name: string;
  /** The loss with these options plus `extra` (the reduction). */
  loss: (extra?: dt.losses.LossConfig) => dt.losses.KerasLoss;
  t: number[][];
  p: number[][];
  ref: (t: number[][], p: number[][]) => number[];
  /** Largest allowed error of each per-sample value in float32 ulps of max(|ref|, floor). */
  ulps: number;
}

const VALUE_CASES: ValueCase[] = [
  { name: 'BinaryCrossentropy', loss: (e) => new dt.losses.BinaryCrossentropy(e), t: BIN, p: PROBS, ref: (t, p) => L.bce(t, p), ulps: 4 },
  { name: 'BinaryCrossentropy soft targets, clipped edges', loss: (e) => new dt.losses.BinaryCrossentropy(e), t: SOFT, p: EDGE, ref: (t, p) => L.bce(t, p), ulps: 4 },
  { name: 'BinaryCrossentropy fromLogits', loss: (e) => new dt.losses.BinaryCrossentropy({ fromLogits: true, ...e }), t: BIN, p: LOGITS, ref: (t, p) => L.bce(t, p, true), ulps: 4 },
  { name: 'BinaryCrossentropy labelSmoothing 0.1', loss: (e) => new dt.losses.BinaryCrossentropy({ labelSmoothing: 0.1, ...e }), t: BIN, p: PROBS, ref: (t, p) => L.bce(t, p, false, f32(0.1)), ulps: 8 },
  { name: 'BinaryFocalCrossentropy', loss: (e) => new dt.losses.BinaryFocalCrossentropy(e), t: BIN, p: PROBS, ref: (t, p) => L.focal(t, p), ulps: 4 },
  {
    name: 'BinaryFocalCrossentropy balanced, logits, gamma 1.5, smoothing',
    loss: (e) => new dt.losses.BinaryFocalCrossentropy({ applyClassBalancing: true, alpha: 0.4, gamma: 1.5, fromLogits: true, labelSmoothing: 0.2, ...e }),
    t: BIN, p: LOGITS, ref: (t, p) => L.focal(t, p, { balance: true, alpha: f32(0.4), gamma: f32(1.5), fromLogits: true, ls: f32(0.2) }), ulps: 8,
  },
  { name: 'CategoricalCrossentropy', loss: (e) => new dt.losses.CategoricalCrossentropy(e), t: ONEHOT, p: PROBS, ref: (t, p) => L.cce(t, p), ulps: 4 },
  { name: 'CategoricalCrossentropy clipped edges', loss: (e) => new dt.losses.CategoricalCrossentropy(e), t: SOFT, p: EDGE, ref: (t, p) => L.cce(t, p), ulps: 4 },
  { name: 'CategoricalCrossentropy fromLogits, labelSmoothing 0.2', loss: (e) => new dt.losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2, ...e }), t: ONEHOT, p: LOGITS, ref: (t, p) => L.cce(t, p, true, f32(0.2)), ulps: 16 },
  { name: 'MeanSquaredError', loss: (e) => new dt.losses.MeanSquaredError(e), t: REAL_T, p: REAL_P, ref: L.mse, ulps: 4 },
  { name: 'MeanAbsoluteError', loss: (e) => new dt.losses.MeanAbsoluteError(e), t: REAL_T, p: REAL_P, ref: L.mae, ulps: 4 },
  { name: 'MeanAbsolutePercentageError', loss: (e) => new dt.losses.MeanAbsolutePercentageError(e), t: REAL_T, p: REAL_P, ref: L.mape, ulps: 8 },
  { name: 'MeanSquaredLogarithmicError', loss: (e) => new dt.losses.MeanSquaredLogarithmicError(e), t: POS_T, p: POS_P, ref: L.msle, ulps: 4 },
  { name: 'Huber', loss: (e) => new dt.losses.Huber(e), t: REAL_T, p: REAL_P, ref: (t, p) => L.huber(t, p), ulps: 4 },
  { name: 'Huber delta 0.5', loss: (e) => new dt.losses.Huber({ delta: 0.5, ...e }), t: REAL_T, p: REAL_P, ref: (t, p) => L.huber(t, p, 0.5), ulps: 4 },
  { name: 'LogCosh', loss: (e) => new dt.losses.LogCosh(e), t: REAL_T, p: REAL_P, ref: L.logCosh, ulps: 4 },
  { name: 'KLDivergence', loss: (e) => new dt.losses.KLDivergence(e), t: SOFT, p: EDGE, ref: L.kld, ulps: 4 },
  { name: 'Poisson', loss: (e) => new dt.losses.Poisson(e), t: POS_T, p: POS_P, ref: L.poisson, ulps: 4 },
  { name: 'CosineSimilarity', loss: (e) => new dt.losses.CosineSimilarity(e), t: REAL_T, p: REAL_P, ref: L.cosine, ulps: 8 },
  { name: 'Hinge (0/1 labels converted)', loss: (e) => new dt.losses.Hinge(e), t: BIN, p: REAL_P, ref: L.hinge, ulps: 4 },
  { name: 'Hinge (-1/1 labels)', loss: (e) => new dt.losses.Hinge(e), t: SIGNS, p: REAL_P, ref: L.hinge, ulps: 4 },
  { name: 'SquaredHinge', loss: (e) => new dt.losses.SquaredHinge(e), t: BIN, p: REAL_P, ref: L.squaredHinge, ulps: 8 },
  { name: 'CategoricalHinge', loss: (e) => new dt.losses.CategoricalHinge(e), t: ONEHOT, p: REAL_P, ref: L.categoricalHinge, ulps: 4 },
];

const ULP_FLOOR = 1e-3; // errors are measured in ulps of max(|ref|, 1e-3): values near 0 get an absolute floor
const ulpOf = (v: number) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), ULP_FLOOR))) - 23);

describe('Keras 3 losses against float64 references of their formulas', () => {
  for (const c of VALUE_CASES) {
    it(`${c.name}: per-sample values and the sum_over_batch_size mean`, () => {
      const before = dt.memory().numTensors;
      const ref = c.ref(c.t, c.p);
      const loss = c.loss();
      const none = c.loss({ reduction: 'none' });
      const [t, p] = [T(c.t), T(c.p)];
      const per = none.call(t, p);
      const red = loss.call(t, p);
      expect(per.shape).toEqual([N]);
      expect(red.shape).toEqual([]);
      const got = Array.from(per.dataSync());
      let worst = 0;
      got.forEach((g, i) => (worst = Math.max(worst, Math.abs(g - ref[i]) / ulpOf(ref[i]))));
      const meanRef = ref.reduce((a, b) => a + b, 0) / N;
      // The mean's error in ulps of the mean of |values| (a mean of mixed signs cancels).
      const redErr = Math.abs(red.dataSync()[0] - meanRef) / ulpOf(ref.reduce((a, b) => a + Math.abs(b), 0) / N);
      console.log(`${c.name}: max ${worst.toFixed(2)} ulp per sample, ${redErr.toFixed(2)} ulp for the mean`);
      expect(worst, `per-sample ${got} vs ${ref}`).toBeLessThanOrEqual(c.ulps);
      expect(redErr).toBeLessThanOrEqual(c.ulps + 2);
      dt.dispose([t, p, per, red]);
      expect(dt.memory().numTensors).toBe(before);
    });
  }
});

describe('reductions and sample weights (Keras reduce_weighted_values)', () => {
  const ref = L.mse(REAL_T, REAL_P);
  const w = [0.5, 1, 2, 0, 1.5, 3].map(f32);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const run = (o: dt.losses.LossConfig, weights?: dt.Tensor) => {
    const [t, p] = [T(REAL_T), T(REAL_P)];
    const out = new dt.losses.MeanSquaredError(o).call(t, p, weights);
    const v = Array.from(out.dataSync());
    dt.dispose([t, p, out]);
    return v;
  };
  const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(8 * ulpOf(want));

  it("'sum', 'mean', 'sum_over_batch_size', 'none' without weights", () => {
    near(run({ reduction: 'sum' })[0], sum(ref));
    near(run({ reduction: 'mean' })[0], sum(ref) / N);
    near(run({})[0], sum(ref) / N);
    run({ reduction: 'none' }).forEach((v, i) => near(v, ref[i]));
    run({ reduction: null }).forEach((v, i) => near(v, ref[i]));
  });

  it('sample weights [N] and [N, 1] multiply the per-sample losses before the reduction', () => {
    const wr = ref.map((v, i) => v * w[i]);
    for (const shape of [[N], [N, 1]]) {
      const sw = dt.tensor(w, shape);
      near(run({}, sw)[0], sum(wr) / N);
      near(run({ reduction: 'sum' }, sw)[0], sum(wr));
      near(run({ reduction: 'mean_with_sample_weight' }, sw)[0], sum(wr) / sum(w));
      run({ reduction: 'none' }, sw).forEach((v, i) => near(v, wr[i]));
      sw.dispose();
    }
    const zero = dt.zeros([N]);
    expect(run({ reduction: 'mean_with_sample_weight' }, zero)[0]).toBe(0); // divide_no_nan
    zero.dispose();
  });

  it('refuses a sample weight that does not broadcast', () => {
    const sw = dt.ones([N + 1]);
    expect(() => run({}, sw)).toThrow(/^mean_squared_error: expected sampleWeight broadcastable to the per-sample losses of shape \[6\]\. Received: sampleWeight\.shape=\[7\]/);
    sw.dispose();
  });
});

describe('SparseCategoricalCrossentropy', () => {
  it('gives the same bits as CategoricalCrossentropy on one-hot labels, and the float64 reference', () => {
    const [l, oh, p] = [dt.tensor(LABELS, [N], 'int32'), T(ONEHOT), T(PROBS)];
    const a = new dt.losses.SparseCategoricalCrossentropy({ reduction: 'none' }).call(l, p);
    const b = new dt.losses.CategoricalCrossentropy({ reduction: 'none' }).call(oh, p);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const ref = L.scce(LABELS, PROBS);
    Array.from(a.dataSync()).forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(8 * ulpOf(ref[i])));
    dt.dispose([l, oh, p, a, b]);
  });

  it('ignoreClass: ignored labels count for nothing; the mean is over the valid ones (Keras apply_mask)', () => {
    const labels = [0, -1, 1, 2, -1, 0];
    const valid = labels.map((v) => v !== -1);
    const safe = labels.map((v) => (v === -1 ? 0 : v));
    const ref = L.scce(safe, LOGITS, true).map((v, i) => (valid[i] ? v : 0));
    const V = valid.filter(Boolean).length;
    const [l, p] = [dt.tensor(labels, [N], 'int32'), T(LOGITS)];
    const loss = new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    const mean = loss.call(l, p).dataSync()[0];
    // Keras: mask * (N / (V + 1e-7)) as weights, then sum / N.
    const want = ref.reduce((a, b) => a + b, 0) / V;
    expect(Math.abs(mean - want)).toBeLessThanOrEqual(1e-6 * want);
    const none = new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'none' }).call(l, p);
    const per = Array.from(none.dataSync());
    // 'none': the mask itself is the weight (Keras scales it only for the mean reductions).
    per.forEach((v, i) => (valid[i] ? expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(1e-6 * ref[i]) : expect(v).toBe(0)));
    // The gradient of an ignored row is 0, not NaN (also from probabilities).
    const probs = T(PROBS);
    const [g] = dt.grad((x: dt.Tensor) => new dt.losses.SparseCategoricalCrossentropy({ ignoreClass: -1 }).call(l, x))(probs);
    const gd = Array.from(g.dataSync());
    expect(gd.every(Number.isFinite)).toBe(true);
    expect(gd.slice(C, 2 * C)).toEqual([0, 0, 0, 0]);
    dt.dispose([l, p, none, probs, g]);
  });
});

// Gradients: f(yPred) = loss(yTrue, yPred) with yTrue fixed, against the float64 reference's central differences.
const asRows = (a: A64) => Array.from({ length: N }, (_, i) => Array.from(a.data.slice(i * C, (i + 1) * C)));
const meanOf = (v: number[]) => scalar64(v.reduce((a, b) => a + b, 0) / v.length);
function gradCase(name: string, loss: dt.losses.Loss, t: number[][], ref: (t: number[][], p: number[][]) => number[], p: number[][], atol?: number): GradCheckSpec {
  return {
    name,
    f: (x) => {
      const yt = T(t);
      const out = loss.call(yt, x);
      yt.dispose();
      return out;
    },
    ref: (x) => meanOf(ref(t, asRows(x))),
    inputs: [fixed([N, C], p.flat())],
    atol,
  };
}
// Values away from the kinks (clip bounds, hinge margins, Huber's delta, |x| = 0).
const AWAY = REAL_P.map((r) => r.map((v) => (Math.abs(Math.abs(v) - 1) < 0.05 || Math.abs(v) < 0.05 ? f32(v + 0.2) : v)));
describeGradcheck('Keras 3 loss gradients (float64 central differences)', [
  gradCase('BinaryCrossentropy', new dt.losses.BinaryCrossentropy(), SOFT, (t, p) => L.bce(t, p), PROBS),
  gradCase('BinaryCrossentropy fromLogits', new dt.losses.BinaryCrossentropy({ fromLogits: true }), SOFT, (t, p) => L.bce(t, p, true), LOGITS),
  gradCase('BinaryFocalCrossentropy', new dt.losses.BinaryFocalCrossentropy(), BIN, (t, p) => L.focal(t, p), PROBS),
  gradCase('CategoricalCrossentropy fromLogits smoothing', new dt.losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), ONEHOT, (t, p) => L.cce(t, p, true, f32(0.1)), LOGITS),
  gradCase('MeanAbsoluteError', new dt.losses.MeanAbsoluteError(), REAL_T, L.mae, REAL_P),
  gradCase('MeanAbsolutePercentageError', new dt.losses.MeanAbsolutePercentageError(), REAL_T, L.mape, REAL_P),
  gradCase('MeanSquaredLogarithmicError', new dt.losses.MeanSquaredLogarithmicError(), POS_T, L.msle, POS_P),
  gradCase('Huber', new dt.losses.Huber(), REAL_T, (t, p) => L.huber(t, p), REAL_P),
  gradCase('LogCosh', new dt.losses.LogCosh(), REAL_T, L.logCosh, REAL_P),
  gradCase('KLDivergence', new dt.losses.KLDivergence(), SOFT, L.kld, PROBS),
  gradCase('Poisson', new dt.losses.Poisson(), POS_T, L.poisson, POS_P),
  gradCase('CosineSimilarity', new dt.losses.CosineSimilarity(), REAL_T, L.cosine, REAL_P),
  gradCase('Hinge', new dt.losses.Hinge(), SIGNS, L.hinge, AWAY),
  gradCase('SquaredHinge', new dt.losses.SquaredHinge(), SIGNS, L.squaredHinge, AWAY),
  gradCase('CategoricalHinge', new dt.losses.CategoricalHinge(), ONEHOT, L.categoricalHinge, REAL_P),
]);

describe('options, names and errors', () => {
  it('Keras names resolve to the classes with Keras defaults', () => {
    const names: [string, string][] = [
      ['mse', 'mean_squared_error'], ['MSE', 'mean_squared_error'], ['mae', 'mean_absolute_error'], ['mape', 'mean_absolute_percentage_error'],
      ['msle', 'mean_squared_logarithmic_error'], ['kld', 'kl_divergence'], ['bce', 'binary_crossentropy'],
      ['binary_crossentropy', 'binary_crossentropy'], ['binary_focal_crossentropy', 'binary_focal_crossentropy'], ['huber', 'huber_loss'],
      ['log_cosh', 'log_cosh'], ['poisson', 'poisson'], ['cosine_similarity', 'cosine_similarity'], ['hinge', 'hinge'],
      ['squared_hinge', 'squared_hinge'], ['categorical_hinge', 'categorical_hinge'], ['KLDivergence', 'kl_divergence'],
    ];
    for (const [id, name] of names) expect(dt.losses.get(id).name).toBe(name);
    expect(() => dt.losses.get('toString')).toThrow(/^losses\.get: unknown loss 'toString'/);
  });

  it('refuses unknown keys, a bad reduction, labelSmoothing out of range and bad flags', () => {
    expect(() => new dt.losses.BinaryCrossentropy({ fromLogit: true } as never)).toThrow(/^BinaryCrossentropy: unrecognized option/);
    expect(() => new dt.losses.Huber({ reduction: 'avg' as never })).toThrow(/^Huber: expected reduction to be one of 'sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'\. Received: reduction="avg"/);
    expect(() => new dt.losses.CategoricalCrossentropy({ labelSmoothing: 1.5 })).toThrow(/^CategoricalCrossentropy: expected labelSmoothing in \[0, 1\]\. Received: labelSmoothing=1\.5/);
    expect(() => new dt.losses.BinaryCrossentropy({ labelSmoothing: -0.1 })).toThrow(/labelSmoothing in \[0, 1\]/);
    expect(() => new dt.losses.BinaryCrossentropy({ fromLogits: 1 as never })).toThrow(/^BinaryCrossentropy: expected fromLogits to be a boolean/);
    expect(() => new dt.losses.SparseCategoricalCrossentropy({ ignoreClass: 0.5 })).toThrow(/^SparseCategoricalCrossentropy: expected ignoreClass to be an integer or null/);
    expect(() => new dt.losses.Huber({ delta: -1 })).toThrow(/^Huber: expected delta in/);
    expect(() => new dt.losses.MeanAbsoluteError({ name: '' })).toThrow(/non-empty string name/);
    const [a, b] = [dt.ones([2, 3]), dt.ones([2, 4])];
    expect(() => new dt.losses.MeanAbsoluteError().call(a, b)).toThrow(/^mean_absolute_error: expected yTrue and yPred of the same shape\. Received: yTrue\.shape=\[2, 3\], yPred\.shape=\[2, 4\]/);
    expect(() => new dt.losses.BinaryCrossentropy({ axis: 2 }).call(a, a)).toThrow(/^binary_crossentropy: expected axis an integer in \[-2, 2\)/);
    dt.dispose([a, b]);
  });

  it('sparseCategoricalCrossentropy (the function) gives the per-sample values of the class', () => {
    const [l, p] = [dt.tensor([0, -1, 2], [3], 'int32'), dt.tensor([1, 2, 3, 0.5, 0.2, 0.3, 3, 2, 1], [3, 3])];
    const a = dt.losses.sparseCategoricalCrossentropy(l, p, { fromLogits: true, ignoreClass: -1 });
    const b = new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'none' }).call(l, p);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(a.dataSync()[1]).toBe(0);
    dt.dispose([l, p, a, b]);
  });

  it('a [N] target and an [N, 1] prediction are aligned as Keras squeeze_or_expand_to_same_rank does', () => {
    const [t, p] = [dt.tensor([1, 2, 3]), dt.tensor([1.5, 2, 2], [3, 1])];
    const v = new dt.losses.MeanAbsoluteError().call(t, p).dataSync()[0];
    expect(v).toBe(f32(1.5 / 3));
    dt.dispose([t, p]);
  });
});

const agreement: AgreementCase[] = [];
const lossesForAgreement: [string, (e: dt.losses.LossConfig) => dt.losses.Loss, 'prob' | 'real' | 'pos' | 'logit'][] = [
  ['BinaryCrossentropy', (e) => new dt.losses.BinaryCrossentropy({ labelSmoothing: 0.1, ...e }), 'prob'],
  ['BinaryCrossentropy logits', (e) => new dt.losses.BinaryCrossentropy({ fromLogits: true, ...e }), 'logit'],
  ['BinaryFocalCrossentropy', (e) => new dt.losses.BinaryFocalCrossentropy({ applyClassBalancing: true, gamma: 1.5, ...e }), 'prob'],
  ['CategoricalCrossentropy', (e) => new dt.losses.CategoricalCrossentropy({ labelSmoothing: 0.1, ...e }), 'prob'],
  ['MeanAbsoluteError', (e) => new dt.losses.MeanAbsoluteError(e), 'real'],
  ['MeanAbsolutePercentageError', (e) => new dt.losses.MeanAbsolutePercentageError(e), 'real'],
  ['MeanSquaredLogarithmicError', (e) => new dt.losses.MeanSquaredLogarithmicError(e), 'pos'],
  ['Huber', (e) => new dt.losses.Huber(e), 'real'],
  ['LogCosh', (e) => new dt.losses.LogCosh(e), 'real'],
  ['KLDivergence', (e) => new dt.losses.KLDivergence(e), 'prob'],
  ['Poisson', (e) => new dt.losses.Poisson(e), 'pos'],
  ['CosineSimilarity', (e) => new dt.losses.CosineSimilarity(e), 'real'],
  ['Hinge', (e) => new dt.losses.Hinge(e), 'real'],
  ['SquaredHinge', (e) => new dt.losses.SquaredHinge(e), 'real'],
  ['CategoricalHinge', (e) => new dt.losses.CategoricalHinge(e), 'real'],
];
const GEN = { prob: uni(0, 1), real: uni(-3, 3), pos: uni(0, 3), logit: uni(-20, 20) };
for (const [name, make, kind] of lossesForAgreement) {
  for (const reduction of ['none', 'sum_over_batch_size'] as const) {
    agreement.push({
      name: `${name} ${reduction}`,
      inputs: [input([37, 11], kind === 'real' ? uni(-2, 2) : uni(0, 1)), input([37, 11], GEN[kind]), input([37], uni(0, 2))],
      run: ([t, p, w]) => make({ reduction }).call(t, p, w),
    });
  }
}
agreement.push({
  name: 'SparseCategoricalCrossentropy ignoreClass',
  inputs: [input([53], ints(-1, 6), 'int32'), input([53, 7], uni(-5, 5))],
  run: ([t, p]) => new dt.losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 }).call(t, p),
});
// Gradients too: the composite softplus (logits), the clip and the normalisation on both backends.
const gradOf = (make: () => dt.losses.Loss) => ([t, p]: dt.Tensor[]) => dt.grad((x: dt.Tensor) => make().call(t, x))(p)[0];
agreement.push(
  { name: 'grad BinaryCrossentropy logits', inputs: [input([19, 6], uni(0, 1)), input([19, 6], uni(-30, 30))], run: gradOf(() => new dt.losses.BinaryCrossentropy({ fromLogits: true })) },
  { name: 'grad LogCosh', inputs: [input([19, 6], uni(-3, 3)), input([19, 6], uni(-3, 3))], run: gradOf(() => new dt.losses.LogCosh()) },
  { name: 'grad CosineSimilarity', inputs: [input([19, 6], uni(-3, 3)), input([19, 6], uni(-3, 3))], run: gradOf(() => new dt.losses.CosineSimilarity()) },
  { name: 'grad CategoricalCrossentropy smoothing', inputs: [input([19, 6], uni(0, 1)), input([19, 6], uni(0, 1))], run: gradOf(() => new dt.losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })) },
);
describeAgreement('Keras 3 losses: CPU vs WebGPU bits', unavailable, agreement);
