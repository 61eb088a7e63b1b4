/**
 * The machinery Sequential and Functional models share (Keras: both extend Model): a model is a
 * layer (it can be called inside another model), whose weights are its layers' (deduplicated, in
 * layer order), with get/setWeights, weightsDigest, safetensors save/load, and the training API
 * (compile/fit/evaluate/predict, implemented in training/). Subclasses give the layers, the
 * forward pass, building and the summary.
 * Part of src/nn: imports src/core only.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ArgumentError, DataFormatError, ShapeError, type Tensor, type Variable, assertLive, checkOptions, fmtShape, ops, tidy,
} from '../core/internal.ts';
import type { CallbackModel } from './callbacks.ts';
import { digestTensors } from './digest.ts';
import { writeFileDurable } from './durable-write.ts';
import type { History } from './history.ts';
import { Layer, type ShapeOf } from './layer.ts';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from './safetensors.ts';
import { isKerasFilePath, kerasWeightsFileBytes, matchKerasFile } from './saving/weights-file.ts';
import { saveKerasModelFile } from './saving/keras-model-file.ts';
import { structureOf } from './saving/structure-keys.ts';
import {
  type ArrayData, type BatchSource, type CompileOptions, type Compiled, type EvaluateOptions, type FitOptions, type PredictOptions,
  type TestOnBatchOptions, type TrainOnBatchOptions, type TrainableModel, compileModel, evaluateModel, fitModel, predictModel,
  predictOnBatch, releaseTrackers, splitArguments, testOnBatch, trainOnBatch,
} from './training/index.ts';
import type { Logs } from './callbacks.ts';
import { weightPenalties } from './layer-losses.ts';
import type { Structure } from './symbolic.ts';

/**
 * A JSON list in safetensors `__metadata__[entry]` (`order`: the file's tensor names; `structure`: their structure
 * keys), each element checked by `ok`; without `order`, the file's tensor names.
 */
function metadataList(metadata: Record<string, string>, entry: 'order' | 'structure', tensors: Record<string, NamedArray>, path: string, ok: (x: unknown) => boolean): string[] {
  let list: unknown;
  try {
    list = metadata[entry] !== undefined ? JSON.parse(metadata[entry]) : entry === 'order' ? Object.keys(tensors) : undefined;
  } catch {
    list = undefined;
  }
  // A damaged entry is a format error, not a TypeError/SyntaxError later on.
  if (!Array.isArray(list) || !list.every(ok)) {
    const what = entry === 'order' ? "the file's tensor names" : 'structure keys';
    throw new DataFormatError(`loadWeights: ${path}: expected __metadata__.${entry} to be a JSON list of ${what}. Received: ${metadata[entry]}`);
  }
  return list as string[];
}

/** The variables of `vs` without repeats, first occurrence kept (a shared layer's weights count once). */
function unique(vs: Variable[]): Variable[] {
  return [...new Set(vs)];
}

/** The writer of a model's Keras config object for `.keras` files (with compile_config), installed by src/nn/saving. */
let kerasConfigImpl: ((model: ModelBase<any, any>) => Record<string, unknown>) | undefined;

/** @internal Installs the Keras config writer of {@link ModelBase.save} (called by src/nn/saving/index.ts). */
export function setModelKerasConfig(fn: (model: ModelBase<any, any>) => Record<string, unknown>): void {
  kerasConfigImpl = fn;
}

/** The writer of a model's Keras JSON, installed by src/nn/saving (which imports the model classes). */
let toJsonImpl: ((model: ModelBase<any, any>) => string) | undefined;

/** @internal Installs the implementation of {@link ModelBase.toJSON} (called by src/nn/saving/index.ts). */
export function setModelToJSON(fn: (model: ModelBase<any, any>) => string): void {
  toJsonImpl = fn;
}

/**
 * The base of {@link Sequential} and {@link Functional} (Keras's `Model`): a model is a {@link Layer} whose weights
 * are its layers', with weight access, safetensors save/load and Keras's training API. Not constructed directly.
 */
