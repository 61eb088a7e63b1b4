/**
 * CPU kernels that move data without arithmetic: transpose, slice, pad, concat. They copy bits
 * (float32 through integer views, fill-cast.ts bitsOf): NaN payloads are kept, as in WebGPU.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { sizeOf, stridesOf } from '../../core/shape.ts';
import { bitsOf, copyRun, copyStrided } from './fill-cast.ts';
import type { CpuKernel, CpuKernels } from './types.ts';

export const transpose: CpuKernel<'transpose'> = ([x], a, out) => {
  const s = stridesOf(x.shape);
  copyStrided(x.handle, a.perm.map((p) => s[p]), out.handle, out.shape);
};

export const slice: CpuKernel<'slice'> = ([x], a, out) => {
  const s = stridesOf(x.shape);
  const offset = a.begin.reduce((acc, b, i) => acc + b * s[i], 0);
  copyStrided(x.handle, s, out.handle, out.shape, offset);
};

export const pad: CpuKernel<'pad'> = ([x], a, out) => {
  out.handle.fill(a.value);
  if (x.handle.length === 0) return;
  // Write x into the interior: a strided view of `out` starting at the "before" corner.
  const os = stridesOf(out.shape);
  const offset = a.paddings.reduce((acc, p, i) => acc + p[0] * os[i], 0);
  const rank = x.shape.length;
  if (rank === 0) {
    bitsOf(out.handle)[0] = bitsOf(x.handle)[0];
    return;
  }
  const inner = x.shape[rank - 1];
  const coord = new Array<number>(rank).fill(0);
  let base = offset;
  const src = bitsOf(x.handle);
  const dst = bitsOf(out.handle);
  for (let o = 0; o < src.length; o += inner) {
    copyRun(dst, base, src, o, inner);
    for (let ax = rank - 2; ax >= 0; ax--) {
      coord[ax]++;
      base += os[ax];
      if (coord[ax] < x.shape[ax]) break;
      base -= os[ax] * x.shape[ax];
      coord[ax] = 0;
    }
  }
};

export const concat: CpuKernel<'concat'> = (xs, a, out) => {
  const axis = a.axis;
  const outer = sizeOf(out.shape.slice(0, axis));
  const rowOut = sizeOf(out.shape.slice(axis));
  let col = 0;
  for (const x of xs) {
    const row = sizeOf(x.shape.slice(axis));
    const src = bitsOf(x.handle);
    const dst = bitsOf(out.handle);
    for (let o = 0; o < outer; o++) copyRun(dst, o * rowOut + col, src, o * row, row);
    col += row;
  }
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { transpose, slice, pad, concat } satisfies CpuKernels;
