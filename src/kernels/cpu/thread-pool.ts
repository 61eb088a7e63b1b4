/**
 * The CPU backend's pool of worker threads, and `runJob`, the one way a kernel runs blocks in
 * parallel. Results never depend on the thread count: a job is split into blocks of outputs,
 * every output is computed whole by one thread in its one fixed order, and which thread takes
 * which block only changes who does the work.
 *
 * Threads: `setNumThreads(n)` (dt.config.setNumThreads), else the DITTO_THREADS environment
 * variable, else os.availableParallelism(). n threads = the main thread + n - 1 workers, started
 * on the first parallel job, unref'd (they never keep the process alive) and terminated by
 * `shutdownPool()` (CpuBackend.dispose, i.e. dt.shutdown()).
 *
 * Protocol (worker side in worker.ts, shared definitions in pool-protocol.ts): `backend.run` is
 * synchronous, so the main thread posts { task, job, ctl, nBlocks, block } to the workers
 * (tensor storage is SharedArrayBuffers, shared, not copied) and rings each one's doorbell (a
 * worker parked after its last job wakes from Atomics.wait and takes the message at once; one that
 * idled back to its event loop, after PARK_MS, gets it as an event), then claims blocks itself from the
 * same counter (Atomics.add on ctl[NEXT]) and finally blocks in Atomics.wait on ctl[DONE] until
 * every claimed block is counted (polling first for up to SPIN_US, as a worker polls its doorbell
 * after a job, while spin-gate.ts finds that the thread gets a core at once). A worker that
 * throws or exits during a job records ctl[ERR] and its message before counting its block, and
 * the main thread throws a BackendError and restarts the pool on the next job; a worker that dies
 * without running any JavaScript (out of memory) is caught by a watchdog (no block finished for
 * WATCHDOG_MS). Jobs below a size threshold run inline on the main thread, and so do all jobs
 * while other work holds the cores if dynamic threads are on (dynamic-threads.ts, off by
 * default). pool-trace.ts records each job's timing while tracing is on (bench/cpu-step.ts --trace).
 *
 * Typing: runJob and runSplit are generic over the task name, and the job must be that task's
 * (tasks.ts TaskJobs), so every call site is checked.
 *
 * Worker start: in a build (dist/, compiled JavaScript) a worker runs ./worker.js directly. In
 * development the sources are TypeScript (run through tsx, or vitest, whose transform does not
 * reach worker threads), so the worker runs a small bootstrap that registers tsx's loader on its
 * thread (tsx/esm/api register()) and then imports ./worker.ts; a loader passed in execArgv
 * (`--import tsx`) does not apply to a worker's entry module on Node 20. Where tsx cannot be
 * resolved, the worker imports ./worker.ts as it is (a runtime that runs TypeScript itself).
 * Part of src/kernels/cpu: imports src/core/errors.ts, tasks.ts, pool-protocol.ts, spin-gate.ts,
 * dynamic-threads.ts and pool-trace.ts.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ArgumentError, BackendError } from '../../core/errors.ts';
import { BELL_PARK_MS, BELL_SPIN_GATED, BELL_SPIN_US, BELL_STRIDE, CTL_DONE, CTL_ERR, CTL_NEXT, type JobMessage, SPIN_JUMP_MS, type WorkerData, traceNow } from './pool-protocol.ts';
import { runAlone, setDynamicThreads } from './dynamic-threads.ts';
import { closeTrace, openTrace, traceInline, tracing } from './pool-trace.ts';
import { spinAllowed } from './spin-gate.ts';
import { type SplitTaskName, type TaskJobs, type TaskName, isTaskName, runTask, wasmModulesForWorkers } from './tasks.ts';

/** Bytes of each thread's slot in the shared error-message buffer. */
const SLOT_BYTES = 2048;
/** The main thread wakes this often while waiting, to check for errors. */
const SLICE_MS = 50;
/** With no block finished for this long, the pool is declared dead. */
const WATCHDOG_MS = 120_000;
/** An idle worker stays parked on its doorbell this long before it goes back to its event loop. */
const PARK_MS = 500;
let parkMs = PARK_MS;
/**
 * How long (us) a worker polls its doorbell after a job before parking, and the main thread polls
 * a job's done count before it sleeps in Atomics.wait for the workers' last blocks: most gaps
 * between the parallel jobs of a training step are 0.05-0.2 ms, and a sleeping thread's wake-up
 * costs 50 us to several ms on a virtual machine. 0 turns the spins off. DITTO_CPU_SPIN_US
 * (environment) overrides the default.
 */
const SPIN_US = 300;