export abstract class ModelBase<In = Tensor, Out = Tensor> extends Layer<In, Out> implements CallbackModel {
  /** Set by callbacks (EarlyStopping, TerminateOnNaN) to end fit after the current batch. */
  stopTraining = false;
  /** @internal compile() state */
  compiled?: Compiled;
  protected override readonly inputKind: 'tensor' | 'list' | 'any' = 'any';

  /** The layers (Keras order), nested models included as one layer each. */
  abstract readonly layers: readonly Layer<any, any>[];

  /** Whether the model's weights exist. */
  abstract override get built(): boolean;

  /** Whether the model's weights are trained; setting it sets every layer's `trainable` (nested models too), as Keras does. */
  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    // `layers` is a field of the subclass: unset while Layer's constructor runs.
    for (const l of (this.layers as readonly Layer<any, any>[] | undefined) ?? []) l.trainable = value;
  }

  /**
   * Builds the model for an input shape, batch dimension included (null or a number), like Keras `model.build`.
   * @throws {@link ShapeError} when a layer does not accept its input shape.
   */
  abstract override build(inputShape: ShapeOf<In>): void;

  /**
   * The Keras summary table, printed with `print` (default: written to process.stdout) and returned.
   */
  abstract summary(print?: (s: string) => void): string;

  /** @internal Trainable, non-trainable and (once built) optimizer parameter counts, for the summary's totals. */
  protected summaryTotals(): { trainable: number; nonTrainable: number; optimizer?: number } {
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const nonTrainable = this.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
    const opt = this.compiled?.optimizer;
    return { trainable, nonTrainable, optimizer: opt && opt.iterations > 0 ? opt.countParams() : undefined };
  }

  /** @internal The model as the training functions see it (a single-input, single-output model; see {@link Functional}). */
  protected asTrainable(): TrainableModel {
    return this as unknown as TrainableModel;
  }

  /**
   * @internal The layers Keras's saving walks as the model's container `layers` (structure keys, see
   * saving/structure-keys.ts): Keras's `model.layers`.
   */
  saveableLayers(): readonly Layer<any, any>[] {
    return this.layers;
  }

  /** All weights, layer by layer (each layer's trainable weights first), as Keras orders them. Names are `<layer>/<weight>`. */
  override get weights(): Variable[] {
    return unique(this.layers.flatMap((l) => l.weights));
  }

  /** The weights the optimizer updates, layer by layer. */
  override get trainableWeights(): Variable[] {
    return unique(this.layers.flatMap((l) => l.trainableWeights));
  }

  /** The weights the optimizer does not update, layer by layer. */
  override get nonTrainableWeights(): Variable[] {
    return unique(this.layers.flatMap((l) => l.nonTrainableWeights));
  }

  /** The number of scalars in all weights (Keras `count_params()`). */
  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weights, in {@link ModelBase.weights | weights} order (the caller disposes them). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => ops.clone(w));
  }

  /**
   * Sets every weight from tensors in {@link ModelBase.weights | weights} order (copied; other dtypes are cast).
   * Checks everything first, so a bad list leaves the model unchanged.
   * @throws {@link ArgumentError} for the wrong number of tensors; {@link ShapeError} for a shape that differs.
   */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new ArgumentError(`setWeights: expected ${ws.length} tensors. Received: ${values.length}`);
    // Check every shape before assigning any, so that a bad list leaves the model unchanged (Keras does too).
    ws.forEach((w, i) => {
      assertLive('setWeights', values[i]);
      if (values[i].rank !== w.rank || values[i].shape.some((d, k) => d !== w.shape[k])) {
        throw new ShapeError(`setWeights: expected tensor ${i} ('${w.name}') of shape ${fmtShape(w.shape)}. Received: ${fmtShape(values[i].shape)}`);
      }
    });
    ws.forEach((w, i) => tidy(() => w.assign(values[i].dtype === w.dtype ? ops.clone(values[i]) : ops.cast(values[i], w.dtype))));
  }

  /** Weight values as host arrays, in `weights` order (used by callbacks such as EarlyStopping). */
  async getWeightValues(): Promise<Float32Array[]> {
    return Promise.all(this.weights.map(async (w) => (await w.data()) as Float32Array));
  }

  /** Sets every weight from host arrays in `weights` order (the inverse of {@link ModelBase.getWeightValues | getWeightValues}). */
  setWeightValues(values: readonly Float32Array[]): void {
    this.weights.forEach((w, i) => tidy(() => w.assign(ops.tensor(values[i], w.shape))));
  }

  /** SHA-256 (hex) of every weight's dtype, shape and bytes in `weights` order: equal digests mean equal bits. Same as `dt.utils.weightsDigest(model)`. */
  weightsDigest(): Promise<string> {
    return digestTensors(this.weights);
  }

  /**
   * Writes the weights. A path ending in `.weights.h5` gives Keras 3's weights file (HDF5 keyed by model structure,
   * `layers/dense/vars/0`, which Keras's `model.load_weights` reads); any other path a canonical safetensors file
   * (float32 tensors named `<layer>/<weight>`, sorted, with the weight order and each weight's structure key in
   * `__metadata__`): identical weights give byte-identical files. The write is crash-safe: a temporary file in the
   * same directory, fsync, rename, fsync of the directory.
   * @throws {@link ArgumentError} when the model is not built yet, for a `.keras` or other `.h5` path (use
   * `.weights.h5`), or a path that cannot be written.
   */
  async saveWeights(path: string): Promise<void> {
    if (typeof path !== 'string') throw new ArgumentError(`saveWeights: expected a file path string. Received: ${typeof path}`);
    if (!this.built) throw new ArgumentError(`saveWeights: the model '${this.name}' is not built yet (call it or fit it first)`);
    let bytes: Uint8Array;
    if (isKerasFilePath(path)) {
      bytes = await kerasWeightsFileBytes(this, path, this.compiled?.optimizer);
    } else {
      const names = this.weights.map((w) => w.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice !== undefined) throw new ArgumentError(`saveWeights: expected unique weight names in the model '${this.name}'. Received: '${twice}' twice (give the layers distinct names)`);
      const tensors: Record<string, NamedArray> = {};
      for (const w of this.weights) tensors[w.name] = { dtype: 'F32', shape: [...w.shape], data: (await w.data()) as Float32Array };
      const keyOf = new Map(structureOf(this).entries.map((e) => [e.variable, e.key]));
      bytes = encodeSafetensors(tensors, {
        format: 'ditto',
        order: JSON.stringify(this.weights.map((w) => w.name)),
        structure: JSON.stringify(this.weights.map((w) => keyOf.get(w))),
      });
    }
    try {
      writeFileDurable(path, bytes);
    } catch (e) {
      // The error would name the temporary sibling file; name the user's path instead.
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? `its folder ${dirname(resolve(path))} does not exist` : code === 'EISDIR' ? 'it is a folder' : `${code ?? (e as Error).message}`;
      throw new ArgumentError(`saveWeights: expected a writable file path in an existing folder. Received: ${path} (${why})`);
    }
  }

  /**
   * Loads weights, chosen by the file's extension. `.weights.h5`, `.h5` and `.keras`: Keras's files (Keras 3
   * weights matched by model structure as Keras does; legacy Keras 2 / tf.keras `.h5` files, full models or
   * weights only, matched by the order of the layers with weights, or by layer name with `matchBy: 'name'`). Any
   * other path: a safetensors file written by {@link ModelBase.saveWeights | saveWeights}, matched by model structure
   * (`layers/conv2d/vars/0`: a fresh build of the same architecture loads it whatever its layers' auto-names), or
   * with `matchBy: 'name'` by weight name (files without structure keys, written before them, are matched by name),
   * or with `matchBy: 'order'` by position. Shapes must match; nothing is assigned unless every weight matches.
   * @throws {@link ArgumentError} when the model is not built yet or for a bad option; {@link DataFormatError} for
   * an unreadable or malformed file, missing or extra weights, or a shape or dtype that differs (naming the file and
   * the item).
   */
  async loadWeights(path: string, options: { matchBy?: 'structure' | 'name' | 'order' } = {}): Promise<void> {
    if (typeof path !== 'string') throw new ArgumentError(`loadWeights: expected a file path string. Received: ${typeof path}`);
    checkOptions('loadWeights', options, ['matchBy']);
    if (options.matchBy !== undefined && options.matchBy !== 'structure' && options.matchBy !== 'name' && options.matchBy !== 'order') {
      throw new ArgumentError(`loadWeights: expected matchBy to be 'structure', 'name' or 'order'. Received: matchBy=${JSON.stringify(options.matchBy)}`);
    }
    if (!this.built) throw new ArgumentError(`loadWeights: the model '${this.name}' is not built yet (give the first layer an inputShape, or call the model once)`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new DataFormatError(`loadWeights: cannot read ${path}: ${(e as Error).message}`);
    }
    if (isKerasFilePath(path)) {
      (await matchKerasFile('loadWeights', this, bytes, path, options.matchBy, this.compiled?.optimizer))();
      return;
    }
    const { tensors, metadata } = decodeSafetensors(bytes, path);
    const ws = this.weights;
    const matchBy = options.matchBy ?? (metadata.structure !== undefined ? 'structure' : 'name');
    let sources: NamedArray[];
    if (matchBy === 'name') {
      const missing = ws.filter((w) => !tensors[w.name]).map((w) => w.name);
      const extra = Object.keys(tensors).filter((k) => !ws.some((w) => w.name === k));
      if (missing.length || extra.length) {
        throw new DataFormatError(`loadWeights: ${path}: weight names do not match the model '${this.name}'. Missing in file: [${missing.join(', ')}]; not in model: [${extra.join(', ')}] (use { matchBy: 'order' } to match by position)`);
      }
      sources = ws.map((w) => tensors[w.name]);
    } else {
      const order = metadataList(metadata, 'order', tensors, path, (n) => typeof n === 'string' && !!tensors[n]);
      if (matchBy === 'order') {
        if (order.length !== ws.length) throw new DataFormatError(`loadWeights: ${path}: expected ${ws.length} weights. Received: ${order.length}`);
        sources = order.map((n) => tensors[n]);
      } else {
        const keys = metadataList(metadata, 'structure', tensors, path, (k) => typeof k === 'string');
        if (keys.length !== order.length || new Set(keys).size !== keys.length) {
          throw new DataFormatError(`loadWeights: ${path}: expected __metadata__.structure to list one distinct key per entry of __metadata__.order. Received: ${metadata.structure}`);
        }
        const byKey = new Map(keys.map((k, i) => [k, tensors[order[i]]]));
        const keyOf = new Map(structureOf(this).entries.map((e) => [e.variable, e.key]));
        const wanted = ws.map((w) => keyOf.get(w) as string);
        const missing = wanted.filter((k) => !byKey.has(k));
        const extra = keys.filter((k) => !wanted.includes(k));
        if (missing.length || extra.length) {
          throw new DataFormatError(`loadWeights: ${path}: the file's structure keys do not match the model '${this.name}' (another architecture?). Missing in file: [${missing.join(', ')}]; not in model: [${extra.join(', ')}]`);
        }
        sources = wanted.map((k) => byKey.get(k) as NamedArray);
      }
    }
    ws.forEach((w, i) => {
      const s = sources[i];
      if (s.dtype !== 'F32' || s.shape.length !== w.shape.length || s.shape.some((d, k) => d !== w.shape[k])) {
        throw new DataFormatError(`loadWeights: ${path}: expected '${w.name}' of shape ${fmtShape(w.shape)} float32. Received: ${s.dtype}${fmtShape(s.shape)}`);
      }
    });
    ws.forEach((w, i) => tidy(() => w.assign(ops.tensor(sources[i].data as Float32Array, w.shape))));
  }

  /**
   * Configures training, Keras `model.compile`: the optimizer, the loss and the metrics. Compiling again replaces
   * the configuration (an optimizer created from a name is released).
   * @throws {@link ArgumentError} for a missing optimizer or loss, or an unknown name.
   */
  compile(options: CompileOptions): void {
    this.compiled = compileModel(this, options);
    this.compileArgs = options;
  }

  /** @internal The options compile was last given (Keras keeps them as the model's compile_config). */
  compileArgs?: CompileOptions;

  /**
   * Trains the model (Keras `model.fit`): on arrays, `fit(x, y, options)` (x and y tensors, or lists or objects of
   * tensors for several inputs or outputs; batches of `batchSize`, shuffled every epoch unless `shuffle: false`,
   * `validationSplit`, `sampleWeight`), or on a Dataset, `fit(dataset, options)`. One optimizer step per batch,
   * validation at the end of every `validationFreq`-th epoch, a Keras-style progress bar, callbacks; resolves to the
   * {@link History}, whose values are exactly those printed. With `checkpoint` it saves crash-safe checkpoints;
   * with `resumeFrom` it continues an interrupted run and ends with the bits of the uninterrupted one.
   * @throws {@link ArgumentError} when the model is not compiled, for bad options or data without labels;
   * {@link NumericError} when the loss becomes NaN or infinite (unless a {@link TerminateOnNaN} callback stops
   * training); {@link DataFormatError} when a checkpoint to resume from is invalid or does not match the run.
   */
  async fit(x: ArrayData, y: ArrayData, options?: FitOptions): Promise<History>;
  async fit(data: BatchSource, options?: FitOptions): Promise<History>;
  async fit(x: ArrayData | BatchSource, y?: ArrayData | FitOptions, options?: FitOptions): Promise<History> {
    const [labels, o] = splitArguments('fit', x, y, options);
    return fitModel(this.asTrainable(), x, labels, o as FitOptions);
  }

  /**
   * Loss and metrics in inference mode (Keras `model.evaluate`), on arrays `evaluate(x, y, options)` (batches of
   * `batchSize`) or a Dataset `evaluate(dataset, options)`: `[loss, ...metrics]` in compile order, or with
   * `returnDict` the logs object. The values are batch-size-weighted means; the loss includes the layers'
   * regularization penalties, as Keras's test step.
   * @throws {@link ArgumentError} when the model is not compiled or the data has no batches.
   */
  async evaluate(x: ArrayData, y: ArrayData, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  async evaluate(x: ArrayData, y: ArrayData, options?: EvaluateOptions): Promise<number[]>;
  async evaluate(data: BatchSource, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  async evaluate(data: BatchSource, options?: EvaluateOptions): Promise<number[]>;
  async evaluate(x: ArrayData | BatchSource, y?: ArrayData | EvaluateOptions, options?: EvaluateOptions): Promise<number[] | Logs> {
    const [labels, o] = splitArguments('evaluate', x, y, options);
    return evaluateModel(this.asTrainable(), x, labels, o as EvaluateOptions);
  }

  /**
   * Predictions, in inference mode (Keras `model.predict`): for a tensor, computed in batches of `batchSize`
   * (default 32); for a dataset, for every batch (its `x`), concatenated along axis 0. The caller owns the result.
   * @throws {@link ArgumentError} for a bad batch size or no input samples.
   */
  async predict(x: Tensor | BatchSource, options: PredictOptions = {}): Promise<Tensor> {
    // One output (a Sequential, or a functional model whose output is one tensor): a tensor.
    return (await predictModel(this.asTrainable(), x, options)) as Tensor;
  }

  /**
   * The architecture as Keras 3 JSON text (Keras's `model.to_json()`): `{ module, class_name, config,
   * registered_name, build_config }`, readable by `dt.models.modelFromJSON` and by Keras's `model_from_json`.
   * Weights are not included.
   * @throws {@link ArgumentError} for a layer class without a Keras config translation (register custom layers
   * with `dt.utils.registerKerasSerializable`).
   */
  toJSON(): string {
    if (!toJsonImpl) throw new ArgumentError(`${this.name}.toJSON: the Keras config writer is not loaded (import ditto-ml, not a single module)`);
    return toJsonImpl(this);
  }

  /**
   * Saves the whole model as a Keras 3 `.keras` archive (Keras's `model.save`): config.json (the architecture and,
   * when compiled, the compile_config), model.weights.h5 (the weights by model structure and the optimizer's state,
   * see docs/saving.md) and metadata.json. Python Keras loads it with `keras.models.load_model`; ditto with
   * `dt.models.loadModel`. Crash-safe write.
   * @throws {@link ArgumentError} for a path not ending in `.keras`, an unbuilt model, a layer without a Keras config
   * translation, a loss or metric given as an object, or a path that cannot be written.
   */
  async save(path: string): Promise<void> {
    if (!kerasConfigImpl) throw new ArgumentError(`${this.name}.save: the Keras config writer is not loaded (import ditto-ml, not a single module)`);
    const impl = kerasConfigImpl;
    await saveKerasModelFile('save', this, path, () => impl(this), this.compiled?.optimizer);
  }

  /**
   * One optimizer step on the batch (x, y) (Keras `train_on_batch`): resolves to `[loss, ...metrics]` (or the logs
   * with `returnDict`). As Keras 3, the metrics are not reset: the values are the running results since the last
   * reset (fit resets them at every epoch's start).
   * @throws {@link ArgumentError} when the model is not compiled, or for bad data or options.
   */
  async trainOnBatch(x: ArrayData, y: ArrayData, options: TrainOnBatchOptions & { returnDict: true }): Promise<Logs>;
  async trainOnBatch(x: ArrayData, y: ArrayData, options?: TrainOnBatchOptions): Promise<number[]>;
  async trainOnBatch(x: ArrayData, y: ArrayData, options: TrainOnBatchOptions = {}): Promise<number[] | Logs> {
    return trainOnBatch(this.asTrainable(), x, y, options);
  }

  /**
   * The loss and metrics of the batch (x, y) in inference mode (Keras `test_on_batch`), accumulated into the
   * model's metrics like {@link ModelBase.trainOnBatch | trainOnBatch}.
   * @throws {@link ArgumentError} when the model is not compiled, or for bad data or options.
   */
  async testOnBatch(x: ArrayData, y: ArrayData, options: TestOnBatchOptions & { returnDict: true }): Promise<Logs>;
  async testOnBatch(x: ArrayData, y: ArrayData, options?: TestOnBatchOptions): Promise<number[]>;
  async testOnBatch(x: ArrayData, y: ArrayData, options: TestOnBatchOptions = {}): Promise<number[] | Logs> {
    return testOnBatch(this.asTrainable(), x, y, options);
  }

  /**
   * The model in inference mode on x as one batch (Keras `predict_on_batch`); the caller owns the result.
   * @throws {@link ArgumentError} for x that is not a tensor (or a list or object of tensors).
   */
  predictOnBatch(x: Tensor): Tensor;
  predictOnBatch(x: ArrayData): Structure<Tensor>;
  predictOnBatch(x: ArrayData): Structure<Tensor> {
    return predictOnBatch(this.asTrainable(), x);
  }

  /**
   * The current regularization penalties of the model's trainable weights (Keras `model.losses`), one scalar
   * tensor per weight with a regularizer, in trainableWeights order; the caller disposes them. Activity
   * regularization losses are computed inside training and test steps only, and not kept between calls.
   */
  get losses(): Tensor[] {
    return weightPenalties(this);
  }

  /** Releases the weights, the optimizer's slots and the metric accumulators. */
  override dispose(): void {
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
    if (this.compiled) releaseTrackers(this.compiled);
  }
}
