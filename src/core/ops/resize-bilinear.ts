/**
 * resizeBilinear: bilinear image resizing with TensorFlow 2 semantics (tf.image.resize, method
 * 'bilinear', antialias=False: half-pixel centers, align_corners=False), x [N, H, W, C] float32
 * -> [N, outH, outW, C] float32. Not differentiable (no grad; the tape skips it).
 * Part of src/core: imports nothing outside src/core.
 *
 * determinism: every backend computes each output element with exactly this sequence of
 * separately rounded float32 operations (+ - * / rounded to nearest even, no FMA, no
 * transcendental); f32(e) below means "e rounded to float32", integer <-> float conversions are
 * exact (all sizes are < 2^24). The CPU kernel (src/kernels/cpu/resize-bilinear.ts) and the WGSL
 * kernel must follow it step for step; it is TensorFlow's ResizeBilinear CPU kernel
 * (compute_interpolation_weights with HalfPixelScaler, then compute_lerp).
 *
 *   Per axis (rows: in = H, out = outH, i = output row y; columns: in = W, out = outW, i = x):
 *     scale = f32(in / out)                          one IEEE float32 division of exact integers
 *     src   = f32(f32(f32(i) + 0.5) * scale) - 0.5  i.e. a = f32(i + 0.5) (exact), b = f32(a * scale), src = f32(b - 0.5)
 *     fl    = floor(src)                            exact (a float32 with an integer value)
 *     lo    = min(max(int(fl), 0), in - 1)          integer clamps
 *     hi    = min(int(ceil(src)), in - 1)           (ceil(src) >= 0 always, since src > -1)
 *     lerp  = f32(src - fl)
 *   giving (y0, y1, ly) for the row and (x0, x1, lx) for the column. Then, with
 *   tl = x[n, y0, x0, c], tr = x[n, y0, x1, c], bl = x[n, y1, x0, c], br = x[n, y1, x1, c]:
 *     t1 = f32(tr - tl);  t2 = f32(t1 * lx);  top    = f32(tl + t2)
 *     b1 = f32(br - bl);  b2 = f32(b1 * lx);  bottom = f32(bl + b2)
 *     d1 = f32(bottom - top); d2 = f32(d1 * ly); out = f32(top + d2)
 *
 * (TensorFlow clamps lo only from below; the extra upper clamp never changes a result for valid
 * sizes and keeps every read in bounds.) The NumPy reference test/golden/gen/resize_golden.py
 * computes this sequence in float32 (expected bit for bit) and the same formula in float64.
 */
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

/** Largest spatial size accepted (integers and half-integers below it are exact in float32). */
export const RESIZE_MAX_SIZE = 1 << 23;

const resizeBilinearOp = defineOp({
  name: 'resizeBilinear',
  infer: ([x], a) => {
    if (x.shape.length !== 4) {
      throw new ShapeError(`resizeBilinear: expected x of rank 4 [N, H, W, C]. Received: x.shape=${fmtShape(x.shape)}`);
    }
    if (x.dtype !== 'float32') {
      throw new DTypeError(`resizeBilinear: expected x of dtype float32 (cast integer images first). Received: x.dtype=${x.dtype}`);
    }
    const [, h, w] = x.shape;
    if (h < 1 || w < 1 || h >= RESIZE_MAX_SIZE || w >= RESIZE_MAX_SIZE) {
      throw new ShapeError(`resizeBilinear: expected an input height and width in [1, ${RESIZE_MAX_SIZE}). Received: x.shape=${fmtShape(x.shape)}`);
    }
    checkSize('resizeBilinear', a.size);
    return { shape: [x.shape[0], a.size[0], a.size[1], x.shape[3]], dtype: 'float32' };
  },
});

/** Throws unless `size` is [outH, outW] with positive integers below RESIZE_MAX_SIZE. */
export function checkSize(fn: string, size: unknown): asserts size is [number, number] {
  const ok = Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && d >= 1 && d < RESIZE_MAX_SIZE);
  if (!ok) {
    throw new ArgumentError(`${fn}: expected size to be [height, width] with positive integers below ${RESIZE_MAX_SIZE}. Received: size=${JSON.stringify(size)}`);
  }
}

/**
 * Bilinear resize with TensorFlow 2 semantics (`tf.image.resize`, half-pixel centers, no antialiasing):
 * x [N, H, W, C] float32 -> [N, size[0], size[1], C] float32, the same bits on every backend. The primitive behind
 * `dt.image.resize`, which also accepts [H, W, C] and integer images. Not differentiable.
 */
export function resizeBilinear(x: Tensor, size: readonly [number, number]): Tensor {
  assertLive('resizeBilinear', x);
  checkSize('resizeBilinear', size);
  return runOp(resizeBilinearOp, [x], { size: [size[0], size[1]] });
}
