/**
 * Conv2D (Keras): NHWC input, kernel [kH, kW, inChannels, filters] (GlorotUniform), bias [filters]
 * (Zeros), strides, 'valid' | 'same' padding, optional activation.
 * Part of src/nn: imports src/core only.
 */
import * as ops from '../../core/ops/index.ts';
import { ENGINE } from '../../core/engine.ts';
import { ArgumentError, ShapeError } from '../../core/errors.ts';
import { pair } from '../../core/ops/window.ts';
import type { Tensor, Variable } from '../../core/tensor.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym, type WeightInitializer } from '../layer.ts';

export interface Conv2DConfig extends LayerConfig {
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  activation?: string | null;
  useBias?: boolean;
  kernelInitializer?: InitializerId;
  biasInitializer?: InitializerId;
}

/** Output size along one dimension (TensorFlow rules). */
export function convOutSize(size: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

export class Conv2D extends Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly useBias: boolean;
  readonly activationName: string;
  private readonly activation: ActivationFn;
  private readonly kernelInit: WeightInitializer;
  private readonly biasInit: WeightInitializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(filters: number, kernelSize: number | [number, number], config: Conv2DConfig = {}) {
    super(config);
    if (!Number.isInteger(filters) || filters <= 0) throw new ArgumentError(`Conv2D: expected filters to be a positive integer. Received: filters=${filters}`);
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
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
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
    return ENGINE.tidy(() => {
      let y = ops.conv2d(x, this.kernel!, { strides: this.strides, padding: this.padding });
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation(y);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, activation: this.activationName, useBias: this.useBias };
  }
}
