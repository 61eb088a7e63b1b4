/**
 * DepthwiseConv2D (Keras): each input channel convolved with its own depthMultiplier filters, NHWC input, kernel
 * [kH, kW, inChannels, depthMultiplier] (GlorotUniform), bias [inChannels * depthMultiplier] (Zeros), strides,
 * 'valid' | 'same' padding, dilation rate, optional activation.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, pair, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym, type WeightInitializer } from '../layer.ts';
import { convOutSize } from './conv2d.ts';
import { checkLayerPadding, checkStridesWithDilation, dilatedExtent, dilationPair } from './conv-options.ts';

/** Options of {@link DepthwiseConv2D} (Keras's keyword arguments, camelCase). */
export interface DepthwiseConv2DConfig extends LayerConfig {
  /** Step of the window: one number or [strideH, strideW]; default 1. */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same' (output size ceil(size / stride)), TensorFlow's rules. */
  padding?: 'valid' | 'same';
  /** Output channels per input channel (positive integer); default 1. */
  depthMultiplier?: number;
  /** Spacing of the kernel's taps: one number or [dH, dW]; default 1. Not with strides > 1. */
  dilationRate?: number | [number, number];
  /** The activation by Keras name; default (undefined or null) linear. */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The depthwise kernel's initializer: a Keras name, an instance or a serialized one; default 'glorot_uniform'. */
  depthwiseInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
}

/**
 * Checks and normalizes what depthwise and separable layers share: kernel size, strides, padding, depthMultiplier,
 * dilation rate (Keras's rules).
 */
export function depthwiseOptions(layer: string, kernelSize: number | [number, number], config: { strides?: number | [number, number]; padding?: unknown; depthMultiplier?: number; dilationRate?: number | [number, number] }) {
  const k = pair(layer, 'kernelSize', kernelSize, [1, 1]);
  const strides = pair(layer, 'strides', config.strides, [1, 1]);
  const padding = checkLayerPadding(layer, config.padding);
  const m = config.depthMultiplier ?? 1;
  if (!Number.isSafeInteger(m) || m <= 0) throw new ArgumentError(`${layer}: expected depthMultiplier to be a positive integer. Received: depthMultiplier=${m}`);
  const dilation = dilationPair(layer, config.dilationRate);
  checkStridesWithDilation(layer, strides, dilation);
  return { kernelSize: k, strides, padding, depthMultiplier: m, dilationRate: dilation };
}

/** Output [N, outH, outW, channels] of a (dilated) window over [N, H, W, .]; throws when the input is too small. */
export function windowOutputShape(label: string, shape: SymbolicShape, k: [number, number], s: [number, number], d: [number, number], padding: 'valid' | 'same', channels: number | null): (number | null)[] {
  const [n, h, w] = shape;
  const oh = h === null ? null : convOutSize(h, dilatedExtent(k[0], d[0]), s[0], padding);
  const ow = w === null ? null : convOutSize(w, dilatedExtent(k[1], d[1]), s[1], padding);
  if ((oh !== null && oh <= 0) || (ow !== null && ow <= 0)) {
    throw new ShapeError(`${label}: input ${fmtSym(shape)} is too small for kernel [${k.join(', ')}] with dilationRate [${d.join(', ')}] and padding '${padding}'`);
  }
  return [n, oh, ow, channels];
}

/**
 * Depthwise 2-D convolution layer, Keras `DepthwiseConv2D(kernel_size, ...)`: `activation(depthwiseConv2d(x, kernel) +
 * bias)` on NHWC input [N, H, W, C]: output channel c * depthMultiplier + m is input channel c convolved with
 * kernel[:, :, c, m]. Kernel [kH, kW, C, depthMultiplier] (named `kernel`, as in Keras 3; Glorot-uniform by
 * default), bias [C * depthMultiplier] (zeros).
 *
 * @example
 * ```ts
 * new dt.layers.DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }); // [N, H, W, C] -> [N, H, W, 2C]
 * ```
 * @throws {@link ArgumentError} for a bad kernel size, strides, padding, depthMultiplier, dilation rate (with
 * strides > 1), activation or initializer; {@link ShapeError} when called on input that is not rank 4 or too small.
 */
export class DepthwiseConv2D extends Layer {
  /** [kH, kW]. */
  readonly kernelSize: [number, number];
  /** [strideH, strideW]. */
  readonly strides: [number, number];
  /** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';
  /** Output channels per input channel. */
  readonly depthMultiplier: number;
  /** [dilationH, dilationW]. */
  readonly dilationRate: [number, number];
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly depthwiseInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  /** The kernel [kH, kW, C, depthMultiplier], once built. */
  kernel?: Variable;
  /** The bias [C * depthMultiplier], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param kernelSize window size: one number or [kH, kW]
   * @param config strides, padding, depthMultiplier, dilation rate, activation, bias and initializers, name
   */
  constructor(kernelSize: number | [number, number], config: DepthwiseConv2DConfig = {}) {
    super(config, ['strides', 'padding', 'depthMultiplier', 'dilationRate', 'activation', 'useBias', 'depthwiseInitializer', 'biasInitializer']);
    const o = depthwiseOptions('DepthwiseConv2D', kernelSize, config);
    this.kernelSize = o.kernelSize;
    this.strides = o.strides;
    this.padding = o.padding;
    this.depthMultiplier = o.depthMultiplier;
    this.dilationRate = o.dilationRate;
    this.useBias = config.useBias ?? true;
    this.activationName = config.activation ?? 'linear';
    this.activation = getActivation('DepthwiseConv2D', config.activation);
    this.depthwiseInit = resolveInitializer('DepthwiseConv2D', config.depthwiseInitializer ?? 'glorot_uniform');
    this.biasInit = resolveInitializer('DepthwiseConv2D', config.biasInitializer ?? 'zeros');
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
    this.kernel = this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], c, this.depthMultiplier], this.depthwiseInit);
    if (this.useBias) this.bias = this.addWeight('bias', [c * this.depthMultiplier], this.biasInit);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    const c = shape[3];
    return windowOutputShape(this.label, shape, this.kernelSize, this.strides, this.dilationRate, this.padding, c === null ? null : c * this.depthMultiplier);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => {
      let y = ops.depthwiseConv2d(x, this.kernel!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, depthMultiplier: this.depthMultiplier,
      dilationRate: this.dilationRate, activation: this.activationName, useBias: this.useBias,
    };
  }
}
