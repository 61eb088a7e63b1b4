/**
 * Keras config serialization (`src/nn/saving`): layers, models, optimizers and compile arguments to and from Keras
 * 3's config format (the `config.json` of `.keras` files, `model.toJSON()`), reading legacy Keras 2 configs too.
 * Importing it installs `ModelBase.toJSON`.
 * Part of src/nn: imports src/core only.
 */
import { setModelKerasConfig, setModelToJSON } from '../model-base.ts';
import { compileToKerasConfig } from './compile-config.ts';
import { modelToJSON, modelToKerasConfig } from './model-config.ts';

setModelToJSON(modelToJSON);
// model.save: config.json is the model's config plus, when compiled, Keras's compile_config.
setModelKerasConfig((m) => {
  const config: Record<string, unknown> = { ...modelToKerasConfig(m) };
  const cc = m.compileArgs ? compileToKerasConfig(m, m.compileArgs) : null;
  if (cc) config.compile_config = cc;
  return config;
});

export { type KerasObject, dtypePolicy, parseDType, serializeInitializer, parseInitializer, serializeRegularizer, parseRegularizer, serializeConstraint, parseConstraint } from './keras-objects.ts';
export {
  layerToKerasConfig, layerFromKerasConfig, registerKerasSerializable, registerLayerSpec, registeredSpecs, specOf,
  type FromConfigOptions, type RegisterOptions, type SerializableLayerClass,
} from './layer-registry.ts';
export type { FieldKind, FieldSpec, LayerSpec, LayerClass } from './layer-spec.ts';
export { BUILTIN_LAYER_SPECS } from './layer-table.ts';
export { modelFromJSON, modelFromKerasConfig, modelToJSON, modelToKerasConfig, type ModelFromJSONOptions } from './model-config.ts';
export { compileFromKerasConfig, compileToKerasConfig, optimizerFromKerasConfig, optimizerToKerasConfig } from './compile-config.ts';
export { loadModel, type LoadModelOptions } from './load-model.ts';
