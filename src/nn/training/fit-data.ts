/**
 * fit's and evaluate's data arguments as batch sources, with Keras 3's rules: `fit(x, y, options)` with arrays
 * (tensors, or lists or objects of tensors) or `fit(dataset, options)`; for arrays `batchSize` (default 32),
 * `shuffle` (default true; the seed drawn once per fit from the global seed, after every check has passed),
 * `sampleWeight` and `validationSplit` (Keras's train_validation_split: the first `floor(n * (1 - split))` samples
 * train, the rest validate, before shuffling; an error when either part would be empty; ignored when
 * validationData is given); `validationData` as arrays `[x, y]` / `[x, y, sampleWeight]` (batches of
 * `validationBatchSize`, default batchSize) or a Dataset; `classWeight` (class-weight.ts).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, Tensor, assertLive, makeDefaultSeed } from '../../core/internal.ts';
import { ArraySource } from './array-source.ts';
import { checkSource } from './batches.ts';
import { type ClassWeights, checkClassWeight } from './class-weight.ts';
import type { Compiled } from './compile.ts';
import type { BatchSource, FitOptions } from './options.ts';
import { type BatchPart, batchSizeOf, checkSameBatch, isBatchPart, leaves } from './outputs.ts';

/** fit's data as sources. */
export interface FitData {
  train: BatchSource;
  validation?: BatchSource;
  /** The classWeight table, if any. */
  classWeights?: ClassWeights;
  /** Whether the training data are arrays. */
  arrays: boolean;
  /** Arrays with shuffle: draws the shuffle seed (call once every check has passed: it advances the global seed). */
  drawSeed?: () => void;
}

/** "a tensor of shape [2, 3]", "an array", ... */
function describe(v: unknown): string {
  return v === undefined ? 'undefined' : v === null ? 'null' : v instanceof Tensor ? `a tensor of shape [${v.shape.join(', ')}]` : Array.isArray(v) ? 'an array' : typeof v;
}

/** A positive integer option, or its default. */
export function positiveInt(fn: string, key: string, v: unknown, dflt?: number): number | undefined {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw new ArgumentError(`${fn}: expected ${key} to be a positive integer. Received: ${key}=${JSON.stringify(v)}`);
  return v as number;
}

/** Checks array data x (and y, sampleWeight): live tensors with the same number of samples. */
export function checkArrays(fn: string, x: BatchPart, y: unknown, sw: unknown): void {
  if (y !== undefined && !isBatchPart(y)) throw new ArgumentError(`${fn}: expected y to be a tensor, or a list or object of tensors (labels for each output). Received: ${describe(y)}`);
  if (sw !== undefined && !isBatchPart(sw)) throw new ArgumentError(`${fn}: expected sampleWeight to be a tensor (or a list or object of tensors, one per output). Received: ${describe(sw)}`);
  for (const t of [...leaves(x), ...(y ? leaves(y as BatchPart) : []), ...(sw ? leaves(sw as BatchPart) : [])]) assertLive(fn, t);
  if (y !== undefined) checkSameBatch(fn, x, y as BatchPart);
  if (sw !== undefined) checkSameBatch(fn, x, sw as BatchPart);
  if (batchSizeOf(x) === 0) throw new ArgumentError(`${fn}: expected at least one sample. Received: x with 0 samples`);
}

/** The checked classWeight table (one output, no sample weights). */
function classWeightsOf(c: Compiled, o: FitOptions): ClassWeights | undefined {
  if (o.classWeight === undefined) return undefined;
  const t = checkClassWeight('fit', o.classWeight);
  if (c.outputs) throw new ArgumentError(`fit: classWeight is only supported for models with a single output (as Keras). Received: a model with ${c.outputs.length} outputs; pass sampleWeight per output instead`);
  if (o.sampleWeight !== undefined) throw new ArgumentError('fit: expected classWeight or sampleWeight, not both (as Keras). Received: both');
  return t;
}

