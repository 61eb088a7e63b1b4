/**
 * SeparableConv2D (Keras): a depthwise convolution (kernel [kH, kW, inChannels, depthMultiplier]) then a 1x1
 * pointwise one (kernel [1, 1, inChannels * depthMultiplier, filters]), bias [filters]; weights in Keras's order
 * depthwise_kernel, pointwise_kernel, bias.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym, type WeightInitializer } from '../layer.ts';
import { depthwiseOptions, windowOutputShape } from './depthwise-conv2d.ts';

/** Options of {@link SeparableConv2D} (Keras's keyword arguments, camelCase). */
export interface SeparableConv2DConfig extends LayerConfig {
  /** Step of the depthwise window: one number or [strideH, strideW]; default 1. */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same', TensorFlow's rules. */
  padding?: 'valid' | 'same';
  /** Depthwise output channels per input channel (positive integer); default 1. */
  depthMultiplier?: number;
  /** Spacing of the depthwise kernel's taps: one number or [dH, dW]; default 1. Not with strides > 1. */
  dilationRate?: number | [number, number];
  /** The activation by Keras name; default (undefined or null) linear. */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The depthwise kernel's initializer; default 'glorot_uniform'. */
  depthwiseInitializer?: InitializerId;
  /** The pointwise kernel's initializer; default 'glorot_uniform'. */
  pointwiseInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
}

/**
 * Depthwise-separable 2-D convolution layer, Keras `SeparableConv2D(filters, kernel_size, ...)`:
 * `activation(conv2d(depthwiseConv2d(x, depthwiseKernel), pointwiseKernel) + bias)` on NHWC input [N, H, W, C], with
 * depthwise_kernel [kH, kW, C, depthMultiplier], pointwise_kernel [1, 1, C * depthMultiplier, filters] (both
 * Glorot-uniform by default) and bias [filters] (zeros), created in that order.
 *
 * @example
 * ```ts
 * new dt.layers.SeparableConv2D(32, 3, { padding: 'same', activation: 'relu' });
 * ```
 * @throws {@link ArgumentError} for non-positive filters, a bad kernel size, strides, padding, depthMultiplier,
 * dilation rate (with strides > 1), activation or initializer; {@link ShapeError} for input that is not rank 4 or too
 * small.
 */
export class SeparableConv2D extends Layer {
  /** Number of output channels. */
  readonly filters: number;
  /** [kH, kW]. */
  readonly kernelSize: [number, number];
  /** [strideH, strideW]. */
  readonly strides: [number, number];
  /** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';
  /** Depthwise output channels per input channel. */
  readonly depthMultiplier: number;
  /** [dilationH, dilationW]. */
  readonly dilationRate: [number, number];
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly depthwiseInit: WeightInitializer;
  private readonly pointwiseInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  /** The depthwise kernel [kH, kW, C, depthMultiplier], once built. */
  depthwiseKernel?: Variable;
  /** The pointwise kernel [1, 1, C * depthMultiplier, filters], once built. */
  pointwiseKernel?: Variable;
  /** The bias [filters], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param filters number of output channels (positive integer)
   * @param kernelSize depthwise window size: one number or [kH, kW]
   * @param config strides, padding, depthMultiplier, dilation rate, activation, bias and initializers, name
   */
  constructor(filters: number, kernelSize: number | [number, number], config: SeparableConv2DConfig = {}) {
    super(config, ['strides', 'padding', 'depthMultiplier', 'dilationRate', 'activation', 'useBias', 'depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer']);
    if (!Number.isSafeInteger(filters) || filters <= 0) throw new ArgumentError(`SeparableConv2D: expected filters to be a positive integer. Received: filters=${filters}`);
    this.filters = filters;
    const o = depthwiseOptions('SeparableConv2D', kernelSize, config);
    this.kernelSize = o.kernelSize;
    this.strides = o.strides;
    this.padding = o.padding;
    this.depthMultiplier = o.depthMultiplier;
    this.dilationRate = o.dilationRate;
    this.useBias = config.useBias ?? true;
    this.activationName = config.activation ?? 'linear';
    this.activation = getActivation('SeparableConv2D', config.activation);
    this.depthwiseInit = resolveInitializer('SeparableConv2D', config.depthwiseInitializer ?? 'glorot_uniform');
    this.pointwiseInit = resolveInitializer('SeparableConv2D', config.pointwiseInitializer ?? 'glorot_uniform');
    this.biasInit = resolveInitializer('SeparableConv2D', config.biasInitializer ?? 'zeros');
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
    if (this.depthwiseKernel && shape[3] !== this.depthwiseKernel.shape[2]) {
      throw new ShapeError(`${this.label}: expected input with ${this.depthwiseKernel.shape[2]} channels. Received: input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const c = shape[3];
    if (c === null) throw new ShapeError(`${this.label}: expected a known channel dimension. Received: input shape ${fmtSym(shape)}`);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [this.kernelSize[0], this.kernelSize[1], c, this.depthMultiplier], this.depthwiseInit);
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, c * this.depthMultiplier, this.filters], this.pointwiseInit);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return windowOutputShape(this.label, shape, this.kernelSize, this.strides, this.dilationRate, this.padding, this.filters);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => {
      let y = ops.separableConv2d(x, this.depthwiseKernel!, this.pointwiseKernel!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      depthMultiplier: this.depthMultiplier, dilationRate: this.dilationRate, activation: this.activationName, useBias: this.useBias,
    };
  }
}
