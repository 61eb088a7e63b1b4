/**
 * Functional models (Keras's `keras.Model(inputs, outputs)`, class Functional): a graph of layer
 * calls recorded on symbolic tensors, from `Input`s to outputs; inputs and outputs may be one
 * tensor, a list or a named object. The graph is mapped once (graph.ts: Keras's order) and run
 * node by node in that fixed order, so a call is deterministic. Layers called several times share
 * their weights; models called on symbolic tensors nest as one layer. Weights, saving and the
 * training API come from ModelBase; the summary has Keras's "Connected to" column.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, Tensor, assertLive, checkOptions, fmtShape, ops, tidy, withScope } from '../core/internal.ts';
import { mapGraph } from './graph.ts';
import { applyConvMaxPool, convPoolPairs } from './inference-fusion.ts';
import { type CallContext, type Layer, type LayerMask, type MaskedOutput, type ShapeOf, type SymbolicShape, fmtShapes, fmtSym } from './layer.ts';
import { InputLayer } from './layers/simple.ts';
import { ModelBase } from './model-base.ts';
import { formatSummary } from './summary.ts';
import { type Node, type Structure, SymbolicTensor, flattenStructure, isPlainObject, isShape, packLike } from './symbolic.ts';
import { type BatchSource, type PredictOptions, predictModel } from './training/index.ts';

/** The arguments of {@link Functional} (`new dt.Model({ inputs, outputs })`). */
export interface FunctionalArgs {
  /** The model's inputs: results of {@link Input}, one, a list or a named object. */
  inputs: Structure<SymbolicTensor>;
  /** The model's outputs: symbolic tensors computed from the inputs, one, a list or a named object. */
  outputs: Structure<SymbolicTensor>;
  /** The model's name (default `functional`, `functional_1`, ...). */
  name?: string;
}

/** "one tensor", "a list of 2", "an object {a, b}" */
function describeStructure(x: unknown): string {
  if (x instanceof Tensor || x instanceof SymbolicTensor) return 'one tensor';
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (isPlainObject(x)) return `an object {${Object.keys(x).join(', ')}}`;
  return x === null ? 'null' : typeof x;
}

/**
 * A model defined by a graph of layers, Keras's functional API (`keras.Model(inputs, outputs)`, whose class is
 * Functional; `dt.Model` is this class). Call layers on the result of {@link Input} to build the graph, then:
 *
 * @example
 * ```ts
 * const inputs = dt.Input({ shape: [28, 28, 1] });
 * const x = new dt.layers.Conv2D(8, 3, { padding: 'same', activation: 'relu' }).apply(inputs);
 * const y = new dt.layers.Conv2D(8, 3, { padding: 'same' }).apply(x);
 * const z = new dt.layers.Add().apply([x, y]);          // a skip connection
 * const p = new dt.layers.GlobalAveragePooling2D().apply(z);
 * const outputs = new dt.layers.Dense(10, { activation: 'softmax' }).apply(p);
 * const model = new dt.Model({ inputs, outputs });
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 * ```
 *
 * Calling the model runs the layers in Keras's order (by decreasing depth), always the same. Inputs and outputs keep
 * the structure given here: one tensor, a list, or a named object. A layer called twice is shared (one set of
 * weights); a model called on symbolic tensors becomes one layer of the outer model.
 */