function spinFromEnv(): number {
  const env = process.env.DITTO_CPU_SPIN_US;
  if (env === undefined || env === '') return SPIN_US;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 0 || n > 100_000) {
    throw new ArgumentError(`DITTO_CPU_SPIN_US: expected an integer in [0, 100000]. Received: DITTO_CPU_SPIN_US=${JSON.stringify(env)}`);
  }
  return n;
}
let workerSpinUs = spinFromEnv();
let mainSpinUs = workerSpinUs;
let spinGated = true;

let requestedThreads: number | null = null;

/** Sets the number of CPU threads (the main thread included); takes effect on the next op. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new ArgumentError(`setNumThreads: expected an integer in [1, 256]. Received: n=${n}`);
  }
  requestedThreads = n;
}

/** The number of CPU threads ops use: setNumThreads, else DITTO_THREADS, else the machine's cores. */
export function getNumThreads(): number {
  if (requestedThreads !== null) return requestedThreads;
  const env = process.env.DITTO_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1 || n > 256) {
      throw new ArgumentError(`DITTO_THREADS: expected an integer in [1, 256]. Received: DITTO_THREADS=${JSON.stringify(env)}`);
    }
    return n;
  }
  return Math.max(1, availableParallelism());
}

interface Pool {
  readonly workers: Worker[];
  readonly errors: SharedArrayBuffer;
  /** The workers' doorbells and the park time (pool-protocol.ts BELL_STRIDE, BELL_PARK_MS). */
  readonly bells: Int32Array;
  /** Set (asynchronously, by worker events) when a worker failed outside a job. */
  failure: string | null;
  closing: boolean;
}

let pool: Pool | null = null;
/** Scratch arrays of sharedScratch, by key. */
const scratch = new Map<string, Float32Array>();

/** Whether this module runs from TypeScript sources (development) rather than compiled JavaScript. */
const FROM_SOURCE = new URL(import.meta.url).pathname.endsWith('.ts');

/**
 * How a worker starts (see the header): the compiled entry's URL, or in development a bootstrap
 * (`eval` code) that registers tsx's loader on the worker thread and imports the TypeScript entry.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!FROM_SOURCE) return { entry: new URL('./worker.js', import.meta.url), eval: false };
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  let tsx: string | null = null;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    tsx = null;
  }
  const code = tsx === null
    ? `import(${entry});`
    : `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${entry}); });`;
  return { entry: code, eval: true };
}

function startPool(size: number): Pool {
  const errors = new SharedArrayBuffer(SLOT_BYTES * (size + 1));
  const bells = new Int32Array(new SharedArrayBuffer(4 * BELL_STRIDE * (size + 1)));
  bells[BELL_PARK_MS] = parkMs;
  bells[BELL_SPIN_US] = workerSpinUs;
  bells[BELL_SPIN_GATED] = spinGated ? 1 : 0;
  const p: Pool = { workers: [], errors, bells, failure: null, closing: false };
  // the main thread's compiled WebAssembly modules: every thread shares the code and its tier-up
  const wasm = wasmModulesForWorkers();
  const { entry, eval: isEval } = workerEntry();
  for (let i = 1; i <= size; i++) {
    const workerData: WorkerData = { index: i, errors, slotBytes: SLOT_BYTES, bells: bells.buffer as SharedArrayBuffer, wasm };
    const w = new Worker(entry, { eval: isEval, workerData });
    w.on('error', (e) => {
      if (!p.closing) p.failure ??= `CPU worker thread ${i} failed: ${e?.stack ?? String(e)}`;
    });
    w.on('exit', (code) => {
      if (!p.closing) p.failure ??= `CPU worker thread ${i} exited unexpectedly (code ${code})`;
    });
    w.unref();
    p.workers.push(w);
  }
  return p;
}

function stopPool(p: Pool): Promise<void> {
  p.closing = true;
  if (pool === p) pool = null;
  return Promise.all(p.workers.map((w) => w.terminate())).then(() => undefined);
}

/** A pool of exactly `size` workers (restarted when the thread count changed or it failed). */
function poolOf(size: number): Pool {
  if (pool && pool.failure !== null) {
    const why = pool.failure;
    void stopPool(pool);
    throw new BackendError(`cpu: ${why}; the worker pool restarts on the next parallel op`);
  }
  if (pool && pool.workers.length !== size) void stopPool(pool);
  if (!pool) pool = startPool(size);
  return pool;
}

/** Terminates the workers (they restart on the next parallel job) and drops the scratch arrays. */
export function shutdownPool(): Promise<void> {
  scratch.clear();
  return pool ? stopPool(pool) : Promise.resolve();
}

/**
 * Test hook: how long (ms) an idle worker stays parked on its doorbell before it returns to its
 * event loop; no argument restores the default. Applies to the running pool's next idle period.
 */
