/**
 * Sequential (Keras): a stack of layers built from the first input shape (or a declared input
 * shape), with weights access, summary(), safetensors save/load, and the training API
 * (compile/fit/evaluate/predict, implemented in training/).
 * Part of src/nn: imports src/core only.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ArgumentError, DataFormatError, ShapeError, type Tensor, type Variable, assertLive, checkOptions, fmtShape, ops, tidy,
  withScope,
} from '../core/internal.ts';
import type { CallbackModel } from './callbacks.ts';
import { digestTensors } from './digest.ts';
import { writeFileDurable } from './durable-write.ts';
import { type CallContext, Layer, type SymbolicShape, fmtSym } from './layer.ts';
import { InputLayer } from './layers/simple.ts';
import { uniqueName } from './naming.ts';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from './safetensors.ts';
import { formatSummary } from './summary.ts';
import {
  type BatchSource, type CompileOptions, type Compiled, type EvaluateOptions, type FitOptions, type PredictOptions,
  compileModel, evaluateModel, fitModel, predictModel,
} from './training/index.ts';
import type { History } from './history.ts';

/**
 * A linear stack of layers, Keras `Sequential`, with Keras's training API: {@link Sequential.compile | compile},
 * {@link Sequential.fit | fit}, {@link Sequential.evaluate | evaluate}, {@link Sequential.predict | predict}, plus
 * {@link Sequential.summary | summary}, weight access and safetensors save/load. The model is built from its first
 * input shape, or at once when the first layer declares one ({@link layers.Input} or `inputShape`).
 *
 * @example
 * ```ts
 * const model = new dt.Sequential([
 *   dt.layers.Input({ shape: [28, 28, 1] }),
 *   new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
 *   new dt.layers.MaxPooling2D([2, 2]),
 *   new dt.layers.Flatten(),
 *   new dt.layers.Dense(10, { activation: 'softmax' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(train, { epochs: 2, validationData: test });
 * ```
 */
export class Sequential implements CallbackModel {
  /** The model's name (default `sequential`, `sequential_1`, ...). */
  readonly name: string;
  /** The layers, in order. */
  readonly layers: Layer[] = [];
  /** Set by callbacks (EarlyStopping, TerminateOnNaN) to end fit after the current batch. */
  stopTraining = false;
  /** @internal compile() state */
  compiled?: Compiled;
  private inputShape?: SymbolicShape;

  /**
   * @param layers the layers, in order (each is {@link Sequential.add | added})
   * @param options `name`: the model's name
   * @throws {@link ArgumentError} for a non-layer, a layer given twice or two layers with one name.
   */
  constructor(layers: readonly Layer[] = [], options: { name?: string } = {}) {
    checkOptions('Sequential', options, ['name']);
    if (!Array.isArray(layers)) throw new ArgumentError(`Sequential: expected an array of layers. Received: ${layers === null ? 'null' : typeof layers}`);
    this.name = options.name ?? uniqueName('sequential');
    for (const l of layers) this.add(l);
  }

