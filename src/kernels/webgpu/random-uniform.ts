/**
 * WebGPU host side of randomUniform (shaders/random-uniform.wgsl, lib/philox.wgsl): the unit
 * uniforms of a Philox4x32-10 (TensorFlow layout) or Threefry2x32-20 (JAX layout) stream, bit-equal
 * to src/kernels/cpu/random-uniform.ts by the integer recipe of src/core/ops/random-uniform.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { ParamWriter, WG, grid, type GpuKernel, type GpuKernels } from './kernel-util.ts';

/** Generator codes of shaders/random-uniform.wgsl (params.algo). */
export const RANDOM_ALGO = { philox: 0, threefry: 1 } as const;

export const randomUniform: GpuKernel<'randomUniform'> = (ctx, _inputs, a, out) => {
  const n = out.handle.size;
  if (n === 0) return;
  const philox = a.algorithm === 'philox';
  const blocks = philox ? Math.ceil(n / 4) : Math.ceil(n / 2);
  const p = new ParamWriter().vec4(a.counter).u32(a.key[0], a.key[1], n, RANDOM_ALGO[a.algorithm], blocks).finish();
  ctx.stream.dispatch('random-uniform', [{ buffer: out.handle.buffer, bytes: n * 4 }], p, grid(blocks, WG, ctx.limits));
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { randomUniform } satisfies GpuKernels;