export function setParkMs(ms = PARK_MS): void {
  parkMs = ms;
  if (pool) Atomics.store(pool.bells, BELL_PARK_MS, ms);
}

/**
 * Test and benchmark hook: the spins (us) of a worker after a job and of the main thread before it
 * sleeps waiting for the workers (see SPIN_US), and whether they are gated (spin-gate.ts: only
 * while the thread gets a core at once) or always run; no argument restores the defaults.
 */
export function setSpinUs(worker = spinFromEnv(), main = worker, gated = true): void {
  workerSpinUs = worker;
  mainSpinUs = main;
  spinGated = gated;
  if (pool) {
    Atomics.store(pool.bells, BELL_SPIN_US, worker);
    Atomics.store(pool.bells, BELL_SPIN_GATED, gated ? 1 : 0);
  }
}

/** Number of live pool workers (for tests). */
export function poolSize(): number {
  return pool ? pool.workers.length : 0;
}

let parallelJobs = 0;
let parallelBlocks = 0;
let mainBlocks = 0;

/** Number of jobs run in parallel since the process started (for tests and benchmarks). */
export function parallelJobCount(): number {
  return parallelJobs;
}

/** Blocks of parallel jobs since the process started, and how many of them the main thread ran. */
export function parallelBlockCounts(): { blocks: number; main: number } {
  return { blocks: parallelBlocks, main: mainBlocks };
}

/**
 * A SharedArrayBuffer-backed scratch array of at least `floats` floats for `key` (reused from call
 * to call: jobs are synchronous; the caller overwrites what it reads). Contents unspecified.
 */
export function sharedScratch(key: string, floats: number): Float32Array {
  let s = scratch.get(key);
  if (!s || s.length < floats) {
    s = new Float32Array(new SharedArrayBuffer(4 * Math.max(floats, 1024)));
    scratch.set(key, s);
  }
  return s.length === floats ? s : s.subarray(0, floats);
}

let nextSeq = 1;

/** A fresh job number: each job's identity for the per-thread packed-operand caches. */
export function jobSeq(): number {
  return nextSeq++;
}

export interface RunOptions {
  /** Work in elementary steps (multiply-adds); below the parallel threshold the job runs inline. */
  work: number;
  /** Units per block, passed to the task (runSplit sets it; default 1). */
  block?: number;
  /** The array the job writes: parallel only if it is SharedArrayBuffer-backed. */
  out: ArrayBufferView;
  /** Test hook: the main thread only waits (the workers run every block). */
  workersOnly?: boolean;
}

/** Jobs smaller than this (about 0.2 ms of work) are not worth waking the workers for. */
const PARALLEL_MIN_WORK = 1 << 19;
let parallelMinWork = PARALLEL_MIN_WORK;

/**
 * Test hook: the smallest job (in work units) that runs in parallel, and dynamic threads off
 * (jobs at or above it always use the workers); no argument restores both defaults.
 */
export function setParallelMinWork(work?: number): void {
  parallelMinWork = work ?? PARALLEL_MIN_WORK;
  setDynamicThreads(work === undefined ? undefined : false);
}

/**
 * Runs blocks 0..nBlocks-1 of `job` with TASKS[task], in parallel when the pool has workers and
 * the job is big enough. Returns when every block is done; throws BackendError if a worker failed.
 */
