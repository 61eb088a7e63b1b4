/**
 * Differentiable image resizing for the layers (UpSampling2D, Resizing, CenterCrop), TensorFlow 2
 * semantics (tf.image.resize with antialias=False, which Keras 3's ops.image.resize calls on its
 * TensorFlow backend), composed from gather, sub, mul and add so the gradient flows:
 *  - bilinear: the exact float32 sequence of the resizeBilinear primitive (src/core/ops/resize-bilinear.ts):
 *    per-axis source rows/columns and weights computed on the host in float32, then a horizontal pass
 *    h = L + (R - L) * lx over the gathered columns and a vertical pass out = T + (B - T) * ly over the
 *    gathered rows of h: each output element is top = tl + (tr - tl) * lx, bottom = bl + (br - bl) * lx,
 *    out = top + (bottom - top) * ly, each operation rounded to float32 separately, so the result is the
 *    primitive's bits on every backend (tested).
 *  - nearest: TensorFlow's ResizeNearestNeighbor with half_pixel_centers=True, align_corners=False:
 *    scale = f32(in / out), src(i) = min(floor(f32(f32(i + 0.5) * scale)), in - 1) (floor, not round),
 *    a gather of rows then of columns.
 *  - cropToAspect: the center crop of Keras 3's crop_to_aspect_ratio (TensorFlow backend):
 *    cropH = max(min(H, int(f32(W * th) / tw)), 1), cropW = max(min(W, int(f32(H * tw) / th)), 1),
 *    start = int(f32(extent - crop) / 2), each division one float32 division.
 * No reduction anywhere: every output element is a fixed expression of at most four inputs.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, ops, tidy } from '../../core/internal.ts';

const f = Math.fround;

/** Interpolation methods the resizing layers support. */
export type Interpolation = 'bilinear' | 'nearest';

/** TensorFlow's bilinear source indices and weights along one axis (HalfPixelScaler + compute_interpolation_weights). */
function bilinearAxis(inSize: number, outSize: number): { lo: number[]; hi: number[]; w: number[] } {
  const scale = f(inSize / outSize);
  const lo: number[] = [];
  const hi: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const src = f(f(f(i + 0.5) * scale) - 0.5);
    const fl = Math.floor(src);
    lo.push(Math.min(Math.max(fl, 0), inSize - 1));
    hi.push(Math.min(Math.ceil(src), inSize - 1));
    w.push(f(src - fl));
  }
  return { lo, hi, w };
}

/** TensorFlow 2's nearest source indices along one axis (half-pixel centers, floor). */
export function nearestIndices(inSize: number, outSize: number): number[] {
  const scale = f(inSize / outSize);
  const out: number[] = [];
  for (let i = 0; i < outSize; i++) out.push(Math.max(0, Math.min(Math.floor(f(f(i + 0.5) * scale)), inSize - 1)));
  return out;
}

/** Bilinear resize of x [N, H, W, C] float32 to [N, outH, outW, C]: resizeBilinear's bits, differentiable. */
export function bilinearResize(x: Tensor, [outH, outW]: readonly [number, number]): Tensor {
  const [, h, w] = x.shape;
  if (h === outH && w === outW) return ops.clone(x);
  return tidy(() => {
    const cx = bilinearAxis(w, outW);
    const cy = bilinearAxis(h, outH);
    const left = ops.gather(x, cx.lo, 2);
    const right = ops.gather(x, cx.hi, 2);
    const lx = ops.tensor(cx.w, [outW, 1]);
    const horiz = ops.add(left, ops.mul(ops.sub(right, left), lx));
    const top = ops.gather(horiz, cy.lo, 1);
    const bottom = ops.gather(horiz, cy.hi, 1);
    const ly = ops.tensor(cy.w, [outH, 1, 1]);
    return ops.add(top, ops.mul(ops.sub(bottom, top), ly));
  });
}

/** Nearest-neighbour resize of x [N, H, W, C] to [N, outH, outW, C] (TensorFlow 2 semantics), differentiable. */
export function nearestResize(x: Tensor, [outH, outW]: readonly [number, number]): Tensor {
  const [, h, w] = x.shape;
  if (h === outH && w === outW) return ops.clone(x);
  return tidy(() => ops.gather(ops.gather(x, nearestIndices(h, outH), 1), nearestIndices(w, outW), 2));
}

/** The [top, left, height, width] of Keras's crop_to_aspect_ratio box for an H x W image and a target th x tw. */
export function aspectCropBox(h: number, w: number, th: number, tw: number): [number, number, number, number] {
  const cropH = Math.max(Math.min(h, Math.trunc(f(f(w * th) / tw))), 1);
  const cropW = Math.max(Math.min(w, Math.trunc(f(f(h * tw) / th))), 1);
  return [Math.trunc(f(h - cropH) / 2), Math.trunc(f(w - cropW) / 2), cropH, cropW];
}

/**
 * Keras 3's ops.image.resize (TensorFlow backend, antialias off) of x [N, H, W, C] float32 to `size`, optionally
 * center-cropping first to the target aspect ratio.
 */
export function resizeImages(x: Tensor, size: readonly [number, number], interpolation: Interpolation, cropToAspectRatio: boolean): Tensor {
  return tidy(() => {
    let src = x;
    if (cropToAspectRatio) {
      const [top, left, ch, cw] = aspectCropBox(x.shape[1], x.shape[2], size[0], size[1]);
      if (ch !== x.shape[1] || cw !== x.shape[2]) src = ops.slice(x, [0, top, left, 0], [-1, ch, cw, -1]);
    }
    return interpolation === 'bilinear' ? bilinearResize(src, size) : nearestResize(src, size);
  });
}
