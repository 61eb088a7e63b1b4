/**
 * Metrics (`dt.metrics`): per-sample metric functions and the accumulating MeanMetric.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { MeanMetric, categoricalAccuracy, sparseCategoricalAccuracy } from './metrics.ts';
