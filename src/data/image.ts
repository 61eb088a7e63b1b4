/**
 * Image utilities (`dt.image`): resize with TensorFlow 2 semantics. The arithmetic is the core op
 * resizeBilinear (src/core/ops/resize-bilinear.ts), so it runs on every backend.
 * Part of src/data: imports src/core only.
 */
import {
  ArgumentError, ShapeError, type Tensor, assertLive, cast, checkOptions, checkSize, fmtShape, reshape, resizeBilinear, tidy,
} from '../core/internal.ts';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** Only 'bilinear' (the default) is implemented. */
  method?: 'bilinear';
  /** Only false (the default, TensorFlow's default) is implemented. */
  antialias?: false;
}

/**
 * tf.image.resize(images, size) with method 'bilinear' and antialias false (half-pixel centers, TensorFlow 2
 * semantics): images [N, H, W, C] or [H, W, C] of any dtype (integers are cast to float32 first) ->
 * [N, size[0], size[1], C] or [size[0], size[1], C], float32. The same bits on every backend. Not differentiable.
 *
 * @example
 * ```ts
 * const big = dt.image.resize(images, [32, 32]); // [N, 28, 28, 1] -> [N, 32, 32, 1]
 * ```
 * @throws {@link ShapeError} for images that are not rank 3 or 4; {@link ArgumentError} for a bad size or an
 * unsupported method or antialias.
 */
export function resize(images: Tensor, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  assertLive('image.resize', images);
  checkOptions('image.resize', options, ['method', 'antialias']);
  checkSize('image.resize', size);
  if ((options.method ?? 'bilinear') !== 'bilinear') {
    throw new ArgumentError(`image.resize: expected method 'bilinear' (the only one implemented). Received: method=${JSON.stringify(options.method)}`);
  }
  if (options.antialias) {
    throw new ArgumentError('image.resize: expected antialias false (antialiasing is not implemented). Received: antialias=true');
  }
  if (images.rank !== 3 && images.rank !== 4) {
    throw new ShapeError(`image.resize: expected images of rank 4 [N, H, W, C] or rank 3 [H, W, C]. Received: images.shape=${fmtShape(images.shape)}`);
  }
  return tidy(() => {
    const x = images.dtype === 'float32' ? images : cast(images, 'float32');
    if (images.rank === 4) return resizeBilinear(x, size);
    const [h, w, c] = images.shape;
    return reshape(resizeBilinear(reshape(x, [1, h, w, c]), size), [size[0], size[1], c]);
  });
}

export { transform, type TransformOptions } from './image-transform.ts';
