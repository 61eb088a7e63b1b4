/**
 * The tasks a CPU pool thread can run, by name, and the job each takes: `TASKS[name](job, i,
 * block)` computes block i of a job (block: units per block, for the tasks runSplit shares out)
 * and writes only the outputs of that block, so blocks run on any thread in any order with the
 * same bits. `TaskJobs` maps every task name to its job type: runJob and runSplit
 * (thread-pool.ts) are generic over the name, so a job is checked against its task at every call.
 * The `test.*` tasks exist for the pool's own tests (error and crash reporting, thread shares).
 * Part of src/kernels/cpu: imports the task modules (ew-tasks.ts, gemm-tasks.ts, batch-norm-tasks.ts,
 * random-tasks.ts, fingerprint-tasks.ts) and the WebAssembly modules they run; the worker threads load it.
 */
import { isMainThread } from 'node:worker_threads';
import {
  type BinaryJob, type BinaryRowJob, type MaxPoolGradJob, type MaxPoolJob, type ReluGradJob, type ReluJob, type ResizeJob, type SumChunksJob, type WhereJob,
  runBinaryBlock, runBinaryRowBlock, runMaxPoolBlock, runMaxPoolGradBlock, runReluBlock, runReluGradBlock, runResizeBlock, runSumChunksBlock, runWhereBlock,
} from './ew-tasks.ts';
import { type BatchNormChunksJob, type BatchNormRowsJob, runBatchNormChunksBlock, runBatchNormRowsBlock } from './batch-norm-tasks.ts';
import { type GemmJob, runGemmBlock } from './gemm-tasks.ts';
import { type ImageTransformJob, runImageTransformBlock } from './image-transform-tasks.ts';
import { type PhiloxJob, runPhiloxBlock } from './random-tasks.ts';
import { type DropoutJob, runDropoutBlock } from './dropout-tasks.ts';
import { type FingerprintJob, runFingerprintBlock } from './fingerprint-tasks.ts';
import { type WasmModule, compiledModules } from './wasm-builder.ts';
import { ewAvailable } from './wasm-ew.ts';
import { simdGemmModule } from './wasm-gemm.ts';
import { simdPhiloxModule } from './wasm-philox.ts';
import { bnAvailable } from './wasm-bn.ts';
import { simdFingerprintModule } from './wasm-fingerprint.ts';

/** Job of the test tasks that write one word per thread or block into `out`, after spinning spinMs milliseconds. */
export interface RecordJob {
  out: Int32Array;
  spinMs?: number;
}

/**
 * Job of the test task that stamps, per block, when it started (`t[i]`: process.hrtime in ns)
 * and on which thread (`who[i]`, thread index + 1); a block on the main thread then spins until
 * every block is stamped or waitMs passed (so that a worker that wakes late still gets one). `payload` stands for a real job's fields.
 */
export interface StampJob {
  t: Float64Array;
  who: Int32Array;
  waitMs: number;
  payload?: unknown;
}

/**
 * The jobs of the tasks that runSplit (thread-pool.ts) shares out in blocks of `block` units:
 * outputs, rows, images or 4-word Philox blocks.
 */
export interface SplitJobs {
  binary: BinaryJob;
  binaryRow: BinaryRowJob;
  where: WhereJob;
  relu: ReluJob;
  reluGrad: ReluGradJob;
  resizeBilinear: ResizeJob;
  maxPool2d: MaxPoolJob;
  maxPool2dGrad: MaxPoolGradJob;
  philoxUniform: PhiloxJob;
  dropoutApply: DropoutJob;
  imageTransform: ImageTransformJob;
  batchNormChunks: BatchNormChunksJob;
  batchNormRows: BatchNormRowsJob;
  fingerprint: FingerprintJob;
}

/** Every task's job, by task name. */
export interface TaskJobs extends SplitJobs {
  gemm: GemmJob;
  sumChunks: SumChunksJob;
  'test.throw': { message: string };
  'test.exit': Record<string, never>;
  'test.record': RecordJob;
  'test.simd': RecordJob;
  'test.stamp': StampJob;
  'test.arrival': RecordJob;
  'test.count': RecordJob;
}

