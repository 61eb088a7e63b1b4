/**
 * Metrics (`dt.metrics`): per-sample metric functions, the accumulating MeanMetric, and Keras 3's stateful metric
 * classes (update / result / reset).
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { MeanMetric, categoricalAccuracy, sparseCategoricalAccuracy } from './metrics.ts';
export { Mean, MeanMetricWrapper, Metric, type MetricConfig, Sum } from './metric-base.ts';
export { binaryAccuracy, inTopK, sparseTopKCategoricalAccuracy, topKCategoricalAccuracy } from './metric-functions.ts';
export {
  BinaryAccuracy, CategoricalAccuracy, MeanAbsoluteError, MeanSquaredError, R2Score, RootMeanSquaredError, SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
} from './metric-classes.ts';
export { AUC, type AUCConfig, Precision, type PrecisionRecallConfig, Recall } from './metric-confusion.ts';
export { F1Score, FBetaScore, type FBetaScoreConfig, MeanIoU, type MeanIoUConfig } from './metric-fscore.ts';
