/**
 * Uses the WebGPU backend (selected explicitly: automatic selection prefers the CPU over a
 * software adapter), reads a result, calls dt.shutdown() and then
 * simply ends: the process must exit by itself (backend.test.ts checks it does).
 */
import * as dt from '../../../../src/index.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
await dt.setBackend('webgpu');
const name = dt.getBackend();
const y = dt.matmul(dt.ones([3, 4]), dt.ones([4, 2]));
const v = await y.data();
await dt.shutdown();
process.stdout.write(`${name} ${Array.from(v).join(',')}\n`);
