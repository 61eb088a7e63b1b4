/**
 * The 1-D pooling layers (Keras 3, [N, T, C] channels last): MaxPooling1D and AveragePooling1D
 * (maxPool2d / avgPool2d on the input viewed as [N, 1, T, C] with windows [1, poolSize]: their
 * scan orders, tie rule and gradients, src/core/ops/pool.ts), GlobalMaxPooling1D (max over time)
 * and GlobalAveragePooling1D, which is mask-aware as in Keras: with a mask it is
 * sum(where(mask, x, 0), time) / sum(mask, time), both sums in the engine's summation order over
 * t = 0..T-1 (src/core/reduction-order.ts), then one float32 division; a sample whose every
 * timestep is masked gives 0 / 0 = NaN, as in Keras. Without a mask it is `mean` over time.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type LayerMask, type SymbolicShape, expectInputRank } from '../layer.ts';
import { convOutSize } from './conv2d.ts';
import { type DataFormat, checkDataFormat } from './data-format.ts';
import { checkGlobalPoolingConfig } from './global-pooling.ts';

/** Options of {@link MaxPooling1D} and {@link AveragePooling1D}. */
export interface Pooling1DConfig extends LayerConfig {
  /** Step of the window; default (undefined or null): the pool size. */
  strides?: number | null;
  /** 'valid' (default) or 'same' (TensorFlow's rules; the average leaves the padding out). */
  padding?: 'valid' | 'same';
  /** Only 'channels_last' (the default; layers are channels last). */
  dataFormat?: DataFormat;
}

/** Options of {@link GlobalMaxPooling1D} and {@link GlobalAveragePooling1D}. */
export interface GlobalPooling1DConfig extends LayerConfig {
  /** Keep the time axis as size 1 ([N, 1, C]) instead of removing it ([N, C]); default false. */
  keepdims?: boolean;
  /** Only 'channels_last' (the default). */
  dataFormat?: DataFormat;
}

function positive(cls: string, name: string, v: unknown): number {
  const x = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (!Number.isSafeInteger(x) || (x as number) <= 0) {
    throw new ArgumentError(`${cls}: expected ${name} to be a positive integer. Received: ${name}=${JSON.stringify(v) ?? String(v)}`);
  }
  return x as number;
}

/** The shared part of MaxPooling1D and AveragePooling1D. */
abstract class Pooling1D extends Layer {
  /** The window length. */
  readonly poolSize: number;
  /** The step of the window. */
  readonly strides: number;
  /** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';

  constructor(poolSize: number, config: Pooling1DConfig) {
    super(config, ['strides', 'padding', 'dataFormat']);
    const cls = new.target.name;
    this.poolSize = positive(cls, 'poolSize', poolSize);
    this.strides = config.strides === undefined || config.strides === null ? this.poolSize : positive(cls, 'strides', config.strides);
    if (config.padding !== undefined && config.padding !== 'valid' && config.padding !== 'same') {
      throw new ArgumentError(`${cls}: expected padding 'valid' or 'same'. Received: padding=${JSON.stringify(config.padding)}`);
    }
    this.padding = config.padding ?? 'valid';
    checkDataFormat(cls, config.dataFormat);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
  }

  computeOutputShape([n, t, c]: SymbolicShape): (number | null)[] {
    const ot = t === null ? null : convOutSize(t, this.poolSize, this.strides, this.padding);
    if (ot !== null && ot <= 0) throw new ShapeError(`${this.label}: input length ${t} is shorter than poolSize ${this.poolSize} with padding 'valid'`);
    return [n, ot, c];
  }

  /** Runs a 2-D pooling op on x viewed as [N, 1, T, C]. */
  protected pool(x: Tensor, op: typeof ops.maxPool2d): Tensor {
    return tidy(() => {
      const [n, t, c] = x.shape;
      const y = op(ops.reshape(x, [n, 1, t, c]), { poolSize: [1, this.poolSize], strides: [1, this.strides], padding: this.padding });
      return ops.reshape(y, [n, y.shape[2], c]);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [this.poolSize], strides: [this.strides], padding: this.padding, dataFormat: 'channels_last' };
  }
}

/**
 * 1-D max pooling, Keras `MaxPooling1D(pool_size=2, strides=None, padding='valid')`: [N, T, C] -> [N, T', C].
 * Ties in the gradient go to the first maximum of the window.
 * @throws {@link ArgumentError} for a bad poolSize, strides or padding; {@link ShapeError} for input that is not rank 3.
 */
export class MaxPooling1D extends Pooling1D {
  /**
   * @param poolSize the window length (default 2)
   * @param config strides (default poolSize), padding, dataFormat, name
   */
  constructor(poolSize = 2, config: Pooling1DConfig = {}) {
    super(poolSize, config);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.pool(x, ops.maxPool2d);
  }
}

/**
 * 1-D average pooling, Keras `AveragePooling1D(pool_size=2, strides=None, padding='valid')`: [N, T, C] -> [N, T', C];
 * with 'same' the padding is not counted in the averages (TensorFlow).
 * @throws {@link ArgumentError} for a bad poolSize, strides or padding; {@link ShapeError} for input that is not rank 3.
 */
export class AveragePooling1D extends Pooling1D {
  /**
   * @param poolSize the window length (default 2)
   * @param config strides (default poolSize), padding, dataFormat, name
   */
  constructor(poolSize = 2, config: Pooling1DConfig = {}) {
    super(poolSize, config);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.pool(x, ops.avgPool2d);
  }
}

/**
 * Maximum over time, Keras `GlobalMaxPooling1D(keepdims=False)`: [N, T, C] -> [N, C] ([N, 1, C] with keepdims). Like
 * Keras 3 it does not support masking: a mask it receives in a model is dropped with a warning.
 * @throws {@link ArgumentError} for a bad keepdims or dataFormat; {@link ShapeError} for input that is not rank 3.
 */
export class GlobalMaxPooling1D extends Layer {
  /** Whether the time axis is kept as size 1. */
  readonly keepdims: boolean;

