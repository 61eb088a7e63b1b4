/**
 * Keras 3 metrics (dt.metrics) against float64 references of Keras's update/result formulas on golden inputs:
 * accuracies (exact), Mean/Sum with sample weights, regression metrics and R2Score (relative 1e-6), Precision/
 * Recall (thresholds, topK, classId; exact), AUC (ROC/PR, Keras's bucketed thresholds; relative 1e-5), F-scores
 * and MeanIoU (relative 1e-6); several updates == one update on the concatenation (bit-equal where every partial
 * sum is exact, as Keras); reset; option errors; compile names; CPU vs WebGPU bits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { describeAgreement, input, ints, uni, type AgreementCase } from '../../agreement/harness.ts';
import { Lcg } from '../../util/gradcheck.ts';
import { batches } from './helpers.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(async () => {
  await dt.setBackend('cpu');
});

const f32 = Math.fround;
const N = 12;
const C = 5;
function rows(seed: number, n: number, c: number, draw: (r: Lcg) => number): number[][] {
  const r = new Lcg(seed);
  return Array.from({ length: n }, () => Array.from({ length: c }, () => f32(draw(r))));
}
const T = (v: number[][]) => dt.tensor(v.flat(), [v.length, v[0].length]);
const V = (v: number[], dtype: dt.DType = 'float32') => dt.tensor(v, [v.length], dtype);
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

// Probabilities with ties (multiples of 0.125), labels, one-hot rows, weights.
const PROBS = rows(11, N, C, (r) => r.int(9) / 8);
const LABELS = Array.from({ length: N }, (_, i) => (i * 7 + 3) % C);
const ONEHOT = LABELS.map((l) => Array.from({ length: C }, (_, j) => (j === l ? 1 : 0)));
const BIN = rows(12, N, C, (r) => (r.next() < 0.4 ? 1 : 0));
const W = Array.from({ length: N }, (_, i) => (i % 4) as number); // integer weights (0 included)
const REAL_T = rows(13, N, 3, (r) => r.uniform(-2, 2));
const REAL_P = rows(14, N, 3, (r) => r.uniform(-2, 2));

/** The metric's result after updates with the given batches; disposes everything it made. */
function run(m: dt.metrics.Metric, batches: [number[][] | number[], number[][], number[]?][], labelDtype: dt.DType = 'float32'): number[] {
  for (const [t, p, w] of batches) {
    const tt = Array.isArray(t[0]) ? T(t as number[][]) : V(t as number[], labelDtype);
    const pp = T(p);
    const ww = w && V(w);
    m.update(tt, pp, ww);
    dt.dispose([tt, pp, ...(ww ? [ww] : [])]);
  }
  const r = m.result();
  const out = Array.from(r.dataSync());
  r.dispose();
  return out;
}
const near = (got: number, want: number, rel: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-6));

