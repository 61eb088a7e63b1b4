/**
 * WebGPU host side of reluGrad (shaders/relu-grad.wgsl): out = x > 0 ? dy : +0 over contiguous
 * chunks that fit one storage binding each. Semantics are those of src/kernels/cpu/unary.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { ELEMENTS_PER_INVOCATION, ParamWriter, WG, contiguousChunks, grid, windowBinding, type GpuKernel, type GpuKernels } from './kernel-util.ts';

export const reluGrad: GpuKernel<'reluGrad'> = (ctx, [dy, x], _attrs, out) => {
  for (const c of contiguousChunks(out.handle.size, ctx.limits)) {
    const win = { base: c.e0, words: c.e1 - c.e0 };
    const bindings = [windowBinding(dy.handle.buffer, win), windowBinding(x.handle.buffer, win), windowBinding(out.handle.buffer, win)];
    ctx.stream.dispatch('relu-grad', bindings, new ParamWriter().u32(win.words).finish(), grid(Math.ceil(win.words / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { cost: win.words });
  }
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { reluGrad } satisfies GpuKernels;
