/**
 * The CPU kernel table: one kernel per primitive op. `satisfies` makes a missing kernel a
 * compile-time error.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { OpName } from '../../core/ops/op-attrs.ts';
import { adamMoment, adamStep, adamVelocity } from './adam.ts';
import * as bin from './binary.ts';
import { conv2d, conv2dGradFilter, conv2dGradInput } from './conv2d.ts';
import { broadcastTo, cast, fill } from './fill-cast.ts';
import { gather, gatherGrad, oneHot } from './gather.ts';
import { matmul } from './matmul.ts';
import { concat, pad, slice, transpose } from './movement.ts';
import { avgPool2d, avgPool2dGrad, maxPool2d, maxPool2dGrad } from './pool.ts';
import { randomUniform } from './random-uniform.ts';
import { argmax, argmin, max, min, sum } from './reduce.ts';
import { resizeBilinear } from './resize-bilinear.ts';
import type { CpuKernel } from './types.ts';
import * as un from './unary.ts';

export const CPU_KERNELS: { [O in OpName]: CpuKernel<O> } = {
  fill, cast, broadcastTo, transpose, slice, pad, concat, gather, gatherGrad, oneHot,
  neg: un.neg, abs: un.abs, sign: un.sign, exp: un.exp, log: un.log, sqrt: un.sqrt, square: un.square,
  relu: un.relu, sigmoid: un.sigmoid, tanh: un.tanh, clipByValue: un.clipByValue, reluGrad: un.reluGrad,
  adamMoment, adamVelocity, adamStep,
  add: bin.add, sub: bin.sub, mul: bin.mul, div: bin.div, maximum: bin.maximum, minimum: bin.minimum,
  equal: bin.equal, notEqual: bin.notEqual, less: bin.less, lessEqual: bin.lessEqual,
  greater: bin.greater, greaterEqual: bin.greaterEqual, where: bin.where,
  sum, max, min, argmax, argmin,
  matmul, conv2d, conv2dGradInput, conv2dGradFilter,
  maxPool2d, maxPool2dGrad, avgPool2d, avgPool2dGrad,
  resizeBilinear,
  randomUniform,
};
