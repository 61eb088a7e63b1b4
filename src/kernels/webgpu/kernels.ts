/**
 * The WebGPU kernel table: one kernel per primitive op, gathered from the KERNELS object of each
 * host file. It is total, like the CPU table, so a primitive without a WebGPU kernel does not
 * compile; `missingWebGpuKernels()` cross-checks it at run time against OP_NAMES (a test expects none).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { OpName } from '../../core/ops/op-attrs.ts';
import { OP_NAMES } from '../../core/ops/op-def.ts';
import { KERNELS as adam } from './adam.ts';
import { KERNELS as batchNorm } from './batch-norm.ts';
import { KERNELS as binary } from './binary.ts';
import { KERNELS as conv2d } from './conv2d.ts';
import { KERNELS as depthwiseConv2d } from './depthwise-conv2d.ts';
import { KERNELS as gather } from './gather.ts';
import { KERNELS as imageTransform } from './image-transform.ts';
import type { GpuKernel } from './kernel-util.ts';
import { KERNELS as matmul } from './matmul.ts';
import { KERNELS as conv2dBiasAct } from './conv2d-bias-act.ts';
import { KERNELS as dropoutApply } from './dropout-apply.ts';
import { KERNELS as movement } from './movement.ts';
import { KERNELS as pool } from './pool.ts';
import { KERNELS as randomUniform } from './random-uniform.ts';
import { KERNELS as reduce } from './reduce.ts';
import { KERNELS as reluGrad } from './relu-grad.ts';
import { KERNELS as resizeBilinear } from './resize-bilinear.ts';
import { KERNELS as specialUnary } from './special-unary.ts';
import { KERNELS as unary } from './unary.ts';

export type WebGpuKernelTable = { [O in OpName]: GpuKernel<O> };

/** Every host file's kernels; a new kernel goes into its file's KERNELS object, not here. */
export const WEBGPU_KERNELS: WebGpuKernelTable = {
  ...movement, ...gather, ...unary, ...reluGrad, ...adam, ...binary, ...reduce,
  ...matmul, ...conv2d, ...pool, ...resizeBilinear, ...randomUniform,
  ...specialUnary,
  ...imageTransform,
  ...depthwiseConv2d,
  ...batchNorm,
  ...conv2dBiasAct,
  ...dropoutApply,
};

/** Primitive ops (OP_NAMES order) that have no WebGPU kernel (none while the table type is total and OP_NAMES lists OpName). */
export function missingWebGpuKernels(): OpName[] {
  return OP_NAMES.filter((op) => !(op in WEBGPU_KERNELS));
}