// ---------------------------------------------------------------- float64 references
const argmax = (r: number[]) => r.indexOf(Math.max(...r));
const inTopK = (r: number[], target: number, k: number) => r.filter((v) => v > r[target]).length < k;
const weightedMean = (v: number[], w?: number[]) => (w ? sum(v.map((x, i) => x * w[i])) / sum(w) : sum(v) / v.length);
function confusion(t: number[], p: number[], thr: number[], w?: number[]) {
  return thr.map((th) => {
    let tp = 0, fp = 0, fn = 0, tn = 0;
    p.forEach((v, i) => {
      const wi = w ? w[i] : 1;
      const pos = v > th;
      const lab = t[i] !== 0;
      if (pos && lab) tp += wi; else if (pos) fp += wi; else if (lab) fn += wi; else tn += wi;
    });
    return { tp, fp, fn, tn };
  });
}
/** Keras's AUC: bucketed counts, then the Riemann sum or interpolate_pr_auc, in float64. */
function auc64(t: number[], p: number[], n: number, curve: 'ROC' | 'PR', method: string, w?: number[]): number {
  const tp = new Array(n).fill(0), fp = new Array(n).fill(0);
  let totT = 0, totF = 0;
  p.forEach((v0, i) => {
    const v = Math.min(Math.max(v0, 0), 1);
    const b = Math.max(Math.ceil(f32(v * (n - 1))) - 1, 0);
    const wi = w ? w[i] : 1;
    const lab = t[i] !== 0 ? 1 : 0;
    for (let j = 0; j <= b; j++) { tp[j] += lab * wi; fp[j] += (1 - lab) * wi; }
    totT += lab * wi; totF += (1 - lab) * wi;
  });
  const tn = fp.map((x) => totF - x), fn = tp.map((x) => totT - x);
  const dnn = (a: number, b: number) => (b === 0 ? 0 : a / b);
  let area = 0;
  if (curve === 'PR' && method === 'interpolation') {
    for (let i = 0; i < n - 1; i++) {
      const dtp = tp[i] - tp[i + 1];
      const P0 = tp[i] + fp[i], P1 = tp[i + 1] + fp[i + 1];
      const slope = dnn(dtp, Math.max(P0 - P1, 0));
      const intercept = tp[i + 1] - slope * P1;
      const ratio = P0 > 0 && P1 > 0 ? dnn(P0, Math.max(P1, 0)) : 1;
      area += dnn(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
    }
    return area;
  }
  const rec = tp.map((x, i) => dnn(x, x + fn[i]));
  const xs = curve === 'ROC' ? fp.map((x, i) => dnn(x, x + tn[i])) : rec;
  const ys = curve === 'ROC' ? rec : tp.map((x, i) => dnn(x, x + fp[i]));
  for (let i = 0; i < n - 1; i++) {
    const h = method === 'interpolation' ? (ys[i] + ys[i + 1]) / 2 : method === 'minoring' ? Math.min(ys[i], ys[i + 1]) : Math.max(ys[i], ys[i + 1]);
    area += (xs[i] - xs[i + 1]) * h;
  }
  return area;
}
function fbeta64(t: number[][], p: number[][], o: { beta?: number; threshold?: number; average?: string | null }, w?: number[]): number[] {
  const beta = o.beta ?? 1;
  const pred = p.map((r) => r.map((v) => (o.threshold !== undefined ? (v > o.threshold ? 1 : 0) : v >= Math.max(...r) && Math.abs(v) > 1e-9 ? 1 : 0)));
  const k = t[0].length;
  const acc = (f: (pi: number, ti: number) => number) => {
    const per = Array.from({ length: k }, (_, j) => sum(t.map((r, i) => f(pred[i][j], r[j]) * (w ? w[i] : 1))));
    return o.average === 'micro' ? [sum(per)] : per;
  };
  const tp = acc((a, b) => a * b), fp = acc((a, b) => a * (1 - b)), fn = acc((a, b) => (1 - a) * b), sup = acc((_a, b) => b);
  const e = 1e-7;
  const f = tp.map((x, j) => {
    const pr = x / (x + fp[j] + e), rc = x / (x + fn[j] + e);
    return ((pr * rc) / (beta * beta * pr + rc + e)) * (1 + beta * beta);
  });
  if (o.average === 'weighted') return [sum(f.map((v, j) => (v * sup[j]) / (sum(sup) + e)))];
  if (o.average) return [sum(f) / f.length];
  return f;
}

describe('accuracies (exact)', () => {
  it('BinaryAccuracy (threshold 0.5 and 0.3), with weights', () => {
    const ref = (th: number, w?: number[]) => weightedMean(BIN.map((r, i) => sum(r.map((t, j) => (t === (PROBS[i][j] > th ? 1 : 0) ? 1 : 0))) / C), w);
    near(run(new dt.metrics.BinaryAccuracy(), [[BIN, PROBS]])[0], ref(0.5), 1e-7);
    near(run(new dt.metrics.BinaryAccuracy({ threshold: 0.3 }), [[BIN, PROBS, W]])[0], ref(0.3, W), 1e-7);
  });

  it('CategoricalAccuracy and SparseCategoricalAccuracy (first index on ties)', () => {
    const ref = weightedMean(LABELS.map((l, i) => (argmax(PROBS[i]) === l ? 1 : 0)));
    expect(run(new dt.metrics.CategoricalAccuracy(), [[ONEHOT, PROBS]])[0]).toBe(f32(ref));
    expect(run(new dt.metrics.SparseCategoricalAccuracy(), [[LABELS, PROBS]], 'int32')[0]).toBe(f32(ref));
  });

  it('TopK / SparseTopK (k = 5 default, k = 2): ties at the k-th value count as in (TF in_top_k)', () => {
    for (const k of [1, 2, 3]) {
      const ref = LABELS.map((l, i) => (inTopK(PROBS[i], l, k) ? 1 : 0));
      expect(run(new dt.metrics.TopKCategoricalAccuracy({ k }), [[ONEHOT, PROBS]])[0]).toBe(f32(sum(ref) / N));
      expect(run(new dt.metrics.SparseTopKCategoricalAccuracy({ k }), [[LABELS, PROBS, W]], 'int32')[0]).toBe(f32(weightedMean(ref, W)));
    }
    // A tie straddling the boundary: [0.5, 0.5, 0.1], label 1, k = 1: in (TF), although top_k would list index 0.
    const [t, p] = [V([1], 'int32'), T([[0.5, 0.5, 0.1]])];
    expect(dt.metrics.sparseTopKCategoricalAccuracy(t, p, 1).dataSync()[0]).toBe(1);
    expect(run(new dt.metrics.SparseTopKCategoricalAccuracy(), [[LABELS, PROBS]], 'int32')[0]).toBe(1); // k = 5 = C
    dt.dispose([t, p]);
  });
});

describe('Mean, Sum and the regression metrics', () => {
  it('Mean and Sum: per-sample means/sums over the non-batch axes, weighted, count = sum(weights)', () => {
    const m = new dt.metrics.Mean();
    const s = new dt.metrics.Sum();
    const v = T(REAL_T);
    const w = V(W);
    m.updateValues(v, w);
    s.updateValues(v, w);
    m.updateValues(v);
    const perMean = REAL_T.map((r) => sum(r) / r.length);
    const perSum = REAL_T.map((r) => sum(r));
    const want = (sum(perMean.map((x, i) => x * W[i])) + sum(perMean)) / (sum(W) + N);
    near(m.result().dataSync()[0], want, 1e-6);
    near(s.result().dataSync()[0], sum(perSum.map((x, i) => x * W[i])), 1e-6);
    m.reset();
    expect(m.result().dataSync()[0]).toBe(0);
    dt.dispose([v, w]);
    m.dispose();
    s.dispose();
  });

  it('MeanSquaredError, MeanAbsoluteError, RootMeanSquaredError, R2Score', () => {
    const mse = REAL_T.map((r, i) => sum(r.map((t, j) => (t - REAL_P[i][j]) ** 2)) / 3);
    const mae = REAL_T.map((r, i) => sum(r.map((t, j) => Math.abs(t - REAL_P[i][j]))) / 3);
    near(run(new dt.metrics.MeanSquaredError(), [[REAL_T, REAL_P, W]])[0], weightedMean(mse, W), 1e-6);
    near(run(new dt.metrics.MeanAbsoluteError(), [[REAL_T, REAL_P]])[0], weightedMean(mae), 1e-6);
    near(run(new dt.metrics.RootMeanSquaredError(), [[REAL_T, REAL_P, W]])[0], Math.sqrt(weightedMean(mse, W)), 1e-6);
    // R2 per output, then averaged (uniform), variance-weighted, or per output.
    const r2 = (w: number[]) => {
      const out = [0, 1, 2].map((j) => {
        const cnt = sum(w), s1 = sum(REAL_T.map((r, i) => r[j] * w[i])), s2 = sum(REAL_T.map((r, i) => r[j] * r[j] * w[i]));
        const res = sum(REAL_T.map((r, i) => (r[j] - REAL_P[i][j]) ** 2 * w[i]));
        const total = s2 - s1 * (s1 / cnt);
        return { raw: 1 - res / total, total };
      });
      return out;
    };
    const ones = new Array(N).fill(1);
    near(run(new dt.metrics.R2Score(), [[REAL_T, REAL_P]])[0], sum(r2(ones).map((o) => o.raw)) / 3, 1e-5);
    const vw = r2(W);
    near(run(new dt.metrics.R2Score({ classAggregation: 'variance_weighted_average' }), [[REAL_T, REAL_P, W]])[0], sum(vw.map((o) => o.raw * o.total)) / sum(vw.map((o) => o.total)), 1e-5);
    run(new dt.metrics.R2Score({ classAggregation: null }), [[REAL_T, REAL_P]]).forEach((v, j) => near(v, r2(ones)[j].raw, 1e-5));
  });
});

describe('Precision, Recall, AUC (confusion counts)', () => {
  const flatT = BIN.flat();
  const flatP = PROBS.flat();
  const flatW = BIN.flatMap((_, i) => new Array(C).fill(W[i]));

  it('Precision / Recall at one and several thresholds, weighted (exact counts)', () => {
    const thr = [0, 0.25, 0.5, 0.875];
    const cm = confusion(flatT, flatP, thr.map(f32), flatW);
    const prec = cm.map((c) => (c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0));
    const rec = cm.map((c) => (c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0));
    run(new dt.metrics.Precision({ thresholds: thr }), [[BIN, PROBS, W]]).forEach((v, i) => expect(v).toBe(f32(prec[i])));
    run(new dt.metrics.Recall({ thresholds: thr }), [[BIN, PROBS, W]]).forEach((v, i) => expect(v).toBe(f32(rec[i])));
    const c5 = confusion(flatT, flatP, [0.5])[0];
    expect(run(new dt.metrics.Precision(), [[BIN, PROBS]])).toEqual([f32(c5.tp / (c5.tp + c5.fp))]);
  });

  it('topK keeps the k largest of each row (ties: the lower index), classId one column', () => {
    const k = 2;
    const kept = PROBS.map((r) => {
      const order = r.map((v, j) => [v, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map((x) => x[1]);
      return r.map((v, j) => (order.includes(j) ? v : -1e10));
    });
    const c = confusion(flatT, kept.flat(), [f32(-1e10)])[0];
    expect(run(new dt.metrics.Precision({ topK: k }), [[BIN, PROBS]])).toEqual([f32(c.tp / (c.tp + c.fp))]);
    const col = 3;
    const cc = confusion(BIN.map((r) => r[col]), PROBS.map((r) => r[col]), [0.5], W)[0];
    expect(run(new dt.metrics.Recall({ classId: col }), [[BIN, PROBS, W]])).toEqual([f32(cc.tp / (cc.tp + cc.fn))]);
  });

  it('AUC: ROC and PR, every summation method, numThresholds 200 and 7, weighted', () => {
    for (const n of [200, 7]) {
      for (const curve of ['ROC', 'PR'] as const) {
        for (const summationMethod of ['interpolation', 'minoring', 'majoring'] as const) {
          const got = run(new dt.metrics.AUC({ numThresholds: n, curve, summationMethod }), [[BIN, PROBS, W]])[0];
          near(got, auc64(flatT, flatP, n, curve, summationMethod, flatW), 1e-5);
        }
      }
    }
    // Predictions outside [0, 1] are clipped first.
    const wide = PROBS.map((r) => r.map((v) => f32(v * 1.5 - 0.25)));
    near(run(new dt.metrics.AUC(), [[BIN, wide]])[0], auc64(flatT, wide.flat(), 200, 'ROC', 'interpolation'), 1e-5);
  });
});

describe('F-scores and MeanIoU', () => {
  it('FBetaScore / F1Score: every average, with and without threshold, weighted', () => {
    for (const average of [null, 'micro', 'macro', 'weighted'] as const) {
      for (const threshold of [undefined, 0.5]) {
        const want = fbeta64(ONEHOT, PROBS, { average, threshold }, W);
        run(new dt.metrics.F1Score({ average, threshold }), [[ONEHOT, PROBS, W]]).forEach((v, i) => near(v, want[i], 1e-6));
        const want2 = fbeta64(BIN, PROBS, { average, threshold, beta: 2 });
        run(new dt.metrics.FBetaScore({ average, threshold, beta: 2 }), [[BIN, PROBS]]).forEach((v, i) => near(v, want2[i], 1e-6));
      }
    }
  });

  it('MeanIoU from class ids and from probability rows, ignoreClass, weights', () => {
    const pred = PROBS.map(argmax);
    const iou = (t: number[], p: number[], w: number[], K: number) => {
      const cm = Array.from({ length: K }, () => new Array(K).fill(0));
      t.forEach((ti, i) => (cm[ti][p[i]] += w[i]));
      let s = 0, valid = 0;
      for (let c = 0; c < K; c++) {
        const row = sum(cm.map((r) => r[c])), col = sum(cm[c]), d = row + col - cm[c][c];
        if (d > 1e-9) valid++;
        s += cm[c][c] / (d + 1e-7);
      }
      return s / (valid + 1e-7);
    };
    const m = new dt.metrics.MeanIoU(C, { sparseYPred: false });
    near(run(m, [[LABELS, PROBS, W]], 'int32')[0], iou(LABELS, pred, W, C), 1e-6);
    const ig = new dt.metrics.MeanIoU(C, { sparseYPred: false, ignoreClass: 3 });
    const keep = LABELS.map((l) => (l === 3 ? 0 : 1));
    near(run(ig, [[LABELS, PROBS]], 'int32')[0], iou(LABELS.map((l) => (l === 3 ? 0 : l)), pred.map((p, i) => (keep[i] ? p : 0)), keep, C), 1e-6);
  });
});

describe('accumulation: several updates equal one update on the concatenation (exact sums)', () => {
  const halves = <X>(a: X[]): [X[], X[]] => [a.slice(0, 5), a.slice(5)];
  const cases: [string, () => dt.metrics.Metric, number[][] | number[], number[][], dt.DType][] = [
    ['BinaryAccuracy', () => new dt.metrics.BinaryAccuracy(), BIN, PROBS, 'float32'],
    ['SparseTopKCategoricalAccuracy', () => new dt.metrics.SparseTopKCategoricalAccuracy({ k: 2 }), LABELS, PROBS, 'int32'],
    ['Precision', () => new dt.metrics.Precision({ thresholds: [0.2, 0.6] }), BIN, PROBS, 'float32'],
    ['Recall topK', () => new dt.metrics.Recall({ topK: 2 }), BIN, PROBS, 'float32'],
    ['AUC ROC', () => new dt.metrics.AUC(), BIN, PROBS, 'float32'],
    ['AUC PR', () => new dt.metrics.AUC({ curve: 'PR' }), BIN, PROBS, 'float32'],
    ['F1Score macro', () => new dt.metrics.F1Score({ average: 'macro' }), ONEHOT, PROBS, 'float32'],
    ['MeanIoU', () => new dt.metrics.MeanIoU(C, { sparseYPred: false }), LABELS, PROBS, 'int32'],
  ];
  for (const [name, make, t, p, dtype] of cases) {
    it(name, () => {
      const [t1, t2] = halves(t as number[]);
      const [p1, p2] = halves(p);
      const [w1, w2] = halves(W);
      const whole = run(make(), [[t, p, W]], dtype);
      const split = run(make(), [[t1, p1, w1], [t2, p2, w2]], dtype);
      expect(split).toEqual(whole);
      // reset() starts over: the same batch again gives the same result.
      const m = make();
      run(m, [[t1, p1, w1]], dtype);
      m.reset();
      expect(run(m, [[t, p, W]], dtype)).toEqual(whole);
    });
  }
});

describe('options and errors', () => {
  it('refuses unknown keys and bad values', () => {
    expect(() => new dt.metrics.AUC({ numThreshold: 3 } as never)).toThrow(/^AUC: unrecognized option/);
    expect(() => new dt.metrics.AUC({ curve: 'roc' as never })).toThrow(/^AUC: expected curve 'ROC' or 'PR'/);
    expect(() => new dt.metrics.AUC({ numThresholds: 1 })).toThrow(/^AUC: expected numThresholds an integer > 1/);
    expect(() => new dt.metrics.Precision({ thresholds: [0.5, 2] })).toThrow(/^Precision: expected thresholds/);
    expect(() => new dt.metrics.Recall({ topK: 0 })).toThrow(/^Recall: expected topK an integer >= 1/);
    expect(() => new dt.metrics.F1Score({ average: 'samples' as never })).toThrow(/^F1Score: expected average null, 'micro', 'macro' or 'weighted'/);
    expect(() => new dt.metrics.FBetaScore({ beta: 0 })).toThrow(/^FBetaScore: expected beta a number > 0/);
    expect(() => new dt.metrics.F1Score({ threshold: 0 })).toThrow(/^F1Score: expected threshold in \(0, 1\]/);
    expect(() => new dt.metrics.MeanIoU(0)).toThrow(/^MeanIoU: expected numClasses a positive integer/);
    expect(() => new dt.metrics.TopKCategoricalAccuracy({ k: 0 })).toThrow(/^TopKCategoricalAccuracy: expected k a positive integer/);
    expect(() => new dt.metrics.R2Score({ numRegressors: 2 })).toThrow(/^R2Score: expected numRegressors 0/);
    const [a, b] = [dt.ones([2, 3]), dt.ones([2, 4])];
    expect(() => new dt.metrics.Precision().update(a, b)).toThrow(/^precision: expected yTrue and yPred of the same shape/);
    expect(() => new dt.metrics.F1Score().update(a, b)).toThrow(/^f1_score: expected yTrue and yPred of the same shape \[N, C\]/);
    dt.dispose([a, b]);
  });

  it('compile accepts Keras metric names; fit logs them', async () => {
    const model = new dt.Sequential([new dt.layers.Dense(3, { inputShape: [4], activation: 'softmax' })]);
    const names = ['mae', 'mse', 'binary_accuracy', 'top_k_categorical_accuracy', 'categorical_crossentropy', 'kld'];
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: names });
    const x = dt.tensor(rows(21, 8, 4, (r) => r.uniform(-1, 1)).flat(), [8, 4]);
    const y = T(Array.from({ length: 8 }, (_, i) => [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0))));
    const h = await model.fit(batches(x, y, 4), { epochs: 1, verbose: 0 });
    for (const n of names) expect(h.history[n]?.length, n).toBe(1);
    expect(h.history.top_k_categorical_accuracy[0]).toBe(1); // k = 5 >= 3 classes
    dt.dispose([x, y]);
    model.dispose();
  });
});

