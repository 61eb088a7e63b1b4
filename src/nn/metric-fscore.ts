/**
 * Keras 3's FBetaScore / F1Score (keras/src/metrics/f_score_metrics.py) and MeanIoU (iou_metrics.py).
 *  - FBetaScore: yTrue, yPred [N, C]; yPred becomes 0/1 (yPred > threshold, or with no threshold the row's
 *    maxima that are not ~0: yPred >= max(row) and |yPred| > 1e-9); per class (or summed over everything for
 *    'micro') the batch adds sum(yPred*yTrue*w), sum(yPred*(1-yTrue)*w), sum((1-yPred)*yTrue*w), sum(yTrue*w)
 *    to tp, fp, fn and the support, each summed over the samples in the engine's order. Result, as Keras:
 *    p = tp / (tp + fp + 1e-7); r = tp / (tp + fn + 1e-7); f = p*r / (beta^2*p + r + 1e-7) * (1 + beta^2);
 *    averaged (macro, micro), support-weighted (weighted) or per class (null).
 *  - MeanIoU: the confusion matrix cm[true, pred] += weight, accumulated as oneHot(true)^T @ (oneHot(pred) * w)
 *    (the matmul's documented order); result = sum(tp / (row + col - tp + 1e-7)) / (#classes with
 *    row + col - tp > 1e-9, + 1e-7).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, fmtShape, ops, tidy } from '../core/internal.ts';
import { Metric, type MetricConfig } from './metric-base.ts';

const EPS = 1e-7;
const f32 = Math.fround;

/** Options of {@link FBetaScore} (Keras's arguments, camelCase). */
export interface FBetaScoreConfig extends MetricConfig {
  /** null (per class, default), 'micro', 'macro' or 'weighted'. */
  average?: null | 'micro' | 'macro' | 'weighted';
  /** The weight of recall, > 0 (default 1). */
  beta?: number;
  /** A threshold in (0, 1], or null (default): the row's maxima count as positive. */
  threshold?: number | null;
}

/** Keras `FBetaScore` (see the module header). The result is [C] with average null, else a scalar. */
export class FBetaScore extends Metric {
  /** The averaging. */
  readonly average: null | 'micro' | 'macro' | 'weighted';
  /** beta. */
  readonly beta: number;
  /** The threshold, or null. */
  readonly threshold: number | null;
  private st?: { tp: Variable; fp: Variable; fn: Variable; support: Variable };

  /** @param options average, beta, threshold, name */
  constructor(options: FBetaScoreConfig = {}, cls = 'FBetaScore', defaultName = 'fbeta_score', keys: readonly string[] = ['average', 'beta', 'threshold']) {
    super(cls, defaultName, options, keys);
    const a = options.average ?? null;
    if (a !== null && a !== 'micro' && a !== 'macro' && a !== 'weighted') {
      throw new ArgumentError(`${cls}: expected average null, 'micro', 'macro' or 'weighted'. Received: average=${JSON.stringify(a)}`);
    }
    const beta = options.beta ?? 1;
    if (typeof beta !== 'number' || !(beta > 0) || !Number.isFinite(beta)) throw new ArgumentError(`${cls}: expected beta a number > 0. Received: beta=${JSON.stringify(beta)}`);
    const th = options.threshold ?? null;
    if (th !== null && (typeof th !== 'number' || !(th > 0 && th <= 1))) throw new ArgumentError(`${cls}: expected threshold in (0, 1] or null. Received: threshold=${JSON.stringify(th)}`);
    this.average = a;
    this.beta = beta;
    this.threshold = th;
  }

  /** Accumulates a batch [N, C] (sampleWeight [N]). */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    assertLive(this.name, yTrue);
    assertLive(this.name, yPred);
    if (yPred.rank !== 2 || yTrue.rank !== 2 || yTrue.shape[0] !== yPred.shape[0] || yTrue.shape[1] !== yPred.shape[1]) {
      throw new ShapeError(`${this.name}: expected yTrue and yPred of the same shape [N, C]. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
    }
    const C = yPred.shape[1];
    if (!this.st) {
      const s = this.average === 'micro' ? [] : [C];
      this.st = { tp: this.addState('true_positives', s), fp: this.addState('false_positives', s), fn: this.addState('false_negatives', s), support: this.addState('intermediate_weights', s) };
    } else if (this.average !== 'micro' && this.st.tp.shape[0] !== C) {
      throw new ShapeError(`${this.name}: expected ${this.st.tp.shape[0]} classes (the first batch's). Received: yPred.shape=${fmtShape(yPred.shape)}`);
    }
    const st = this.st;
    tidy(() => {
      const p0 = yPred.dtype === 'float32' ? yPred : ops.cast(yPred, 'float32');
      const pred = this.threshold === null
        ? ops.mul(ops.cast(ops.greaterEqual(p0, ops.max(p0, -1, true)), 'float32'), ops.cast(ops.greater(ops.abs(p0), 1e-9), 'float32'))
        : ops.cast(ops.greater(p0, this.threshold), 'float32');
      const t = yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32');
      const w = sampleWeight === undefined ? undefined : ops.expandDims(sampleWeight.dtype === 'float32' ? sampleWeight : ops.cast(sampleWeight, 'float32'), 1);
      const wsum = (v: Tensor) => {
        const x = w ? ops.mul(v, w) : v;
        return this.average === 'micro' ? ops.sum(x) : ops.sum(x, 0);
      };
      this.accumulate(st.tp, wsum(ops.mul(pred, t)));
      this.accumulate(st.fp, wsum(ops.mul(pred, ops.sub(1, t))));
      this.accumulate(st.fn, wsum(ops.mul(ops.sub(1, pred), t)));
      this.accumulate(st.support, wsum(t));
    });
  }

  /** The F-beta score (see the module header); 0 before any update. */
  result(): Tensor {
    const st = this.st;
    if (!st) return ops.scalar(0);
    return tidy(() => {
      const precision = ops.div(st.tp, ops.add(ops.add(st.tp, st.fp), EPS));
      const recall = ops.div(st.tp, ops.add(ops.add(st.tp, st.fn), EPS));
      const b2 = f32(this.beta * this.beta);
      const mul = ops.mul(precision, recall);
      const add = ops.add(ops.mul(precision, b2), recall);
      const f = ops.mul(ops.div(mul, ops.add(add, EPS)), f32(1 + b2));
      if (this.average === 'weighted') {
        const weights = ops.div(st.support, ops.add(ops.sum(st.support), EPS));
        return ops.sum(ops.mul(f, weights));
      }
      if (this.average !== null) return ops.mean(f);
      return f;
    });
  }
}

/** Keras `F1Score`: {@link FBetaScore} with beta 1. */
export class F1Score extends FBetaScore {
  /** @param options average, threshold, name */
  constructor(options: Omit<FBetaScoreConfig, 'beta'> = {}) {
    super(options, 'F1Score', 'f1_score', ['average', 'threshold']);
  }
}

/** Options of {@link MeanIoU} (Keras's arguments, camelCase). */
export interface MeanIoUConfig extends MetricConfig {
  /** A class id whose entries are ignored (default none). */
  ignoreClass?: number | null;
  /** Whether yTrue holds class ids (default true) or one-hot/probability rows (argmax taken). */
  sparseYTrue?: boolean;
  /** Whether yPred holds class ids (default true) or probability rows (argmax taken). */
  sparseYPred?: boolean;
}

/** Keras `MeanIoU(numClasses)` (see the module header). */
export class MeanIoU extends Metric {
  /** The number of classes. */
  readonly numClasses: number;
  /** The ignored class, or null. */
  readonly ignoreClass: number | null;
  private readonly cm: Variable;
  private readonly sparseYTrue: boolean;
  private readonly sparseYPred: boolean;

