/**
 * WebGPU host side of the fused Adam ops (shaders/adam.wgsl, MODE 0/1/2) over contiguous chunks
 * that fit one storage binding each. Semantics are those of src/kernels/cpu/adam.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { ELEMENTS_PER_INVOCATION, ParamWriter, WG, contiguousChunks, grid, windowBinding, type GpuHandle, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';

/** Modes of shaders/adam.wgsl (override MODE): the three fused Adam ops. */
export const ADAM_MODE = { moment: 0, velocity: 1, step: 2 } as const;

function run(ctx: KernelContext, mode: number, ins: readonly GpuHandle[], out: GpuHandle, c0: number, c1: number): void {
  for (const c of contiguousChunks(out.size, ctx.limits)) {
    const win = { base: c.e0, words: c.e1 - c.e0 };
    const [a, b, third] = [ins[0], ins[1], ins[2] ?? ins[0]];
    const bindings = [a, b, third, out].map((h) => windowBinding(h.buffer, win));
    const params = new ParamWriter().u32(win.words).f32(c0).f32(c1).finish();
    ctx.stream.dispatch('adam', bindings, params, grid(Math.ceil(win.words / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { constants: { MODE: mode }, cost: win.words });
  }
}

export const adamMoment: GpuKernel<'adamMoment'> = (ctx, [m, g], { c }, out) => run(ctx, ADAM_MODE.moment, [m.handle, g.handle], out.handle, c, 0);
export const adamVelocity: GpuKernel<'adamVelocity'> = (ctx, [u, g], { c }, out) => run(ctx, ADAM_MODE.velocity, [u.handle, g.handle], out.handle, c, 0);
export const adamStep: GpuKernel<'adamStep'> = (ctx, [v, m, u], { alpha, eps }, out) => run(ctx, ADAM_MODE.step, [v.handle, m.handle, u.handle], out.handle, alpha, eps);

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { adamMoment, adamVelocity, adamStep } satisfies GpuKernels;
