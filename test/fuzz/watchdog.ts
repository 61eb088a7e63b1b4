/**
 * A watchdog for the fuzzers' "never a hang" property. A synchronous call that never returns
 * blocks the event loop, so neither fast-check's timeout nor vitest's can fire, and the test
 * process would hang (as the WebGPU gather over an empty axis did, growing by gigabytes). A
 * worker thread watches a shared heartbeat instead: the fuzzers arm it with a description of the
 * case before running it and disarm it after; a case armed for longer than the limit is printed
 * to stderr and the process is killed, so the run fails at once and names the case.
 */
import { Worker } from 'node:worker_threads';

/** Shared state: [0] the armed case's number (0: idle), [1] its description's length; then the description. */
const shared = new SharedArrayBuffer(8 + 8192);
const state = new Int32Array(shared, 0, 2);
const text = new Uint8Array(shared, 8);
let serial = 0;
let worker: Worker | null = null;

// The worker polls once a second; it is unref'd, so it never keeps the process alive.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.shared, 0, 2);
const text = new Uint8Array(workerData.shared, 8);
const pause = new Int32Array(new SharedArrayBuffer(4));
let seen = 0, since = Date.now();
for (;;) {
  Atomics.wait(pause, 0, 0, 1000);
  const now = Atomics.load(state, 0);
  if (now !== seen) { seen = now; since = Date.now(); continue; }
  if (now !== 0 && Date.now() - since > workerData.limitMs) {
    const what = Buffer.from(text.slice(0, Atomics.load(state, 1))).toString('utf8');
    writeSync(2, '\\nfuzz watchdog: a case has run for more than ' + workerData.limitMs / 1000 + ' s (a hang); killing the test process.\\nThe case: ' + what + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

/** Starts the watchdog (once per process) with a limit per case. */
export function startWatchdog(limitMs: number): void {
  if (worker) return;
  worker = new Worker(WORKER, { eval: true, workerData: { shared, limitMs } });
  worker.unref();
}

/** Marks the start of a case described by `what` (truncated to 8 KiB). */
export function arm(what: string): void {
  const bytes = Buffer.from(what, 'utf8').subarray(0, text.length);
  text.set(bytes);
  Atomics.store(state, 1, bytes.length);
  serial = (serial % 0x7ffffffe) + 1;
  Atomics.store(state, 0, serial);
}

/** Marks the end of the armed case. */
export function disarm(): void {
  Atomics.store(state, 0, 0);
}
