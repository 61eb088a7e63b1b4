/**
 * Every op function of the engine (the public functional API, the targets of Tensor methods and the
 * primitives behind gradients and optimizers): everything each op file exports, so a new op function is
 * exported by writing it in its file. src/core/index.ts picks the public ones by name.
 * Part of src/core.
 */
export * from './binary.ts';
export * from './broadcast.ts';
export * from './compare.ts';
export * from './concat.ts';
export * from './conv2d.ts';
export * from './conv-variants.ts';
export * from './depthwise-conv2d.ts';
export * from './creation.ts';
export * from './gather.ts';
export * from './image-transform.ts';
export * from './matmul.ts';
export * from './pool.ts';
export * from './reduce.ts';
export * from './random-uniform.ts';
export * from './resize-bilinear.ts';
export * from './reshape.ts';
export * from './slice.ts';
export * from './softmax.ts';
export * from './transpose.ts';
export * from './unary.ts';
export * from './adam.ts';
export * from './erf.ts';
export * from './softplus.ts';
export * from './batch-norm.ts';
export * from './conv2d-bias-act.ts';
export * from './conv2d-bias-act-pool.ts';
export * from './dropout-apply.ts';
