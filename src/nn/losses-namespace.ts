/**
 * Losses (`dt.losses`) with Keras 3 semantics: loss classes, the per-sample loss functions (Keras's
 * `keras.losses.<function>`, camelCase) and `get` for Keras names.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { CategoricalCrossentropy, EPSILON, MeanSquaredError, SparseCategoricalCrossentropy, getLoss as get, type Loss, sparseCategoricalCrossentropy } from './losses.ts';
export { KerasLoss, type LossConfig, type PerSample } from './loss-base.ts';
export { REDUCTIONS, type Reduction } from './loss-reduction.ts';
export {
  BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, Huber, KLDivergence, LogCosh,
  MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Poisson, SquaredHinge,
  type BinaryCrossentropyConfig, type BinaryFocalCrossentropyConfig, type CosineSimilarityConfig, type HuberConfig,
} from './loss-classes.ts';
export {
  binaryCrossentropy, binaryFocalCrossentropy, categoricalCrossentropy, categoricalHinge, cosineSimilarity, hinge, huber,
  klDivergence, logCosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError,
  poisson, squaredHinge, type CrossentropyOptions, type FocalOptions,
} from './loss-functions.ts';