export class Functional extends ModelBase<Structure<Tensor>, Structure<Tensor>> {
  /** The model's input tensors, flattened (a named object's in sorted key order, as Keras). */
  readonly inputs: readonly SymbolicTensor[];
  /** The model's output tensors, flattened (a named object's in sorted key order, as Keras). */
  readonly outputs: readonly SymbolicTensor[];
  /** The layers in Keras's order: by decreasing depth in the graph, then first visit; InputLayers included. */
  readonly layers: Layer<any, any>[];
  /** The names of the outputs (the producing layers' names, or the keys of a named object), in `outputs` order. */
  readonly outputNames: readonly string[];
  /** The names of the inputs (the InputLayers' names, or the keys of a named object), in `inputs` order. */
  readonly inputNames: readonly string[];
  private readonly inputStructure: Structure<SymbolicTensor>;
  private readonly outputStructure: Structure<SymbolicTensor>;
  /** The nodes that compute something, in run order (input nodes left out). */
  private readonly runOrder: readonly Node[];
  private readonly nodes: ReadonlySet<Node>;
  private readonly nodesByDepth: ReadonlyMap<number, Node[]>;
  /** Conv2D nodes and the pooling nodes they may fuse with at inference (inference-fusion.ts), found on first use. */
  private convPoolMap: Map<Node, Node> | null = null;

  private convPools(): Map<Node, Node> {
    return (this.convPoolMap ??= convPoolPairs(this.runOrder, this.outputs));
  }

  /**
   * @param args `inputs` (results of {@link Input}), `outputs` (symbolic tensors computed from them), `name`
   * @throws {@link ArgumentError} for inputs that are not results of {@link Input}, outputs that are not symbolic
   * tensors or cannot be computed from the inputs (graph disconnected), or two layers with one name.
   */
  constructor(args: FunctionalArgs) {
    checkOptions('Model', args, ['inputs', 'outputs', 'name']);
    if (args === undefined) throw new ArgumentError('Model: expected an options object { inputs, outputs }. Received: undefined');
    const flatIn = Functional.symbolicList('inputs', args.inputs);
    const flatOut = Functional.symbolicList('outputs', args.outputs);
    for (const t of flatIn) {
      if (!(t.node.isInput && t.node.layer instanceof InputLayer)) {
        throw new ArgumentError(`Model: expected inputs created by dt.Input(). Received: ${t} (an output of layer '${t.node.layer.name}')`);
      }
    }
    if (new Set(flatIn).size !== flatIn.length) throw new ArgumentError('Model: expected each input once. Received: an input given twice');
    super({ name: args.name });
    const map = mapGraph('Model', flatIn, flatOut);
    this.inputs = flatIn;
    this.outputs = flatOut;
    this.inputStructure = args.inputs;
    this.outputStructure = args.outputs;
    this.layers = map.layers as Layer<any, any>[];
    this.nodes = new Set(map.nodes);
    this.nodesByDepth = map.nodesByDepth;
    this.runOrder = map.nodes.filter((n) => !n.isInput);
    this.outputNames = Functional.names(args.outputs, flatOut);
    this.inputNames = Functional.names(args.inputs, flatIn);
  }

  /** The leaves of `inputs` or `outputs`, checked to be symbolic tensors. */
  private static symbolicList(what: string, s: unknown): SymbolicTensor[] {
    if (s === undefined) throw new ArgumentError(`Model: expected ${what}: a symbolic tensor (from dt.Input or a layer called on one), a list or a named object of them. Received: undefined`);
    const flat = s instanceof SymbolicTensor ? [s] : Array.isArray(s) || isPlainObject(s) ? flattenStructure(s as Structure<unknown>) : [s];
    if (flat.length === 0) throw new ArgumentError(`Model: expected at least one tensor in ${what}. Received: ${describeStructure(s)}`);
    const bad = flat.find((t) => !(t instanceof SymbolicTensor));
    if (bad !== undefined) {
      throw new ArgumentError(`Model: expected ${what} to be symbolic tensors (from dt.Input or a layer called on one). Received: ${bad instanceof Tensor ? `a Tensor of shape ${fmtShape(bad.shape)}` : describeStructure(bad)}`);
    }
    return flat as SymbolicTensor[];
  }

  /** Keras's input/output names: a named object's keys, else the producing layers' names. */
  private static names(s: Structure<SymbolicTensor>, flat: readonly SymbolicTensor[]): string[] {
    if (isPlainObject(s)) return Object.keys(s).sort();
    return flat.map((t) => t.node.layer.name);
  }

  /** A functional model is built when created. */
  override get built(): boolean {
    return true;
  }

