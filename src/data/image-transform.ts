/**
 * `dt.image.transform`: TF.js's `tf.image.transform` / Keras's `ops.image.affine_transform` (TensorFlow backend) on
 * the core primitive imageTransform (src/core/ops/image-transform.ts), which documents the float32 operation
 * sequence every backend follows. This wrapper adds [H, W, C] images, [8] transforms and integer images.
 * Part of src/data: imports src/core only.
 */
import {
  ShapeError, type ImageTransformOptions, type Tensor, assertLive, cast, checkOptions, fmtShape, imageTransform, reshape, tidy,
} from '../core/internal.ts';

/** Options of {@link transform}: TF.js `tf.image.transform`'s optional arguments, as an options object. */
export type TransformOptions = ImageTransformOptions;

/**
 * Projective transform of images, TF.js `tf.image.transform(image, transforms, interpolation, fillMode, fillValue,
 * outputShape)` with the optional arguments as an options object (defaults as TF.js: interpolation 'nearest',
 * fillMode 'constant', fillValue 0, outputShape the input's). images [N, H, W, C] or [H, W, C] of any dtype
 * (integers are cast to float32); transforms [N, 8], [1, 8] or [8] float32, each row [a0, a1, a2, b0, b1, b2, c0, c1]
 * mapping an output point (x, y) to the input point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),
 * k = c0 x + c1 y + 1. Result float32, the same bits on every backend. Not differentiable.
 *
 * @example
 * ```ts
 * // flip a batch of 28x28 images left-right
 * const flipped = dt.image.transform(images, dt.tensor([[-1, 0, 27, 0, 1, 0, 0, 0]]));
 * ```
 * @throws {@link ShapeError} for images that are not rank 3 or 4 or transforms of the wrong shape;
 * {@link ArgumentError} for bad options.
 */
export function transform(images: Tensor, transforms: Tensor, options: TransformOptions = {}): Tensor {
  assertLive('image.transform', images);
  assertLive('image.transform', transforms);
  checkOptions('image.transform', options, ['interpolation', 'fillMode', 'fillValue', 'outputShape']);
  if (images.rank !== 3 && images.rank !== 4) {
    throw new ShapeError(`image.transform: expected images of rank 4 [N, H, W, C] or rank 3 [H, W, C]. Received: images.shape=${fmtShape(images.shape)}`);
  }
  if (transforms.rank !== 1 && transforms.rank !== 2) {
    throw new ShapeError(`image.transform: expected transforms of rank 2 [N, 8] or rank 1 [8]. Received: transforms.shape=${fmtShape(transforms.shape)}`);
  }
  return tidy(() => {
    const x = images.dtype === 'float32' ? images : cast(images, 'float32');
    const t = transforms.rank === 2 ? transforms : reshape(transforms, [1, transforms.shape[0]]);
    if (images.rank === 4) return imageTransform(x, t, options);
    const [h, w, c] = images.shape;
    const y = imageTransform(reshape(x, [1, h, w, c]), t, options);
    return reshape(y, y.shape.slice(1));
  });
}
