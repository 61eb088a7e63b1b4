/**
 * The CPU backend's entry point for the composition root.
 * Part of src/kernels/cpu: imports src/core only.
 */
export { CpuBackend } from './backend.ts';
export { CPU_KERNELS } from './kernels.ts';
export { getNumThreads, setNumThreads } from './thread-pool.ts';
