/**
 * imageTransform: projective image transform with TensorFlow's ImageProjectiveTransformV3 semantics (the op behind
 * Keras 3's `keras.ops.image.affine_transform` on the TensorFlow backend and TF.js's `tf.image.transform`):
 * images [N, H, W, C] float32, transforms [N, 8] or [1, 8] float32 -> [N, outH, outW, C] float32. Each transform
 * row [a0, a1, a2, b0, b1, b2, c0, c1] maps an OUTPUT point (x, y) to the INPUT point
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k) with k = c0 x + c1 y + 1, which is then brought back into the
 * image by the fill mode and sampled by the interpolation.
 * Part of src/core: imports nothing outside src/core.
 *
 * determinism: every backend computes each output element (n, yo, xo, c) with exactly this sequence of separately
 * rounded float32 operations (f(e): e rounded to float32; + - * / rounded to nearest even, no FMA contraction;
 * floor, trunc and comparisons exact; integer -> float conversions exact, all sizes < 2^24). It is TensorFlow's
 * C++ kernel (tensorflow/core/kernels/image/image_ops.h: ProjectiveGenerator, MapCoordinate), written once here;
 * the CPU kernel (src/kernels/cpu/image-transform-tasks.ts) and the WGSL kernel (shaders/image-transform.wgsl)
 * follow it step for step. t = transforms[transforms has 1 row ? 0 : n], X = f(xo), Y = f(yo), fill = f(fillValue).
 *
 *   1. k  = f(f(f(t6 * X) + f(t7 * Y)) + 1);                 if k == 0: out = fill
 *   2. ix = f(f(f(f(t0 * X) + f(t1 * Y)) + t2) / k);  iy = f(f(f(f(t3 * X) + f(t4 * Y)) + t5) / k)
 *      if ix or iy is NaN or infinite: out = fill   (TensorFlow: undefined behaviour; our rule)
 *   3. x = map(ix, W), y = map(iy, H), with map(v, len) by fill mode (TF's MapCoordinate):
 *      reflect: v < 0:        len <= 1 ? 0 : (s = 2 len; v = f(f(s * trunc(f(-v / s))) + v);
 *                                             v = v < -len ? f(v + s) : f(-v - 1))
 *               v > len - 1:  len <= 1 ? 0 : (s = 2 len; v = f(v - f(s * trunc(f(v / s))));
 *                                             if v >= len: v = f(f(s - v) - 1))
 *      wrap:    v < 0:        len <= 1 ? 0 : (s = len - 1; v = f(v + f(len * f(trunc(f(-v / s)) + 1))))
 *               v > len - 1:  len <= 1 ? 0 : (s = len - 1; v = f(v - f(len * trunc(f(v / s)))))
 *      nearest: v;   constant: v (no clamp)
 *      then every mode but constant clamps: v < 0 ? 0 : (len - 1 < v ? len - 1 : v)   (Eigen's clamp: -0 stays -0)
 *   4. if x < 0 or x > W - 1 or y < 0 or y > H - 1: out = fill       (only 'constant' can get here)
 *   5. read(r, q) = 0 <= r < H and 0 <= q < W ? images[n, r, q, c] : fill
 *      nearest:  out = read(round(y), round(x)), round = half away from zero (x, y >= 0 here:
 *                fl = floor(v); fl + (f(v - fl) >= 0.5 ? 1 : 0); v - fl is exact)
 *      bilinear: yf = floor(y), xf = floor(x), yc = yf + 1, xc = xf + 1          (exact)
 *                wx0 = f(xc - x), wx1 = f(x - xf), wy0 = f(yc - y), wy1 = f(y - yf)
 *                top = f(f(wx0 * read(yf, xf)) + f(wx1 * read(yf, xc)))
 *                bot = f(f(wx0 * read(yc, xf)) + f(wx1 * read(yc, xc)))
 *                out = f(f(wy0 * top) + f(wy1 * bot))
 *
 * Where TensorFlow computes with int64 (s * trunc(...) in reflect and wrap, trunc(...) + 1 in wrap), the float32
 * forms above give the same bits while |coordinates| < 2^24 (beyond that, where pixel positions are meaningless,
 * they are our definition). NaN pixels and fill values propagate through the products (NaN bit patterns are not
 * part of the CPU/WebGPU contract). Reduction order: none (each output is one fixed expression).
 *
 * Keras's NumPy and JAX backends compute affine_transform differently (scipy-style map_coordinates: the fill
 * mode fixes each integer neighbour index instead of the coordinate): the same values in the image's interior,
 * rounding-level differences near edges, and a different 'wrap' seam (TF clamps the last half pixel, scipy
 * interpolates across it). The golden generator test/golden/gen/image_transform_golden.py checks the sequence
 * above bit for bit and compares it with the scipy-style float64 formula away from the seams.
 *
 * Gradients: refused (a clear error when a gradient would flow through the op): the transform samples inputs,
 * so an image gradient is a scatter whose deterministic gather form needs, per input pixel, the list of output
 * pixels that read it; augmentation sits on the inputs, where no gradient is needed.
 */
