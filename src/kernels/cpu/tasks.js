/**
 * The tasks a CPU pool thread can run, by name: each is `(job, blockIndex) => void` and writes
 * only the outputs of its block, so blocks run on any thread in any order with the same bits.
 * Plain JavaScript (types in tasks.d.ts): worker threads load it without a TypeScript loader.
 * The `test.*` tasks exist for the pool's own tests (error and crash reporting).
 */
import { isMainThread } from 'node:worker_threads';
import { runBinaryBlock, runBinaryRowBlock, runMaxPoolBlock, runMaxPoolGradBlock, runReluBlock, runReluGradBlock, runResizeBlock, runSumChunksBlock, runWhereBlock } from './ew-tasks.js';
import { linkedGemmModule, runGemmBlock } from './gemm-tasks.js';
import { linkedPhiloxModule, runPhiloxBlock } from './random-tasks.js';
import { compiledModules } from './wasm-builder.js';
import { ewAvailable } from './wasm-ew.js';
import { simdGemmModule } from './wasm-gemm.js';
import { simdPhiloxModule } from './wasm-philox.js';

let threadIndex = 0;

/**
 * Compiles every WebAssembly SIMD module on this thread (where available) and returns them by
 * name, for the pool workers to adopt (thread-pool.ts workerData).
 */
export function wasmModulesForWorkers() {
  simdGemmModule();
  simdPhiloxModule();
  ewAvailable();
  return compiledModules();
}

/** Called once by each worker: its 1-based index (the main thread is 0). */
export function setThreadIndex(i) {
  threadIndex = i;
}

export const TASKS = {
  gemm: runGemmBlock,
  binary: runBinaryBlock,
  binaryRow: runBinaryRowBlock,
  where: runWhereBlock,
  relu: runReluBlock,
  reluGrad: runReluGradBlock,
  resizeBilinear: runResizeBlock,
  maxPool2d: runMaxPoolBlock,
  maxPool2dGrad: runMaxPoolGradBlock,
  sumChunks: runSumChunksBlock,
  philoxUniform: runPhiloxBlock,
  /** Test hook: a worker block throws (the main thread's blocks do nothing). */
  'test.throw': (job) => {
    if (!isMainThread) throw new Error(job.message);
  },
  /** Test hook: a worker calls process.exit in the middle of a job. */
  'test.exit': () => {
    if (!isMainThread) process.exit(3);
  },
  /**
   * Test hook: records which thread ran each block (out[i] = 0 on the main thread, w + 1 on
   * worker w), after spinning job.spinMs milliseconds.
   */
  'test.record': (job, i) => {
    const until = Date.now() + (job.spinMs ?? 0);
    while (Date.now() < until);
    job.out[i] = threadIndex;
  },
  /**
   * Test hook (needs --allow-natives-syntax), after spinning job.spinMs: out[threadIndex] = 1 if
   * this thread's asm.js GEMM module was validated and compiled as asm.js, + 2 if its asm.js
   * Philox module was (3: both; they run as plain JavaScript otherwise).
   */
  'test.asm': (job) => {
    const until = Date.now() + (job.spinMs ?? 0);
    while (Date.now() < until);
    const isAsm = new Function('f', 'return %IsAsmWasmCode(f)');
    job.out[threadIndex] = (isAsm(linkedGemmModule()) ? 1 : 0) + (isAsm(linkedPhiloxModule()) ? 2 : 0);
  },
  /**
   * Test hook, after spinning job.spinMs: out[threadIndex] = 1 if this thread compiled the
   * WebAssembly SIMD GEMM module, + 2 the Philox one, + 4 the elementwise one (7: all three).
   */
  'test.simd': (job) => {
    const until = Date.now() + (job.spinMs ?? 0);
    while (Date.now() < until);
    job.out[threadIndex] = (simdGemmModule() ? 1 : 0) + (simdPhiloxModule() ? 2 : 0) + (ewAvailable() ? 4 : 0);
  },
};