  /**
   * @param numClasses the number of classes (> 0)
   * @param options ignoreClass, sparseYTrue, sparseYPred, name
   */
  constructor(numClasses: number, options: MeanIoUConfig = {}) {
    super('MeanIoU', 'mean_iou', options, ['ignoreClass', 'sparseYTrue', 'sparseYPred']);
    if (!Number.isSafeInteger(numClasses) || numClasses < 1) throw new ArgumentError(`MeanIoU: expected numClasses a positive integer. Received: numClasses=${numClasses}`);
    const ic = options.ignoreClass ?? null;
    if (ic !== null && !Number.isSafeInteger(ic)) throw new ArgumentError(`MeanIoU: expected ignoreClass an integer or null. Received: ignoreClass=${JSON.stringify(ic)}`);
    this.numClasses = numClasses;
    this.ignoreClass = ic;
    this.sparseYTrue = options.sparseYTrue ?? true;
    this.sparseYPred = options.sparseYPred ?? true;
    this.cm = this.addState('total_confusion_matrix', [numClasses, numClasses]);
  }

  /** Accumulates a batch: class ids (or rows, argmax taken) of any shape, flattened; sampleWeight of the same shape. */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    assertLive(this.name, yTrue);
    assertLive(this.name, yPred);
    tidy(() => {
      const ids = (x: Tensor, sparse: boolean) => {
        const y = sparse ? x : ops.argmax(x, -1);
        return ops.reshape(y.dtype === 'int32' ? y : ops.cast(y, 'int32'), [y.size]);
      };
      const t = ids(yTrue, this.sparseYTrue);
      const p = ids(yPred, this.sparseYPred);
      if (t.size !== p.size) throw new ShapeError(`${this.name}: expected as many labels as predictions. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
      let w: Tensor = ops.ones([t.size, 1]);
      if (sampleWeight !== undefined) {
        assertLive(this.name, sampleWeight);
        if (sampleWeight.size !== t.size) throw new ShapeError(`${this.name}: expected one sample weight per label (${t.size}). Received: sampleWeight.shape=${fmtShape(sampleWeight.shape)}`);
        w = ops.reshape(sampleWeight.dtype === 'float32' ? sampleWeight : ops.cast(sampleWeight, 'float32'), [t.size, 1]);
      }
      let tt = t;
      let pp = p;
      if (this.ignoreClass !== null) {
        const valid = ops.notEqual(t, this.ignoreClass);
        tt = ops.mul(t, ops.cast(valid, 'int32'));
        pp = ops.mul(p, ops.cast(valid, 'int32'));
        w = ops.mul(w, ops.reshape(ops.cast(valid, 'float32'), [t.size, 1]));
      }
      const K = this.numClasses;
      const current = ops.matmul(ops.oneHot(tt, K), ops.mul(ops.oneHot(pp, K), w), { transposeA: true });
      this.accumulate(this.cm, current);
    });
  }

  /** The mean IoU over the classes that occur (a float32 scalar). */
  result(): Tensor {
    return tidy(() => {
      const row = ops.sum(this.cm, 0);
      const col = ops.sum(this.cm, 1);
      const eye = ops.oneHot(ops.tensor(Array.from({ length: this.numClasses }, (_, i) => i), [this.numClasses], 'int32'), this.numClasses);
      const tp = ops.sum(ops.mul(this.cm, eye), 1);
      const denom = ops.sub(ops.add(row, col), tp);
      const valid = ops.sum(ops.cast(ops.greater(denom, 1e-9), 'float32'));
      const iou = ops.div(tp, ops.add(denom, EPS));
      return ops.div(ops.sum(iou), ops.add(valid, EPS));
    });
  }
}
