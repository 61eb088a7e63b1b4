/**
 * Keras 3's per-sample metric functions besides the accuracies of metrics.ts (keras/src/metrics/
 * accuracy_metrics.py), the top-k helpers, and the metric names `compile` accepts for them.
 * Top-k ties (ditto has no top_k op; both helpers compare every pair of classes, O(C^2) per row):
 *  - inTopK (TensorFlow's / JAX's in_top_k): the target is in the top k iff fewer than k classes have a
 *    strictly greater prediction, so classes tied with the k-th largest all count as in the top k;
 *  - filterTopK (Keras's `_filter_top_k` through `ops.top_k`): exactly k classes are kept, ties broken in
 *    favour of the lower class index (top_k's order).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, fmtShape, ops, tidy } from '../core/internal.ts';
import * as lf from './loss-functions.ts';
import { squeezeOrExpand } from './loss-reduction.ts';
import type { MetricFn } from './metrics.ts';

/** Keras `binary_accuracy`: `mean(equal(yTrue, cast(yPred > threshold)), -1)`, [N] float32. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return tidy(() => {
    const [t0, p] = squeezeOrExpand(yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32'), yPred);
    const hit = ops.cast(ops.equal(t0, ops.cast(ops.greater(p, threshold), 'float32')), 'float32');
    return hit.rank === 0 ? hit : ops.mean(hit, -1);
  });
}

/** 1.0 where the target class is in the top k of `pred` [M, C] (TF in_top_k ties, see the header); targets [M] int32. */
export function inTopK(targets: Tensor, pred: Tensor, k: number): Tensor {
  return tidy(() => {
    const C = pred.shape[pred.rank - 1];
    const oh = ops.oneHot(targets, C, { dtype: 'int32' });
    const tv = ops.max(ops.where(oh, pred, -Infinity), -1, true);
    const above = ops.sum(ops.cast(ops.greater(pred, tv), 'int32'), -1);
    return ops.cast(ops.less(above, k), 'float32');
  });
}

/** Keras `top_k_categorical_accuracy` (k = 5): in_top_k(argmax(yTrue), yPred, k) per sample, [N] float32. */
export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  return tidy(() => {
    const labels = ops.argmax(yTrue, -1);
    return topK('top_k_categorical_accuracy', labels, yPred, k);
  });
}

/** Keras `sparse_top_k_categorical_accuracy` (k = 5): in_top_k(yTrue, yPred, k) per sample, [N] float32. */
export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  return tidy(() => {
    const t = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? ops.squeeze(yTrue, [yTrue.rank - 1]) : yTrue;
    return topK('sparse_top_k_categorical_accuracy', t.dtype === 'int32' ? t : ops.cast(t, 'int32'), yPred, k);
  });
}

function topK(fn: string, labels: Tensor, yPred: Tensor, k: number): Tensor {
  if (!Number.isSafeInteger(k) || k < 1) throw new ArgumentError(`${fn}: expected k a positive integer. Received: k=${k}`);
  const C = yPred.shape[yPred.rank - 1];
  if (labels.rank !== yPred.rank - 1 || labels.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${fn}: expected labels of shape ${fmtShape(yPred.shape.slice(0, -1))}. Received: ${fmtShape(labels.shape)}`);
  }
  const flat = ops.reshape(yPred, [labels.size, C]);
  return ops.reshape(inTopK(ops.reshape(labels, [labels.size]), flat, k), labels.shape);
}

/**
 * Keras `_filter_top_k(x, k)`: the k largest entries of each row kept, the others set to -1e10, as
 * `x * mask + -1e10 * (1 - mask)` (ties: the lower index first, see the header).
 */
export function filterTopK(x: Tensor, k: number): Tensor {
  return tidy(() => {
    const C = x.shape[x.rank - 1];
    const xi = ops.expandDims(x, -1); // [..., C, 1]: x_i
    const xj = ops.expandDims(x, -2); // [..., 1, C]: x_j
    const before: number[] = [];
    for (let i = 0; i < C; i++) for (let j = 0; j < C; j++) before.push(j < i ? 1 : 0);
    const tri = ops.tensor(before, [C, C], 'int32');
    const ahead = ops.add(ops.cast(ops.greater(xj, xi), 'int32'), ops.mul(ops.cast(ops.equal(xj, xi), 'int32'), tri));
    const rank = ops.sum(ahead, -1);
    const mask = ops.cast(ops.less(rank, k), 'float32');
    return ops.add(ops.mul(x, mask), ops.mul(ops.sub(1, mask), -1e10));
  });
}

/** The per-sample metric functions `compile({ metrics })` accepts besides the accuracies, by Keras name. */
export const EXTRA_METRIC_FUNCTIONS: Readonly<Record<string, MetricFn>> = {
  binary_accuracy: (t, p) => binaryAccuracy(t, p),
  top_k_categorical_accuracy: (t, p) => topKCategoricalAccuracy(t, p),
  sparse_top_k_categorical_accuracy: (t, p) => sparseTopKCategoricalAccuracy(t, p),
  mean_squared_error: lf.meanSquaredError,
  mean_absolute_error: lf.meanAbsoluteError,
  mean_absolute_percentage_error: lf.meanAbsolutePercentageError,
  mean_squared_logarithmic_error: lf.meanSquaredLogarithmicError,
  binary_crossentropy: (t, p) => lf.binaryCrossentropy(t, p),
  categorical_crossentropy: (t, p) => lf.categoricalCrossentropy(t, p),
  kl_divergence: lf.klDivergence,
  poisson: lf.poisson,
  log_cosh: lf.logCosh,
  hinge: lf.hinge,
  squared_hinge: lf.squaredHinge,
  categorical_hinge: lf.categoricalHinge,
};

/** Keras 3's short metric aliases (keras/src/metrics/__init__.py) and the canonical names they stand for. */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  mse: 'mean_squared_error', MSE: 'mean_squared_error',
  mae: 'mean_absolute_error', MAE: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error', MAPE: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error', MSLE: 'mean_squared_logarithmic_error',
  kld: 'kl_divergence', KLD: 'kl_divergence',
  logcosh: 'log_cosh',
};

/** The per-sample function of an extra metric name or alias, or undefined. */
export function extraMetric(id: string): MetricFn | undefined {
  const canon = Object.hasOwn(METRIC_ALIASES, id) ? METRIC_ALIASES[id] : id;
  return Object.hasOwn(EXTRA_METRIC_FUNCTIONS, canon) ? EXTRA_METRIC_FUNCTIONS[canon] : undefined;
}
