/**
 * Dense (Keras): y = activation(x @ kernel + bias), kernel [in, units] (GlorotUniform), bias [units]
 * (Zeros). Inputs of rank > 2 are multiplied along their last axis.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { attachWeightOptions, addActivityLoss } from '../layer-losses.ts';
import { WEIGHT_OPTION_KEYS, type WeightOptions, type WeightOptionsConfig, resolveWeightOptions } from '../layer-weight-options.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, fmtSym, type WeightInitializer } from '../layer.ts';

/** Options of {@link Dense} (Keras's keyword arguments, camelCase). */
export interface DenseConfig extends LayerConfig, WeightOptionsConfig {
  /** The activation by Keras name ('relu', 'gelu', 'softmax' (last axis), ...: every name of `dt.activations.get`); default (undefined or null) linear. */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The kernel's initializer: a Keras name, an instance or a serialized one; default 'glorot_uniform'. */
  kernelInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
}

/**
 * Densely connected layer, Keras `Dense(units, ...)`: `activation(x @ kernel + bias)`, kernel [inFeatures, units]
 * (Glorot-uniform by default), bias [units] (zeros). Input [N, ..., inFeatures]; inputs of rank > 2 are multiplied
 * along their last axis, as in Keras.
 *
 * @example
 * ```ts
 * new dt.layers.Dense(10, { activation: 'softmax' });
 * ```
 * @throws {@link ArgumentError} for non-positive units or a bad activation or initializer; {@link ShapeError} when
 * called on input of rank < 2 or with a different last dimension than it was built with.
 */
export class Dense extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Number of output features. */
  readonly units: number;
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly kernelInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  private readonly weightOptions: WeightOptions;
  /** The kernel [inFeatures, units], once built. */
  kernel?: Variable;
  /** The bias [units], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param units number of output features (positive integer)
   * @param config activation, bias and initializers, name
   */
  constructor(units: number, config: DenseConfig = {}) {
    super(config, ['activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...WEIGHT_OPTION_KEYS]);
    this.weightOptions = resolveWeightOptions('Dense', config);
    if (!Number.isSafeInteger(units) || units <= 0) throw new ArgumentError(`Dense: expected units to be a positive integer. Received: units=${units}`);
    this.units = units;
    this.useBias = config.useBias ?? true;
    this.activationName = config.activation ?? 'linear';
    this.activation = getActivation('Dense', config.activation);
    this.kernelInit = resolveInitializer('Dense', config.kernelInitializer ?? 'glorot_uniform');
    this.biasInit = resolveInitializer('Dense', config.biasInitializer ?? 'zeros');
  }

  protected override checkInput(shape: SymbolicShape): void {
    if (shape.length < 2) throw new ShapeError(`${this.label}: expected input of rank >= 2 [N, ..., features]. Received: input shape ${fmtSym(shape)}`);
    if (this.kernel && shape[shape.length - 1] !== this.kernel.shape[0]) {
      throw new ShapeError(`${this.label}: expected input with last dimension ${this.kernel.shape[0]}. Received: input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const inDim = shape[shape.length - 1];
    if (inDim === null) throw new ShapeError(`${this.label}: expected a known last dimension. Received: input shape ${fmtSym(shape)}`);
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInit);
    attachWeightOptions(this.kernel, this.weightOptions.kernelRegularizer, this.weightOptions.kernelConstraint);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInit);
    if (this.bias) attachWeightOptions(this.bias, this.weightOptions.biasRegularizer, this.weightOptions.biasConstraint);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape.slice(0, -1), this.units];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const out = tidy(() => {
      // The row count, not -1: with 0 input features -1 cannot be inferred.
      const flat = x.rank === 2 ? x : ops.reshape(x, [x.shape.slice(0, -1).reduce((a, b) => a * b, 1), x.shape[x.rank - 1]]);
      let y = ops.matmul(flat, this.kernel!);
      if (this.bias) y = ops.add(y, this.bias);
      if (x.rank !== 2) y = ops.reshape(y, [...x.shape.slice(0, -1), this.units]);
      return this.activation(y);
    });
    addActivityLoss(this.weightOptions.activityRegularizer, out);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units, activation: this.activationName, useBias: this.useBias };
  }
}
