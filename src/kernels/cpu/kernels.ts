/**
 * The CPU kernel table: one kernel per primitive op, gathered from the KERNELS object of each
 * kernel file. Its type is total over OpName, so a primitive without a CPU kernel does not compile.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { OpName } from '../../core/ops/op-attrs.ts';
import { KERNELS as adam } from './adam.ts';
import { KERNELS as batchNorm } from './batch-norm.ts';
import { KERNELS as binary } from './binary.ts';
import { KERNELS as conv2d } from './conv2d.ts';
import { KERNELS as depthwiseConv2d } from './depthwise-conv2d.ts';
import { KERNELS as dropoutApply } from './dropout-apply.ts';
import { KERNELS as fillCast } from './fill-cast.ts';
import { KERNELS as gather } from './gather.ts';
import { KERNELS as imageTransform } from './image-transform.ts';
import { KERNELS as matmul } from './matmul.ts';
import { KERNELS as movement } from './movement.ts';
import { KERNELS as pool } from './pool.ts';
import { KERNELS as randomUniform } from './random-uniform.ts';
import { KERNELS as reduce } from './reduce.ts';
import { KERNELS as resizeBilinear } from './resize-bilinear.ts';
import { KERNELS as specialUnary } from './special-unary.ts';
import type { CpuKernel } from './types.ts';
import { KERNELS as unary } from './unary.ts';

/** Every kernel file's kernels; a new kernel goes into its file's KERNELS object, not here. */
export const CPU_KERNELS: { [O in OpName]: CpuKernel<O> } = {
  ...fillCast, ...movement, ...gather, ...unary, ...adam, ...binary, ...reduce,
  ...matmul, ...conv2d, ...pool, ...resizeBilinear, ...randomUniform,
  ...specialUnary,
  ...imageTransform,
  ...depthwiseConv2d,
  ...batchNorm,
  ...dropoutApply,
};
