/**
 * The Keras 3 activation layers: ReLU, LeakyReLU, ELU, PReLU (a learned slope `alpha`) and Softmax (any axis).
 * Each calls the composite of src/nn/activation-functions.ts (PReLU its own, in Keras's order).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { elu, leakyRelu, relu, softmax } from '../activation-functions.ts';
import { Initializer, type InitializerId, resolveInitializer, serialize } from '../initializers/index.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, fmtSym, type WeightInitializer } from '../layer.ts';

function numberOption(layer: string, name: string, v: unknown, min: number | null): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (min !== null && v < min)) {
    const want = min === null ? 'a finite number' : `a finite number >= ${min}`;
    throw new ArgumentError(`${layer}: expected ${name} to be ${want}. Received: ${name}=${String(v)}`);
  }
  return v;
}

/** Options of {@link ReLU}. */
export interface ReLUConfig extends LayerConfig {
  /** Upper saturation value, >= 0 (default null: none). */
  maxValue?: number | null;
  /** Slope below the threshold, >= 0 (default 0). */
  negativeSlope?: number;
  /** Values below it are damped or zeroed (default 0). */
  threshold?: number;
}

/**
 * Rectified linear unit layer, Keras 3 `layers.ReLU(max_value, negative_slope, threshold)`: `dt.activations.relu`
 * with these options (by default `max(x, 0)`).
 * @throws {@link ArgumentError} for a negative maxValue or negativeSlope, or options that are not finite numbers.
 */
