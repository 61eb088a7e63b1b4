/**
 * `dt.models.loadModel`: a whole model from a Keras file, a `.keras` archive (Keras 3) or a legacy
 * `.h5` full model (Keras 2 / tf.keras): the architecture from its config (model-config.ts), compiled
 * from its compile_config (or legacy training_config) when it has one, then its weights and, from a
 * `.keras` file, the optimizer's state (keras-model-file.ts), everything checked before assigning.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import type { ModelBase } from '../model-base.ts';
import { compileFromKerasConfig } from './compile-config.ts';
import { loadKerasModelFile } from './keras-model-file.ts';
import { type ModelFromJSONOptions, modelFromKerasConfig } from './model-config.ts';

/** Options of {@link loadModel}. */
export interface LoadModelOptions extends ModelFromJSONOptions {
  /** Compile the model from the file's compile_config / training_config (default true), as Keras's `compile` argument. */
  compile?: boolean;
}

/**
 * Loads a whole model saved by Keras (`model.save('x.keras')`, or a tf.keras / Keras 2 `model.save('x.h5')`) or by
 * `model.save`: Keras's `keras.models.load_model`. The model is compiled from the file's compile configuration when
 * it has one (unless `compile: false`), and loads the optimizer's state of a `.keras` file when its layout is one ditto
 * reads (docs/saving.md).
 * @throws {@link ArgumentError} for a path not ending in `.keras` or `.h5`, a bad option, or a class, field or
 * compile setting ditto does not support (naming it and where it sits); {@link DataFormatError} for an unreadable or
 * malformed file or weights that do not match the architecture (naming the file and the item).
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<ModelBase<any, any>> {
  checkOptions('loadModel', options, ['compile', 'customObjects']);
  if (options.compile !== undefined && typeof options.compile !== 'boolean') throw new ArgumentError(`loadModel: expected compile to be a boolean. Received: ${JSON.stringify(options.compile)}`);
  return loadKerasModelFile('loadModel', path, (file) => {
    const model = modelFromKerasConfig(file.config, { customObjects: options.customObjects });
    const cc = file.format === 'keras' ? file.config.compile_config : file.trainingConfig;
    if (options.compile !== false && cc !== undefined && cc !== null) {
      try {
        model.compile(compileFromKerasConfig(cc));
      } catch (e) {
        model.dispose();
        throw e;
      }
    }
    return model;
  }, (m) => m.compiled?.optimizer);
}