/** validationData as a source. */
function validationSource(o: FitOptions, batchSize: number): BatchSource {
  const v = o.validationData as unknown;
  if (Array.isArray(v)) {
    if ((v.length !== 2 && v.length !== 3) || !isBatchPart(v[0])) {
      throw new ArgumentError(`fit: expected validationData to be a Dataset or arrays [x, y] or [x, y, sampleWeight]. Received: an array of ${v.length}`);
    }
    if (v[1] === undefined) throw new ArgumentError('fit: expected validationData [x, y] with labels. Received: no y');
    checkArrays('fit: validationData', v[0], v[1], v[2]);
    return new ArraySource([v[0], v[1], v[2]], positiveInt('fit', 'validationBatchSize', o.validationBatchSize, batchSize)!, null);
  }
  checkSource('fit: validationData', v);
  if (o.validationBatchSize !== undefined) throw new ArgumentError('fit: validationBatchSize applies to array validationData; a Dataset keeps its own batches. Received: validationBatchSize with a Dataset');
  return v;
}

/** Resolves fit's (x, y, options) into sources (see the header). */
export function resolveFitData(c: Compiled, x: unknown, y: unknown, o: FitOptions): FitData {
  const classWeights = classWeightsOf(c, o);
  if (isBatchPart(x)) {
    if (y === undefined) throw new ArgumentError('fit: expected labels y with array x: fit(x, y, options). Received: no y');
    checkArrays('fit', x, y, o.sampleWeight);
    const batchSize = positiveInt('fit', 'batchSize', o.batchSize, 32)!;
    if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') throw new ArgumentError(`fit: expected shuffle to be true or false. Received: shuffle=${JSON.stringify(o.shuffle)}`);
    const n = batchSizeOf(x);
    let end = n;
    const split = o.validationSplit;
    if (split !== undefined && (typeof split !== 'number' || !(split >= 0 && split < 1))) throw new ArgumentError(`fit: expected validationSplit to be a number in [0, 1). Received: validationSplit=${JSON.stringify(split)}`);
    let validation: BatchSource | undefined;
    if (o.validationData !== undefined) validation = validationSource(o, batchSize);
    else if (split) {
      // Keras's train_validation_split: split_at = int(floor(n * (1 - split))), in float64 as Python.
      end = Math.floor(n * (1 - split));
      if (end === 0 || end === n) {
        throw new ArgumentError(`fit: training data contains ${n} samples, which is not sufficient to split it into a validation and training set as specified by validationSplit=${split}. Either provide more data, or a different validationSplit`);
      }
      validation = new ArraySource([x, y as BatchPart, o.sampleWeight], positiveInt('fit', 'validationBatchSize', o.validationBatchSize, batchSize)!, null, end, n);
    }
    const parts = [x, y as BatchPart, o.sampleWeight];
    const data: FitData = { train: new ArraySource(parts, batchSize, null, 0, end), validation, classWeights, arrays: true };
    if (o.shuffle ?? true) data.drawSeed = () => { data.train = new ArraySource(parts, batchSize, makeDefaultSeed(), 0, end); };
    return data;
  }
  if (y !== undefined) {
    throw new ArgumentError(`fit: expected fit(x, y, options) with array x, or fit(dataset, options). Received: x ${describe(x)} and a second argument ${describe(y)}`);
  }
  checkSource('fit', x);
  for (const [k, why] of [['batchSize', 'a Dataset keeps its own batches (dataset.batch(n))'], ['validationSplit', 'validationSplit is only supported for arrays (as Keras); pass validationData'], ['sampleWeight', 'give a Dataset\'s sample weights in its elements: [x, y, sampleWeight]']] as const) {
    if (o[k] !== undefined) throw new ArgumentError(`fit: ${k} applies to array data: ${why}. Received: ${k} with a Dataset`);
  }
  if (o.shuffle) throw new ArgumentError('fit: shuffle applies to array data: shuffle the Dataset instead (dataset.shuffle(n)). Received: shuffle=true with a Dataset');
  return { train: x, validation: o.validationData !== undefined ? validationSource(o, 32) : undefined, classWeights, arrays: false };
}

/**
 * The (y, options) of `fit(x, y, options)` / `fit(dataset, options)` (and evaluate's): with array x the second
 * argument is y; otherwise it is the options (and a third argument is an error).
 */
export function splitArguments(fn: string, x: unknown, second: unknown, third: unknown): [unknown, object] {
  if (isBatchPart(x)) return [second, (third ?? {}) as object];
  if (isBatchPart(second) || third !== undefined) {
    throw new ArgumentError(`${fn}: expected ${fn}(x, y, options) with array x (tensors), or ${fn}(dataset, options). Received: x ${describe(x)} with labels or a third argument`);
  }
  return [undefined, (second ?? {}) as object];
}