  /** Nothing to build: a functional model's layers were built when the graph was made. Checks the shape only. */
  override build(inputShape: ShapeOf<Structure<Tensor>>): void {
    if (isShape(inputShape) && this.inputs.length > 1) return; // a checkpoint records the first input's shape
    this.ensureBuilt(inputShape);
  }

  /** As a layer of another model: checks the input shapes against the model's inputs. */
  override ensureBuilt(inputShape: ShapeOf<Structure<Tensor>>): void {
    const shapes = isShape(inputShape) ? [inputShape] : flattenStructure(inputShape as Structure<SymbolicShape>, isShape);
    if (shapes.length !== this.inputs.length) {
      throw new ArgumentError(`${this.name}: expected ${this.inputs.length} input(s). Received: ${shapes.length} (shapes ${fmtShapes(inputShape)})`);
    }
    shapes.forEach((s, i) => this.checkShape(i, s, fmtSym(s)));
  }

  /** Throws unless `shape` fits input `i` (every dimension known on both sides equal). */
  private checkShape(i: number, shape: readonly (number | null)[], received: string): void {
    const ref = this.inputs[i].shape;
    if (shape.length !== ref.length || ref.some((d, k) => d !== null && shape[k] !== null && d !== shape[k])) {
      throw new ShapeError(`${this.name}: expected input '${this.inputNames[i]}' of shape ${fmtSym(ref)}. Received: ${received}`);
    }
  }

  /** The output shapes (the model's outputs', in the structure of `outputs`). */
  computeOutputShape(_inputShape: ShapeOf<Structure<Tensor>>): ShapeOf<Structure<Tensor>> {
    const shapes = this.outputs.map((t) => [...t.shape]);
    return (this.outputStructure instanceof SymbolicTensor ? shapes[0] : packLike(this.outputStructure, shapes)) as ShapeOf<Structure<Tensor>>;
  }

  protected override outputDType(index: number): 'float32' | 'int32' {
    return this.outputs[index].dtype === 'int32' ? 'int32' : 'float32';
  }

  /**
   * Runs the graph on real inputs (Keras `model(x)`), node by node in Keras's order; pass `{ training: true }` for
   * training behaviour. `x` has the structure of `inputs` (one tensor, a list, or a named object); the result has the
   * structure of `outputs`. Each input is cast to its Input's dtype (float32 by default), as Keras does; `x` itself is
   * left as it is. The caller owns the result.
   * @throws {@link ArgumentError} for inputs of another structure; {@link ShapeError} for a shape that does not match
   * its Input's.
   */
  override call(x: Tensor, ctx?: CallContext): Tensor;
  override call(x: Structure<Tensor>, ctx?: CallContext): Structure<Tensor>;
  override call(x: Structure<Tensor>, ctx: CallContext = {}): Structure<Tensor> {
    return tidy(() => this.applyWithMask(x, ctx).output);
  }

