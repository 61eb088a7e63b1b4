/**
 * WebGPU host side of the reductions (shaders/reduce-sum.wgsl, shaders/reduce-scan.wgsl).
 * The reduced axes are brought into the form [outer, R, inner]: directly when they are
 * contiguous, else by a transposing copy to [kept..., reduced...] (which keeps the reduced
 * elements in row-major order of the reduced axes, the CPU's term order).
 *  - sum: the engine's summation tree over that order (kernel-util `sumTree`); int32 and uint8
 *    sums wrap modulo 2^32 (uint8 sums to int32).
 *  - max, min, argmax, argmin: a sequential scan in that order (first best wins; NaN wins).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { ReduceAttrs } from '../../core/ops/op-attrs.ts';
import { sizeOf, stridesOf } from '../../core/shape.ts';
import { dtypeCode } from './binary.ts';
import { ParamWriter, WG, grid, sumTree, type GpuInfo, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';
import { copyStrided } from './movement.ts';

/** Op codes of shaders/reduce-scan.wgsl (params.op). */
export const SCAN_OP = { max: 0, min: 1, argmax: 2, argmin: 3 } as const;

interface Layout {
  buffer: GPUBuffer;
  outer: number;
  R: number;
  inner: number;
}

/** x as [outer, R, inner] over `axes` (sorted), transposing into a scratch buffer if needed. */
function layout(ctx: KernelContext, x: GpuInfo, axes: readonly number[]): Layout {
  const shape = x.shape;
  if (axes.length === 0) return { buffer: x.handle.buffer, outer: sizeOf(shape), R: 1, inner: 1 };
  let contiguous = true;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) contiguous = false;
  const first = axes[0];
  const last = axes[axes.length - 1];
  if (contiguous) {
    return { buffer: x.handle.buffer, outer: sizeOf(shape.slice(0, first)), R: sizeOf(shape.slice(first, last + 1)), inner: sizeOf(shape.slice(last + 1)) };
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const s = stridesOf(shape);
  const tshape = perm.map((p) => shape[p]);
  const tmp = ctx.temp(sizeOf(shape));
  const n = sizeOf(shape);
  copyStrided(ctx, 'reduce', { buffer: x.handle.buffer, words: n }, perm.map((p) => s[p]), 0, { buffer: tmp, words: n }, stridesOf(tshape), 0, tshape);
  return { buffer: tmp, outer: sizeOf(kept.map((k) => shape[k])), R: sizeOf(axes.map((a) => shape[a])), inner: 1 };
}

export const sum: GpuKernel<'sum'> = (ctx, [x], a, out) => {
  if (out.handle.size === 0) return;
  const l = layout(ctx, x, a.axes);
  sumTree(ctx, l.buffer, l.outer, l.R, l.inner, out.handle.buffer, x.dtype !== 'float32');
};

function scan(ctx: KernelContext, x: GpuInfo, axes: readonly number[], out: GpuInfo, op: number): void {
  const n = out.handle.size;
  if (n === 0) return;
  const l = layout(ctx, x, axes);
  const p = new ParamWriter().u32(n, l.R, l.inner, op, dtypeCode(x.dtype)).finish();
  ctx.stream.dispatch('reduce-scan', [{ buffer: l.buffer }, { buffer: out.handle.buffer, bytes: n * 4 }], p, grid(n, WG, ctx.limits), { cost: n * Math.max(l.R, 1) });
}

export const max: GpuKernel<'max'> = (ctx, [x], a: ReduceAttrs, out) => scan(ctx, x, a.axes, out, SCAN_OP.max);
export const min: GpuKernel<'min'> = (ctx, [x], a: ReduceAttrs, out) => scan(ctx, x, a.axes, out, SCAN_OP.min);
export const argmax: GpuKernel<'argmax'> = (ctx, [x], a, out) => scan(ctx, x, [a.axis], out, SCAN_OP.argmax);
export const argmin: GpuKernel<'argmin'> = (ctx, [x], a, out) => scan(ctx, x, [a.axis], out, SCAN_OP.argmin);

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { sum, max, min, argmax, argmin } satisfies GpuKernels;
