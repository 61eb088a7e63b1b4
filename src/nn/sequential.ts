/**
 * Sequential (Keras): a stack of layers built from the first input shape (or a declared input
 * shape), with weights access, summary(), safetensors save/load, and the training API
 * (compile/fit/evaluate/predict, implemented in trainer.ts).
 * Part of src/nn: imports src/core only.
 */
import { readFileSync } from 'node:fs';
import * as ops from '../core/ops/index.ts';
import { ENGINE } from '../core/engine.ts';
import { ArgumentError, DataFormatError, ShapeError, fmtShape } from '../core/errors.ts';
import type { Tensor, Variable } from '../core/tensor.ts';
import type { CallbackModel } from './callbacks.ts';
import { digestTensors } from './digest.ts';
import { writeFileDurable } from './durable-write.ts';
import { type CallContext, Layer, type SymbolicShape, fmtSym } from './layer.ts';
import { InputLayer } from './layers/simple.ts';
import { uniqueName } from './naming.ts';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from './safetensors.ts';
import { formatSummary } from './summary.ts';
import { type CompileOptions, type Compiled, type EvaluateOptions, type FitOptions, type PredictOptions, type BatchSource, compileModel, evaluateModel, fitModel, predictModel } from './trainer.ts';
import type { History } from './history.ts';

export class Sequential implements CallbackModel {
  readonly name: string;
  readonly layers: Layer[] = [];
  /** Set by callbacks (EarlyStopping, TerminateOnNaN) to end fit after the current batch. */
  stopTraining = false;
  /** @internal compile() state */
  compiled?: Compiled;
  private inputShape?: SymbolicShape;

  constructor(layers: readonly Layer[] = [], options: { name?: string } = {}) {
    this.name = options.name ?? uniqueName('sequential');
    for (const l of layers) this.add(l);
  }

  /** Appends a layer; builds the model when an input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new ArgumentError(`Sequential.add: expected a Layer. Received: ${typeof layer}`);
    if (this.layers.includes(layer)) throw new ArgumentError(`Sequential.add: layer '${layer.name}' is already in the model`);
    if (this.layers.some((l) => l.name === layer.name)) throw new ArgumentError(`Sequential.add: expected unique layer names. Received: a second layer named '${layer.name}'`);
    if (this.layers.length === 0 && layer.declaredInputShape) this.inputShape = [null, ...layer.declaredInputShape];
    this.layers.push(layer);
    if (this.inputShape) this.build(this.inputShape);
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built || l instanceof InputLayer);
  }

  /** Builds every layer for an input shape (batch dimension null or a number). */
  build(inputShape: SymbolicShape): void {
    const input: SymbolicShape = [null, ...inputShape.slice(1)];
    let shape = input;
    for (const l of this.layers) {
      l.ensureBuilt(shape);
      shape = l.computeOutputShape(shape);
    }
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

  /** Runs the layers in order. */
  call(x: Tensor, ctx: CallContext = {}): Tensor {
    ENGINE.assertLive(this.name, x);
    if (this.layers.length === 0) throw new ArgumentError(`${this.name}: the model has no layers`);
    if (!this.inputShape) this.build([null, ...x.shape.slice(1)]);
    const expected = this.inputShape!;
    if (x.rank !== expected.length || expected.some((d, i) => i > 0 && d !== null && d !== x.shape[i])) {
      throw new ShapeError(`${this.name}: expected input of shape ${fmtSym(expected)}. Received: x.shape=${fmtShape(x.shape)}`);
    }
    return ENGINE.tidy(() => {
      let y = x;
      for (const l of this.layers) y = l.apply(y, ctx);
      return y === x ? ops.clone(x) : y;
    });
  }

  /** Alias of call, as layers have. */
  apply(x: Tensor, ctx: CallContext = {}): Tensor {
    return this.call(x, ctx);
  }

  /** All weights, layer by layer (each layer's trainable weights first). */
  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weights, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => ops.clone(w));
  }

  /** Sets every weight from tensors in `weights` order (shapes must match). */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new ArgumentError(`setWeights: expected ${ws.length} tensors. Received: ${values.length}`);
    // Check every shape before assigning any, so that a bad list leaves the model unchanged (Keras does too).
    ws.forEach((w, i) => {
      ENGINE.assertLive('setWeights', values[i]);
      if (values[i].rank !== w.rank || values[i].shape.some((d, k) => d !== w.shape[k])) {
        throw new ShapeError(`setWeights: expected tensor ${i} ('${w.name}') of shape ${fmtShape(w.shape)}. Received: ${fmtShape(values[i].shape)}`);
      }
    });
    ws.forEach((w, i) => ENGINE.tidy(() => w.assign(values[i].dtype === w.dtype ? ops.clone(values[i]) : ops.cast(values[i], w.dtype))));
  }

  /** Weight values as host arrays (for callbacks such as EarlyStopping). */
  async getWeightValues(): Promise<Float32Array[]> {
    return Promise.all(this.weights.map(async (w) => (await w.data()) as Float32Array));
  }

  setWeightValues(values: readonly Float32Array[]): void {
    this.weights.forEach((w, i) => ENGINE.tidy(() => w.assign(ops.tensor(values[i], w.shape))));
  }

  /** The Keras summary table; printed with `print` (default console.log) and returned. */
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

  /** SHA-256 of every weight's bytes in `weights` order. */
  weightsDigest(): Promise<string> {
    return digestTensors(this.weights);
  }

  /** Writes the weights as canonical safetensors (names `layer/weight`), atomically. */
  async saveWeights(path: string): Promise<void> {
    if (!this.built) throw new ArgumentError(`saveWeights: the model '${this.name}' is not built yet (call it or fit it first)`);
    const tensors: Record<string, NamedArray> = {};
    for (const w of this.weights) tensors[w.name] = { dtype: 'F32', shape: [...w.shape], data: (await w.data()) as Float32Array };
    writeFileDurable(path, encodeSafetensors(tensors, { format: 'ditto', order: JSON.stringify(this.weights.map((w) => w.name)) }));
  }

  /**
   * Loads weights saved by saveWeights. Weights are matched by name; with `matchBy: 'order'`
   * they are matched by position instead (for a model whose layer names differ). Shapes must
   * match; nothing is assigned unless every weight matches.
   */
  async loadWeights(path: string, options: { matchBy?: 'name' | 'order' } = {}): Promise<void> {
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
    ws.forEach((w, i) => ENGINE.tidy(() => w.assign(ops.tensor(sources[i].data as Float32Array, w.shape))));
  }

  /** Configures training (Keras compile). */
  compile(options: CompileOptions): void {
    this.compiled = compileModel(this, options);
  }

  /** Trains for `epochs` passes over `data`; resolves to the History. */
  fit(data: BatchSource, options: FitOptions = {}): Promise<History> {
    return fitModel(this, data, options);
  }

  /** Loss and metrics over `data`: [loss, ...metrics]. */
  evaluate(data: BatchSource, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateModel(this, data, options);
  }

  /** Predictions for a tensor (in batches) or for every batch of a dataset, concatenated. */
  predict(x: Tensor | BatchSource, options: PredictOptions = {}): Promise<Tensor> {
    return predictModel(this, x, options);
  }

  /** Releases weights and optimizer/metric state. */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
    this.compiled?.lossTracker.dispose();
    for (const m of this.compiled?.metrics ?? []) m.tracker?.dispose();
  }
}
