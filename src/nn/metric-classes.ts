/**
 * Keras 3's mean-of-function metrics (accuracy_metrics.py, regression_metrics.py): each the {@link Mean} of a
 * per-sample function, plus RootMeanSquaredError and R2Score. Accumulation order: metric-base.ts.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, fmtShape, ops, tidy } from '../core/internal.ts';
import * as lf from './loss-functions.ts';
import { squeezeOrExpand } from './loss-reduction.ts';
import { Mean, MeanMetricWrapper, Metric, type MetricConfig } from './metric-base.ts';
import { binaryAccuracy, sparseTopKCategoricalAccuracy, topKCategoricalAccuracy } from './metric-functions.ts';
import { categoricalAccuracy, sparseCategoricalAccuracy } from './metrics.ts';

function checkThreshold(cls: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${cls}: expected threshold a finite number. Received: threshold=${JSON.stringify(v)}`);
  return v;
}

function checkK(cls: string, v: unknown): number {
  if (v === undefined) return 5;
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw new ArgumentError(`${cls}: expected k a positive integer. Received: k=${JSON.stringify(v)}`);
  return v as number;
}

/** Keras `BinaryAccuracy`: the mean of `yTrue == (yPred > threshold)` (threshold 0.5). */
export class BinaryAccuracy extends MeanMetricWrapper {
  /** @param options threshold (default 0.5), name */
  constructor(options: MetricConfig & { threshold?: number } = {}) {
    const threshold = checkThreshold('BinaryAccuracy', options?.threshold, 0.5);
    super((t, p) => binaryAccuracy(t, p, threshold), options, 'BinaryAccuracy', 'binary_accuracy', ['threshold']);
  }
}

/** Keras `CategoricalAccuracy`: the mean of argmax(yTrue) == argmax(yPred) (the first index on ties). */
export class CategoricalAccuracy extends MeanMetricWrapper {
  /** @param options name */
  constructor(options: MetricConfig = {}) {
    super(categoricalAccuracy, options, 'CategoricalAccuracy', 'categorical_accuracy');
  }
}

/** Keras `SparseCategoricalAccuracy`: the mean of yTrue == argmax(yPred). */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  /** @param options name */
  constructor(options: MetricConfig = {}) {
    super(sparseCategoricalAccuracy, options, 'SparseCategoricalAccuracy', 'sparse_categorical_accuracy');
  }
}

/** Keras `TopKCategoricalAccuracy` (k = 5): argmax(yTrue) in the top k of yPred, TF in_top_k ties. */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  /** @param options k (default 5), name */
  constructor(options: MetricConfig & { k?: number } = {}) {
    const k = checkK('TopKCategoricalAccuracy', options?.k);
    super((t, p) => topKCategoricalAccuracy(t, p, k), options, 'TopKCategoricalAccuracy', 'top_k_categorical_accuracy', ['k']);
  }
}

/** Keras `SparseTopKCategoricalAccuracy` (k = 5): the integer label in the top k of yPred, TF in_top_k ties. */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  /** @param options k (default 5), name */
  constructor(options: MetricConfig & { k?: number } = {}) {
    const k = checkK('SparseTopKCategoricalAccuracy', options?.k);
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), options, 'SparseTopKCategoricalAccuracy', 'sparse_top_k_categorical_accuracy', ['k']);
  }
}

/** Keras metric `MeanSquaredError`: the mean of per-sample mean((yTrue - yPred)^2, -1). */
export class MeanSquaredError extends MeanMetricWrapper {
  /** @param options name */
  constructor(options: MetricConfig = {}) {
    super(lf.meanSquaredError, options, 'MeanSquaredError', 'mean_squared_error');
  }
}

/** Keras metric `MeanAbsoluteError`: the mean of per-sample mean(|yTrue - yPred|, -1). */
export class MeanAbsoluteError extends MeanMetricWrapper {
  /** @param options name */
  constructor(options: MetricConfig = {}) {
    super(lf.meanAbsoluteError, options, 'MeanAbsoluteError', 'mean_absolute_error');
  }
}

/** Keras `RootMeanSquaredError`: sqrt of the {@link Mean} of square(yPred - yTrue) (per-sample means over the non-batch axes). */
export class RootMeanSquaredError extends Mean {
  /** @param options name */
  constructor(options: MetricConfig = {}) {
    super(options, 'RootMeanSquaredError', 'root_mean_squared_error');
  }

