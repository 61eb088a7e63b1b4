/**
 * The Layer base class (Keras semantics): weights are created by `build` from the first input
 * shape, `call` computes the output, `apply` builds once and checks the input against the built
 * shape. Shapes exclude nothing: index 0 is the batch dimension (null when unknown).
 * Called on symbolic tensors (from `Input`), `apply` records a Node of the functional graph
 * (symbolic.ts) instead of computing. Most layers take one tensor; a layer that takes a list
 * (merge layers) sets `inputKind = 'list'`; models take any structure (`'any'`).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, checkOptions, ops, tidy, withScope } from '../core/internal.ts';
import { Node, type Structure, SymbolicTensor, flattenStructure, isShape, isSymbolic, packLike } from './symbolic.ts';

/** The options every layer accepts ({@link LayerConfig}'s keys). */
export const LAYER_CONFIG_KEYS: readonly string[] = ['name', 'inputShape', 'trainable'];
import { toSnakeCase, uniqueName } from './naming.ts';

/**
 * A shape whose batch dimension (and possibly others) may be unknown (null), like Keras's `(None, 28, 28, 1)`.
 * @inline
 */
export type SymbolicShape = readonly (number | null)[];

/**
 * The shapes of a layer input type: one shape for a tensor, a list of shapes for a list of tensors, a named object
 * of shapes for a named object of tensors.
 */
export type ShapeOf<T> = T extends Tensor ? SymbolicShape : T extends readonly Tensor[] ? SymbolicShape[] : { [K in keyof T]: SymbolicShape };

/** The symbolic counterpart of a layer input or output type (a {@link SymbolicTensor} for each tensor). */
export type SymbolicOf<T> = T extends Tensor ? SymbolicTensor : T extends readonly Tensor[] ? SymbolicTensor[] : { [K in keyof T]: SymbolicTensor };

/** Options of {@link Layer.apply} and {@link Layer.call}. */
export interface CallContext {
  /** Training mode (Keras's `training=True`): Dropout draws a new mask on every call. Default false (inference). */
  training?: boolean;
  /**
   * The input's mask (Keras's `mask` argument of `call`): a uint8 tensor, nonzero for the timesteps to use,
   * usually [N, T] for an input [N, T, ...]; for a layer that takes a list, a list with one mask (or null) per input.
   * Models fill it in from the layer that produced the input (`computeMask`); only layers with
   * `supportsMasking` receive it. Pass it yourself for an eager call (Keras's `layer(x, mask=m)`).
   */
  mask?: LayerMask;
}

/**
 * A mask travelling with a layer's input or output: a uint8 tensor (nonzero: keep), null for none, or for a layer
 * with several inputs or outputs a list of them.
 * @inline
 */
export type LayerMask = Tensor | null | readonly (Tensor | null)[];

/** A layer's output together with the mask that travels with it (`applyWithMask`). */
export interface MaskedOutput<Out> {
  /** What {@link Layer.apply} returns. */
  output: Out;
  /** The output's mask (`computeMask`), null for none; a list for a layer with several outputs. */
  mask: LayerMask;
}

/** Options every layer accepts (Keras's base `Layer` keyword arguments). */
export interface LayerConfig {
  /**
   * The layer's name, unique by convention; default: the class name in snake_case with a per-process counter
   * suffix, as Keras does (`conv2d`, `conv2d_1`, ...). Weights are named `<layer name>/<weight>`.
   */
  name?: string;
  /**
   * Input shape without the batch dimension (declares the model's input, like keras.Input); null for a dimension
   * that may change from batch to batch, such as the length of padded sequences (Keras's `shape=(None,)`).
   */
  inputShape?: readonly (number | null)[];
  /** Whether the layer's weights are trained (default true); false freezes them. */
  trainable?: boolean;
}

/**
 * Something that produces a weight's initial value, such as an initializer of `dt.initializers`.
 * @inline
 */
export interface WeightInitializer {
  /** A new tensor of `shape` holding the initial value. */
  apply(shape: readonly number[], dtype?: 'float32' | 'int32'): Tensor;
}