  /**
   * Runs the graph (as {@link Functional.call | call}) with masks: each node's layer gets the masks of its inputs
   * as `ctx.mask` (one mask, or a list in the order of its flattened inputs) and its outputs' masks come from
   * `applyWithMask`. `ctx.mask`, if given, holds the model inputs' masks (one, or a list in `inputs`
   * order). Returns the outputs and their masks (one per output, in `outputs` order; null when none has one).
   */
  override applyWithMask(x: Structure<Tensor>, ctx: CallContext = {}): MaskedOutput<Structure<Tensor>> {
    checkOptions(`${this.name}.call`, ctx, ['training', 'mask']);
    const flat = this.flattenInputs(x);
    flat.forEach((t, i) => {
      assertLive(this.name, t);
      this.checkShape(i, t.shape, `x.shape=${fmtShape(t.shape)}`);
    });
    const given = ctx.mask === undefined || ctx.mask === null ? [] : Array.isArray(ctx.mask) ? ctx.mask : [ctx.mask as Tensor];
    if (given.length > 0 && given.length !== this.inputs.length) {
      throw new ArgumentError(`${this.name}: expected one mask per input (${this.inputs.length}). Received: ${given.length} masks`);
    }
    // The model's name scopes its layers' ops for op traces (dt.debug.trace), as Sequential's does.
    return withScope(this.name, () => tidy(() => {
      const values = new Map<SymbolicTensor, Tensor>();
      const masks = new Map<SymbolicTensor, Tensor>();
      flat.forEach((t, i) => values.set(this.inputs[i], t.dtype === this.inputs[i].dtype ? t : ops.cast(t, this.inputs[i].dtype)));
      this.inputs.forEach((s, i) => given[i] && masks.set(s, given[i]!));
      const fused = new Set<Node>();
      for (const node of this.runOrder) {
        if (fused.has(node)) continue;
        const args = node.inputs instanceof SymbolicTensor ? values.get(node.inputs)! : packLike(node.inputs!, node.flatInputs.map((t) => values.get(t)!));
        const nodeCtx: CallContext = node.training !== undefined ? { training: node.training } : ctx.training !== undefined ? { training: ctx.training } : {};
        const inMasks = node.flatInputs.map((t) => masks.get(t) ?? null);
        if (inMasks.some((m) => m !== null)) nodeCtx.mask = node.inputs instanceof SymbolicTensor ? inMasks[0] : inMasks;
        // Conv2D + the MaxPooling2D that alone reads its output, as one op when no tape records (inference-fusion.ts)
        const pool = nodeCtx.mask === undefined ? this.convPools().get(node) : undefined;
        const pooled = pool !== undefined && args instanceof Tensor ? applyConvMaxPool(node.layer as Layer, pool.layer as Layer, args) : null;
        if (pooled !== null) {
          values.set(pool!.flatOutputs[0], pooled);
          fused.add(pool!);
          continue;
        }
        const { output: out, mask } = (node.layer as Layer<any, any>).applyWithMask(args, nodeCtx) as MaskedOutput<Structure<Tensor>>;
        const outFlat = out instanceof Tensor ? [out] : flattenStructure(out);
        node.flatOutputs.forEach((s, i) => values.set(s, outFlat[i]));
        // One mask belongs to the first output (Keras's _set_mask_metadata zips the flattened outputs and masks).
        const outMasks = Array.isArray(mask) ? mask : [mask];
        node.flatOutputs.forEach((s, i) => outMasks[i] && masks.set(s, outMasks[i]!));
      }
      // The caller owns the outputs: an output that is one of the given tensors is returned as a copy.
      const outs = this.outputs.map((o) => values.get(o)!).map((t) => (flat.includes(t) ? ops.clone(t) : t));
      const outMasks = this.outputs.map((o) => masks.get(o) ?? null).map((m) => (m && given.includes(m) ? ops.clone(m) : m));
      const output = this.outputStructure instanceof SymbolicTensor ? outs[0] : packLike(this.outputStructure, outs);
      const mask: LayerMask = outMasks.every((m) => m === null) ? null : outMasks.length === 1 ? outMasks[0] : outMasks;
      return { output, mask };
    }), this);
  }

  /** The real inputs in `inputs` order, checked against the structure of `inputs`. */
  private flattenInputs(x: unknown): Tensor[] {
    const s = this.inputStructure;
    const expected = describeStructure(s);
    const fail = (): never => {
      throw new ArgumentError(`${this.name}: expected inputs of the structure of the model's inputs (${expected}${isPlainObject(s) ? '' : ' of tensors'}). Received: ${describeStructure(x)}`);
    };
    if (s instanceof SymbolicTensor) {
      if (Array.isArray(x) && x.length === 1) return [x[0]]; // Keras accepts [x] for one input
      if (Array.isArray(x) || isPlainObject(x)) fail();
      return [x as Tensor];
    }
    if (Array.isArray(s)) {
      if (!Array.isArray(x) || x.length !== s.length) fail();
      return [...(x as Tensor[])];
    }
    if (!isPlainObject(x)) fail();
    const keys = Object.keys(s).sort();
    const got = Object.keys(x as object).sort();
    if (keys.length !== got.length || keys.some((k, i) => k !== got[i])) fail();
    return keys.map((k) => (x as Record<string, Tensor>)[k]);
  }

