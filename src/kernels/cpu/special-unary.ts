/**
 * CPU kernels of erf and softplus: the engine's own float32 functions (src/core/math erf32, softplus32), shared
 * operation for operation with the WGSL kernels (shaders/unary-math.wgsl). Elementwise: no reduction order.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { erf32, softplus32 } from '../../core/math/index.ts';
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

/** erf32 of every element. */
export const erf: CpuKernel<'erf'> = ([x], _a, out) => {
  const s = floats(x);
  const d = floats(out);
  for (let i = 0; i < s.length; i++) d[i] = erf32(s[i]);
};

/** softplus32 of every element. */
export const softplus: CpuKernel<'softplus'> = ([x], _a, out) => {
  const s = floats(x);
  const d = floats(out);
  for (let i = 0; i < s.length; i++) d[i] = softplus32(s[i]);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { erf, softplus } satisfies CpuKernels;
