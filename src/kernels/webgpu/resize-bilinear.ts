/**
 * WebGPU host side of resizeBilinear (shaders/resize-bilinear.wgsl): the float32 step list of
 * src/core/ops/resize-bilinear.ts; the per-axis scale f32(in / out) is computed here (one
 * correctly rounded division of exact integers, as on the CPU).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { ParamWriter, bind, grid, type GpuKernel, type GpuKernels } from './kernel-util.ts';

export const resizeBilinear: GpuKernel<'resizeBilinear'> = (ctx, [x], a, out) => {
  const total = out.handle.size;
  if (total === 0) return;
  const [, H, W, C] = x.shape;
  const [outH, outW] = a.size;
  const p = new ParamWriter().u32(total, H, W, C, outH, outW).f32(H / outH).f32(W / outW).finish();
  ctx.stream.dispatch('resize-bilinear', [bind(x.handle), { buffer: out.handle.buffer, bytes: total * 4 }], p, grid(total, 64, ctx.limits), { constants: ctx.exactGuard, cost: total * 4 });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { resizeBilinear } satisfies GpuKernels;