export function runJob<T extends TaskName>(task: T, job: TaskJobs[T], nBlocks: number, o: RunOptions): void {
  if (!isTaskName(task)) throw new BackendError(`cpu: unknown task '${String(task)}'`);
  const block = o.block ?? 1;
  const threads = getNumThreads();
  let parallel = threads > 1 && (nBlocks > 1 || o.workersOnly) && (o.work >= parallelMinWork || o.workersOnly) && o.out.buffer instanceof SharedArrayBuffer;
  if (parallel && !o.workersOnly && runAlone()) parallel = false;
  if (!parallel) {
    const t0 = tracing() ? traceNow() : 0;
    for (let i = 0; i < nBlocks; i++) runTask(task, job, i, block);
    if (t0 !== 0) traceInline(task, nBlocks, o.work, t0);
    return;
  }
  const tr = tracing() ? openTrace(threads - 1) : null;
  const p = poolOf(threads - 1);
  parallelJobs++;
  parallelBlocks += nBlocks;
  const ctl = new Int32Array(new SharedArrayBuffer(16));
  const helpers = Math.min(p.workers.length, o.workersOnly ? nBlocks : nBlocks - 1);
  const msg: JobMessage<T> = tr ? { task, job, ctl: ctl.buffer, nBlocks, block, trace: tr.buf.buffer as SharedArrayBuffer } : { task, job, ctl: ctl.buffer, nBlocks, block };
  for (let w = 0; w < helpers; w++) {
    p.workers[w].postMessage(msg);
    // a parked worker wakes on its doorbell and takes the message from its port; one in its event loop gets it as an event
    Atomics.add(p.bells, BELL_STRIDE * (w + 1), 1);
    Atomics.notify(p.bells, BELL_STRIDE * (w + 1), 1);
  }

  let mainError: unknown = null;
  let claimed = nBlocks;
  let stopped = false;
  const stop = () => {
    if (!stopped) {
      claimed = Math.min(Atomics.exchange(ctl, CTL_NEXT, nBlocks), nBlocks);
      stopped = true;
    }
  };
  if (!o.workersOnly) {
    for (;;) {
      if (Atomics.load(ctl, CTL_ERR) !== 0) break;
      const i = Atomics.add(ctl, CTL_NEXT, 1);
      if (i >= nBlocks) break;
      mainBlocks++;
      if (tr && tr.mainBlocks++ === 0) tr.mainFirst = traceNow();
      try {
        runTask(task, job, i, block);
      } catch (e) {
        mainError = e;
        stop();
      }
      if (tr) tr.mainLast = traceNow();
      Atomics.add(ctl, CTL_DONE, 1);
      if (mainError) break;
    }
  }
  let lastDone = -1;
  let lastProgress = Date.now();
  // poll first (mainSpinUs): the workers' last blocks usually end within a block's time, and a sleeping main thread wakes late
  // (cut short when the clock jumps: this thread lost its core, and spinning would delay the worker that shares it)
  let spinAt = mainSpinUs > 0 ? performance.now() : 0;
  if (spinAt !== 0 && spinGated && !spinAllowed(spinAt)) spinAt = 0;
  const spinEnd = spinAt + mainSpinUs / 1000;
  for (;;) {
    if (Atomics.load(ctl, CTL_ERR) !== 0) stop();
    const done = Atomics.load(ctl, CTL_DONE);
    if (done >= claimed) break;
    if (spinAt !== 0) {
      const t = performance.now();
      spinAt = t < spinEnd && (t - spinAt < SPIN_JUMP_MS || !spinGated) ? t : 0;
      if (spinAt !== 0) continue;
    }
    if (done !== lastDone) {
      lastDone = done;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > WATCHDOG_MS) {
      void stopPool(p);
      throw new BackendError(`cpu: no worker thread finished a block of a '${task}' job for ${WATCHDOG_MS / 1000} s (a worker died?); the worker pool restarts on the next parallel op`);
    }
    Atomics.wait(ctl, CTL_DONE, done, SLICE_MS);
  }
  if (tr) closeTrace(tr, task, nBlocks, o.work, helpers);
  if (mainError) throw mainError;
  const failed = Atomics.load(ctl, CTL_ERR);
  if (failed !== 0) {
    const slot = failed * SLOT_BYTES;
    const len = Atomics.load(new Int32Array(p.errors), slot >> 2);
    const text = new TextDecoder().decode(new Uint8Array(p.errors).slice(slot + 4, slot + 4 + len));
    void stopPool(p);
    throw new BackendError(`cpu: ${text}; the worker pool restarts on the next parallel op`);
  }
}

/**
 * Blocks per thread of a runSplit job: enough that a worker that wakes late still gets its share
 * and that the last block, which one thread finishes while the other waits, is short.
 * determinism: blocks are ranges of whole outputs (elements, rows, images, Philox blocks), each
 * computed alone in its fixed order, so the block size never changes a bit.
 */
const SPLIT_BLOCKS_PER_THREAD = 8;
let splitBlocksPerThread = SPLIT_BLOCKS_PER_THREAD;

/** Benchmark hook: blocks per thread of runSplit jobs; no argument restores the default. */
export function setSplitBlocksPerThread(n = SPLIT_BLOCKS_PER_THREAD): void {
  splitBlocksPerThread = n;
}

export interface SplitOptions {
  /** Work per unit in the units of RunOptions.work (a multiply-add is 1; an elementwise op about 4). */
  workPerUnit: number;
  /** Fewest units per block. */
  minBlock: number;
  /** The array the job writes. */
  out: ArrayBufferView;
}

/**
 * Runs a job over `total` units (elements, rows, images, Philox blocks) in blocks of `block`
 * units (passed to the task): about SPLIT_BLOCKS_PER_THREAD blocks per thread, at least o.minBlock units each (in
 * parallel only when big enough).
 */
export function runSplit<T extends SplitTaskName>(task: T, job: TaskJobs[T], total: number, o: SplitOptions): void {
  if (total <= 0) return;
  const block = Math.max(o.minBlock, Math.ceil(total / (splitBlocksPerThread * getNumThreads())));
  runJob(task, job, Math.ceil(total / block), { work: total * o.workPerUnit, out: o.out, block });
}
