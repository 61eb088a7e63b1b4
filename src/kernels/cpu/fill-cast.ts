/**
 * CPU kernels: fill, cast, broadcastTo.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { TypedArray } from '../../core/dtype.ts';
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

/** The same memory as `a` seen as integers of its element width: copies through it move bits, never values (no NaN is quieted). */
export function bitsOf(a: TypedArray): Int32Array | Uint8Array {
  return a instanceof Float32Array ? new Int32Array(a.buffer, a.byteOffset, a.length) : a;
}

/** Runs at least this long are copied with one TypedArray.set (a memcpy); shorter ones element by element. */
const SET_RUN = 16;

/** d[o..o+n) = s[p..p+n) for two bitsOf views: one TypedArray.set for long runs, the element loop for short ones. */
export function copyRun(d: Int32Array | Uint8Array, o: number, s: Int32Array | Uint8Array, p: number, n: number): void {
  if (n >= SET_RUN) d.set(s.subarray(p, p + n), o);
  else for (let j = 0; j < n; j++) d[o + j] = s[p + j];
}

/**
 * out[i] = src[offset(i)], where offset(i) = srcOffset + sum over axes of coord * srcStrides
 * (row-major over `shape`), copying bits (float32 through an integer view: NaN payloads kept, as
 * WebGPU's word copies keep them). Axes of size 1 are dropped and an axis is merged into the next
 * one when the source walks both as one (stride[a] = stride[a + 1] * shape[a + 1]), so a slice
 * along the first axis, or any copy of whole trailing blocks, is one run; runs of stride 1 are
 * copied with TypedArray.set, stride 0 (broadcast) with fill.
 */
export function copyStrided(src: TypedArray, srcStrides: readonly number[], dst: TypedArray, shape: readonly number[], srcOffset = 0): void {
  const total = dst.length;
  if (total === 0) return;
  const dims: number[] = [];
  const st: number[] = [];
  for (let ax = 0; ax < shape.length; ax++) {
    if (shape[ax] === 1) continue;
    const n = dims.length;
    if (n > 0 && st[n - 1] === srcStrides[ax] * shape[ax]) {
      dims[n - 1] *= shape[ax];
      st[n - 1] = srcStrides[ax];
    } else {
      dims.push(shape[ax]);
      st.push(srcStrides[ax]);
    }
  }
  const s = bitsOf(src);
  const d = bitsOf(dst);
  const rank = dims.length;
  if (rank === 0) {
    d[0] = s[srcOffset];
    return;
  }
  const inner = dims[rank - 1];
  const sInner = st[rank - 1];
  const coord = new Array<number>(rank).fill(0);
  let base = srcOffset;
  for (let o = 0; o < total; o += inner) {
    if (sInner === 1) copyRun(d, o, s, base, inner);
    else if (sInner === 0) d.fill(s[base], o, o + inner);
    else for (let j = 0, p = base; j < inner; j++, p += sInner) d[o + j] = s[p];
    // advance the coordinate over all axes but the last
    for (let ax = rank - 2; ax >= 0; ax--) {
      coord[ax]++;
      base += st[ax];
      if (coord[ax] < dims[ax]) break;
      base -= st[ax] * dims[ax];
      coord[ax] = 0;
    }
  }
}

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { fill, cast, broadcastTo } satisfies CpuKernels;
