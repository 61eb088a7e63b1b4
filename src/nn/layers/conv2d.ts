/**
 * Conv2D (Keras): NHWC input, kernel [kH, kW, inChannels / groups, filters] (GlorotUniform), bias [filters]
 * (Zeros), strides, 'valid' | 'same' padding, dilation rate, groups, optional activation.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, pair, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { attachWeightOptions, addActivityLoss } from '../layer-losses.ts';
import { WEIGHT_OPTION_KEYS, type WeightOptions, type WeightOptionsConfig, resolveWeightOptions } from '../layer-weight-options.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym, type WeightInitializer } from '../layer.ts';
import { checkStridesWithDilation, dilatedExtent, dilationPair } from './conv-options.ts';

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
  /** Spacing of the kernel's taps (atrous convolution): one number or [dH, dW]; default 1. Not with strides > 1. */
  dilationRate?: number | [number, number];
  /**
   * Number of channel groups (default 1): input channels and filters are split in `groups` groups, filter group g
   * seeing only input channel group g; both counts must be divisible by it. The kernel is [kH, kW, C / groups, filters].
   */
  groups?: number;
}

/** Output size along one dimension (TensorFlow rules). */
export function convOutSize(size: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

/**
 * 2-D convolution layer, Keras `Conv2D(filters, kernel_size, ...)`: `activation(conv2d(x, kernel) + bias)` on NHWC
 * input [N, H, W, C], kernel [kH, kW, C, filters] (Glorot-uniform by default, as in Keras), bias [filters] (zeros).
 * With `dilationRate` the taps are spaced apart (output size from the dilated extent (k - 1) * d + 1, Keras's rules);
 * with `groups` the kernel is [kH, kW, C / groups, filters] and filter group g sees input channel group g.
 * An unseeded initializer draws its seed when the layer is constructed, as in Keras, so
 * `dt.utils.setRandomSeed` before building the model makes the initial weights reproducible.
 *
 * @example
 * ```ts
 * new dt.layers.Conv2D(32, [3, 3], { activation: 'relu', padding: 'same' });
 * ```
 * @throws {@link ArgumentError} for non-positive filters, a bad kernel size, strides, padding, dilation rate (with
 * strides > 1, as Keras), groups (not dividing filters), activation or initializer; {@link ShapeError} when called on
 * input that is not rank 4, too small for the kernel, or whose channels groups does not divide.
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
  /** [dilationH, dilationW]. */
  readonly dilationRate: [number, number];
  /** Number of channel groups. */
  readonly groups: number;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly kernelInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  private readonly weightOptions: WeightOptions;
  /** The kernel [kH, kW, C / groups, filters], once built. */
  kernel?: Variable;
  /** The bias [filters], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param filters number of output channels (positive integer)
   * @param kernelSize window size: one number or [kH, kW]
   * @param config strides, padding, activation, bias and initializers, name
   */
  constructor(filters: number, kernelSize: number | [number, number], config: Conv2DConfig = {}) {
    super(config, ['strides', 'padding', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'dilationRate', 'groups', ...WEIGHT_OPTION_KEYS]);
    this.weightOptions = resolveWeightOptions('Conv2D', config);
    if (!Number.isSafeInteger(filters) || filters <= 0) throw new ArgumentError(`Conv2D: expected filters to be a positive integer. Received: filters=${filters}`);
    const groups = config.groups ?? 1;
    if (!Number.isSafeInteger(groups) || groups <= 0) throw new ArgumentError(`Conv2D: expected groups to be a positive integer. Received: groups=${groups}`);
    if (filters % groups !== 0) throw new ArgumentError(`Conv2D: expected the number of filters to be evenly divisible by the number of groups. Received: groups=${groups}, filters=${filters}`);
    this.groups = groups;
    this.dilationRate = dilationPair('Conv2D', config.dilationRate);
    this.filters = filters;
    this.kernelSize = pair('Conv2D', 'kernelSize', kernelSize, [1, 1]);
    this.strides = pair('Conv2D', 'strides', config.strides, [1, 1]);
    checkStridesWithDilation('Conv2D', this.strides, this.dilationRate);
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
    if (this.kernel && shape[3] !== this.kernel.shape[2] * this.groups) {
      throw new ShapeError(`${this.label}: expected input with ${this.kernel.shape[2] * this.groups} channels. Received: input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const c = shape[3];
    if (c === null) throw new ShapeError(`${this.label}: expected a known channel dimension. Received: input shape ${fmtSym(shape)}`);
    if (c % this.groups !== 0) {
      throw new ShapeError(`${this.label}: expected the number of input channels to be evenly divisible by the number of groups. Received: groups=${this.groups}, input shape ${fmtSym(shape)}`);
    }
    this.kernel = this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], c / this.groups, this.filters], this.kernelInit);
    attachWeightOptions(this.kernel, this.weightOptions.kernelRegularizer, this.weightOptions.kernelConstraint);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
    if (this.bias) attachWeightOptions(this.bias, this.weightOptions.biasRegularizer, this.weightOptions.biasConstraint);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    const [n, h, w] = shape;
    const oh = h === null ? null : convOutSize(h, dilatedExtent(this.kernelSize[0], this.dilationRate[0]), this.strides[0], this.padding);
    const ow = w === null ? null : convOutSize(w, dilatedExtent(this.kernelSize[1], this.dilationRate[1]), this.strides[1], this.padding);
    if ((oh !== null && oh <= 0) || (ow !== null && ow <= 0)) {
      throw new ShapeError(`${this.label}: input ${fmtSym(shape)} is too small for kernel [${this.kernelSize.join(', ')}]${this.dilationRate[0] * this.dilationRate[1] > 1 ? ` with dilationRate [${this.dilationRate.join(', ')}]` : ''} with padding '${this.padding}'`);
    }
    return [n, oh, ow, this.filters];
  }

  /**
   * conv2dBiasAct's options when this layer's convolution, bias and activation run as that one op (one group, a
   * bias, 'relu' or 'linear'), else null. After conv2d's own checks on `x`, so that a bad input gets conv2d's error,
   * as without the fusion.
   */
  private biasActOptions(x: Tensor): ops.Conv2dBiasActOptions | null {
    if (this.groups !== 1 || !this.bias || (this.activationName !== 'relu' && this.activationName !== 'linear')) return null;
    const o = { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
    ops.checkConv2dCall(x, this.kernel!, o);
    return { ...o, activation: this.activationName };
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const out = tidy(() => {
      // bias + relu/linear fused into the convolution: the same bits as the three ops, without two passes
      const fused = this.biasActOptions(x);
      if (fused !== null) return ops.conv2dBiasAct(x, this.kernel!, this.bias!, fused);
      const o = { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
      let y = this.groups === 1 ? ops.conv2d(x, this.kernel!, o) : ops.groupedConv2d(x, this.kernel!, this.groups, o);
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
    addActivityLoss(this.weightOptions.activityRegularizer, out);
    return out;
  }

  /**
   * @internal Inference fusion (src/nn/inference-fusion.ts): this layer's output max-pooled by `pool`, as one
   * op (conv2dBiasActMaxPool: the bits of `call` and then maxPool2d), or null when this layer's call is not a
   * plain conv2dBiasAct (a subclass, groups, no bias, another activation, an activity regularizer whose loss
   * needs the output). The layer is built.
   */
  callMaxPooled(x: Tensor, pool: { poolSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }): Tensor | null {
    if (this.constructor !== Conv2D || this.weightOptions.activityRegularizer) return null;
    return tidy(() => {
      const fused = this.biasActOptions(x);
      return fused === null ? null : ops.conv2dBiasActMaxPool(x, this.kernel!, this.bias!, fused, pool);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, activation: this.activationName, useBias: this.useBias, dilationRate: this.dilationRate, groups: this.groups };
  }
}
