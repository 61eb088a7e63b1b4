/**
 * The loop of the CPU imageTransform kernel and its pool task 'imageTransform' (tasks.ts): a block is a range of
 * images, and each output element is the float32 operation sequence documented in src/core/ops/image-transform.ts,
 * step for step, every step rounded with Math.fround (the coordinates are computed once per output pixel and shared
 * by its channels: they do not depend on the channel). Reduction order: none.
 * Part of src/kernels/cpu: imports nothing (worker threads load it).
 */

const f = Math.fround;

/** Fill mode codes (TensorFlow's enum order; src/core/ops/image-transform.ts IMAGE_TRANSFORM_FILL_MODES). */
export const FILL_REFLECT = 0;
export const FILL_WRAP = 1;
export const FILL_CONSTANT = 2;
export const FILL_NEAREST = 3;

/** Task 'imageTransform' (split by images): dst [images, outH, outW, C] from src [images, H, W, C]. */
export interface ImageTransformJob {
  src: Float32Array;
  /** [1 or images, 8] float32 rows. */
  transforms: Float32Array;
  dst: Float32Array;
  H: number;
  W: number;
  C: number;
  outH: number;
  outW: number;
  /** FILL_* code. */
  mode: number;
  /** true: bilinear, false: nearest. */
  bilinear: boolean;
  /** float32 value. */
  fill: number;
  /** Whether transforms has one row per image (else one row for all). */
  perImage: boolean;
  images: number;
}

/** TensorFlow's MapCoordinate for one axis of length len (the documented float32 steps). */
export function mapCoordinate(v: number, len: number, mode: number): number {
  if (mode === FILL_CONSTANT) return v;
  if (mode === FILL_REFLECT) {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const s = 2 * len;
        v = f(f(s * Math.trunc(f(-v / s))) + v);
        v = v < -len ? f(v + s) : f(-v - 1);
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const s = 2 * len;
        v = f(v - f(s * Math.trunc(f(v / s))));
        if (v >= len) v = f(f(s - v) - 1);
      }
    }
  } else if (mode === FILL_WRAP) {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const s = len - 1;
        v = f(v + f(len * f(Math.trunc(f(-v / s)) + 1)));
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const s = len - 1;
        v = f(v - f(len * Math.trunc(f(v / s))));
      }
    }
  }
  // Eigen's scalar_clamp_op: min(max(v, 0), len - 1) with std::max / std::min (-0 stays -0)
  return v < 0 ? 0 : len - 1 < v ? len - 1 : v;
}

/** Half away from zero for v >= 0: floor(v) + (v - floor(v) >= 0.5). */
function roundHalfUp(v: number): number {
  const fl = Math.floor(v);
  return f(v - fl) >= 0.5 ? fl + 1 : fl;
}

/** imageTransform of images [n0, n1) of job j. */
export function transformImages(j: ImageTransformJob, n0: number, n1: number): void {
  const { src, transforms: tr, dst, H, W, C, outH, outW, mode, bilinear, fill } = j;
  const rowStride = W * C;
  for (let b = n0; b < n1; b++) {
    const t = j.perImage ? 8 * b : 0;
    const t0 = tr[t], t1 = tr[t + 1], t2 = tr[t + 2], t3 = tr[t + 3], t4 = tr[t + 4], t5 = tr[t + 5], t6 = tr[t + 6], t7 = tr[t + 7];
    const base = b * H * rowStride;
    let o = b * outH * outW * C;
    for (let yo = 0; yo < outH; yo++) {
      for (let xo = 0; xo < outW; xo++, o += C) {
        const k = f(f(f(t6 * xo) + f(t7 * yo)) + 1);
        let ix = 0;
        let iy = 0;
        let outside = k === 0;
        if (!outside) {
          ix = f(f(f(f(t0 * xo) + f(t1 * yo)) + t2) / k);
          iy = f(f(f(f(t3 * xo) + f(t4 * yo)) + t5) / k);
          outside = !Number.isFinite(ix) || !Number.isFinite(iy);
        }
        let x = 0;
        let y = 0;
        if (!outside) {
          x = mapCoordinate(ix, W, mode);
          y = mapCoordinate(iy, H, mode);
          outside = x < 0 || x > W - 1 || y < 0 || y > H - 1;
        }
        if (outside) {
          for (let c = 0; c < C; c++) dst[o + c] = fill;
          continue;
        }
        if (!bilinear) {
          const r = roundHalfUp(y);
          const q = roundHalfUp(x);
          const inside = r < H && q < W;
          const p = base + r * rowStride + q * C;
          for (let c = 0; c < C; c++) dst[o + c] = inside ? src[p + c] : fill;
          continue;
        }
        const yf = Math.floor(y);
        const xf = Math.floor(x);
        const yc = yf + 1;
        const xc = xf + 1;
        const wx0 = f(xc - x);
        const wx1 = f(x - xf);
        const wy0 = f(yc - y);
        const wy1 = f(y - yf);
        const inYc = yc < H;
        const inXc = xc < W;
        const p00 = base + yf * rowStride + xf * C;
        const p01 = p00 + C;
        const p10 = p00 + rowStride;
        const p11 = p10 + C;
        for (let c = 0; c < C; c++) {
          const v00 = src[p00 + c];
          const v01 = inXc ? src[p01 + c] : fill;
          const v10 = inYc ? src[p10 + c] : fill;
          const v11 = inYc && inXc ? src[p11 + c] : fill;
          const top = f(f(wx0 * v00) + f(wx1 * v01));
          const bot = f(f(wx0 * v10) + f(wx1 * v11));
          dst[o + c] = f(f(wy0 * top) + f(wy1 * bot));
        }
      }
    }
  }
}

/** Images [i*block, (i+1)*block) of an 'imageTransform' job. */
export function runImageTransformBlock(j: ImageTransformJob, i: number, block: number): void {
  transformImages(j, i * block, Math.min(j.images, (i + 1) * block));
}
