/**
 * Keras's weight files for model.saveWeights / model.loadWeights, chosen by extension: `.weights.h5`
 * (Keras 3, written and read), other `.h5` / `.hdf5` (read: Keras 3 layout or legacy Keras 2 /
 * tf.keras, told apart by their groups), `.keras` (read: the archive's model.weights.h5).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DataFormatError } from '../../core/internal.ts';
import type { Layer } from '../layer.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import { type H5Group, readHdf5, writeHdf5 } from './hdf5.ts';
import { readKerasArchive } from './keras-archive.ts';
import { isLegacyKerasTree, matchLegacyWeights } from './legacy-h5.ts';
import { matchOptimizerState } from './optimizer-state.ts';
import { assignAll } from './weight-values.ts';
import { isKerasWeightsTree, kerasWeightsTree, matchKerasWeights } from './weights-h5.ts';

/** A model as these functions see it: a layer with Keras's `layers`. */
type Model = Layer<any, any> & { readonly layers: readonly Layer<any, any>[] };

/** Whether `path` names one of Keras's files (`.h5`, `.hdf5`, `.keras`) rather than safetensors. */
export function isKerasFilePath(path: string): boolean {
  return /\.(h5|hdf5|keras)$/i.test(path);
}

/**
 * The bytes of Keras 3's `.weights.h5` file of `model`.
 * @throws {@link ditto-ml!ArgumentError | ArgumentError} for a path that does not end in `.weights.h5` (Keras's rule).
 */
export async function kerasWeightsFileBytes(model: Model, path: string, optimizer?: Optimizer): Promise<Uint8Array> {
  if (!path.endsWith('.weights.h5')) {
    const hint = path.endsWith('.keras') ? ' (a whole model goes to .keras with model.save)' : '';
    throw new ArgumentError(`saveWeights: expected a path ending in '.weights.h5' for Keras's weights format, or another extension for safetensors${hint}. Received: ${path}`);
  }
  return writeHdf5(await kerasWeightsTree(model, optimizer), `saveWeights: ${path}`);
}

/**
 * Reads a Keras file's weights (bytes of `path`), matches them to `model` and checks them all; returns the function
 * that assigns them (with `optimizer`'s state from a Keras 3 file, when present in a layout ditto reads), so that
 * nothing is assigned unless everything checks out.
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming the file and the item for anything unreadable
 * or mismatched.
 */
export async function matchKerasFile(fn: string, model: Model, bytes: Uint8Array, path: string, matchBy?: 'structure' | 'name' | 'order', optimizer?: Optimizer): Promise<() => void> {
  // The readers name the file; the message also names the function.
  const prefixed = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw e instanceof DataFormatError ? new DataFormatError(`${fn}: ${e.message}`) : e;
    }
  };
  if (/\.keras$/i.test(path)) {
    const archive = await prefixed(readKerasArchive(bytes, path));
    return kerasApply(fn, model, archive.weights, `${path}!model.weights.h5`, optimizer);
  }
  const root = await prefixed(readHdf5(bytes, path));
  if (isLegacyKerasTree(root)) {
    const pending = matchLegacyWeights(fn, model.layers, root, path, matchBy === 'name');
    return () => assignAll(pending);
  }
  if (isKerasWeightsTree(root)) return kerasApply(fn, model, root, path, optimizer);
  throw new DataFormatError(`${fn}: ${path}: expected Keras weights (Keras 3 groups 'layers' and 'vars', or a legacy 'model_weights' group or 'layer_names' attribute). Received: an HDF5 file with [${[...root.children.keys()].join(', ')}]`);
}

/** Checks a Keras 3 weights tree (and the optimizer's group) against `model`; returns what assigns them. */
export function kerasApply(fn: string, model: Model, root: H5Group, source: string, optimizer?: Optimizer): () => void {
  const pending = matchKerasWeights(fn, model, root, source);
  const opt = matchOptimizerState(fn, optimizer, model.trainableWeights, root, source);
  return () => {
    assignAll(pending);
    opt?.();
  };
}
