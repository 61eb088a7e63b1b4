/**
 * The child WebGPU probe (test/util/webgpu.ts's webgpuUnavailableInChild): opens the WebGPU
 * backend in this fresh process, prints one line `ditto-webgpu-probe {json}` (see
 * test/util/webgpu-probe.ts), shuts the device down and exits 0.
 */
import * as dt from '../../../src/index.ts';
import { probeLine, probeWebGpu } from '../webgpu-probe.ts';

const result = await probeWebGpu();
await dt.shutdown();
process.stdout.write(probeLine(result) + '\n');