  /**
   * Appends a layer; builds the model when an input shape is known.
   * @throws {@link ArgumentError} for a non-layer, a layer already in the model or a duplicate layer name;
   * {@link ShapeError} when the layer does not accept the previous layer's output shape.
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new ArgumentError(`Sequential.add: expected a Layer. Received: ${typeof layer}`);
    if (this.layers.includes(layer)) throw new ArgumentError(`Sequential.add: layer '${layer.name}' is already in the model`);
    if (this.layers.some((l) => l.name === layer.name)) throw new ArgumentError(`Sequential.add: expected unique layer names. Received: a second layer named '${layer.name}'`);
    if (this.layers.length === 0 && layer.declaredInputShape) this.inputShape = [null, ...layer.declaredInputShape];
    this.layers.push(layer);
    if (this.inputShape) this.build(this.inputShape);
  }

  /** Whether every layer has been built (weights exist). */
  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built || l instanceof InputLayer);
  }

  /**
   * Builds every layer for an input shape, batch dimension included (null or a number), like Keras `model.build`.
   * @throws {@link ShapeError} when a layer does not accept its input shape.
   */
  build(inputShape: SymbolicShape): void {
    const input: SymbolicShape = [null, ...inputShape.slice(1)];
    let shape = input;
    withScope(this.name, () => {
      for (const l of this.layers) {
        l.ensureBuilt(shape);
        shape = l.computeOutputShape(shape);
      }
    });
    // Recorded only once every layer accepted it: a rejected shape must not become the model's.
    this.inputShape = input;
  }

  /** Output shape of each layer for the model's input shape (undefined if unknown). */
  private outputShapes(): (SymbolicShape | undefined)[] {
    let shape: SymbolicShape | undefined = this.inputShape;
    return this.layers.map((l) => {
      if (!shape) return undefined;
      shape = l.computeOutputShape(shape);
      return shape;
    });
  }

  /**
   * Runs the layers in order on a batch `x` (Keras `model(x)`); pass `{ training: true }` for training behaviour.
   * Builds the model on first use. An input of another dtype (uint8 images, int32) is cast to float32 first, as
   * Keras converts inputs to the model's input dtype; `x` itself is left as it is.
   * @throws {@link ShapeError} for an input that does not match the model's input shape; {@link ArgumentError} for a
   * model without layers.
   */
  call(x: Tensor, ctx: CallContext = {}): Tensor {
    checkOptions(`${this.name}.call`, ctx, ['training']);
    assertLive(this.name, x);
    if (this.layers.length === 0) throw new ArgumentError(`${this.name}: the model has no layers`);
    if (!this.inputShape) this.build([null, ...x.shape.slice(1)]);
    const expected = this.inputShape!;
    if (x.rank !== expected.length || expected.some((d, i) => i > 0 && d !== null && d !== x.shape[i])) {
      throw new ShapeError(`${this.name}: expected input of shape ${fmtSym(expected)}. Received: x.shape=${fmtShape(x.shape)}`);
    }
    return withScope(this.name, () => tidy(() => {
      // Keras converts a model's inputs to its input dtype (float32): uint8 images work as they are.
      let y = x.dtype === 'float32' ? x : ops.cast(x, 'float32');
      for (const l of this.layers) y = l.apply(y, ctx);
      return y === x ? ops.clone(x) : y;
    }));
  }

  /** The same as {@link Sequential.call | call} (as layers have `apply`). */
  apply(x: Tensor, ctx: CallContext = {}): Tensor {
    return this.call(x, ctx);
  }

  /** All weights, layer by layer (each layer's trainable weights first), as Keras orders them. Names are `<layer>/<weight>`. */
  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  /** The weights the optimizer updates, layer by layer. */
  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  /** The weights the optimizer does not update, layer by layer. */
  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** The number of scalars in all weights (Keras `count_params()`). */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weights, in {@link Sequential.weights | weights} order (the caller disposes them). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => ops.clone(w));
  }

  /**
   * Sets every weight from tensors in {@link Sequential.weights | weights} order (copied; other dtypes are cast).
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

  /** Sets every weight from host arrays in `weights` order (the inverse of {@link Sequential.getWeightValues | getWeightValues}). */
  setWeightValues(values: readonly Float32Array[]): void {
    this.weights.forEach((w, i) => tidy(() => w.assign(ops.tensor(values[i], w.shape))));
  }

  /**
   * The Keras summary table (layers, output shapes, parameter counts), printed with `print` (default: written to
   * process.stdout) and returned.
   */
  summary(print: (s: string) => void = (s) => process.stdout.write(s)): string {
    const shapes = this.outputShapes();
    const rows = this.layers.flatMap((l, i) => (l instanceof InputLayer ? [] : [{
      name: l.name,
      type: l.constructor.name,
      outputShape: shapes[i] ? fmtSym(shapes[i]!) : '?',
      params: l.built ? l.countParams() : null,
    }]));
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const nonTrainable = this.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
    const opt = this.compiled?.optimizer;
    const text = formatSummary({ name: this.name, rows, trainable, nonTrainable, optimizer: opt && opt.iterations > 0 ? opt.countParams() : undefined });
    print(text);
    return text;
  }

  /** SHA-256 (hex) of every weight's dtype, shape and bytes in `weights` order: equal digests mean equal bits. Same as `dt.utils.weightsDigest(model)`. */
  weightsDigest(): Promise<string> {
    return digestTensors(this.weights);
  }

  /**
   * Writes the weights as a canonical safetensors file (float32 tensors named `<layer>/<weight>`, sorted, with the
   * weight order in `__metadata__`): identical weights give byte-identical files. The write is crash-safe: a
   * temporary file in the same directory, fsync, rename, fsync of the directory.
   * @throws {@link ArgumentError} when the model is not built yet.
   */
  async saveWeights(path: string): Promise<void> {
    if (typeof path !== 'string') throw new ArgumentError(`saveWeights: expected a file path string. Received: ${typeof path}`);
    if (!this.built) throw new ArgumentError(`saveWeights: the model '${this.name}' is not built yet (call it or fit it first)`);
    const tensors: Record<string, NamedArray> = {};
    for (const w of this.weights) tensors[w.name] = { dtype: 'F32', shape: [...w.shape], data: (await w.data()) as Float32Array };
    const bytes = encodeSafetensors(tensors, { format: 'ditto', order: JSON.stringify(this.weights.map((w) => w.name)) });
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
   * Loads weights saved by {@link Sequential.saveWeights | saveWeights} (or any safetensors file with float32
   * tensors of those names). Weights are matched by name; with `matchBy: 'order'` they are matched by position
   * instead (for a model whose layer names differ). Shapes must match; nothing is assigned unless every weight matches.
   * @throws {@link ArgumentError} when the model is not built yet; {@link DataFormatError} for an unreadable or
   * malformed file, missing or extra names, or a shape or dtype that differs.
   */
  async loadWeights(path: string, options: { matchBy?: 'name' | 'order' } = {}): Promise<void> {
    if (typeof path !== 'string') throw new ArgumentError(`loadWeights: expected a file path string. Received: ${typeof path}`);
    checkOptions('loadWeights', options, ['matchBy']);
    if (options.matchBy !== undefined && options.matchBy !== 'name' && options.matchBy !== 'order') {
      throw new ArgumentError(`loadWeights: expected matchBy to be 'name' or 'order'. Received: matchBy=${JSON.stringify(options.matchBy)}`);
    }
    if (!this.built) throw new ArgumentError(`loadWeights: the model '${this.name}' is not built yet (give the first layer an inputShape, or call the model once)`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new DataFormatError(`loadWeights: cannot read ${path}: ${(e as Error).message}`);
    }
    const { tensors, metadata } = decodeSafetensors(bytes, path);
    const ws = this.weights;
    let sources: NamedArray[];
    if ((options.matchBy ?? 'name') === 'name') {
      const missing = ws.filter((w) => !tensors[w.name]).map((w) => w.name);
      const extra = Object.keys(tensors).filter((k) => !ws.some((w) => w.name === k));
      if (missing.length || extra.length) {
        throw new DataFormatError(`loadWeights: ${path}: weight names do not match the model '${this.name}'. Missing in file: [${missing.join(', ')}]; not in model: [${extra.join(', ')}] (use { matchBy: 'order' } to match by position)`);
      }
      sources = ws.map((w) => tensors[w.name]);
    } else {
      let order: unknown;
      try {
        order = metadata.order ? JSON.parse(metadata.order) : Object.keys(tensors);
      } catch {
        order = undefined;
      }
      // A damaged `order` entry is a format error, not a TypeError/SyntaxError later on.
      if (!Array.isArray(order) || order.some((n) => typeof n !== 'string' || !tensors[n])) {
        throw new DataFormatError(`loadWeights: ${path}: expected __metadata__.order to be a JSON list of the file's tensor names. Received: ${metadata.order}`);
      }
      if (order.length !== ws.length) throw new DataFormatError(`loadWeights: ${path}: expected ${ws.length} weights. Received: ${order.length}`);
      sources = order.map((n) => tensors[n]);
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
  }

  /**
   * Trains for `epochs` passes over `data` (Keras `model.fit`): one optimizer step per batch, validation at each
   * epoch's end, a Keras-style progress bar, callbacks; resolves to the {@link History}, whose values are exactly
   * those printed. With `checkpoint` it saves crash-safe checkpoints; with `resumeFrom` it continues an interrupted
   * run and ends with the bits of the uninterrupted one.
   * @throws {@link ArgumentError} when the model is not compiled, for bad options or data without labels;
   * {@link NumericError} when the loss becomes NaN or infinite (unless a {@link TerminateOnNaN} callback stops
   * training); {@link DataFormatError} when a checkpoint to resume from is invalid or does not match the run.
   */
  fit(data: BatchSource, options: FitOptions = {}): Promise<History> {
    return fitModel(this, data, options);
  }

  /**
   * Loss and metrics over `data`, in inference mode: `[loss, ...metrics]` in compile order (Keras `model.evaluate`).
   * The values are batch-size-weighted means.
   * @throws {@link ArgumentError} when the model is not compiled or the data has no batches.
   */
  evaluate(data: BatchSource, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateModel(this, data, options);
  }

  /**
   * Predictions, in inference mode (Keras `model.predict`): for a tensor, computed in batches of `batchSize`
   * (default 32); for a dataset, for every batch (its `x`), concatenated along axis 0. The caller owns the result.
   * @throws {@link ArgumentError} for a bad batch size or no input samples.
   */
  predict(x: Tensor | BatchSource, options: PredictOptions = {}): Promise<Tensor> {
    return predictModel(this, x, options);
  }

  /** Releases the weights, the optimizer's slots and the metric accumulators. */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
    this.compiled?.lossTracker.dispose();
    for (const m of this.compiled?.metrics ?? []) m.tracker?.dispose();
  }
}