  /**
   * Calls the model (Keras `model(x)`): on tensors it runs the graph ({@link Functional.call | call}); on symbolic
   * tensors it records the model as one layer of another model's graph. The one-tensor signatures are for a model
   * whose inputs and outputs were given as one tensor each.
   */
  override apply(x: Tensor, ctx?: CallContext): Tensor;
  override apply(x: SymbolicTensor, ctx?: CallContext): SymbolicTensor;
  override apply(x: Structure<Tensor>, ctx?: CallContext): Structure<Tensor>;
  override apply(x: Structure<SymbolicTensor>, ctx?: CallContext): Structure<SymbolicTensor>;
  override apply(x: Structure<Tensor> | Structure<SymbolicTensor>, ctx: CallContext = {}): Structure<Tensor> | Structure<SymbolicTensor> {
    return super.apply(x as Structure<Tensor>, ctx);
  }

  /**
   * Predictions, in inference mode (Keras `model.predict`): `x` is a tensor (or, for several inputs, a list or object
   * of tensors), computed in batches of `batchSize` (default 32), or a dataset whose batches' x are used; the
   * result has the structure of the model's outputs, each concatenated along axis 0. The caller owns the result.
   * @throws {@link ArgumentError} for a bad batch size or no input samples.
   */
  override predict(x: Tensor | BatchSource, options?: PredictOptions): Promise<Tensor>;
  override predict(x: Structure<Tensor> | BatchSource, options?: PredictOptions): Promise<Structure<Tensor>>;
  override async predict(x: Structure<Tensor> | BatchSource, options: PredictOptions = {}): Promise<Structure<Tensor>> {
    return predictModel(this.asTrainable(), x, options);
  }

  /**
   * The Keras summary table: layer (type), output shape, parameter count and, unless the graph is a plain chain,
   * "Connected to" (`layer[node][tensor]` of each input), printed with `print` (default: written to process.stdout)
   * and returned.
   */
  override summary(print: (s: string) => void = (s) => process.stdout.write(s)): string {
    const chain = this.isSequentialLike();
    const rows = this.layers.map((l) => ({
      name: l.name,
      type: l.constructor.name,
      outputShape: outputShapeText(l),
      params: l.built ? l.countParams() : null,
      connectedTo: chain ? undefined : this.connections(l),
    }));
    const text = formatSummary({ name: this.name, rows, ...this.summaryTotals(), connections: !chain });
    print(text);
    return text;
  }

  /** Keras's test for the plain layout: one node per depth, each with at most one input, no layer called twice. */
  private isSequentialLike(): boolean {
    for (const group of this.nodesByDepth.values()) {
      if (group.length > 1 || (group.length === 1 && group[0].flatInputs.length > 1)) return false;
    }
    return this.layers.every((l) => l.inboundNodes.filter((n) => this.nodes.has(n)).length <= 1);
  }

  /** "conv2d[0][0], add[0][0]": the producer, node index and tensor index of each input of the layer's nodes here. */
  private connections(l: Layer<any, any>): string {
    const parts: string[] = [];
    for (const node of l.inboundNodes) {
      if (!this.nodes.has(node)) continue;
      for (const t of node.flatInputs) parts.push(`${t.node.layer.name}[${t.node.index}][${t.index}]`);
    }
    return parts.length ? parts.join(', ') : '-';
  }
}

/** Keras's format_layer_shape: the outputs of the layer's last node, "?" when it was never called. */
function outputShapeText(l: Layer<any, any>): string {
  const node = l.inboundNodes[l.inboundNodes.length - 1];
  if (!node) return '?';
  const shapes = node.flatOutputs.map((t) => fmtSym(t.shape));
  return shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
}