import { ArgumentError, DTypeError, ShapeError, TensorEngineError, fmtShape } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

/** Sampling of {@link imageTransform}: nearest neighbour or bilinear. */
export type ImageTransformInterpolation = 'nearest' | 'bilinear';
/** How {@link imageTransform} fills points outside the input image. */
export type ImageTransformFillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';

/** Interpolations of {@link imageTransform}. */
export const IMAGE_TRANSFORM_INTERPOLATIONS: readonly ImageTransformInterpolation[] = ['nearest', 'bilinear'];
/** Fill modes of {@link imageTransform}, in TensorFlow's enum order (its codes are their indices). */
export const IMAGE_TRANSFORM_FILL_MODES: readonly ImageTransformFillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];

/** Largest image height or width (and output size) accepted: coordinates stay exact integers in float32. */
export const IMAGE_TRANSFORM_MAX_SIZE = 1 << 23;

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** Projective image transform, TensorFlow ImageProjectiveTransformV3 semantics (ops/image-transform.ts). */
    imageTransform: {
      /** 'nearest' or 'bilinear'. */
      interpolation: ImageTransformInterpolation;
      /** 'reflect', 'wrap', 'constant' or 'nearest'. */
      fillMode: ImageTransformFillMode;
      /** The value of points outside the image (a float32 value). */
      fillValue: number;
      /** [outH, outW]. */
      outputShape: [number, number];
    };
  }
}

const imageTransformOp = defineOp({
  name: 'imageTransform',
  infer: ([x, t], a) => {
    if (x.shape.length !== 4) {
      throw new ShapeError(`imageTransform: expected images of rank 4 [N, H, W, C]. Received: images.shape=${fmtShape(x.shape)}`);
    }
    if (x.dtype !== 'float32') {
      throw new DTypeError(`imageTransform: expected images of dtype float32 (cast integer images first). Received: images.dtype=${x.dtype}`);
    }
    const [n, h, w] = x.shape;
    if (h < 1 || w < 1 || h >= IMAGE_TRANSFORM_MAX_SIZE || w >= IMAGE_TRANSFORM_MAX_SIZE) {
      throw new ShapeError(`imageTransform: expected an image height and width in [1, ${IMAGE_TRANSFORM_MAX_SIZE}). Received: images.shape=${fmtShape(x.shape)}`);
    }
    if (t.dtype !== 'float32') {
      throw new DTypeError(`imageTransform: expected transforms of dtype float32. Received: transforms.dtype=${t.dtype}`);
    }
    if (t.shape.length !== 2 || t.shape[1] !== 8 || (t.shape[0] !== n && t.shape[0] !== 1)) {
      throw new ShapeError(`imageTransform: expected transforms of shape [${n}, 8] or [1, 8] for images of shape ${fmtShape(x.shape)}. Received: transforms.shape=${fmtShape(t.shape)}`);
    }
    checkTransformAttrs('imageTransform', a);
    return { shape: [n, a.outputShape[0], a.outputShape[1], x.shape[3]], dtype: 'float32' };
  },
  grad: () => {
    throw new TensorEngineError(
      'imageTransform: gradients through the image transform are not supported (it is meant for input augmentation, '
      + 'where none are needed). Apply the augmentation layers to the model inputs, or outside the differentiated function.',
    );
  },
});

