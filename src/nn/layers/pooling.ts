/**
 * MaxPooling2D, AveragePooling2D and GlobalAveragePooling2D (Keras, NHWC). Pool strides default to
 * the pool size; AveragePooling2D excludes padding from its counts, as TensorFlow does.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops, pair } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank } from '../layer.ts';
import { convOutSize } from './conv2d.ts';
import { type GlobalPooling2DConfig, checkGlobalPoolingConfig } from './global-pooling.ts';

/** Options of {@link MaxPooling2D} and {@link AveragePooling2D}. */
export interface Pooling2DConfig extends LayerConfig {
  /** Step of the window: one number or a pair; default: the pool size (as in Keras). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same', TensorFlow's rules. */
  padding?: 'valid' | 'same';
}

abstract class Pooling2D extends Layer {
  /** [poolH, poolW]. */
  readonly poolSize: [number, number];
  /** [strideH, strideW]. */
  readonly strides: [number, number];
  /** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';

  constructor(poolSize: number | [number, number] = [2, 2], config: Pooling2DConfig = {}) {
    super(config, ['strides', 'padding']);
    const cls = this.constructor.name;
    this.poolSize = pair(cls, 'poolSize', poolSize, [2, 2]);
    this.strides = pair(cls, 'strides', config.strides, this.poolSize);
    if (config.padding !== undefined && config.padding !== 'valid' && config.padding !== 'same') {
      throw new ArgumentError(`${cls}: expected padding 'valid' or 'same'. Received: padding=${JSON.stringify(config.padding)}`);
    }
    this.padding = config.padding ?? 'valid';
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
  }

  computeOutputShape([n, h, w, c]: SymbolicShape): (number | null)[] {
    return [n, h === null ? null : convOutSize(h, this.poolSize[0], this.strides[0], this.padding), w === null ? null : convOutSize(w, this.poolSize[1], this.strides[1], this.padding), c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

/**
 * 2-D max pooling layer, Keras `MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid')`: input [N, H, W, C].
 * The constructor takes `(poolSize = [2, 2], config)`. Ties in the gradient go to the first maximum in scan order.
 * @throws {@link ArgumentError} for a bad pool size, strides or padding; {@link ShapeError} for input that is not rank 4.
 */
export class MaxPooling2D extends Pooling2D {
  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.maxPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/**
 * 2-D average pooling layer, Keras `AveragePooling2D`: input [N, H, W, C]; with 'same' padding the padding is not
 * counted in the averages, as in TensorFlow. The constructor takes `(poolSize = [2, 2], config)`.
 * @throws {@link ArgumentError} for a bad pool size, strides or padding; {@link ShapeError} for input that is not rank 4.
 */
export class AveragePooling2D extends Pooling2D {
  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.avgPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/**
 * Mean over the spatial axes, Keras `GlobalAveragePooling2D(keepdims=False)`: [N, H, W, C] -> [N, C] ([N, 1, 1, C]
 * with keepdims).
 * @throws {@link ShapeError} for input that is not rank 4.
 */
export class GlobalAveragePooling2D extends Layer {
  /** Whether the spatial axes are kept as size 1 ([N, 1, 1, C]); default false. */
  readonly keepdims: boolean;

  /** @param config keepdims, dataFormat, name, inputShape, trainable */
  constructor(config: GlobalPooling2DConfig = {}) {
    super(config, ['keepdims', 'dataFormat']);
    this.keepdims = checkGlobalPoolingConfig('GlobalAveragePooling2D', config);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
  }

  computeOutputShape([n, , , c]: SymbolicShape): (number | null)[] {
    return this.keepdims ? [n, 1, 1, c] : [n, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.mean(x, [1, 2], this.keepdims);
  }
}