export class ReLU extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Upper saturation value (null: none). */
  readonly maxValue: number | null;
  /** Slope below the threshold. */
  readonly negativeSlope: number;
  /** Threshold. */
  readonly threshold: number;

  /** @param config maxValue, negativeSlope, threshold, name */
  constructor(config: ReLUConfig = {}) {
    super(config, ['maxValue', 'negativeSlope', 'threshold']);
    this.maxValue = config.maxValue === undefined || config.maxValue === null ? null : numberOption('ReLU', 'maxValue', config.maxValue, 0);
    this.negativeSlope = numberOption('ReLU', 'negativeSlope', config.negativeSlope ?? 0, 0);
    this.threshold = numberOption('ReLU', 'threshold', config.threshold ?? 0, null);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return relu(x, { negativeSlope: this.negativeSlope, maxValue: this.maxValue, threshold: this.threshold });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUConfig extends LayerConfig {
  /** Slope below 0, >= 0 (default 0.3, Keras's layer default). */
  negativeSlope?: number;
}

/**
 * Leaky ReLU layer, Keras 3 `layers.LeakyReLU(negative_slope=0.3)`: `x > 0 ? x : negativeSlope * x`.
 * @throws {@link ArgumentError} for a negative or non-finite negativeSlope.
 */
export class LeakyReLU extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Slope below 0. */
  readonly negativeSlope: number;

  /** @param config negativeSlope, name */
  constructor(config: LeakyReLUConfig = {}) {
    super(config, ['negativeSlope']);
    this.negativeSlope = numberOption('LeakyReLU', 'negativeSlope', config.negativeSlope ?? 0.3, 0);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}

/** Options of {@link ELU}. */
export interface ELUConfig extends LayerConfig {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/**
 * Exponential linear unit layer, Keras 3 `layers.ELU(alpha=1.0)`: `x > 0 ? x : alpha * expm1(x)`.
 * @throws {@link ArgumentError} for a non-finite alpha.
 */
export class ELU extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Scale of the negative part. */
  readonly alpha: number;

  /** @param config alpha, name */
  constructor(config: ELUConfig = {}) {
    super(config, ['alpha']);
    this.alpha = numberOption('ELU', 'alpha', config.alpha ?? 1, null);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return elu(x, this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of {@link PReLU}. */
export interface PReLUConfig extends LayerConfig {
  /** The initializer of `alpha`: a Keras name, an instance or a serialized one; default 'zeros'. */
  alphaInitializer?: InitializerId;
  /** Axes (1-based, the batch axis is 0) along which `alpha` is shared, so it has size 1 there (Keras `shared_axes`). */
  sharedAxes?: number | readonly number[];
}

/**
 * Parametric ReLU, Keras 3 `layers.PReLU(alpha_initializer='zeros', shared_axes=None)`:
 * `relu(x) + (-alpha) * relu(-x)` (Keras's order), with a learned weight `alpha` of shape `inputShape[1:]` where the
 * shared axes have size 1 (Keras's layout). Inputs later must match the non-shared dimensions.
 * @throws {@link ArgumentError} for shared axes that are not integers in [1, rank - 1]; {@link ShapeError} for an
 * unknown non-batch dimension when built, or an input whose non-shared dimensions differ from the built ones.
 */
export class PReLU extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** The shared axes (1-based), sorted, or null. */
  readonly sharedAxes: readonly number[] | null;
  /** The learned slope (after build). */
  alpha?: Variable;
  private readonly alphaInit: WeightInitializer;
  private readonly alphaInitId: InitializerId;

  /** @param config alphaInitializer, sharedAxes, name */
  constructor(config: PReLUConfig = {}) {
    super(config, ['alphaInitializer', 'sharedAxes']);
    const s = config.sharedAxes;
    if (s === undefined || s === null) this.sharedAxes = null;
    else {
      const list = typeof s === 'number' ? [s] : Array.isArray(s) ? [...s] : null;
      if (!list || list.some((a) => !Number.isInteger(a) || a < 1)) {
        throw new ArgumentError(`PReLU: expected sharedAxes to be an integer >= 1 or a list of them (axis 0 is the batch). Received: sharedAxes=${JSON.stringify(s)}`);
      }
      this.sharedAxes = [...new Set(list)].sort((a, b) => a - b);
    }
    this.alphaInitId = config.alphaInitializer ?? 'zeros';
    this.alphaInit = resolveInitializer('PReLU', this.alphaInitId);
  }

  protected override checkInput(shape: SymbolicShape): void {
    if (shape.length < 2) throw new ShapeError(`${this.label}: expected input of rank >= 2 (batch first). Received: input shape ${fmtSym(shape)}`);
    const bad = this.sharedAxes?.find((a) => a >= shape.length);
    if (bad !== undefined) throw new ArgumentError(`${this.label}: expected sharedAxes in [1, ${shape.length - 1}] for input of rank ${shape.length}. Received: sharedAxes=${JSON.stringify(this.sharedAxes)}`);
    if (this.alpha) {
      const a = this.alpha.shape;
      const ok = a.length === shape.length - 1 && a.every((d, i) => this.sharedAxes?.includes(i + 1) || d === shape[i + 1]);
      if (!ok) throw new ShapeError(`${this.label}: expected input shape compatible with alpha of shape [${a.join(', ')}]. Received: input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const param = shape.slice(1).map((d, i) => {
      if (this.sharedAxes?.includes(i + 1)) return 1;
      if (d === null) throw new ShapeError(`${this.label}: expected known dimensions outside sharedAxes. Received: input shape ${fmtSym(shape)}`);
      return d;
    });
    this.alpha = this.addWeight('alpha', param, this.alphaInit);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => ops.add(ops.relu(x), ops.mul(ops.neg(this.alpha!), ops.relu(ops.neg(x)))));
  }

  override getConfig(): Record<string, unknown> {
    const init = this.alphaInitId;
    return { ...super.getConfig(), alphaInitializer: init instanceof Initializer ? serialize(init) : init, sharedAxes: this.sharedAxes };
  }
}

/** Options of {@link Softmax}. */
export interface SoftmaxConfig extends LayerConfig {
  /** The axis to normalize (default -1, the last). */
  axis?: number;
}

/**
 * Softmax layer, Keras 3 `layers.Softmax(axis=-1)`: `dt.activations.softmax(x, axis)` on any single axis.
 * (Keras's `mask` argument and a list of axes are not supported.)
 * @throws {@link ArgumentError} for an axis that is not an integer, or outside the input's rank when called.
 */
export class Softmax extends Layer {
  /** The normalized axis. */
  readonly axis: number;

  /** @param config axis, name */
  constructor(config: SoftmaxConfig = {}) {
    super(config, ['axis']);
    const axis = config.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ArgumentError(`Softmax: expected an integer axis. Received: axis=${JSON.stringify(axis)}`);
    this.axis = axis;
  }

  protected override checkInput(shape: SymbolicShape): void {
    if (this.axis < -shape.length || this.axis >= shape.length) {
      throw new ArgumentError(`${this.label}: expected axis in [${-shape.length}, ${shape.length - 1}] for input of rank ${shape.length}. Received: axis=${this.axis}`);
    }
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return softmax(x, this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
