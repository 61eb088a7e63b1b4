/**
 * Whether a thread of the CPU pool may spin (poll instead of sleeping) right now: spinning pays
 * only where every spinning thread has a core of its own. On an oversubscribed machine (other
 * processes, more threads than cores) a spinner keeps the thread it waits for off the core they
 * share, for the whole spin. Each thread checks its own run-queue wait (Linux
 * /proc/thread-self/schedstat: the time it was runnable but not running) at most every CHECK_MS:
 * above MAX_WAIT of the wall time since the last check, the thread does not spin until a later
 * check finds it below again. Where the file cannot be read, spins are allowed.
 * The main thread also uses the share to run jobs alone while the cores are oversubscribed
 * (thread-pool.ts, dynamic threads). Every thread (main, each worker) has its own copy of this
 * module's state.
 * determinism: only when threads poll, sleep or share a job; never which outputs a block computes.
 * Part of src/kernels/cpu: imports node:fs only (thread-pool.ts and worker.ts use it).
 */
import { readFileSync } from 'node:fs';

/** How often (ms of wall time) a thread rereads its run-queue wait. */
const CHECK_MS = 20;
/** The largest share of wall time spent waiting for a core at which spins stay allowed. */
const MAX_WAIT = 0.05;

let readable = true;
let share = 0;
let intervals = 0;
let nextCheck = 0;
let lastWall = 0;
let lastWait = -1;

/** This thread's run-queue wait so far (ms), or -1 where it cannot be read. */
function runQueueWaitMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    const ns = Number(fields[1]);
    return Number.isFinite(ns) ? ns / 1e6 : -1;
  } catch {
    return -1;
  }
}

/**
 * The share of wall time this thread spent waiting for a core over its last check interval (about
 * CHECK_MS, reread at most that often; `now`: performance.now()); 0 where it cannot be read.
 */
export function coreWaitShare(now: number): number {
  if (!readable || now < nextCheck) return share;
  nextCheck = now + CHECK_MS;
  const wait = runQueueWaitMs();
  if (wait < 0) {
    readable = false;
    share = 0;
    return share;
  }
  if (lastWait >= 0 && now > lastWall) {
    share = (wait - lastWait) / (now - lastWall);
    intervals++;
  }
  lastWait = wait;
  lastWall = now;
  return share;
}

/** The number of the interval coreWaitShare's value comes from (it grows by one per check). */
export function coreWaitInterval(): number {
  return intervals;
}

/** Whether this thread may spin now (`now`: performance.now()). Costs one comparison between checks. */
export function spinAllowed(now: number): boolean {
  return coreWaitShare(now) <= MAX_WAIT;
}