/**
 * The base class of every layer, with Keras semantics: the weights are created by {@link Layer.build | build} from
 * the first input shape, {@link Layer.call | call} computes the output, and {@link Layer.apply | apply} builds once
 * and checks every later input against the built shape. Shapes include the batch dimension at index 0 (null when
 * unknown). Layers are NHWC, as in Keras and TF.js.
 *
 * To write a layer, subclass it: create weights in `build` with `addWeight`, implement `call` and
 * `computeOutputShape`. Randomness must come from seeded counter-based generators (see `dt.random`) for the run to
 * stay reproducible.
 *
 * Such a layer works in functional models unchanged: called on a symbolic tensor (from {@link Input}), `apply` builds
 * it from the symbolic shape, asks `computeOutputShape` for the output's and records the call. A layer that takes a
 * list of tensors (like the merge layers) extends `Layer<Tensor[], Tensor>` and sets `inputKind = 'list'`: its `call`
 * receives the list, and `build`, `checkInput` and `computeOutputShape` the list of shapes (batch sizes included on
 * real tensors).
 */
export abstract class Layer<In = Tensor, Out = Tensor> {
  /** The layer's name (see {@link LayerConfig.name}). */
  readonly name: string;
  /** The input shape given as `inputShape` in the config (without the batch dimension), if any. */
  readonly declaredInputShape?: readonly (number | null)[];
  private isTrainable: boolean;
  /** The input shape the layer was built with (batch dim null); a list of shapes for a layer that takes a list. */
  buildShape?: ShapeOf<In>;
  /** The nodes of the functional graph that call this layer, in call order (Keras's `_inbound_nodes`). */
  readonly inboundNodes: Node[] = [];
  /**
   * What `call` takes: `'tensor'` (one tensor, most layers), `'list'` (a list of tensors, merge layers) or `'any'`
   * (models: a tensor, a list or a named object, checked by the model's own `call`).
   */
  protected readonly inputKind: 'tensor' | 'list' | 'any' = 'tensor';
  /**
   * Whether the layer takes a mask (Keras's `supports_masking`): such a layer receives its input's mask as
   * `ctx.mask` in `call` and gives its output's with `computeMask` (by default the input's, unchanged).
   * A layer without it that receives a mask in a model drops it, with a warning, as Keras 3 does. Default, as in
   * Keras 3: true exactly when the class overrides `computeMask`; built-in layers that pass masks on set it.
   */
  supportsMasking: boolean;
  private warnedMaskDropped = false;
  private isBuilt = false;
  /** The layer's weights; `declared`: whether the weight was created trainable (moving statistics are not). */
  private readonly ownWeights: { key: string; variable: Variable; declared: boolean }[] = [];

  /**
   * @param config name, inputShape, trainable
   * @param ownKeys the options a subclass accepts besides {@link LayerConfig}'s: when given, any other key is refused
   * (`Dense: unrecognized options {activaton}. ...`); without it only the type of `config` is checked.
   */
  constructor(config: LayerConfig = {}, ownKeys?: readonly string[]) {
    checkOptions(new.target.name, config, ownKeys && [...LAYER_CONFIG_KEYS, ...ownKeys]);
    this.supportsMasking = this.computeMask !== Layer.prototype.computeMask;
    if (config.name !== undefined && (typeof config.name !== 'string' || !config.name)) {
      throw new ArgumentError(`${this.constructor.name}: expected a non-empty string name. Received: ${JSON.stringify(config.name)}`);
    }
    this.name = config.name ?? uniqueName(toSnakeCase(this.constructor.name));
    if (config.trainable !== undefined && typeof config.trainable !== 'boolean') {
      throw new ArgumentError(`${this.constructor.name}: expected trainable to be a boolean. Received: ${JSON.stringify(config.trainable)}`);
    }
    this.isTrainable = config.trainable ?? true;
    if (config.inputShape !== undefined) {
      if (!Array.isArray(config.inputShape) || !config.inputShape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
        throw new ArgumentError(`${this.constructor.name}: expected inputShape of positive integers or null (without the batch dimension). Received: ${JSON.stringify(config.inputShape)}`);
      }
      this.declaredInputShape = [...config.inputShape];
    }
  }