  /** @param config keepdims, dataFormat, name */
  constructor(config: GlobalPooling1DConfig = {}) {
    super(config, ['keepdims', 'dataFormat']);
    this.keepdims = checkGlobalPoolingConfig('GlobalMaxPooling1D', config);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
  }

  computeOutputShape([n, , c]: SymbolicShape): (number | null)[] {
    return this.keepdims ? [n, 1, c] : [n, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.max(x, 1, this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}

/**
 * Mean over time, Keras `GlobalAveragePooling1D(keepdims=False)`: [N, T, C] -> [N, C] ([N, 1, C] with keepdims).
 * Mask-aware, as in Keras: given a mask [N, T] (from Embedding with `maskZero`, Masking, or `ctx.mask`), it averages
 * the unmasked timesteps only, sum(where(mask, x, 0)) / count, each sum in the engine's order over t (see the module
 * header); the output has no mask.
 * @throws {@link ArgumentError} for a bad keepdims or dataFormat; {@link ShapeError} for input that is not rank 3 or a
 * mask that is not [N, T].
 */
export class GlobalAveragePooling1D extends Layer {
  /** Consumes the mask (Keras: `supports_masking = True`, output mask None). */
  override supportsMasking = true;
  /** Whether the time axis is kept as size 1. */
  readonly keepdims: boolean;

  /** @param config keepdims, dataFormat, name */
  constructor(config: GlobalPooling1DConfig = {}) {
    super(config, ['keepdims', 'dataFormat']);
    this.keepdims = checkGlobalPoolingConfig('GlobalAveragePooling1D', config);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
  }

  computeOutputShape([n, , c]: SymbolicShape): (number | null)[] {
    return this.keepdims ? [n, 1, c] : [n, c];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const mask = ctx.mask;
    if (mask === undefined || mask === null) return ops.mean(x, 1, this.keepdims);
    if (Array.isArray(mask) || (mask as Tensor).rank !== 2 || (mask as Tensor).shape[0] !== x.shape[0] || (mask as Tensor).shape[1] !== x.shape[1]) {
      throw new ArgumentError(`${this.label}: expected a mask of shape [${x.shape[0]}, ${x.shape[1]}] (batch, timesteps). Received: ${Array.isArray(mask) ? 'a list of masks' : `a mask of shape [${(mask as Tensor).shape.join(', ')}]`}`);
    }
    return tidy(() => {
      const m = ops.expandDims(ops.notEqual(mask as Tensor, 0), 2); // uint8 [N, T, 1], whatever the mask's dtype
      const kept = ops.where(m, x, 0);
      return ops.div(ops.sum(kept, 1, this.keepdims), ops.sum(ops.cast(m, 'float32'), 1, this.keepdims));
    });
  }

  /** The output has no mask (time is pooled away). */
  override computeMask(_x: Tensor, _previousMask: LayerMask): null {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}
