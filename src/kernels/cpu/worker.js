/**
 * Entry point of a CPU pool worker thread (see thread-pool.ts for the protocol). Plain JavaScript
 * so that Node loads it without a TypeScript loader (under tsx, vitest or plain node alike).
 *
 * For each posted job { task, job, ctl, nBlocks } the worker claims blocks with
 * Atomics.add(ctl[NEXT]) until none is left, runs each with TASKS[task], and counts it in
 * ctl[DONE] (notifying the main thread when it finished the last block). A failure (an exception,
 * or process.exit during a job) is recorded before its block is counted: ctl[ERR] = 1 + the
 * worker's index (first failure wins) and the message in the worker's slot of the shared error
 * buffer, and the main thread is notified, so the main thread throws a BackendError instead of
 * waiting forever.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TASKS, setThreadIndex } from './tasks.js';
import { adoptModules } from './wasm-builder.js';

const NEXT = 0;
const DONE = 1;
const ERR = 2;

const { index, errors, slotBytes, wasm } = workerData;
setThreadIndex(index);
// the main thread's compiled WebAssembly SIMD modules (none where it has no SIMD)
adoptModules(wasm);
const errLen = new Int32Array(errors);
const errText = new Uint8Array(errors);

/** The running job's control words and task name, and whether a block is in progress. */
let current = null;
let currentTask = '';
let inBlock = false;

function fail(ctl, message) {
  const bytes = new TextEncoder().encode(message).subarray(0, slotBytes - 4);
  const slot = index * slotBytes;
  errText.set(bytes, slot + 4);
  Atomics.store(errLen, slot >> 2, bytes.length);
  Atomics.compareExchange(ctl, ERR, 0, index);
  Atomics.notify(ctl, DONE);
}

process.on('exit', (code) => {
  if (!current) return;
  fail(current, `CPU worker thread ${index} exited (code ${code}) during a '${currentTask}' job`);
  if (inBlock) Atomics.add(current, DONE, 1);
  Atomics.notify(current, DONE);
});

parentPort.on('message', (msg) => {
  const ctl = new Int32Array(msg.ctl);
  const n = msg.nBlocks;
  const run = TASKS[msg.task];
  current = ctl;
  currentTask = msg.task;
  try {
    if (!run) {
      fail(ctl, `CPU worker thread ${index}: unknown task '${msg.task}'`);
      return;
    }
    for (;;) {
      if (Atomics.load(ctl, ERR) !== 0) break;
      const i = Atomics.add(ctl, NEXT, 1);
      if (i >= n) break;
      let ok = false;
      inBlock = true;
      try {
        run(msg.job, i);
        ok = true;
      } catch (e) {
        fail(ctl, `CPU worker thread ${index} failed in a '${msg.task}' job: ${e && e.stack ? e.stack : String(e)}`);
      }
      inBlock = false;
      if (Atomics.add(ctl, DONE, 1) + 1 === n || !ok) Atomics.notify(ctl, DONE);
      if (!ok) break;
    }
  } finally {
    current = null;
    inBlock = false;
  }
});
