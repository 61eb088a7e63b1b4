/**
 * The WebGPU kernel table: one kernel per primitive op. It is total, like the CPU table, so a
 * primitive without a WebGPU kernel does not compile; `missingWebGpuKernels()` cross-checks it at
 * run time against OP_NAMES (a test expects none).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { OP_NAMES, type OpName } from '../../core/ops/op-attrs.ts';
import { adamMoment, adamStep, adamVelocity } from './adam.ts';
import * as bin from './binary.ts';
import { conv2d, conv2dGradFilter, conv2dGradInput } from './conv2d.ts';
import { gather, gatherGrad, oneHot } from './gather.ts';
import type { GpuKernel } from './kernel-util.ts';
import { matmul } from './matmul.ts';
import { broadcastTo, concat, fill, pad, slice, transpose } from './movement.ts';
import { avgPool2d, avgPool2dGrad, maxPool2d, maxPool2dGrad } from './pool.ts';
import { randomUniform } from './random-uniform.ts';
import { argmax, argmin, max, min, sum } from './reduce.ts';
import { reluGrad } from './relu-grad.ts';
import { resizeBilinear } from './resize-bilinear.ts';
import * as un from './unary.ts';

export type WebGpuKernelTable = { [O in OpName]: GpuKernel<O> };

export const WEBGPU_KERNELS: WebGpuKernelTable = {
  fill, cast: un.cast, broadcastTo, transpose, slice, pad, concat, gather, gatherGrad, oneHot,
  neg: un.neg, abs: un.abs, sign: un.sign, exp: un.exp, log: un.log, sqrt: un.sqrt, square: un.square,
  relu: un.relu, sigmoid: un.sigmoid, tanh: un.tanh,
  clipByValue: un.clipByValue, reluGrad, adamMoment, adamVelocity, adamStep,
  add: bin.add, sub: bin.sub, mul: bin.mul, div: bin.div, maximum: bin.maximum, minimum: bin.minimum,
  equal: bin.equal, notEqual: bin.notEqual, less: bin.less, lessEqual: bin.lessEqual,
  greater: bin.greater, greaterEqual: bin.greaterEqual, where: bin.where,
  sum, max, min, argmax, argmin,
  matmul, conv2d, conv2dGradInput, conv2dGradFilter,
  maxPool2d, maxPool2dGrad, avgPool2d, avgPool2dGrad,
  resizeBilinear,
  randomUniform,
};

/** Primitive ops (OP_NAMES order) that have no WebGPU kernel (none while the table type is total and OP_NAMES lists OpName). */
export function missingWebGpuKernels(): OpName[] {
  return OP_NAMES.filter((op) => !(op in WEBGPU_KERNELS));
}
