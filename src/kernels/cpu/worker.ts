/**
 * Entry point of a CPU pool worker thread (see thread-pool.ts for the protocol and for how it is
 * started: from compiled JavaScript in a build, through the tsx loader in development).
 *
 * For each posted job { task, job, ctl, nBlocks, block } the worker claims blocks with
 * Atomics.add(ctl[NEXT]) until none is left, runs each with TASKS[task], and counts it in
 * ctl[DONE] (notifying the main thread when it finished the last block). After a job the worker
 * polls its doorbell for up to bells[BELL_SPIN_US] microseconds where spin-gate.ts allows it (a job
 * posted meanwhile starts within microseconds), then parks on it (Atomics.wait: woken in 20 us to
 * a few ms on a virtual machine) and takes the next job from its port synchronously
 * (receiveMessageOnPort); after an idle while it returns to its event loop,
 * where the next job arrives as a 'message' event (slower to wake). A failure (an exception,
 * or process.exit during a job) is recorded before its block is counted: ctl[ERR] = 1 + the
 * worker's index (first failure wins) and the message in the worker's slot of the shared error
 * buffer, and the main thread is notified, so the main thread throws a BackendError instead of
 * waiting forever.
 * Part of src/kernels/cpu: imports tasks.ts, wasm-builder.ts, pool-protocol.ts and spin-gate.ts.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  BELL_PARK_MS, BELL_SPIN_GATED, BELL_SPIN_US, BELL_STRIDE, CTL_DONE, CTL_ERR, CTL_NEXT, type JobMessage, SPIN_JUMP_MS, TRACE_BLOCKS, TRACE_FIRST, TRACE_HOW, TRACE_HOW_NAMES, TRACE_LAST, TRACE_SPIN, TRACE_SPIN_NAMES, TRACE_STRIDE, TRACE_WAKE, type TraceSpinEnd, type WorkerData, traceNow,
} from './pool-protocol.ts';
import { type JobArrival, isTaskName, runTask, setJobArrival, setThreadIndex } from './tasks.ts';
import { adoptModules } from './wasm-builder.ts';
import { spinAllowed } from './spin-gate.ts';

const { index, errors, slotBytes, wasm, bells: bellWords } = workerData as WorkerData;
if (parentPort === null) throw new Error('worker.ts runs only as a CPU pool worker thread');
const port: MessagePort = parentPort;
const bells = new Int32Array(bellWords);
const bell = BELL_STRIDE * index;
setThreadIndex(index);
// the main thread's compiled WebAssembly SIMD modules (none where it has no SIMD)
adoptModules(wasm);
const errLen = new Int32Array(errors);
const errText = new Uint8Array(errors);

/** How the last spin ended (for the trace: pool-protocol.ts TRACE_SPIN). */
let spinEnd: TraceSpinEnd = 'none';
/** How the running job arrived (for the trace). */
let arrivalNow: JobArrival = 'event';
/** The running job's control words and task name, and whether a block is in progress. */
let current: Int32Array | null = null;
let currentTask = '';
let inBlock = false;

function fail(ctl: Int32Array, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, slotBytes - 4);
  const slot = index * slotBytes;
  errText.set(bytes, slot + 4);
  Atomics.store(errLen, slot >> 2, bytes.length);
  Atomics.compareExchange(ctl, CTL_ERR, 0, index);
  Atomics.notify(ctl, CTL_DONE);
}

process.on('exit', (code) => {
  if (!current) return;
  fail(current, `CPU worker thread ${index} exited (code ${code}) during a '${currentTask}' job`);
  if (inBlock) Atomics.add(current, CTL_DONE, 1);
  Atomics.notify(current, CTL_DONE);
});

