/**
 * Every op function of the engine (the public functional API and the targets of Tensor methods).
 * Part of src/core.
 */
export { add, sub, mul, div, maximum, minimum } from './binary.ts';
export { broadcastTo, reduceToShape } from './broadcast.ts';
export { equal, notEqual, less, lessEqual, greater, greaterEqual, where } from './compare.ts';
export { concat, stack, split, unstack } from './concat.ts';
export { conv2d, conv2dGradInput, conv2dGradFilter, type Conv2dOptions } from './conv2d.ts';
export { tensor, scalar, fill, zeros, ones, zerosLike, onesLike, cast, clone, variable, type TensorValues } from './creation.ts';
export { gather, gatherGrad, oneHot } from './gather.ts';
export { matmul, type MatmulOptions } from './matmul.ts';
export { maxPool2d, avgPool2d, maxPool2dGrad, avgPool2dGrad, type PoolOptions } from './pool.ts';
export { sum, max, min, mean, argmax, argmin } from './reduce.ts';
export { randomUniform, type RandomUniformAttrs } from './random-uniform.ts';
export { resizeBilinear } from './resize-bilinear.ts';
export { reshape, expandDims, squeeze } from './reshape.ts';
export { slice, pad } from './slice.ts';
export { softmax, logSoftmax } from './softmax.ts';
export { transpose } from './transpose.ts';
export { neg, abs, sign, exp, log, sqrt, square, relu, reluGrad, sigmoid, tanh, clipByValue } from './unary.ts';
export { adamMoment, adamVelocity, adamStep } from './adam.ts';
