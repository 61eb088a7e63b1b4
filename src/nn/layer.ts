/**
 * The Layer base class (Keras semantics): weights are created by `build` from the first input
 * shape, `call` computes the output, `apply` builds once and checks the input against the built
 * shape. Shapes exclude nothing: index 0 is the batch dimension (null when unknown).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, checkOptions, ops, tidy, withScope } from '../core/internal.ts';

/** The options every layer accepts ({@link LayerConfig}'s keys). */
export const LAYER_CONFIG_KEYS: readonly string[] = ['name', 'inputShape', 'trainable'];
import { toSnakeCase, uniqueName } from './naming.ts';

/**
 * A shape whose batch dimension (and possibly others) may be unknown (null), like Keras's `(None, 28, 28, 1)`.
 * @inline
 */
export type SymbolicShape = readonly (number | null)[];

/** Options of {@link Layer.apply} and {@link Layer.call}. */
export interface CallContext {
  /** Training mode (Keras's `training=True`): Dropout draws a new mask on every call. Default false (inference). */
  training?: boolean;
}

/** Options every layer accepts (Keras's base `Layer` keyword arguments). */
export interface LayerConfig {
  /**
   * The layer's name, unique by convention; default: the class name in snake_case with a per-process counter
   * suffix, as Keras does (`conv2d`, `conv2d_1`, ...). Weights are named `<layer name>/<weight>`.
   */
  name?: string;
  /** Input shape without the batch dimension (declares the model's input, like keras.Input). */
  inputShape?: readonly number[];
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
 */
export abstract class Layer {
  /** The layer's name (see {@link LayerConfig.name}). */
  readonly name: string;
  /** The input shape given as `inputShape` in the config (without the batch dimension), if any. */
  readonly declaredInputShape?: readonly number[];
  /** Whether the layer's weights are trainable (set from the config; default true). */
  trainable: boolean;
  /** Whether {@link Layer.build | build} has run (weights exist). */
  built = false;
  /** The input shape the layer was built with (batch dim null). */
  buildShape?: SymbolicShape;
  private readonly ownWeights: { key: string; variable: Variable }[] = [];

  /**
   * @param config name, inputShape, trainable
   * @param ownKeys the options a subclass accepts besides {@link LayerConfig}'s: when given, any other key is refused
   * (`Dense: unrecognized options {activaton}. ...`); without it only the type of `config` is checked.
   */
  constructor(config: LayerConfig = {}, ownKeys?: readonly string[]) {
    checkOptions(new.target.name, config, ownKeys && [...LAYER_CONFIG_KEYS, ...ownKeys]);
    if (config.name !== undefined && (typeof config.name !== 'string' || !config.name)) {
      throw new ArgumentError(`${this.constructor.name}: expected a non-empty string name. Received: ${JSON.stringify(config.name)}`);
    }
    this.name = config.name ?? uniqueName(toSnakeCase(this.constructor.name));
    this.trainable = config.trainable ?? true;
    if (config.inputShape !== undefined) {
      if (!Array.isArray(config.inputShape) || !config.inputShape.every((d) => Number.isInteger(d) && d > 0)) {
        throw new ArgumentError(`${this.constructor.name}: expected inputShape of positive integers (without the batch dimension). Received: ${JSON.stringify(config.inputShape)}`);
      }
      this.declaredInputShape = [...config.inputShape];
    }
  }

  /** "Conv2D 'conv2d'": the class and name, for error messages. */
  protected get label(): string {
    return `${this.constructor.name} '${this.name}'`;
  }

  /** Creates weights for `inputShape`. Default: none. */
  protected build(_inputShape: SymbolicShape): void {}

  /** The output shape for an input shape. */
  abstract computeOutputShape(inputShape: SymbolicShape): (number | null)[];

  /** The forward computation. */
  abstract call(x: Tensor, ctx: CallContext): Tensor;

  /** Checks an input shape before building/calling; throws a {@link ShapeError} naming the layer. Default: accepts any. */
  protected checkInput(_shape: SymbolicShape): void {}

  /**
   * Builds the layer for `inputShape` (batch dimension included) if not built yet; once built, checks that the shape
   * matches the one it was built with.
   * @throws {@link ShapeError} for an input shape the layer does not accept.
   */
  ensureBuilt(inputShape: SymbolicShape): void {
    this.checkInput(inputShape);
    if (this.built) {
      const b = this.buildShape!;
      const bad = b.length !== inputShape.length || b.some((d, i) => i > 0 && d !== null && inputShape[i] !== null && d !== inputShape[i]);
      if (bad) {
        throw new ShapeError(`${this.label}: expected input of shape ${fmtSym(b)} (the shape it was built with). Received: ${fmtSym(inputShape)}`);
      }
      return;
    }
    withScope(this.name, () => this.build(inputShape));
    this.buildShape = [null, ...inputShape.slice(1)];
    this.built = true;
  }

  /**
   * Calls the layer on `x` (Keras `layer(x)`, TF.js `layer.apply(x)`), building it on first use. Pass
   * `{ training: true }` for training behaviour (Dropout active).
   * @throws {@link ShapeError} for an input of the wrong rank or shape; {@link DisposedTensorError} for a disposed input.
   */
  apply(x: Tensor, ctx: CallContext = {}): Tensor {
    checkOptions(`${this.label}.apply`, ctx, ['training']);
    assertLive(this.name, x);
    // [null, ...shape.slice(1)] would make a scalar look like rank 1: every layer input has a batch axis.
    if (x.rank === 0) throw new ShapeError(`${this.label}: expected input of rank >= 1 (a batch axis first). Received: input shape ()`);
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    // The layer's name scopes the ops it runs, for op traces (dt.debug.trace).
    return withScope(this.name, () => this.call(x, ctx));
  }

  /**
   * For subclasses' {@link Layer.build | build}: creates a weight named `<layer>/<key>` from an initializer, float32
   * unless `dtype` says 'int32' (a counter, such as Normalization's `count`).
   */
  protected addWeight(key: string, shape: readonly number[], init: WeightInitializer, trainable = true, dtype: 'float32' | 'int32' = 'float32'): Variable {
    const value = tidy(() => init.apply(shape, dtype));
    const v = ops.variable(value, { name: `${this.name}/${key}`, trainable: trainable && this.trainable });
    value.dispose();
    this.ownWeights.push({ key, variable: v });
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

/** Throws unless `shape` has `rank` dims. */
export function expectInputRank(layer: string, shape: SymbolicShape, rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${layer}: expected input of rank ${rank} ${layout}. Received: input shape ${fmtSym(shape)}`);
  }
}
