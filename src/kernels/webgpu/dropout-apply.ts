/**
 * WebGPU host side of dropoutApply (shaders/dropout-apply.wgsl, lib/philox.wgsl, lib/float-bits.wgsl):
 * the uniforms of randomUniform's stream, the keep test and the scaling in one pass, bit-equal to
 * src/kernels/cpu/dropout-apply.ts by the recipe of src/core/ops/dropout-apply.ts. The keep test is
 * passed as the integer threshold of dropoutKeepRule and the factor as float32 bits, so the shader
 * needs no float comparison. x and out are bound whole, as randomUniform binds its output.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { dropoutKeepRule, dropoutScale } from '../../core/random/dropout.ts';
import { ParamWriter, WG, bind, f32Bits, grid, type GpuKernel, type GpuKernels } from './kernel-util.ts';
import { RANDOM_ALGO } from './random-uniform.ts';

export const dropoutApply: GpuKernel<'dropoutApply'> = (ctx, [x], a, out) => {
  const n = out.handle.size;
  if (n === 0) return;
  const blocks = a.algorithm === 'philox' ? Math.ceil(n / 4) : Math.ceil(n / 2);
  const threshold = dropoutKeepRule(a.rate, a.algorithm).threshold;
  const factor = f32Bits(dropoutScale(a.rate, a.algorithm).factor);
  const p = new ParamWriter().vec4(a.counter).u32(a.key[0], a.key[1], n, RANDOM_ALGO[a.algorithm], blocks, threshold, factor).finish();
  ctx.stream.dispatch('dropout-apply', [bind(x.handle), bind(out.handle)], p, grid(blocks, WG, ctx.limits), { cost: n });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { dropoutApply } satisfies GpuKernels;
