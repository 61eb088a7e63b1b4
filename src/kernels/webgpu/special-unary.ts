/**
 * WebGPU host side of erf and softplus (shaders/unary-math.wgsl with dt_erf, dt_softplus of lib/math.wgsl): the
 * engine's own float32 functions, the same bits as src/kernels/cpu/special-unary.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { ParamWriter, type GpuKernel, type GpuKernels } from './kernel-util.ts';
import { MATH_OP, elementwise } from './unary.ts';

/** erf (MATH_ERF). */
export const erf: GpuKernel<'erf'> = (ctx, [x], _a, out) =>
  elementwise(ctx, 'unary-math', x, out, MATH_OP.erf, (n) => new ParamWriter().u32(n, MATH_OP.erf, 0).finish());

/** softplus (MATH_SOFTPLUS). */
export const softplus: GpuKernel<'softplus'> = (ctx, [x], _a, out) =>
  elementwise(ctx, 'unary-math', x, out, MATH_OP.softplus, (n) => new ParamWriter().u32(n, MATH_OP.softplus, 0).finish());

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { erf, softplus } satisfies GpuKernels;