  /**
   * Whether the layer's weights are trained (set from the config; default true). Setting it, as Keras's
   * `layer.trainable = False` does, freezes or unfreezes every weight the layer created trainable (weights created
   * non-trainable, such as BatchNormalization's moving statistics, stay so); a model passes it to all its layers.
   * BatchNormalization runs in inference mode while not trainable, as in Keras 3.
   */
  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Freezes (`false`) or unfreezes (`true`) the layer's weights, as Keras's `layer.trainable = ...` (see the getter). */
  set trainable(value: boolean) {
    if (typeof value !== 'boolean') throw new ArgumentError(`${this.label}.trainable: expected a boolean. Received: ${JSON.stringify(value)}`);
    this.isTrainable = value;
    for (const w of this.ownWeights) if (w.declared) w.variable.trainable = value;
  }

  /** Whether {@link Layer.build | build} has run (weights exist). */
  get built(): boolean {
    return this.isBuilt;
  }

  /** Marks the layer built (or not); {@link Layer.ensureBuilt | ensureBuilt} sets it. */
  set built(value: boolean) {
    this.isBuilt = value;
  }

  /** "Conv2D 'conv2d'": the class and name, for error messages. */
  protected get label(): string {
    return `${this.constructor.name} '${this.name}'`;
  }

  /** Creates weights for `inputShape`. Default: none. */
  protected build(_inputShape: ShapeOf<In>): void {}

  /** The output shape for an input shape (for a layer that takes a list: the list of input shapes). */
  abstract computeOutputShape(inputShape: ShapeOf<In>): ShapeOf<Out>;

  /** The forward computation (a layer that takes a list receives the list of tensors). */
  abstract call(x: In, ctx: CallContext): Out;

  /**
   * The mask of the output for input `inputs` whose mask is `previousMask` (Keras's `compute_mask`); called only
   * when `supportsMasking`. Default: `previousMask` unchanged (elementwise and shape-preserving layers).
   * Embedding (`maskZero`) and Masking make one; GlobalAveragePooling1D consumes it (null).
   */
  computeMask(_inputs: In, previousMask: LayerMask): LayerMask {
    return previousMask;
  }

  /**
   * `apply` on real tensors, with the mask that travels with `x` given as `ctx.mask`, returning the
   * output and its mask. This is how Sequential and Functional models move masks from layer to layer (Keras attaches
   * them to tensors as `_keras_mask`; here they travel beside the outputs): a layer with
   * `supportsMasking` gets `ctx.mask` in `call` and its output mask is `computeMask`'s; a
   * layer without it gets no mask, and a mask it receives is dropped with a warning (once per layer), as in Keras 3.
   * Models override it to run their graph with the mask.
   */
  applyWithMask(x: In, ctx: CallContext = {}): MaskedOutput<Out> {
    const mask = ctx.mask ?? null;
    const present = Array.isArray(mask) ? mask.some((m) => m) : mask !== null;
    if (!this.supportsMasking) {
      if (present && !this.warnedMaskDropped) {
        this.warnedMaskDropped = true;
        console.warn(`Layer '${this.name}' (of type ${this.constructor.name}) was passed an input with a mask attached to it. However, this layer does not support masking and will therefore destroy the mask information. Downstream layers will not see the mask.`);
      }
      const { mask: _dropped, ...rest } = ctx;
      return { output: this.apply(x, rest), mask: null };
    }
    const inner: CallContext = present ? ctx : (({ mask: _none, ...rest }) => rest)(ctx);
    const output = this.apply(x, inner);
    return { output, mask: this.computeMask(x, present ? mask : null) };
  }

  /** Checks an input shape before building/calling; throws a {@link ShapeError} naming the layer. Default: accepts any. */
  protected checkInput(_shape: ShapeOf<In>): void {}

  /**
   * Builds the layer for `inputShape` (batch dimension included) if not built yet; once built, checks that the shape
   * matches the one it was built with.
   * @throws {@link ShapeError} for an input shape the layer does not accept.
   */
  ensureBuilt(inputShape: ShapeOf<In>): void {
    this.checkInput(inputShape);
    const shapes = shapeList(inputShape);
    if (this.built) {
      const built = shapeList(this.buildShape!);
      const bad = built.length !== shapes.length || built.some((b, k) => !compatible(b, shapes[k]));
      if (bad) {
        throw new ShapeError(`${this.label}: expected input of shape ${fmtShapes(this.buildShape!)} (the shape it was built with). Received: ${fmtShapes(inputShape)}`);
      }
      return;
    }
    withScope(this.name, () => this.build(inputShape), this);
    const nulled = shapes.map((s) => [null, ...s.slice(1)]);
    this.buildShape = (isShape(inputShape) ? nulled[0] : packLike(inputShape as Structure<SymbolicShape>, nulled, isShape)) as unknown as ShapeOf<In>;
    this.built = true;
  }