/** Throws unless the attributes are a known interpolation and fill mode, a number fill value and a valid output shape. */
export function checkTransformAttrs(fn: string, a: { interpolation: unknown; fillMode: unknown; fillValue: unknown; outputShape: unknown }): void {
  if (!(IMAGE_TRANSFORM_INTERPOLATIONS as readonly unknown[]).includes(a.interpolation)) {
    throw new ArgumentError(`${fn}: expected interpolation to be one of ${IMAGE_TRANSFORM_INTERPOLATIONS.map((s) => `'${s}'`).join(', ')}. Received: interpolation=${JSON.stringify(a.interpolation)}`);
  }
  if (!(IMAGE_TRANSFORM_FILL_MODES as readonly unknown[]).includes(a.fillMode)) {
    throw new ArgumentError(`${fn}: expected fillMode to be one of ${IMAGE_TRANSFORM_FILL_MODES.map((s) => `'${s}'`).join(', ')}. Received: fillMode=${JSON.stringify(a.fillMode)}`);
  }
  if (typeof a.fillValue !== 'number') {
    throw new ArgumentError(`${fn}: expected fillValue to be a number. Received: fillValue=${String(a.fillValue)}`);
  }
  const s = a.outputShape;
  const ok = Array.isArray(s) && s.length === 2 && s.every((d) => Number.isInteger(d) && d >= 1 && d < IMAGE_TRANSFORM_MAX_SIZE);
  if (!ok) {
    throw new ArgumentError(`${fn}: expected outputShape to be [height, width] with positive integers below ${IMAGE_TRANSFORM_MAX_SIZE}. Received: outputShape=${JSON.stringify(s)}`);
  }
}

/** Options of {@link imageTransform}. */
export interface ImageTransformOptions {
  /** 'nearest' (default, as TF.js `tf.image.transform`) or 'bilinear'. */
  interpolation?: ImageTransformInterpolation;
  /** 'constant' (default, as TF.js), 'reflect', 'wrap' or 'nearest'. */
  fillMode?: ImageTransformFillMode;
  /** Value of the points outside the image for fillMode 'constant' (default 0). */
  fillValue?: number;
  /** [outH, outW] of the result (default: the input's height and width). */
  outputShape?: readonly [number, number];
}

/**
 * Projective transform of a batch of images with TensorFlow's `ImageProjectiveTransformV3` semantics (TF.js
 * `tf.image.transform`, Keras `ops.image.affine_transform` on TensorFlow): images [N, H, W, C] float32, transforms
 * [N, 8] or [1, 8] float32, each row [a0, a1, a2, b0, b1, b2, c0, c1] mapping an output point (x, y) to the input
 * point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1. The same bits on every backend (the
 * float32 operation sequence is documented in src/core/ops/image-transform.ts). Not differentiable: a gradient
 * through it throws.
 * @throws {@link ShapeError} / {@link DTypeError} for bad images or transforms; {@link ArgumentError} for bad options.
 */
export function imageTransform(images: Tensor, transforms: Tensor, options: ImageTransformOptions = {}): Tensor {
  assertLive('imageTransform', images);
  assertLive('imageTransform', transforms);
  checkOptions('imageTransform', options, ['interpolation', 'fillMode', 'fillValue', 'outputShape']);
  if (images.rank !== 4) {
    throw new ShapeError(`imageTransform: expected images of rank 4 [N, H, W, C]. Received: images.shape=${fmtShape(images.shape)}`);
  }
  const attrs = {
    interpolation: options.interpolation ?? 'nearest',
    fillMode: options.fillMode ?? 'constant',
    fillValue: options.fillValue ?? 0,
    outputShape: (options.outputShape ? [...options.outputShape] : [images.shape[1], images.shape[2]]) as [number, number],
  };
  checkTransformAttrs('imageTransform', attrs);
  return runOp(imageTransformOp, [images, transforms], { ...attrs, fillValue: Math.fround(attrs.fillValue) });
}