export type TaskName = keyof TaskJobs;
export type SplitTaskName = keyof SplitJobs;

/** Block `index` of a job of task T (`block`: units per block, RunOptions.block). */
export type BlockTask<T extends TaskName> = (job: TaskJobs[T], index: number, block: number) => void;

let threadIndex = 0;

/**
 * How a worker's current job reached it (worker.ts): while it polled its doorbell right after a
 * job (spin), by its doorbell while parked (bell), or as an event-loop message (event).
 */
export type JobArrival = 'spin' | 'bell' | 'event';
let jobArrival: JobArrival = 'event';

/** Called by a worker before each job: how the job arrived (for the 'test.arrival' task). */
export function setJobArrival(a: JobArrival): void {
  jobArrival = a;
}

/**
 * Compiles every WebAssembly SIMD module on this thread (where available) and returns them by
 * name, for the pool workers to adopt (thread-pool.ts workerData).
 */
export function wasmModulesForWorkers(): Record<string, WasmModule> {
  simdGemmModule();
  simdPhiloxModule();
  ewAvailable();
  bnAvailable();
  simdFingerprintModule();
  return compiledModules();
}

/** Called once by each worker: its 1-based index (the main thread is 0). */
export function setThreadIndex(i: number): void {
  threadIndex = i;
}

function spin(ms = 0): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

export const TASKS: { readonly [T in TaskName]: BlockTask<T> } = {
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
  dropoutApply: runDropoutBlock,
  imageTransform: runImageTransformBlock,
  batchNormChunks: runBatchNormChunksBlock,
  batchNormRows: runBatchNormRowsBlock,
  fingerprint: runFingerprintBlock,
  /** Test hook: a worker block throws (the main thread's blocks do nothing), saying how its job arrived. */
  'test.throw': (job) => {
    if (!isMainThread) throw new Error(`${job.message} (job by ${jobArrival})`);
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
    spin(job.spinMs);
    job.out[i] = threadIndex;
  },
  /**
   * Test hook, after spinning job.spinMs: out[threadIndex] = 1 if this thread compiled the
   * WebAssembly SIMD GEMM module, + 2 the Philox one, + 4 the elementwise one (7: all three).
   */
  'test.simd': (job) => {
    spin(job.spinMs);
    job.out[threadIndex] = (simdGemmModule() ? 1 : 0) + (simdPhiloxModule() ? 2 : 0) + (ewAvailable() ? 4 : 0);
  },
  /**
   * Test hook, after spinning job.spinMs: out[i] = 0 if the main thread ran block i, 1 if a worker
   * that took the job by its doorbell while parked, 2 if a worker that took it from its event
   * loop, 3 if a worker that saw its doorbell ring while polling it right after its last job.
   */
  'test.arrival': (job, i) => {
    spin(job.spinMs);
    job.out[i] = threadIndex === 0 ? 0 : jobArrival === 'bell' ? 1 : jobArrival === 'event' ? 2 : 3;
  },
  /** Test hook, after spinning job.spinMs: counts the runs of block i in out[i] (each block must run exactly once). */
  'test.count': (job, i) => {
    spin(job.spinMs);
    Atomics.add(job.out, i, 1);
  },
  /** Test and benchmark hook (bench/pool-latency.ts): see StampJob. */
  'test.stamp': (job, i) => {
    Atomics.store(job.who, i, threadIndex + 1);
    job.t[i] = Number(process.hrtime.bigint());
    if (threadIndex !== 0) return;
    const until = Date.now() + job.waitMs;
    while (Date.now() < until && job.who.some((w, k) => k !== i && Atomics.load(job.who, k) === 0));
  },
};

/** Runs block `index` of a job of task `task` on this thread. */
export function runTask<T extends TaskName>(task: T, job: TaskJobs[T], index: number, block: number): void {
  const run: BlockTask<T> = TASKS[task];
  run(job, index, block);
}

/** Whether `name` is a task (a message from another thread is checked before it runs). */
export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASKS, name);
}
