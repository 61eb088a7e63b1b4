/**
 * For test/unit/webgpu/no-driver.test.ts, run with VK_DRIVER_FILES pointing nowhere. `auto`: lets
 * ditto pick its backend (await dt.ready()) and runs a tiny op; `explicit`: asks for WebGPU with
 * dt.setBackend('webgpu'), writes the error's message to stderr (as an application would), then runs
 * the op on the CPU. Prints `backend <name> <values>` and ends with exit code 0.
 */
import * as dt from '../../../../src/index.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const mode = process.argv[2];
if (mode === 'explicit') {
  try {
    await dt.setBackend('webgpu');
    process.stdout.write('setBackend(webgpu) succeeded\n');
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
  }
  await dt.setBackend('cpu');
} else {
  await dt.ready();
}
const y = dt.add(dt.ones([3]), 1);
process.stdout.write(`backend ${dt.getBackend()} ${Array.from(await y.data()).join(',')}\n`);
await dt.shutdown();
