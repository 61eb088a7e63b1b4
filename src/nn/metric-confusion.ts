/**
 * Keras 3's confusion-matrix metrics (keras/src/metrics/confusion_metrics.py, metrics_utils.py): Precision,
 * Recall and AUC, their true/false positive/negative counts kept per threshold in float32 state.
 *  - Precision/Recall (`update_confusion_matrix_variables`): yPred filtered to its top k (metric-functions.ts
 *    filterTopK) when topK is set, then column classId taken when set; an entry is predicted positive when
 *    yPred > threshold (strictly), actually positive when yTrue != 0; each count adds, per threshold, the sum
 *    of the (weighted) indicator over all entries in the engine's summation order (row-major index).
 *  - AUC (Keras's evenly-spaced-threshold path, `_update_confusion_matrix_variables_optimized`): thresholds
 *    [-1e-7, 1/(n-1), ..., (n-2)/(n-1), 1 + 1e-7] as float32; yPred clipped to [0, 1]; bucket =
 *    max(ceil(yPred * (n - 1)) - 1, 0); tp[i] = sum of the positives' weights with bucket >= i (Keras's segment
 *    sum then reverse cumulative sum; ditto sums the indicator over the entries in the engine's order: the same
 *    value whenever the partial sums are exact, e.g. unweighted counts < 2^24), fp likewise for the negatives,
 *    tn = totalNegatives - fp, fn = totalPositives - tp.
 * Sample weights broadcast against yPred with trailing axes appended (a [N] weight weighs each row).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, fmtShape, ops, tidy } from '../core/internal.ts';
import { squeezeOrExpand } from './loss-reduction.ts';
import { Metric, type MetricConfig, divideNoNan, expandWeight } from './metric-base.ts';
import { filterTopK } from './metric-functions.ts';

/** Options of {@link Precision} and {@link Recall} (Keras's arguments, camelCase). */
export interface PrecisionRecallConfig extends MetricConfig {
  /** A threshold or a list in [0, 1] (default 0.5; -1e10 with topK): the result has one value per threshold. */
  thresholds?: number | readonly number[];
  /** Only the k largest predictions of each row count as positive (default none). */
  topK?: number;
  /** Only this class (last-axis index) is considered (default all). */
  classId?: number;
}

const NEG_INF = -1e10;

function checkThresholds(cls: string, t: unknown, dflt: number): number[] {
  if (t === undefined || t === null) return [dflt];
  const list = typeof t === 'number' ? [t] : t;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    throw new ArgumentError(`${cls}: expected thresholds a number or a non-empty list of numbers in [0, 1]. Received: thresholds=${JSON.stringify(t)}`);
  }
  return [...list];
}

function checkOptInt(cls: string, key: string, v: unknown, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < min) throw new ArgumentError(`${cls}: expected ${key} an integer >= ${min}. Received: ${key}=${JSON.stringify(v)}`);
  return v as number;
}