  /**
   * Calls the layer on `x` (Keras `layer(x)`, TF.js `layer.apply(x)`), building it on first use. Pass
   * `{ training: true }` for training behaviour (Dropout active). On symbolic tensors (from {@link Input}) it
   * computes nothing: it builds the layer from their shapes, records the call in the functional graph and returns
   * symbolic outputs (Keras's functional API). A layer called several times shares its weights.
   * @throws {@link ShapeError} for an input of the wrong rank or shape; {@link DisposedTensorError} for a disposed input;
   * {@link ArgumentError} for a list given to a one-tensor layer (or the reverse).
   */
  apply(x: In, ctx?: CallContext): Out;
  apply(x: SymbolicOf<In>, ctx?: CallContext): SymbolicOf<Out>;
  apply(x: In | SymbolicOf<In>, ctx: CallContext = {}): Out | SymbolicOf<Out> {
    // The layer's name scopes the ops it runs, for op traces (dt.debug.trace).
    if (this.inputKind === 'any' && !hasSymbolic(x)) return withScope(this.name, () => this.call(x as In, ctx), this);
    checkOptions(`${this.label}.apply`, ctx, ['training', 'mask']);
    if (ctx.mask !== undefined && ctx.mask !== null) {
      if (hasSymbolic(x)) throw new ArgumentError(`${this.label}: expected no mask on symbolic tensors (masks travel through a model's graph by themselves). Received: a mask`);
      if (!this.supportsMasking) throw new ArgumentError(`${this.label}: expected no mask: this layer does not support masking (supportsMasking is false). Received: a mask`);
    }
    if (hasSymbolic(x)) return this.applySymbolic(x as Structure<SymbolicTensor>, ctx) as SymbolicOf<Out>;
    if (this.inputKind === 'list') {
      const xs = this.expectList(x) as readonly Tensor[];
      for (const t of xs) assertLive(this.name, t);
      this.ensureBuilt(xs.map((t) => t.shape) as ShapeOf<In>);
      return withScope(this.name, () => this.call(x as In, ctx), this);
    }
    const t = x as unknown as Tensor;
    assertLive(this.name, t);
    // [null, ...shape.slice(1)] would make a scalar look like rank 1: every layer input has a batch axis.
    if (t.rank === 0) throw new ShapeError(`${this.label}: expected input of rank >= 1 (a batch axis first). Received: input shape ()`);
    this.ensureBuilt([null, ...t.shape.slice(1)] as unknown as ShapeOf<In>);
    return withScope(this.name, () => this.call(x as In, ctx), this);
  }

  /** `x` as a list, or an ArgumentError naming the layer (for layers whose `call` takes a list). */
  private expectList(x: unknown): readonly unknown[] {
    if (!Array.isArray(x)) {
      throw new ArgumentError(`${this.label}: expected a list of tensors (the layer merges several inputs). Received: ${x instanceof SymbolicTensor || (x !== null && typeof x === 'object' && 'shape' in x) ? 'one tensor' : typeof x}`);
    }
    return x;
  }

