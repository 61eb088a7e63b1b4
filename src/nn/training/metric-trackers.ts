/**
 * The tracker interface that compile, fit, evaluate, the logs and the checkpoints share for every
 * compiled metric: a per-sample function's {@link MeanMetric} ('accuracy', 'mse', ...) or a Keras 3
 * stateful metric ({@link Metric}: 'auc', 'precision', 'recall', 'r2_score',
 * 'root_mean_squared_error' by name, their class names, or any instance such as F1Score({ average: 'macro' })).
 * Keras's rules (compile_utils.get_metric / metrics.get): a name resolves to a new instance of its
 * class, logged under the name as given; an instance is used as it is, logged under its `name`.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { Metric } from '../metric-base.ts';
import { R2Score, RootMeanSquaredError } from '../metric-classes.ts';
import { AUC, Precision, Recall } from '../metric-confusion.ts';

/** What fit, evaluate, the logs and the checkpoints need of a compiled metric's accumulator. */
export interface MetricTracker {
  /** Accumulates a batch. */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  /** The current value (a float32 tensor the caller disposes). */
  result(): Tensor;
  /** Zeroes the state. */
  reset(): void;
  /** The state variables, in creation order (saved and restored by checkpoints). */
  variables(): Variable[];
  /** Releases the state. */
  dispose(): void;
}

/** Keras 3's stateful metrics by name (snake_case and class name): a new instance each. */
export const STATEFUL_METRICS: Readonly<Record<string, () => Metric>> = {
  auc: () => new AUC(), AUC: () => new AUC(),
  precision: () => new Precision(), Precision: () => new Precision(),
  recall: () => new Recall(), Recall: () => new Recall(),
  r2_score: () => new R2Score(), R2Score: () => new R2Score(),
  root_mean_squared_error: () => new RootMeanSquaredError(), RootMeanSquaredError: () => new RootMeanSquaredError(),
};

const F1_MESSAGE = "Keras's default F1Score()/FBetaScore() (average=None) gives one value per class, and ditto's logs hold numbers: pass new dt.metrics.F1Score({ average: 'macro' }) (or 'micro', 'weighted')";

/** Names Keras users may try that need arguments: the message says what to pass instead. */
export const METRICS_NEEDING_ARGUMENTS: Readonly<Record<string, string>> = {
  mean_iou: 'MeanIoU needs numClasses: pass new dt.metrics.MeanIoU(numClasses)',
  MeanIoU: 'MeanIoU needs numClasses: pass new dt.metrics.MeanIoU(numClasses)',
  f1_score: F1_MESSAGE, F1Score: F1_MESSAGE, fbeta_score: F1_MESSAGE, FBetaScore: F1_MESSAGE,
};

/** Whether `v` is a stateful metric instance (a `dt.metrics.Metric`). */
export function isMetric(v: unknown): v is Metric {
  return v instanceof Metric;
}

/** The state values of a tracker, copied (for evaluate, which must leave fit's accumulators as they were). */
export function snapshotState(m: MetricTracker): Tensor[] {
  return m.variables().map((v) => ops.clone(v));
}

/** Puts back a snapshot (state created since is zeroed), and releases it. */
export function restoreState(m: MetricTracker, snap: Tensor[]): void {
  const vs = m.variables();
  if (snap.length !== vs.length) m.reset();
  tidy(() => snap.forEach((s, i) => vs[i].assign(s)));
  for (const s of snap) s.dispose();
}

/** Throws unless a metric's result is one number (ditto's logs hold numbers). */
export function checkScalarResult(id: string, t: Tensor): void {
  if (t.size !== 1) {
    throw new ArgumentError(`fit: expected metric '${id}' to give one number per epoch (logs hold numbers). Received: a result of shape [${t.shape.join(', ')}] (for F1Score/FBetaScore pass average: 'macro', 'micro' or 'weighted'; for Precision/Recall one threshold)`);
  }
}