/** yTrue, yPred aligned (squeeze-or-expand), shapes checked, yPred float32; weights broadcast to yPred's shape. */
function align(fn: string, yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): [Tensor, Tensor, Tensor | undefined] {
  assertLive(fn, yTrue);
  assertLive(fn, yPred);
  const p0 = yPred.dtype === 'float32' ? yPred : ops.cast(yPred, 'float32');
  const [p, t] = squeezeOrExpand(p0, yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32'));
  if (t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new ShapeError(`${fn}: expected yTrue and yPred of the same shape. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
  }
  return [t, p, sampleWeight === undefined ? undefined : expandWeight(fn, sampleWeight, p)];
}

/** Per threshold: sum over all entries of (a & b) * w, [nThresholds]. */
function countPairs(a: Tensor, b: Tensor, w: Tensor | undefined): Tensor {
  let both = ops.mul(a, b);
  if (w !== undefined) both = ops.mul(both, w);
  return ops.sum(both, 1);
}

/** The shared state and update of Precision and Recall. */
abstract class ThresholdMetric extends Metric {
  /** The thresholds. */
  readonly thresholds: readonly number[];
  /** topK, if set. */
  readonly topK?: number;
  /** classId, if set. */
  readonly classId?: number;
  /** The true positives per threshold. */
  protected readonly tp: Variable;
  /** The false positives per threshold. */
  protected readonly fp: Variable;
  /** The false negatives per threshold. */
  protected readonly fn: Variable;

  protected constructor(cls: string, name: string, options: PrecisionRecallConfig) {
    super(cls, name, options, ['thresholds', 'topK', 'classId']);
    this.topK = checkOptInt(cls, 'topK', options.topK, 1);
    this.classId = checkOptInt(cls, 'classId', options.classId, 0);
    this.thresholds = checkThresholds(cls, options.thresholds, this.topK === undefined ? 0.5 : NEG_INF);
    const k = [this.thresholds.length];
    this.tp = this.addState('true_positives', k);
    this.fp = this.addState('false_positives', k);
    this.fn = this.addState('false_negatives', k);
  }

  /** Accumulates a batch (see the module header). */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    tidy(() => {
      let [t, p, w] = align(this.name, yTrue, yPred, sampleWeight);
      if (this.topK !== undefined) p = filterTopK(p, this.topK);
      if (this.classId !== undefined) {
        const C = p.shape[p.rank - 1];
        if (this.classId >= C) throw new ArgumentError(`${this.name}: expected classId < ${C} (the classes of yPred). Received: classId=${this.classId}`);
        const pick = (x: Tensor) => ops.slice(x, [...x.shape.slice(0, -1).map(() => 0), this.classId!], [...x.shape.slice(0, -1), 1]);
        [t, p] = [pick(t), pick(p)];
        if (w) w = pick(w);
      }
      const M = p.size;
      const thr = ops.reshape(ops.tensor(this.thresholds.map(Math.fround)), [this.thresholds.length, 1]);
      const pp = ops.cast(ops.greater(ops.reshape(p, [1, M]), thr), 'float32'); // [T, M]
      const lp = ops.reshape(ops.cast(ops.notEqual(t, 0), 'float32'), [1, M]);
      const wf = w && ops.reshape(w, [1, M]);
      this.accumulate(this.tp, countPairs(lp, pp, wf));
      this.accumulate(this.fp, countPairs(ops.sub(1, lp), pp, wf));
      this.accumulate(this.fn, countPairs(lp, ops.sub(1, pp), wf));
    });
  }

  /** One value per threshold, or a scalar for a single threshold. */
  protected perThreshold(v: Tensor): Tensor {
    return this.thresholds.length === 1 ? ops.reshape(v, []) : v;
  }
}

/** Keras `Precision`: tp / (tp + fp) per threshold (0 when nothing is predicted positive). */
export class Precision extends ThresholdMetric {
  /** @param options thresholds, topK, classId, name */
  constructor(options: PrecisionRecallConfig = {}) {
    super('Precision', 'precision', options);
  }

  /** tp / (tp + fp), divide_no_nan. */
  result(): Tensor {
    return tidy(() => this.perThreshold(divideNoNan(this.tp, ops.add(this.tp, this.fp))));
  }
}

/** Keras `Recall`: tp / (tp + fn) per threshold (0 when there are no positives). */
export class Recall extends ThresholdMetric {
  /** @param options thresholds, topK, classId, name */
  constructor(options: PrecisionRecallConfig = {}) {
    super('Recall', 'recall', options);
  }

  /** tp / (tp + fn), divide_no_nan. */
  result(): Tensor {
    return tidy(() => this.perThreshold(divideNoNan(this.tp, ops.add(this.tp, this.fn))));
  }
}

/** Options of {@link AUC} (Keras's arguments, camelCase). */
export interface AUCConfig extends MetricConfig {
  /** The number of evenly spaced thresholds, > 1 (default 200). */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR'. */
  curve?: 'ROC' | 'PR';
  /** 'interpolation' (default), 'minoring' or 'majoring'. */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
}

/**
 * Keras `AUC` (single label, evenly spaced thresholds): the area under the ROC or PR curve from the confusion
 * counts at `numThresholds` thresholds (see the module header for the counting). Result, for n thresholds:
 * ROC: x = fp / (fp + tn), y = tp / (tp + fn); PR with interpolation: Keras's `interpolate_pr_auc` (Davis &
 * Goadrich); PR otherwise: x = recall, y = precision; area = sum over i < n-1 of (x[i] - x[i+1]) * h[i] with
 * h = (y[i] + y[i+1]) / 2 (interpolation), min (minoring) or max (majoring), summed in the engine's order.
 */
export class AUC extends Metric {
  /** The number of thresholds. */
  readonly numThresholds: number;
  /** The curve. */
  readonly curve: 'ROC' | 'PR';
  /** The summation method. */
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  /** The thresholds as float32 numbers. */
  readonly thresholds: readonly number[];
  private readonly tp: Variable;
  private readonly fp: Variable;
  private readonly tn: Variable;
  private readonly fn: Variable;

  /** @param options numThresholds, curve, summationMethod, name */
  constructor(options: AUCConfig = {}) {
    super('AUC', 'auc', options, ['numThresholds', 'curve', 'summationMethod']);
    const n = options.numThresholds ?? 200;
    if (!Number.isSafeInteger(n) || n <= 1) throw new ArgumentError(`AUC: expected numThresholds an integer > 1. Received: numThresholds=${JSON.stringify(options.numThresholds)}`);
    const curve = options.curve ?? 'ROC';
    if (curve !== 'ROC' && curve !== 'PR') throw new ArgumentError(`AUC: expected curve 'ROC' or 'PR'. Received: curve=${JSON.stringify(curve)}`);
    const sm = options.summationMethod ?? 'interpolation';
    if (!['interpolation', 'minoring', 'majoring'].includes(sm)) {
      throw new ArgumentError(`AUC: expected summationMethod 'interpolation', 'minoring' or 'majoring'. Received: summationMethod=${JSON.stringify(sm)}`);
    }
    this.numThresholds = n;
    this.curve = curve;
    this.summationMethod = sm;
    const mid = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    this.thresholds = [-1e-7, ...mid, 1 + 1e-7].map(Math.fround);
    this.tp = this.addState('true_positives', [n]);
    this.fp = this.addState('false_positives', [n]);
    this.tn = this.addState('true_negatives', [n]);
    this.fn = this.addState('false_negatives', [n]);
  }

  /** Accumulates a batch (see the module header). */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    tidy(() => {
      const [t, p0, w] = align(this.name, yTrue, yPred, sampleWeight);
      const n = this.numThresholds;
      const M = p0.size;
      const p = ops.reshape(ops.clipByValue(p0, 0, 1), [M, 1]);
      const y = ops.reshape(ops.cast(ops.notEqual(t, 0), 'float32'), [M, 1]);
      const wf = w ? ops.reshape(w, [M, 1]) : undefined;
      const trueLabels = wf ? ops.mul(y, wf) : y;
      const falseLabels = wf ? ops.mul(ops.sub(1, y), wf) : ops.sub(1, y);
      // bucket = max(ceil(p * (n - 1)) - 1, 0); ceil of a value >= 0 from truncation.
      const scaled = ops.mul(p, n - 1);
      const tr = ops.cast(scaled, 'int32');
      const ceil = ops.add(tr, ops.cast(ops.greater(scaled, ops.cast(tr, 'float32')), 'int32'));
      const bucket = ops.maximum(ops.sub(ceil, 1), 0);
      const idx = ops.reshape(ops.tensor(Array.from({ length: n }, (_, i) => i), [n], 'int32'), [1, n]);
      const ge = ops.cast(ops.greaterEqual(bucket, idx), 'float32'); // [M, n]: bucket >= i
      const tp = ops.sum(ops.mul(ge, trueLabels), 0);
      const fp = ops.sum(ops.mul(ge, falseLabels), 0);
      this.accumulate(this.tp, tp);
      this.accumulate(this.fp, fp);
      this.accumulate(this.tn, ops.sub(ops.sum(falseLabels), fp));
      this.accumulate(this.fn, ops.sub(ops.sum(trueLabels), tp));
    });
  }

  /** The area (a float32 scalar). */
  result(): Tensor {
    return tidy(() => {
      const n = this.numThresholds;
      const head = (x: Tensor) => ops.slice(x, [0], [n - 1]);
      const tail = (x: Tensor) => ops.slice(x, [1], [n - 1]);
      if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.interpolatePrAuc(head, tail);
      const recall = divideNoNan(this.tp, ops.add(this.tp, this.fn));
      let x: Tensor;
      let y: Tensor;
      if (this.curve === 'ROC') {
        x = divideNoNan(this.fp, ops.add(this.fp, this.tn));
        y = recall;
      } else {
        x = recall;
        y = divideNoNan(this.tp, ops.add(this.tp, this.fp));
      }
      const heights = this.summationMethod === 'interpolation'
        ? ops.div(ops.add(head(y), tail(y)), 2)
        : this.summationMethod === 'minoring' ? ops.minimum(head(y), tail(y)) : ops.maximum(head(y), tail(y));
      return ops.sum(ops.mul(ops.sub(head(x), tail(x)), heights));
    });
  }

  /** Keras `interpolate_pr_auc`, operation for operation. */
  private interpolatePrAuc(head: (x: Tensor) => Tensor, tail: (x: Tensor) => Tensor): Tensor {
    const dtp = ops.sub(head(this.tp), tail(this.tp));
    const p = ops.add(this.tp, this.fp);
    const dp = ops.sub(head(p), tail(p));
    const precSlope = divideNoNan(dtp, ops.maximum(dp, 0));
    const intercept = ops.sub(tail(this.tp), ops.mul(precSlope, tail(p)));
    const both = ops.mul(ops.cast(ops.greater(head(p), 0), 'float32'), ops.cast(ops.greater(tail(p), 0), 'float32'));
    const safeRatio = ops.where(ops.greater(both, 0), divideNoNan(head(p), ops.maximum(tail(p), 0)), 1);
    const inc = divideNoNan(ops.mul(precSlope, ops.add(dtp, ops.mul(intercept, ops.log(safeRatio)))), ops.maximum(ops.add(tail(this.tp), tail(this.fn)), 0));
    return ops.sum(inc);
  }
}