/** Runs the blocks of one job that this worker claims. */
function runJobMessage(msg: JobMessage): void {
  const ctl = new Int32Array(msg.ctl);
  const n = msg.nBlocks;
  current = ctl;
  currentTask = msg.task;
  // a traced job (thread-pool.ts setPoolTrace): this worker's stamps, written before each block is counted
  const tr = msg.trace ? new Float64Array(msg.trace) : null;
  const t0 = (index - 1) * TRACE_STRIDE;
  if (tr) {
    tr[t0 + TRACE_WAKE] = traceNow();
    tr[t0 + TRACE_HOW] = TRACE_HOW_NAMES.indexOf(arrivalNow);
    tr[t0 + TRACE_SPIN] = TRACE_SPIN_NAMES.indexOf(spinEnd);
  }
  try {
    if (!isTaskName(msg.task)) {
      fail(ctl, `CPU worker thread ${index}: unknown task '${msg.task}'`);
      return;
    }
    for (;;) {
      if (Atomics.load(ctl, CTL_ERR) !== 0) break;
      const i = Atomics.add(ctl, CTL_NEXT, 1);
      if (i >= n) break;
      let ok = false;
      inBlock = true;
      if (tr && tr[t0 + TRACE_BLOCKS] === 0) tr[t0 + TRACE_FIRST] = traceNow();
      try {
        runTask(msg.task, msg.job, i, msg.block);
        ok = true;
      } catch (e) {
        fail(ctl, `CPU worker thread ${index} failed in a '${msg.task}' job: ${e instanceof Error && e.stack ? e.stack : String(e)}`);
      }
      inBlock = false;
      if (tr) {
        tr[t0 + TRACE_LAST] = traceNow();
        tr[t0 + TRACE_BLOCKS]++;
      }
      if (Atomics.add(ctl, CTL_DONE, 1) + 1 === n || !ok) Atomics.notify(ctl, CTL_DONE);
      if (!ok) break;
    }
  } finally {
    current = null;
    inBlock = false;
  }
}

/** The job that woke this worker from its event loop (serve takes it). */
let pending: JobMessage | null = null;

/**
 * Runs the pending job (from the event loop), then polls this worker's doorbell for
 * bells[BELL_SPIN_US] microseconds and stays parked on it after that, taking each next job
 * synchronously from the port as soon as the bell rings, until no job came for
 * bells[BELL_PARK_MS] ms; then returns to the event loop (idle: no CPU, and the process may exit).
 * determinism: how a job arrives never changes which outputs a block computes.
 */
function serve(): void {
  let msg = pending;
  pending = null;
  let arrival: JobArrival = 'event';
  let idleSince = 0;
  /** Whether this idle period's spin is over (it runs once, right after a job). */
  let spun = true;
  /** Whether the spin saw the bell ring (the job is then taken as 'spin'). */
  let caught = false;
  for (;;) {
    if (msg !== null) {
      setJobArrival(arrival);
      arrivalNow = arrival;
      runJobMessage(msg);
      msg = null;
      idleSince = performance.now();
      spun = false;
      spinEnd = 'none';
    }
    // read the bell before looking at the port: a job posted after the look rings a newer bell
    const seen = Atomics.load(bells, bell);
    const next = receiveMessageOnPort(port);
    if (next !== undefined) {
      msg = next.message as JobMessage;
      // 'spin': taken without parking while spins are on (during the spin, or already there when the last job ended)
      arrival = caught || (!spun && Atomics.load(bells, BELL_SPIN_US) > 0) ? 'spin' : 'bell';
      caught = false;
      continue;
    }
    // a short bounded spin first (bells[BELL_SPIN_US] after the last job): a job posted meanwhile
    // starts without a wake-up; a ring shows as a new bell word, whose message is then on the port
    // (cut short when the clock jumps: this thread lost its core, so the cores are oversubscribed
    // and spinning would only delay the thread that shares ours)
    if (!spun && Atomics.load(bells, BELL_SPIN_US) > 0) {
      spun = true;
      const gated = Atomics.load(bells, BELL_SPIN_GATED) !== 0;
      if (gated && !spinAllowed(performance.now())) {
        spinEnd = 'gated';
        continue;
      }
      const until = idleSince + Atomics.load(bells, BELL_SPIN_US) / 1000;
      const jump = gated ? SPIN_JUMP_MS : Infinity;
      let t = performance.now();
      let prev = t;
      for (; Atomics.load(bells, bell) === seen && t < until && t - prev < jump; t = performance.now()) prev = t;
      if (Atomics.load(bells, bell) !== seen) {
        spinEnd = 'caught';
        caught = true;
        continue;
      }
      spinEnd = t - prev >= jump ? 'jump' : 'timeout';
    }
    spun = true;
    const left = Atomics.load(bells, BELL_PARK_MS) - (performance.now() - idleSince);
    if (left <= 0) return;
    Atomics.wait(bells, bell, seen, left);
  }
}

port.on('message', (msg: JobMessage) => {
  pending = msg;
  serve();
});
