// The engine's float32 transcendental functions: one TypeScript definition each, mirrored
// operation for operation by shaders/lib/math.wgsl so CPU and WebGPU kernels give the same bits.
// Imports nothing outside src/core/math.
export { bitsOfF32, f32FromBits } from './f32-bits.ts';
export { exp32, expm1_32 } from './exp.ts';
export { log1p32, log32 } from './log.ts';
export { sigmoid32 } from './sigmoid.ts';
export { softplus32 } from './softplus.ts';
export { tanh32 } from './tanh.ts';
export { cos32 } from './cos.ts';
export { pow32, powIntF64 } from './pow.ts';
export { erf32 } from './erf.ts';
