/**
 * ditto's public entry point and composition root: wires the backends into the core and
 * re-exports the public API (see ../shared/guide/api.md).
 */
import { registerBackend } from './core/index.ts';
import { CpuBackend } from './kernels/cpu/index.ts';
import { createWebGpuBackend } from './kernels/webgpu/index.ts';

registerBackend('cpu', () => new CpuBackend(), 1);
// WebGPU (Dawn) wins automatic selection when an adapter exists; without one the factory
// resolves to { unavailable } and the engine falls back to the CPU, saying so once.
// Automatic selection takes WebGPU only on a hardware adapter: a software one (lavapipe) runs on the
// same cores as the CPU backend, which is several times faster there. setBackend('webgpu') always works.
registerBackend('webgpu', ({ automatic }) => createWebGpuBackend({ refuseSoftware: automatic }), 2);

export * from './core/index.ts';
export * as config from './config.ts';
export * as data from './data/index.ts';
export * as image from './data/image.ts';
export * as datasets from './data/datasets/index.ts';
export * as random from './random.ts';
export * as initializers from './nn/initializers/index.ts';
export * as utils from './utils.ts';
export {
  Sequential, layers, losses, metrics, optimizers, callbacks, Callback, EarlyStopping, TerminateOnNaN, History, Progbar, checkpoint,
  type HistoryJSON, type BatchSource, type CompileOptions, type FitOptions, type EvaluateOptions, type PredictOptions,
} from './nn/index.ts';
