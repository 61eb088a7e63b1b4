/**
 * Whole-model Keras files, the file side of model.save / loadModel: a `.keras` archive (config.json +
 * model.weights.h5) or a legacy Keras 2 / tf.keras `.h5` full model (the `model_config` root
 * attribute + `model_weights`). The config side (config object <-> model) is passed in as functions,
 * so this module only moves bytes: saving writes the archive crash-safely; loading reads and checks
 * the file, builds the model from its config with the given function, then matches and checks every
 * weight before assigning any (a failure disposes the new model and names the file and the item).
 * Part of src/nn: imports src/core only.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ArgumentError, DataFormatError } from '../../core/internal.ts';
import { writeFileDurable } from '../durable-write.ts';
import type { Layer } from '../layer.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import { type H5Group, readHdf5, writeHdf5 } from './hdf5.ts';
import { readKerasArchive, writeKerasArchive } from './keras-archive.ts';
import { matchLegacyWeights } from './legacy-h5.ts';
import { assignAll } from './weight-values.ts';
import { kerasApply } from './weights-file.ts';
import { kerasWeightsTree } from './weights-h5.ts';

/** A model as these functions see it: a layer with Keras's `layers` that can be disposed. */
export type KerasFileModel = Layer<any, any> & { readonly layers: readonly Layer<any, any>[]; dispose(): void };

/** A Keras model file, read and checked. */
export interface KerasModelFile {
  /** 'keras': a Keras 3 `.keras` archive; 'legacy-h5': a Keras 2 / tf.keras HDF5 full model. */
  format: 'keras' | 'legacy-h5';
  /** The model config: config.json, or the legacy `model_config` attribute (`{class_name, config}`), parsed. */
  config: Record<string, unknown>;
  /** metadata.json of a `.keras` archive; for a legacy file its root attributes `keras_version` and `backend`. */
  metadata: Record<string, unknown>;
  /** The legacy `training_config` attribute, parsed (undefined for `.keras`, whose compile_config is in config). */
  trainingConfig?: Record<string, unknown>;
  /** The weights file, read. */
  weights: H5Group;
}

function jsonAttr(fn: string, path: string, root: H5Group, name: string): Record<string, unknown> | undefined {
  const v = root.attrs[name];
  if (v === undefined) return undefined;
  let parsed: unknown;
  try {
    if (typeof v !== 'string') throw new Error(`a ${Array.isArray(v) ? 'list' : typeof v}, not a JSON string`);
    parsed = JSON.parse(v);
  } catch (e) {
    throw new DataFormatError(`${fn}: ${path}: the '${name}' attribute is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DataFormatError(`${fn}: ${path}: expected the '${name}' attribute to hold a JSON object. Received: ${JSON.stringify(parsed)}`);
  return parsed as Record<string, unknown>;
}

/**
 * Reads a `.keras` archive or a legacy `.h5` full model (chosen by extension).
 * @throws {@link ditto-ml!ArgumentError | ArgumentError} for another extension; {@link ditto-ml!DataFormatError |
 * DataFormatError} naming the file and the entry: unreadable file, not a zip, no config.json, a config that is not
 * JSON, weights that are not readable HDF5, an `.h5` file without `model_config` (weights only).
 */
export async function readKerasModelFile(fn: string, path: string): Promise<KerasModelFile> {
  if (typeof path !== 'string') throw new ArgumentError(`${fn}: expected a file path string. Received: ${typeof path}`);
  const isKeras = /\.keras$/i.test(path);
  if (!isKeras && !/\.(h5|hdf5)$/i.test(path)) throw new ArgumentError(`${fn}: expected a path ending in '.keras' (Keras 3) or '.h5' (legacy Keras). Received: ${path}`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataFormatError(`${fn}: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    if (isKeras) {
      const a = await readKerasArchive(bytes, path);
      return { format: 'keras', config: a.config, metadata: a.metadata, weights: a.weights };
    }
    const root = await readHdf5(bytes, path);
    const config = jsonAttr(fn, path, root, 'model_config');
    if (!config) throw new DataFormatError(`${path}: expected a Keras full model with a 'model_config' attribute. Received: an HDF5 file without one (a weights-only file? load it with model.loadWeights)`);
    const metadata: Record<string, unknown> = {};
    for (const k of ['keras_version', 'backend']) if (typeof root.attrs[k] === 'string') metadata[k] = root.attrs[k];
    return { format: 'legacy-h5', config, metadata, trainingConfig: jsonAttr(fn, path, root, 'training_config'), weights: root };
  } catch (e) {
    if (e instanceof DataFormatError && !e.message.startsWith(`${fn}: `)) throw new DataFormatError(`${fn}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads a Keras model file, builds the model from its config with `fromConfig` and loads its weights (checked
 * first; on failure the new model is disposed), and from a `.keras` file the state of the optimizer
 * `optimizerOf(model)` gives (the compiled model's), when present in a layout ditto reads.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} as {@link readKerasModelFile}, and for weights that do
 * not match the model built from the config; what `fromConfig` throws for an unsupported config.
 */
export async function loadKerasModelFile<M extends KerasFileModel>(fn: string, path: string, fromConfig: (file: KerasModelFile) => M, optimizerOf?: (model: M) => Optimizer | undefined): Promise<M> {
  const file = await readKerasModelFile(fn, path);
  const model = fromConfig(file);
  try {
    if (file.format === 'keras') kerasApply(fn, model, file.weights, `${path}!model.weights.h5`, optimizerOf?.(model))();
    else assignAll(matchLegacyWeights(fn, model.layers, file.weights, path));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Writes `model` as a `.keras` archive: `config` (the model's Keras config object) as config.json, its weights (and
 * `optimizer`'s state, when its layout is one ditto writes) in Keras 3's layout as model.weights.h5, metadata.json;
 * crash-safe (temporary file, fsync, rename).
 * @throws {@link ditto-ml!ArgumentError | ArgumentError} for a path not ending in `.keras`, an unbuilt model, or a
 * path that cannot be written.
 */
export async function saveKerasModelFile(fn: string, model: KerasFileModel, path: string, config: Record<string, unknown> | (() => Record<string, unknown>), optimizer?: Optimizer): Promise<void> {
  if (typeof path !== 'string' || !path.endsWith('.keras')) {
    throw new ArgumentError(`${fn}: expected a path ending in '.keras' (Keras 3's model archive; weights alone go to '.weights.h5' with saveWeights). Received: ${String(path)}`);
  }
  if (!model.built) throw new ArgumentError(`${fn}: the model '${model.name}' is not built yet (call it or fit it first)`);
  const cfg = typeof config === 'function' ? config() : config; // before writing anything: an unsupported layer throws here
  const h5 = await writeHdf5(await kerasWeightsTree(model, optimizer), `${fn}: ${path}`);
  const bytes = writeKerasArchive(cfg, h5);
  try {
    writeFileDurable(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? `its folder ${dirname(resolve(path))} does not exist` : code === 'EISDIR' ? 'it is a folder' : `${code ?? (e as Error).message}`;
    throw new ArgumentError(`${fn}: expected a writable file path in an existing folder. Received: ${path} (${why})`);
  }
}
