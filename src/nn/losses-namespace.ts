/**
 * Losses (`dt.losses`) with Keras 3 semantics: loss classes and `get` for Keras names.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { CategoricalCrossentropy, EPSILON, MeanSquaredError, SparseCategoricalCrossentropy, getLoss as get, type Loss } from './losses.ts';
