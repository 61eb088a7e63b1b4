/**
 * CPU kernel of `dropoutApply` (recipe in src/core/ops/dropout-apply.ts): the uniforms of randomUniform's
 * stream, the keep test and the scaling in one pass over x (the loops are in dropout-tasks.ts), split
 * between pool threads by Philox blocks (threefry: pairs) for big tensors, as the random kernel is.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { bitsOfF32 } from '../../core/math/f32-bits.ts';
import { dropoutScale } from '../../core/random/dropout.ts';
import { type DropoutJob, runDropoutBlock } from './dropout-tasks.ts';
import { runSplit } from './thread-pool.ts';
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

const f = Math.fround;
/** The float32 bit pattern of v (a float32 value), as an int32 for WebAssembly and the native addon. */
const f32Bits = (v: number): number => bitsOfF32(v) | 0;

export const dropoutApply: CpuKernel<'dropoutApply'> = ([x], a, out) => {
  const d = floats(out);
  const n = d.length;
  if (n === 0) return;
  const philox = a.algorithm === 'philox';
  const job: DropoutJob = {
    algorithm: a.algorithm,
    x: floats(x),
    out: d,
    key: [a.key[0], a.key[1]],
    counter: [a.counter[0], a.counter[1], a.counter[2], a.counter[3]],
    bound: philox ? f(a.rate) : f(1 - a.rate),
    factor: dropoutScale(a.rate, a.algorithm).factor,
    boundBits: 0,
    factorBits: 0,
    units: philox ? Math.ceil(n / 4) : Math.ceil(n / 2),
  };
  job.boundBits = f32Bits(job.bound);
  job.factorBits = f32Bits(job.factor);
  if (job.units < 1 << 13) runDropoutBlock(job, 0, job.units);
  else runSplit('dropoutApply', job, job.units, { workPerUnit: philox ? 220 : 400, minBlock: 1 << 11, out: d });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { dropoutApply } satisfies CpuKernels;
