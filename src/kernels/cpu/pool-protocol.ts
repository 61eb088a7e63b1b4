/**
 * What the main thread and the CPU pool workers share (thread-pool.ts, worker.ts): the layout of
 * a job's control words and of the pool's doorbells, the job message and the worker's start data.
 * Part of src/kernels/cpu: imports tasks.ts and wasm-builder.ts (types only).
 */
import type { TaskJobs, TaskName } from './tasks.ts';
import type { WasmModule } from './wasm-builder.ts';

/** Control words of a job (an Int32Array over a SharedArrayBuffer): the next unclaimed block ... */
export const CTL_NEXT = 0;
/** ... the number of blocks finished ... */
export const CTL_DONE = 1;
/** ... and 0, or the (1-based) index of the first worker that failed. */
export const CTL_ERR = 2;

/**
 * The pool's doorbells (an Int32Array over a SharedArrayBuffer): worker w (1-based) parks in
 * Atomics.wait on word BELL_STRIDE * w, which the main thread increments and notifies after
 * posting it a job; words on separate 64-byte lines. Word BELL_PARK_MS: how long an idle worker
 * stays parked before it goes back to its event loop.
 */
export const BELL_STRIDE = 16;
export const BELL_PARK_MS = 0;

/** A job posted to the workers: blocks 0..nBlocks-1 of `job` for task `task`, `block` units each. */
export type JobMessage<T extends TaskName = TaskName> = {
  [K in T]: { task: K; job: TaskJobs[K]; ctl: SharedArrayBuffer; nBlocks: number; block: number };
}[T];

/** A worker's workerData. */
export interface WorkerData {
  /** 1-based worker index (the main thread is 0). */
  index: number;
  /** The shared error-message buffer: per thread a slot of slotBytes bytes (length word, UTF-8 text). */
  errors: SharedArrayBuffer;
  slotBytes: number;
  /** The pool's doorbells (BELL_STRIDE, BELL_PARK_MS). */
  bells: SharedArrayBuffer;
  /** The main thread's compiled WebAssembly modules, by name (tasks.ts wasmModulesForWorkers). */
  wasm: Record<string, WasmModule>;
}
