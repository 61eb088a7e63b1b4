/**
 * Conv1D (Keras 3): temporal convolution on [N, T, C] input, kernel [k, C / groups, filters]
 * (GlorotUniform), bias [filters] (Zeros), strides, padding 'valid' | 'same' | 'causal', dilation
 * rate, groups, optional activation. Computed by conv2d (or the grouped convolution) on the input
 * viewed as [N, 1, T, C] with the kernel viewed as [1, k, C / groups, filters]: a reshape, so the
 * sums, their order and the gradients are conv2d's (src/core/ops/conv2d.ts), term k = kw * C + c.
 * 'causal' pads dilation * (k - 1) zeros on the left of the time axis, then convolves 'valid'.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { addActivityLoss, attachWeightOptions } from '../layer-losses.ts';
import { WEIGHT_OPTION_KEYS, type WeightOptions, type WeightOptionsConfig, resolveWeightOptions } from '../layer-weight-options.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, type WeightInitializer, expectInputRank, fmtSym } from '../layer.ts';
import { dilatedExtent } from './conv-options.ts';
import { convOutSize } from './conv2d.ts';

/** Options of {@link Conv1D} (Keras's keyword arguments, camelCase). */
export interface Conv1DConfig extends LayerConfig, WeightOptionsConfig {
  /** Step of the window along time; default 1. */
  strides?: number;
  /**
   * 'valid' (default, no padding), 'same' (output length ceil(T / stride), TensorFlow's rules) or 'causal'
   * (dilationRate * (kernelSize - 1) zeros on the left: output t sees inputs up to t only).
   */
  padding?: 'valid' | 'same' | 'causal';
  /** Spacing of the kernel's taps; default 1. Not with strides > 1 (as Keras). */
  dilationRate?: number;
  /** Number of channel groups (default 1); input channels and filters must be divisible by it. */
  groups?: number;
  /** The activation by Keras name; default (undefined or null) linear. */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The kernel's initializer; default 'glorot_uniform'. */
  kernelInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
}

/** One positive integer (a one-element array is accepted, as Keras's tuples). */
function positive(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (!Number.isSafeInteger(x) || (x as number) <= 0) {
    throw new ArgumentError(`Conv1D: expected ${name} to be a positive integer. Received: ${name}=${JSON.stringify(v) ?? String(v)}`);
  }
  return x as number;
}

/**
 * 1-D convolution layer, Keras `Conv1D(filters, kernel_size, ...)`: `activation(conv1d(x, kernel) + bias)` on input
 * [N, T, C] (channels last), kernel [kernelSize, C / groups, filters] as in Keras (so weights move to and from Keras
 * unchanged), bias [filters]. 'causal' padding makes output t depend on inputs 0..t only (WaveNet-style, with
 * `dilationRate`).
 *
 * @example
 * ```ts
 * new dt.layers.Conv1D(32, 3, { padding: 'causal', dilationRate: 2, activation: 'relu' });
 * ```
 * @throws {@link ArgumentError} for a bad filters, kernelSize, strides, padding, dilationRate (with strides > 1),
 * groups, activation or initializer; {@link ShapeError} for input that is not rank 3, too short for the kernel, or
 * whose channels groups does not divide.
 */
export class Conv1D extends Layer {
  /** Number of output channels. */
  readonly filters: number;
  /** The window length. */
  readonly kernelSize: number;
  /** The step along time. */
  readonly strides: number;
  /** 'valid', 'same' or 'causal'. */
  readonly padding: 'valid' | 'same' | 'causal';
  /** The taps' spacing. */
  readonly dilationRate: number;
  /** Number of channel groups. */
  readonly groups: number;
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly kernelInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  private readonly weightOptions: WeightOptions;
  /** The kernel [kernelSize, C / groups, filters], once built. */
  kernel?: Variable;
  /** The bias [filters], once built (when `useBias`). */
  bias?: Variable;

