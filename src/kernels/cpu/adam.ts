/**
 * CPU kernels of the fused Adam ops (src/core/ops/adam.ts): per element the exact float32
 * operation sequence of the composed ops they replace, each step rounded with Math.fround (what
 * a store to a Float32Array does). Optimizer tensors are small, so no thread split.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

const f32 = Math.fround;

/** m + (g - m) * c */
export const adamMoment: CpuKernel<'adamMoment'> = ([m, g], { c }, out) => {
  const [ms, gs, d] = [floats(m), floats(g), floats(out)];
  for (let i = 0; i < d.length; i++) d[i] = ms[i] + f32(f32(gs[i] - ms[i]) * c);
};

/** u + (g * g - u) * c */
export const adamVelocity: CpuKernel<'adamVelocity'> = ([u, g], { c }, out) => {
  const [us, gs, d] = [floats(u), floats(g), floats(out)];
  for (let i = 0; i < d.length; i++) d[i] = us[i] + f32(f32(f32(gs[i] * gs[i]) - us[i]) * c);
};

/** v - (m * alpha) / (sqrt(u) + eps) */
export const adamStep: CpuKernel<'adamStep'> = ([v, m, u], { alpha, eps }, out) => {
  const [vs, ms, us, d] = [floats(v), floats(m), floats(u), floats(out)];
  for (let i = 0; i < d.length; i++) d[i] = vs[i] - f32(f32(ms[i] * alpha) / f32(f32(Math.sqrt(us[i])) + eps));
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { adamMoment, adamVelocity, adamStep } satisfies CpuKernels;
