/**
 * The WebGPU backend's entry point for the composition root and tests.
 * Part of src/kernels/webgpu: imports src/core only.
 */
export { WebGpuBackend, createWebGpuBackend, selfTestVerdict, type WebGpuOptions, type WebGpuStats } from './backend.ts';
export { WEBGPU_KERNELS, missingWebGpuKernels } from './kernels.ts';
export type { GpuHandle } from './kernel-util.ts';
export type { SelfTestResult } from './self-test.ts';