  /** apply on symbolic tensors: builds the layer from their shapes and records a node with symbolic outputs. */
  private applySymbolic(x: Structure<SymbolicTensor>, ctx: CallContext): Structure<SymbolicTensor> {
    const flat = flattenStructure(x);
    if (!flat.every(isSymbolic)) {
      throw new ArgumentError(`${this.label}: expected every input to be a symbolic tensor (from dt.Input) or every input to be a Tensor. Received: a mix of both`);
    }
    let shapes: unknown;
    if (this.inputKind === 'tensor') {
      if (Array.isArray(x) || !(x instanceof SymbolicTensor)) {
        throw new ArgumentError(`${this.label}: expected one tensor. Received: a list of ${flat.length} tensors`);
      }
      if (x.rank === 0) throw new ShapeError(`${this.label}: expected input of rank >= 1 (a batch axis first). Received: input shape ()`);
      this.ensureBuilt([null, ...x.shape.slice(1)] as unknown as ShapeOf<In>);
      shapes = x.shape;
    } else {
      if (this.inputKind === 'list') this.expectList(x);
      shapes = x instanceof SymbolicTensor ? x.shape : packLike(x, flat.map((t) => t.shape));
      this.ensureBuilt(shapes as ShapeOf<In>);
    }
    const outShapes = this.computeOutputShape(shapes as ShapeOf<In>) as unknown as Structure<SymbolicShape>;
    const node = new Node(this, x, ctx.training);
    const single = isShape(outShapes);
    const outFlat = single ? [outShapes] : flattenStructure(outShapes, isShape);
    const outputs = outFlat.map((s, i) => new SymbolicTensor(s, this.outputDType(i), node, i, this.name));
    const structured = single ? outputs[0] : packLike(outShapes, outputs, isShape);
    node.setOutputs(structured);
    return structured;
  }

  /** The dtype of the `index`-th output on symbolic inputs (float32, the dtype of every built-in layer's output). */
  protected outputDType(_index: number): 'float32' | 'int32' {
    return 'float32';
  }

  /**
   * For subclasses' `build`: creates a weight named `<layer>/<key>` from an initializer, float32
   * unless `dtype` says 'int32' (a counter, such as Normalization's `count`).
   */
  protected addWeight(key: string, shape: readonly number[], init: WeightInitializer, trainable = true, dtype: 'float32' | 'int32' = 'float32'): Variable {
    const value = tidy(() => init.apply(shape, dtype));
    const v = ops.variable(value, { name: `${this.name}/${key}`, trainable: trainable && this.trainable });
    value.dispose();
    this.ownWeights.push({ key, variable: v, declared: trainable });
    return v;
  }

  /** All weights (trainable first, in creation order), as in Keras. */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** The weights an optimizer updates, in creation order. */
  get trainableWeights(): Variable[] {
    return this.ownWeights.filter((w) => w.variable.trainable).map((w) => w.variable);
  }

  /** The weights an optimizer does not update, in creation order. */
  get nonTrainableWeights(): Variable[] {
    return this.ownWeights.filter((w) => !w.variable.trainable).map((w) => w.variable);
  }

  /** The number of scalars in all weights (Keras `count_params()`); 0 before the layer is built. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Keras-style configuration (for summaries and serialization). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }

  /** Releases the layer's weights. */
  dispose(): void {
    for (const w of this.ownWeights) w.variable.dispose();
    this.ownWeights.length = 0;
    this.built = false;
  }
}

/** "(None, 30, 30, 32)" */
export function fmtSym(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** One shape as fmtSym writes it; a list of shapes as "[(None, 3), (None, 4)]". */
export function fmtShapes(shapes: unknown): string {
  if (isShape(shapes)) return fmtSym(shapes);
  return `[${flattenStructure(shapes as Structure<SymbolicShape>, isShape).map(fmtSym).join(', ')}]`;
}

/** The shapes of a shape structure, flattened. */
function shapeList(s: unknown): SymbolicShape[] {
  return isShape(s) ? [s] : flattenStructure(s as Structure<SymbolicShape>, isShape);
}

/** Whether two shapes agree: same rank, and every non-batch dimension equal where both are known. */
function compatible(built: SymbolicShape, shape: SymbolicShape): boolean {
  return built.length === shape.length && built.every((d, i) => i === 0 || d === null || shape[i] === null || d === shape[i]);
}

/** Whether a layer input holds a symbolic tensor. */
function hasSymbolic(x: unknown): boolean {
  if (x instanceof SymbolicTensor) return true;
  if (Array.isArray(x)) return x.some((v) => v instanceof SymbolicTensor);
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype && Object.values(x).some((v) => v instanceof SymbolicTensor);
}

/** Throws unless `shape` has `rank` dims. */
export function expectInputRank(layer: string, shape: SymbolicShape, rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${layer}: expected input of rank ${rank} ${layout}. Received: input shape ${fmtSym(shape)}`);
  }
}
