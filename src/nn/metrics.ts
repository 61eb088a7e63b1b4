/**
 * Metrics with Keras 3 semantics: a metric function gives per-sample values, and a `MeanMetric`
 * accumulates them on the device as float32 `total += sum(values)`, `count += n` (the loss tracker
 * adds `loss * batchSize` and `batchSize`), so epoch results are batch-size-weighted means, as in
 * Keras. 'accuracy' resolves from the shapes like Keras's compile utilities.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, ops, tidy, withScope } from '../core/internal.ts';
import { EXTRA_METRIC_FUNCTIONS, METRIC_ALIASES, extraMetric } from './metric-functions.ts';

/**
 * A per-sample metric: (labels, predictions) -> float32 values [N].
 * @inline
 */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Keras `sparse_categorical_accuracy`: 1.0 where argmax(yPred) equals the integer label, else 0.0, per sample: [N] float32. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const labels = yTrue.rank === yPred.rank ? ops.squeeze(yTrue, [yTrue.rank - 1]) : yTrue;
    const pred = ops.argmax(yPred, -1);
    const t = labels.dtype === 'int32' ? labels : ops.cast(labels, 'int32');
    return ops.cast(ops.equal(t, pred), 'float32');
  });
}

/** Keras `categorical_accuracy`: 1.0 where argmax(yPred) equals argmax(yTrue), else 0.0, per sample: [N] float32. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => ops.cast(ops.equal(ops.argmax(yTrue, -1), ops.argmax(yPred, -1)), 'float32'));
}

/**
 * A weighted mean accumulated in two float32 device scalars (`total += sum(values)`, `count += n`), Keras's `Mean`
 * metric: what `fit` uses for the loss and every metric, so epoch results are batch-size-weighted means. Nothing is
 * read back from the device until {@link MeanMetric.result | result()}'s tensor is read.
 */
export class MeanMetric {
  private total: Variable;
  private count: Variable;

  constructor(
    /** The metric's name (the key in logs); its variables are `<name>/total` and `<name>/count`. */
    readonly name: string,
    /** The per-sample metric function that {@link MeanMetric.update | update} applies, if any. */
    readonly fn?: MetricFn,
  ) {
    // ops.variable copies its initial value: the zero must be disposed here (it leaked before).
    const zero = ops.scalar(0);
    this.total = ops.variable(zero, { name: `${name}/total`, trainable: false });
    this.count = ops.variable(zero, { name: `${name}/count`, trainable: false });
    zero.dispose();
  }

  /** Adds per-sample `values` (each with weight 1), or a scalar `values` with weight `weight`. */
  updateValues(values: Tensor, weight?: number): void {
    tidy(() => {
      if (weight === undefined) {
        this.total.assign(ops.add(this.total, ops.sum(values)));
        this.count.assign(ops.add(this.count, values.size));
      } else {
        this.total.assign(ops.add(this.total, ops.mul(values, weight)));
        this.count.assign(ops.add(this.count, weight));
      }
    });
  }

  /** Applies the metric function to a batch and accumulates its values. */
  update(yTrue: Tensor, yPred: Tensor): void {
    if (!this.fn) throw new ArgumentError(`${this.name}: this metric has no function; use updateValues`);
    withScope(this.name, () => tidy(() => this.updateValues(this.fn!(yTrue, yPred))));
  }

  /** total / count (0 when empty), a float32 scalar tensor. */
  result(): Tensor {
    return tidy(() => ops.where(ops.greater(this.count, 0), ops.div(this.total, ops.maximum(this.count, 1)), 0));
  }

  /** Sets total and count back to 0 (fit does it at the start of every epoch). */
  reset(): void {
    tidy(() => {
      this.total.assign(ops.scalar(0));
      this.count.assign(ops.scalar(0));
    });
  }

  /** The accumulators, for checkpoints. */
  variables(): Variable[] {
    return [this.total, this.count];
  }

  /** Releases the two variables. */
  dispose(): void {
    this.total.dispose();
    this.count.dispose();
  }
}

/**
 * Resolves a metric name as Keras does: 'accuracy'/'acc' becomes sparse categorical accuracy when
 * the labels have one rank less than the predictions (or a trailing 1), else categorical.
 */
export function resolveMetric(id: string, yTrueShape: readonly number[], yPredShape: readonly number[]): MetricFn {
  const sparse = yTrueShape.length < yPredShape.length || (yTrueShape[yTrueShape.length - 1] === 1 && yPredShape[yPredShape.length - 1] > 1);
  switch (id) {
    case 'accuracy':
    case 'acc':
      return sparse ? sparseCategoricalAccuracy : categoricalAccuracy;
    case 'sparse_categorical_accuracy':
      return sparseCategoricalAccuracy;
    case 'categorical_accuracy':
      return categoricalAccuracy;
    default: {
      const f = extraMetric(id);
      if (!f) throw new ArgumentError(`compile: unknown metric '${id}'. Expected one of: ${METRIC_NAMES.join(', ')}`);
      return f;
    }
  }
}

export const METRIC_NAMES = ['accuracy', 'acc', 'sparse_categorical_accuracy', 'categorical_accuracy', ...Object.keys(EXTRA_METRIC_FUNCTIONS), ...Object.keys(METRIC_ALIASES)];