  /** Accumulates square(yPred - yTrue), weighted by sampleWeight. */
  override update(yTrue: Tensor, yPred?: Tensor, sampleWeight?: Tensor): void {
    if (yPred === undefined) throw new ArgumentError(`${this.name}: expected update(yTrue, yPred, sampleWeight?). Received: no yPred`);
    tidy(() => {
      const [t, p] = lf.prepare(this.name, yTrue, yPred);
      this.updateValues(ops.square(ops.sub(p, t)), sampleWeight);
    });
  }

  /** sqrt(total / count). */
  override result(): Tensor {
    return tidy(() => ops.sqrt(super.result()));
  }
}

/**
 * Keras `R2Score` (class_aggregation 'uniform_average' by default, num_regressors 0): yTrue, yPred [N, outputs];
 * per output, state sum(w*y), sum(y*w*y), sum((y - yPred)^2 * w), sum(w), each batch's sum over the samples in the
 * engine's order; result `1 - totalMse / (squaredSum - sum * (sum / count))` per output (0 where infinite),
 * averaged ('uniform_average'), variance-weighted ('variance_weighted_average') or per output (null).
 */
export class R2Score extends Metric {
  /** 'uniform_average', 'variance_weighted_average' or null. */
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average' | null;
  private st?: { sum: Variable; squaredSum: Variable; totalMse: Variable; count: Variable };

  /** @param options classAggregation, numRegressors (only 0), name */
  constructor(options: MetricConfig & { classAggregation?: 'uniform_average' | 'variance_weighted_average' | null; numRegressors?: number } = {}) {
    super('R2Score', 'r2_score', options, ['classAggregation', 'numRegressors']);
    const a = options.classAggregation === undefined ? 'uniform_average' : options.classAggregation;
    if (a !== null && a !== 'uniform_average' && a !== 'variance_weighted_average') {
      throw new ArgumentError(`R2Score: expected classAggregation 'uniform_average', 'variance_weighted_average' or null. Received: ${JSON.stringify(a)}`);
    }
    if (options.numRegressors !== undefined && options.numRegressors !== 0) {
      throw new ArgumentError(`R2Score: expected numRegressors 0 (the adjusted R2 score is not supported yet). Received: numRegressors=${JSON.stringify(options.numRegressors)}`);
    }
    this.classAggregation = a;
  }

  /** Accumulates a batch [N, outputs] (sampleWeight [N] or [N, outputs]). */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    assertLive(this.name, yTrue);
    assertLive(this.name, yPred);
    tidy(() => {
      const [t, p] = squeezeOrExpand(yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32'), yPred);
      if (t.rank !== 2 || p.rank !== 2 || t.shape[1] !== p.shape[1] || t.shape[0] !== p.shape[0]) {
        throw new ShapeError(`${this.name}: expected yTrue and yPred of the same shape [N, outputs]. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
      }
      if (!this.st) {
        const k = [t.shape[1]];
        this.st = { squaredSum: this.addState('squared_sum', k), sum: this.addState('sum', k), totalMse: this.addState('residual', k), count: this.addState('count', k) };
      } else if (this.st.sum.shape[0] !== t.shape[1]) {
        throw new ShapeError(`${this.name}: expected ${this.st.sum.shape[0]} outputs (the first batch's). Received: yTrue.shape=${fmtShape(yTrue.shape)}`);
      }
      let w: Tensor = ops.ones([1, 1]);
      if (sampleWeight !== undefined) {
        w = sampleWeight.dtype === 'float32' ? sampleWeight : ops.cast(sampleWeight, 'float32');
        if (w.rank === 1) w = ops.expandDims(w, 1);
      }
      w = ops.broadcastTo(w, t.shape);
      const wy = ops.mul(t, w);
      this.accumulate(this.st.sum, ops.sum(wy, 0));
      this.accumulate(this.st.squaredSum, ops.sum(ops.mul(t, wy), 0));
      this.accumulate(this.st.totalMse, ops.sum(ops.mul(ops.square(ops.sub(t, p)), w), 0));
      this.accumulate(this.st.count, ops.sum(w, 0));
    });
  }

  /** The R2 score (a scalar, or [outputs] with classAggregation null); 0 before any update. */
  result(): Tensor {
    if (!this.st) return ops.scalar(0);
    const s = this.st;
    return tidy(() => {
      const mean = ops.div(s.sum, s.count);
      const total = ops.sub(s.squaredSum, ops.mul(s.sum, mean));
      const raw0 = ops.sub(1, ops.div(s.totalMse, total));
      const raw = ops.where(ops.equal(ops.abs(raw0), Infinity), 0, raw0);
      if (this.classAggregation === 'uniform_average') return ops.mean(raw);
      if (this.classAggregation === 'variance_weighted_average') return ops.div(ops.sum(ops.mul(total, raw)), ops.sum(total));
      return raw;
    });
  }
}
