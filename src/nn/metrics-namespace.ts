/**
 * `dt.metrics`: per-sample metric functions and the accumulating MeanMetric.
 * Part of src/nn: imports src/core only.
 */
export { MeanMetric, categoricalAccuracy, sparseCategoricalAccuracy } from './metrics.ts';
