/**
 * The `dt.models` namespace (Keras's `keras.models`): `modelFromJSON` rebuilds a model from its Keras JSON config.
 * Part of src/nn: imports src/core only.
 */
export { loadModel, type LoadModelOptions, modelFromJSON, type ModelFromJSONOptions } from './saving/index.ts';
