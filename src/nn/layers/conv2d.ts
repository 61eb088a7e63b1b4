/**
 * Conv2D (Keras): NHWC input, kernel [kH, kW, inChannels, filters] (GlorotUniform), bias [filters]
 * (Zeros), strides, 'valid' | 'same' padding, optional activation.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, pair, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { attachWeightOptions, addActivityLoss } from '../layer-losses.ts';
import { WEIGHT_OPTION_KEYS, type WeightOptions, type WeightOptionsConfig, resolveWeightOptions } from '../layer-weight-options.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym, type WeightInitializer } from '../layer.ts';

/** Options of {@link Conv2D} (Keras's keyword arguments, camelCase). */
export interface Conv2DConfig extends LayerConfig, WeightOptionsConfig {
  /** Step of the window: one number or [strideH, strideW]; default 1. */
  strides?: number | [number, number];
  /** 'valid' (default, no padding) or 'same' (output size ceil(size / stride)), TensorFlow's rules. */
  padding?: 'valid' | 'same';
  /** The activation by Keras name ('relu', 'gelu', 'softmax' (last axis), ...: every name of `dt.activations.get`); default (undefined or null) linear. */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The kernel's initializer: a Keras name, an instance or a serialized one; default 'glorot_uniform'. */
  kernelInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
}

/** Output size along one dimension (TensorFlow rules). */
export function convOutSize(size: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

/**
 * 2-D convolution layer, Keras `Conv2D(filters, kernel_size, ...)`: `activation(conv2d(x, kernel) + bias)` on NHWC
 * input [N, H, W, C], kernel [kH, kW, C, filters] (Glorot-uniform by default, as in Keras), bias [filters] (zeros).
 * An unseeded initializer draws its seed when the layer is constructed, as in Keras, so
 * `dt.utils.setRandomSeed` before building the model makes the initial weights reproducible.
 *
 * @example
 * ```ts
 * new dt.layers.Conv2D(32, [3, 3], { activation: 'relu', padding: 'same' });
 * ```
 * @throws {@link ArgumentError} for non-positive filters, a bad kernel size, strides, padding, activation or
 * initializer; {@link ShapeError} when called on input that is not rank 4 or too small for the kernel.
 */
export class Conv2D extends Layer {
  /** Number of output channels. */
  readonly filters: number;
  /** [kH, kW]. */
  readonly kernelSize: [number, number];
  /** [strideH, strideW]. */
  readonly strides: [number, number];
  /** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly kernelInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  private readonly weightOptions: WeightOptions;
  /** The kernel [kH, kW, C, filters], once built. */
  kernel?: Variable;
  /** The bias [filters], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param filters number of output channels (positive integer)
   * @param kernelSize window size: one number or [kH, kW]
   * @param config strides, padding, activation, bias and initializers, name
   */
  constructor(filters: number, kernelSize: number | [number, number], config: Conv2DConfig = {}) {
    super(config, ['strides', 'padding', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...WEIGHT_OPTION_KEYS]);
    this.weightOptions = resolveWeightOptions('Conv2D', config);
    if (!Number.isSafeInteger(filters) || filters <= 0) throw new ArgumentError(`Conv2D: expected filters to be a positive integer. Received: filters=${filters}`);
    this.filters = filters;
    this.kernelSize = pair('Conv2D', 'kernelSize', kernelSize, [1, 1]);
    this.strides = pair('Conv2D', 'strides', config.strides, [1, 1]);
    if (config.padding !== undefined && config.padding !== 'valid' && config.padding !== 'same') {
      throw new ArgumentError(`Conv2D: expected padding 'valid' or 'same'. Received: padding=${JSON.stringify(config.padding)}`);
    }
    this.padding = config.padding ?? 'valid';
    this.useBias = config.useBias ?? true;
    this.activationName = config.activation ?? 'linear';
    this.activation = getActivation('Conv2D', config.activation);
    // Keras resolves initializers at construction: an unseeded one draws its seed now.
    this.kernelInit = resolveInitializer('Conv2D', config.kernelInitializer ?? 'glorot_uniform');
    this.biasInit = resolveInitializer('Conv2D', config.biasInitializer ?? 'zeros');
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
    if (this.kernel && shape[3] !== this.kernel.shape[2]) {
      throw new ShapeError(`${this.label}: expected input with ${this.kernel.shape[2]} channels. Received: input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const c = shape[3];
    if (c === null) throw new ShapeError(`${this.label}: expected a known channel dimension. Received: input shape ${fmtSym(shape)}`);
    this.kernel = this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], c, this.filters], this.kernelInit);
    attachWeightOptions(this.kernel, this.weightOptions.kernelRegularizer, this.weightOptions.kernelConstraint);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
    if (this.bias) attachWeightOptions(this.bias, this.weightOptions.biasRegularizer, this.weightOptions.biasConstraint);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    const [n, h, w] = shape;
    const oh = h === null ? null : convOutSize(h, this.kernelSize[0], this.strides[0], this.padding);
    const ow = w === null ? null : convOutSize(w, this.kernelSize[1], this.strides[1], this.padding);
    if ((oh !== null && oh <= 0) || (ow !== null && ow <= 0)) {
      throw new ShapeError(`${this.label}: input ${fmtSym(shape)} is too small for kernel [${this.kernelSize.join(', ')}] with padding '${this.padding}'`);
    }
    return [n, oh, ow, this.filters];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const out = tidy(() => {
      let y = ops.conv2d(x, this.kernel!, { strides: this.strides, padding: this.padding });
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
    addActivityLoss(this.weightOptions.activityRegularizer, out);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, activation: this.activationName, useBias: this.useBias };
  }
}
