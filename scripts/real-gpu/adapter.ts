/**
 * Prints what the WebGPU backend sees on this machine: the adapter (vendor, architecture, device,
 * whether it is a software one), the backend's description and the startup self-test's outcome
 * (division, sqrt, non-contraction of a*b+c), as JSON. Used by scripts/real-gpu/run.sh.
 * Usage: tsx scripts/real-gpu/adapter.ts
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { WebGpuBackend } from '../../src/kernels/webgpu/index.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
await dt.setBackend('webgpu');
const backend = adv.currentBackend() as unknown as WebGpuBackend;
console.log(JSON.stringify({
  description: backend.description,
  adapter: backend.gpu.info,
  exact: backend.exact,
  exactGuard: backend.exactGuard,
  selfTest: backend.selfTest,
}, null, 2));
await dt.shutdown();