  /**
   * @param filters number of output channels (positive integer)
   * @param kernelSize window length (positive integer)
   * @param config strides, padding, dilationRate, groups, activation, bias, initializers, regularizers, name
   */
  constructor(filters: number, kernelSize: number | [number], config: Conv1DConfig = {}) {
    super(config, ['strides', 'padding', 'dilationRate', 'groups', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...WEIGHT_OPTION_KEYS]);
    this.weightOptions = resolveWeightOptions('Conv1D', config);
    this.filters = positive('filters', filters, 0);
    this.kernelSize = positive('kernelSize', kernelSize, 0);
    this.strides = positive('strides', config.strides, 1);
    this.dilationRate = positive('dilationRate', config.dilationRate, 1);
    this.groups = positive('groups', config.groups, 1);
    if (this.filters % this.groups !== 0) throw new ArgumentError(`Conv1D: expected the number of filters to be evenly divisible by the number of groups. Received: groups=${this.groups}, filters=${this.filters}`);
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new ArgumentError(`Conv1D: expected strides 1 or dilationRate 1 (strides > 1 is not supported in conjunction with dilationRate > 1, as in Keras). Received: strides=${this.strides}, dilationRate=${this.dilationRate}`);
    }
    const padding = config.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') {
      throw new ArgumentError(`Conv1D: expected padding 'valid', 'same' or 'causal'. Received: padding=${JSON.stringify(config.padding)}`);
    }
    this.padding = padding;
    this.useBias = config.useBias ?? true;
    this.activationName = config.activation ?? 'linear';
    this.activation = getActivation('Conv1D', config.activation);
    this.kernelInit = resolveInitializer('Conv1D', config.kernelInitializer ?? 'glorot_uniform');
    this.biasInit = resolveInitializer('Conv1D', config.biasInitializer ?? 'zeros');
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
    if (this.kernel && shape[2] !== this.kernel.shape[1] * this.groups) {
      throw new ShapeError(`${this.label}: expected input with ${this.kernel.shape[1] * this.groups} channels. Received: input shape ${fmtSym(shape)}`);
    }
    this.computeOutputShape(shape); // refuses an input too short for the kernel, naming the layer
  }

  protected override build(shape: SymbolicShape): void {
    const c = shape[2];
    if (c === null) throw new ShapeError(`${this.label}: expected a known channel dimension. Received: input shape ${fmtSym(shape)}`);
    if (c % this.groups !== 0) {
      throw new ShapeError(`${this.label}: expected the number of input channels to be evenly divisible by the number of groups. Received: groups=${this.groups}, input shape ${fmtSym(shape)}`);
    }
    this.kernel = this.addWeight('kernel', [this.kernelSize, c / this.groups, this.filters], this.kernelInit);
    attachWeightOptions(this.kernel, this.weightOptions.kernelRegularizer, this.weightOptions.kernelConstraint);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
    if (this.bias) attachWeightOptions(this.bias, this.weightOptions.biasRegularizer, this.weightOptions.biasConstraint);
  }

  /** Zeros added on the left for 'causal' padding. */
  private get causalPad(): number {
    return this.padding === 'causal' ? this.dilationRate * (this.kernelSize - 1) : 0;
  }

  computeOutputShape([n, t]: SymbolicShape): (number | null)[] {
    const extent = dilatedExtent(this.kernelSize, this.dilationRate);
    const ot = t === null ? null : convOutSize(t + this.causalPad, extent, this.strides, this.padding === 'same' ? 'same' : 'valid');
    if (ot !== null && ot <= 0) {
      throw new ShapeError(`${this.label}: input ${fmtSym([n, t])} is too short for kernel ${this.kernelSize}${this.dilationRate > 1 ? ` with dilationRate ${this.dilationRate}` : ''} with padding '${this.padding}'`);
    }
    return [n, ot, this.filters];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const out = tidy(() => {
      const [n, t, c] = x.shape;
      let x4 = ops.reshape(x, [n, 1, t, c]);
      if (this.causalPad > 0) x4 = ops.pad(x4, [[0, 0], [0, 0], [this.causalPad, 0], [0, 0]]);
      const w4 = ops.reshape(this.kernel!, [1, ...this.kernel!.shape]);
      const o = { strides: [1, this.strides] as [number, number], padding: this.padding === 'same' ? 'same' as const : 'valid' as const, dilations: [1, this.dilationRate] as [number, number] };
      let y = this.groups === 1 ? ops.conv2d(x4, w4, o) : ops.groupedConv2d(x4, w4, this.groups, o);
      y = ops.reshape(y, [n, y.shape[2], this.filters]);
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
    addActivityLoss(this.weightOptions.activityRegularizer, out);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, kernelSize: [this.kernelSize], strides: [this.strides], padding: this.padding, dilationRate: [this.dilationRate], groups: this.groups, activation: this.activationName, useBias: this.useBias };
  }
}
