/**
 * CPU kernels: fill, cast, broadcastTo.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { broadcastStrides } from '../../core/shape.ts';
import type { CpuKernel, CpuKernels } from './types.ts';

export const fill: CpuKernel<'fill'> = (_ins, a, out) => {
  out.handle.fill(a.value);
};

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** float -> int: truncate toward zero, NaN -> 0, saturate to the int32 range. */
function floatToInt(v: number): number {
  if (v !== v) return 0;
  if (v >= INT_MAX) return INT_MAX;
  if (v <= INT_MIN) return INT_MIN;
  return Math.trunc(v);
}

export const cast: CpuKernel<'cast'> = ([x], a, out) => {
  const src = x.handle;
  const dst = out.handle;
  const n = src.length;
  if (x.dtype === a.dtype || a.dtype === 'float32' || x.dtype === 'uint8') {
    dst.set(src); // exact (or float32 rounding of an int32, which the typed array does)
  } else {
    // float32 -> int32 / uint8, or int32 -> uint8 (the typed array wraps modulo 256)
    for (let i = 0; i < n; i++) dst[i] = x.dtype === 'float32' ? floatToInt(src[i]) : src[i];
  }
};

export const broadcastTo: CpuKernel<'broadcastTo'> = ([x], _a, out) => {
  copyStrided(x.handle, broadcastStrides(x.shape, out.shape), out.handle, out.shape);
};

/**
 * out[i] = src[offset(i)], where offset(i) = sum over axes of coord * srcStrides (row-major over
 * `shape`). Iterates rows of the last axis for speed.
 */
export function copyStrided(src: ArrayLike<number>, srcStrides: readonly number[], dst: { [i: number]: number; length: number }, shape: readonly number[], srcOffset = 0): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[srcOffset];
    return;
  }
  const inner = shape[rank - 1];
  const sInner = srcStrides[rank - 1];
  const total = dst.length;
  const coord = new Array<number>(rank).fill(0);
  let base = srcOffset;
  for (let o = 0; o < total; o += inner) {
    for (let j = 0, p = base; j < inner; j++, p += sInner) dst[o + j] = src[p];
    // advance the coordinate over all axes but the last
    for (let ax = rank - 2; ax >= 0; ax--) {
      coord[ax]++;
      base += srcStrides[ax];
      if (coord[ax] < shape[ax]) break;
      base -= srcStrides[ax] * shape[ax];
      coord[ax] = 0;
    }
  }
}

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { fill, cast, broadcastTo } satisfies CpuKernels;
