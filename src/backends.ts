/**
 * The composition root's wiring: registers the CPU and WebGPU backends with the core's backend
 * registry. Both entries (index.ts, advanced.ts) import it, so whichever loads first registers
 * them, once, and both share one registry. Composition-root module: may import any layer.
 */
import { registerBackend } from './core/backend-registry.ts';
import { CpuBackend } from './kernels/cpu/index.ts';
import { createWebGpuBackend } from './kernels/webgpu/index.ts';

registerBackend('cpu', () => new CpuBackend(), 1);
// WebGPU (Dawn) wins automatic selection when an adapter exists; without one the factory
// resolves to { unavailable } and the engine falls back to the CPU, saying so once.
// Automatic selection takes WebGPU only on a hardware adapter: a software one (lavapipe) runs on the
// same cores as the CPU backend, which is several times faster there. setBackend('webgpu') always works.
registerBackend('webgpu', ({ automatic }) => createWebGpuBackend({ refuseSoftware: automatic }), 2);
