/**
 * Conv2DTranspose (Keras): the transposed 2-D convolution on NHWC input, kernel [kH, kW, filters, inChannels]
 * (GlorotUniform), bias [filters] (Zeros), strides, 'valid' | 'same' padding, outputPadding, dilation rate,
 * optional activation; Keras's output size rules (its TensorFlow backend's semantics).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, pair, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym, type WeightInitializer } from '../layer.ts';
import { checkLayerPadding, checkStridesWithDilation, convTransposeOutSize, dilationPair } from './conv-options.ts';

/** Options of {@link Conv2DTranspose} (Keras's keyword arguments, camelCase). */
export interface Conv2DTransposeConfig extends LayerConfig {
  /** Step of the window: one number or [strideH, strideW]; default 1. */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same' (output size input * stride without outputPadding), TensorFlow's rules. */
  padding?: 'valid' | 'same';
  /**
   * Extra rows/columns of output (one number or a pair, each below the stride); default (undefined or null) Keras's
   * inference: output size (n - 1) * s + max(k, s) for 'valid', n * s for 'same'.
   */
  outputPadding?: number | [number, number] | null;
  /** Spacing of the kernel's taps: one number or [dH, dW]; default 1. Not with strides > 1. */
  dilationRate?: number | [number, number];
  /** The activation by Keras name; default (undefined or null) linear. */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The kernel's initializer: a Keras name, an instance or a serialized one; default 'glorot_uniform'. */
  kernelInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
}

/**
 * Transposed 2-D convolution layer, Keras `Conv2DTranspose(filters, kernel_size, ...)`:
 * `activation(conv2dTranspose(x, kernel) + bias)` on NHWC input [N, H, W, C], kernel [kH, kW, filters, C]
 * (Glorot-uniform by default), bias [filters] (zeros). The output size per spatial dimension is Keras's: with
 * eK = (k - 1) * dilation + 1, 'valid' gives (n - 1) * s + eK + outputPadding (default max(eK, s) - eK), 'same'
 * gives n * s without outputPadding, else (n - 1) * s + eK % 2 + outputPadding; the values are TensorFlow's
 * conv2d_transpose for that output size (the gradient of the conv2d that maps it back to the input).
 *
 * @example
 * ```ts
 * new dt.layers.Conv2DTranspose(16, 3, { strides: 2, padding: 'same' }); // [N, 7, 7, C] -> [N, 14, 14, 16]
 * ```
 * @throws {@link ArgumentError} for non-positive filters, a bad kernel size, strides, padding, outputPadding (not
 * below the stride), dilation rate (with strides > 1), activation or initializer; {@link ShapeError} when called on
 * input that is not rank 4, or whose output size with 'same' and outputPadding does not convolve back to it.
 */
export class Conv2DTranspose extends Layer {
  /** Number of output channels. */
  readonly filters: number;
  /** [kH, kW]. */
  readonly kernelSize: [number, number];
  /** [strideH, strideW]. */
  readonly strides: [number, number];
  /** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';
  /** [padH, padW], or null for Keras's inference. */
  readonly outputPadding: [number, number] | null;
  /** [dilationH, dilationW]. */
  readonly dilationRate: [number, number];
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly kernelInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  /** The kernel [kH, kW, filters, C], once built. */
  kernel?: Variable;
  /** The bias [filters], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param filters number of output channels (positive integer)
   * @param kernelSize window size: one number or [kH, kW]
   * @param config strides, padding, outputPadding, dilation rate, activation, bias and initializers, name
   */
  constructor(filters: number, kernelSize: number | [number, number], config: Conv2DTransposeConfig = {}) {
    super(config, ['strides', 'padding', 'outputPadding', 'dilationRate', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer']);
    if (!Number.isSafeInteger(filters) || filters <= 0) throw new ArgumentError(`Conv2DTranspose: expected filters to be a positive integer. Received: filters=${filters}`);
    this.filters = filters;
    this.kernelSize = pair('Conv2DTranspose', 'kernelSize', kernelSize, [1, 1]);
    this.strides = pair('Conv2DTranspose', 'strides', config.strides, [1, 1]);
    this.padding = checkLayerPadding('Conv2DTranspose', config.padding);
    this.dilationRate = dilationPair('Conv2DTranspose', config.dilationRate);
    if (config.outputPadding === undefined || config.outputPadding === null) this.outputPadding = null;
    else {
      const v = config.outputPadding;
      const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? [...v] : [];
      if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= 0)) {
        throw new ArgumentError(`Conv2DTranspose: expected outputPadding to be a non-negative integer or a pair of them. Received: outputPadding=${JSON.stringify(v)}`);
      }
      if (p[0] >= this.strides[0] || p[1] >= this.strides[1]) {
        throw new ArgumentError(`Conv2DTranspose: expected outputPadding to be less than strides. Received: outputPadding=${JSON.stringify(p)}, strides=${JSON.stringify(this.strides)}`);
      }
      this.outputPadding = [p[0], p[1]];
    }
    checkStridesWithDilation('Conv2DTranspose', this.strides, this.dilationRate);
    this.useBias = config.useBias ?? true;
    this.activationName = config.activation ?? 'linear';
    this.activation = getActivation('Conv2DTranspose', config.activation);
    // Keras resolves initializers at construction: an unseeded one draws its seed now.
    this.kernelInit = resolveInitializer('Conv2DTranspose', config.kernelInitializer ?? 'glorot_uniform');
    this.biasInit = resolveInitializer('Conv2DTranspose', config.biasInitializer ?? 'zeros');
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
    if (this.kernel && shape[3] !== this.kernel.shape[3]) {
      throw new ShapeError(`${this.label}: expected input with ${this.kernel.shape[3]} channels. Received: input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const c = shape[3];
    if (c === null) throw new ShapeError(`${this.label}: expected a known channel dimension. Received: input shape ${fmtSym(shape)}`);
    this.kernel = this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], this.filters, c], this.kernelInit);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
  }

  private outSize(n: number, i: 0 | 1): number {
    return convTransposeOutSize(n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding, this.outputPadding?.[i] ?? null);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    const [n, h, w] = shape;
    return [n, h === null ? null : this.outSize(h, 0), w === null ? null : this.outSize(w, 1), this.filters];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => {
      const out = [x.shape[0], this.outSize(x.shape[1], 0), this.outSize(x.shape[2], 1), this.filters];
      let y = ops.conv2dTranspose(x, this.kernel!, out, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      outputPadding: this.outputPadding, dilationRate: this.dilationRate, activation: this.activationName, useBias: this.useBias,
    };
  }
}
