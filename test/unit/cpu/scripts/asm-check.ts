/**
 * Subprocess for test/unit/cpu/asm-validation.test.ts: loads the CPU backend the way programs do
 * (through tsx), runs conv2d jobs on 3 threads, and prints JSON with whether V8 compiled the
 * asm.js modules as asm.js on the main thread and in each worker (1 GEMM + 2 Philox per thread),
 * whether each thread has the WebAssembly SIMD modules (1 GEMM + 2 Philox + 4 elementwise), and
 * any V8 asm.js warnings.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--allow-natives-syntax');
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

const dt = await import('../../../../src/index.ts');
const { runJob, setParallelMinWork } = await import('../../../../src/kernels/cpu/thread-pool.ts');
dt.config.setNumThreads(3);
setParallelMinWork(1);
await dt.setBackend('cpu');
const x = dt.ones([2, 9, 9, 8]);
const w = dt.ones([3, 3, 8, 4]);
const y = dt.conv2d(x, w);
const sum = (await y.data())[0];
const out = new Int32Array(new SharedArrayBuffer(16)).fill(-1);
runJob('test.asm', { out, spinMs: 5 }, 60, { work: 1, out, workersOnly: true });
runJob('test.asm', { out }, 1, { work: 0, out });
const simd = new Int32Array(new SharedArrayBuffer(16)).fill(-1);
runJob('test.simd', { out: simd, spinMs: 5 }, 60, { work: 1, out: simd, workersOnly: true });
runJob('test.simd', { out: simd }, 1, { work: 0, out: simd });
await new Promise((r) => setTimeout(r, 50)); // let process warnings be emitted
process.stdout.write(JSON.stringify({ sum, asm: [...out.slice(0, 3)], simd: [...simd.slice(0, 3)], warnings }) + '\n');
await dt.shutdown();