const agreement: AgreementCase[] = [];
const metricCases: [string, () => dt.metrics.Metric, 'bin' | 'label'][] = [
  ['BinaryAccuracy', () => new dt.metrics.BinaryAccuracy(), 'bin'],
  ['TopKCategoricalAccuracy k 3', () => new dt.metrics.TopKCategoricalAccuracy({ k: 3 }), 'bin'],
  ['SparseTopKCategoricalAccuracy', () => new dt.metrics.SparseTopKCategoricalAccuracy({ k: 2 }), 'label'],
  ['Precision thresholds', () => new dt.metrics.Precision({ thresholds: [0.1, 0.5, 0.9] }), 'bin'],
  ['Recall topK classId', () => new dt.metrics.Recall({ topK: 3, classId: 2 }), 'bin'],
  ['AUC ROC', () => new dt.metrics.AUC(), 'bin'],
  ['AUC PR', () => new dt.metrics.AUC({ curve: 'PR' }), 'bin'],
  ['F1Score weighted', () => new dt.metrics.F1Score({ average: 'weighted' }), 'bin'],
  ['FBetaScore null threshold', () => new dt.metrics.FBetaScore({ beta: 0.5, threshold: 0.4 }), 'bin'],
  ['MeanIoU', () => new dt.metrics.MeanIoU(7, { sparseYPred: false }), 'label'],
  ['RootMeanSquaredError', () => new dt.metrics.RootMeanSquaredError(), 'bin'],
  ['R2Score', () => new dt.metrics.R2Score(), 'bin'],
  ['Mean over metric values', () => new dt.metrics.MeanSquaredError(), 'bin'],
];
for (const [name, make, kind] of metricCases) {
  agreement.push({
    name: `${name}: two updates`,
    inputs: [
      kind === 'label' ? input([40], ints(0, 6), 'int32') : input([40, 7], ints(0, 1)),
      input([40, 7], uni(-0.1, 1.1)),
      input([40], ints(0, 3)),
    ],
    run: ([t, p, w]) => {
      const m = make();
      m.update(t, p, w);
      m.update(t, p);
      const r = m.result();
      m.dispose();
      return r;
    },
  });
}
describeAgreement('Keras 3 metrics: CPU vs WebGPU bits', unavailable, agreement);
