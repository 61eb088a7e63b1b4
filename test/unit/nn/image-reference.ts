/**
 * float64 references of TensorFlow 2's image resizing (tf.image.resize, antialias=False), written from the
 * formulas of TensorFlow's ResizeBilinear (HalfPixelScaler: src = (i + 0.5) * in / out - 0.5, lo = max(floor(src),
 * 0), hi = min(ceil(src), in - 1)) and ResizeNearestNeighbor with half_pixel_centers (src = min(floor((i + 0.5) *
 * in / out), in - 1)), independently of src/. The scale is rounded to float32 as TensorFlow's is; the rest in float64.
 */
import { type A64, arr } from '../../reference/ops64.ts';

/** Bilinear resize of x [N, H, W, C] to [N, oh, ow, C] in float64. */
export function bilinear64(x: A64, [oh, ow]: readonly number[]): A64 {
  const [n, h, w, c] = x.shape;
  const axis = (inS: number, outS: number, i: number): [number, number, number] => {
    const src = (i + 0.5) * Math.fround(inS / outS) - 0.5;
    const fl = Math.floor(src);
    return [Math.min(Math.max(fl, 0), inS - 1), Math.min(Math.ceil(src), inS - 1), src - fl];
  };
  const y = arr([n, oh, ow, c]);
  const at = (b: number, i: number, j: number, k: number) => x.data[((b * h + i) * w + j) * c + k];
  for (let b = 0; b < n; b++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let k = 0; k < c; k++) {
    const [y0, y1, ly] = axis(h, oh, i);
    const [x0, x1, lx] = axis(w, ow, j);
    const top = at(b, y0, x0, k) + (at(b, y0, x1, k) - at(b, y0, x0, k)) * lx;
    const bot = at(b, y1, x0, k) + (at(b, y1, x1, k) - at(b, y1, x0, k)) * lx;
    y.data[((b * oh + i) * ow + j) * c + k] = top + (bot - top) * ly;
  }
  return y;
}

/** TensorFlow 2's nearest source index of output i (half-pixel centers, floor). */
export function nearestSource(inS: number, outS: number, i: number): number {
  return Math.min(Math.floor(Math.fround(Math.fround(i + 0.5) * Math.fround(inS / outS))), inS - 1);
}

/** Nearest-neighbour resize of x [N, H, W, C] to [N, oh, ow, C]. */
export function nearest64(x: A64, [oh, ow]: readonly number[]): A64 {
  const [n, h, w, c] = x.shape;
  const y = arr([n, oh, ow, c]);
  for (let b = 0; b < n; b++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let k = 0; k < c; k++) {
    y.data[((b * oh + i) * ow + j) * c + k] = x.data[((b * h + nearestSource(h, oh, i)) * w + nearestSource(w, ow, j)) * c + k];
  }
  return y;
}

/** x[:, top:top+ch, left:left+cw, :]. */
export function crop64(x: A64, top: number, left: number, ch: number, cw: number): A64 {
  const [n, h, w, c] = x.shape;
  const y = arr([n, ch, cw, c]);
  for (let b = 0; b < n; b++) for (let i = 0; i < ch; i++) for (let j = 0; j < cw; j++) for (let k = 0; k < c; k++) {
    y.data[((b * ch + i) * cw + j) * c + k] = x.data[((b * h + top + i) * w + left + j) * c + k];
  }
  return y;
}
