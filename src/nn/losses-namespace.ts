/**
 * `dt.losses`: loss classes and Keras-name lookup.
 * Part of src/nn: imports src/core only.
 */
export { CategoricalCrossentropy, EPSILON, MeanSquaredError, SparseCategoricalCrossentropy, getLoss as get, type Loss } from './losses.ts';
