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
/**
 * Word BELL_SPIN_US: how long (microseconds) a worker that just finished a job polls its doorbell
 * (Atomics.load, no system call) before it parks in Atomics.wait: a job posted meanwhile (the next
 * op of a training step, typically 0.1-0.2 ms later) starts without a thread wake-up.
 */
export const BELL_SPIN_US = 1;
/** Word BELL_SPIN_GATED: 1 = spin only where spin-gate.ts allows it (the default), 0 = always (a test hook). */
export const BELL_SPIN_GATED = 2;

/** A job posted to the workers: blocks 0..nBlocks-1 of `job` for task `task`, `block` units each. */
export type JobMessage<T extends TaskName = TaskName> = {
  [K in T]: { task: K; job: TaskJobs[K]; ctl: SharedArrayBuffer; nBlocks: number; block: number; trace?: SharedArrayBuffer };
}[T];

/**
 * A traced job's worker words (thread-pool.ts setPoolTrace; a Float64Array over JobMessage.trace,
 * TRACE_STRIDE words per worker w at (w - 1) * TRACE_STRIDE): when the worker took the message,
 * started its first block and finished its last (microseconds, the hrtime clock that every thread
 * shares), how many blocks it ran and how the job reached it. Written before the block is counted in ctl[DONE].
 */
export const TRACE_WAKE = 0;
export const TRACE_FIRST = 1;
export const TRACE_LAST = 2;
export const TRACE_BLOCKS = 3;
/** How the job reached the worker: its index in TRACE_HOW_NAMES (tasks.ts JobArrival; '': not taken). */
export const TRACE_HOW = 4;
/** How the worker's spin before this job ended: its index in TRACE_SPIN_NAMES. */
export const TRACE_SPIN = 5;
export const TRACE_STRIDE = 6;
/** The codes of TRACE_HOW (a code is its name's index). */
export const TRACE_HOW_NAMES = ['', 'spin', 'bell', 'event'] as const;
/** The codes of TRACE_SPIN: no spin, gate closed (spin-gate.ts), timed out, clock jump (preempted), caught the job. */
export const TRACE_SPIN_NAMES = ['none', 'gated', 'timeout', 'jump', 'caught'] as const;
export type TraceSpinEnd = (typeof TRACE_SPIN_NAMES)[number];

/**
 * A spin (a worker's on its doorbell, the main thread's on a job's done count) stops when the clock jumps this much
 * (ms) between two reads: the thread was preempted, so the cores are oversubscribed and spinning would only delay the
 * thread that shares its core.
 */
export const SPIN_JUMP_MS = 0.05;

/** Microseconds on the hrtime clock (the same on every thread): the trace's time stamps. */
export const traceNow = (): number => Number(process.hrtime.bigint()) / 1000;

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
