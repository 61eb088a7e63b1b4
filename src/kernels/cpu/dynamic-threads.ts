/**
 * Dynamic threads of the CPU pool (as OpenMP's OMP_DYNAMIC; off unless DITTO_CPU_DYNAMIC=1): once
 * the main thread waited for a core more than BUSY_SHARE of the time in BUSY_INTERVALS consecutive
 * check intervals (spin-gate.ts coreWaitShare: other processes hold the cores), the pool's jobs
 * run on the main thread alone for BUSY_HOLD_MS (thread-pool.ts runJob asks runAlone). A worker
 * that shares a core with other work is preempted for a scheduler slice (milliseconds) in the
 * middle of a block it claimed, and the main thread can only wait for it. Whether one thread then
 * beats two depends on the other work: against another session's multi-threaded runs a step
 * gained 3-5 ms in 45; against two single-threaded busy loops it lost 10-20 ms in 55 (two threads
 * also win a larger share of the cores). Hence off by default. thread-pool.ts setParallelMinWork
 * (tests that force jobs parallel) turns it off.
 * determinism: only which thread runs a block; never what a block computes.
 * Part of src/kernels/cpu: imports spin-gate.ts (main thread only).
 */
import { coreWaitInterval, coreWaitShare } from './spin-gate.ts';

const BUSY_SHARE = 0.35;
const BUSY_HOLD_MS = 250;
const dynamicFromEnv = (): boolean => process.env.DITTO_CPU_DYNAMIC === '1';
let dynamicThreads = dynamicFromEnv();
let aloneUntil = 0;
let aloneJobs = 0;

/** Consecutive check intervals over BUSY_SHARE before jobs run alone. */
const BUSY_INTERVALS = 3;
/** The last check interval (spin-gate.ts) counted, and how many consecutive ones were over BUSY_SHARE. */
let lastInterval = -1;
let busyIntervals = 0;

/**
 * Whether jobs now run on the main thread alone (dynamic threads): from the BUSY_INTERVALS-th
 * consecutive check interval over BUSY_SHARE on (fewer are often a short burst of other work, or
 * of V8's compiler threads while the code warms up).
 */
function coresBusy(): boolean {
  const now = performance.now();
  if (now < aloneUntil) return true;
  const share = coreWaitShare(now);
  const interval = coreWaitInterval();
  if (interval !== lastInterval) {
    lastInterval = interval;
    busyIntervals = share > BUSY_SHARE ? busyIntervals + 1 : 0;
  }
  if (busyIntervals < BUSY_INTERVALS) return false;
  busyIntervals = 0;
  aloneUntil = now + BUSY_HOLD_MS;
  return true;
}

/**
 * Test hook: dynamic threads on or off (no argument: the default, off unless DITTO_CPU_DYNAMIC=1),
 * and acting as if the cores were busy for the next `busyMs` milliseconds (0: as measured).
 */
export function setDynamicThreads(on = dynamicFromEnv(), busyMs = 0): void {
  dynamicThreads = on;
  aloneUntil = busyMs > 0 ? performance.now() + busyMs : 0;
}

/** Jobs that ran on the main thread alone because the cores were busy (dynamic threads), since the process started. */
export function aloneJobCount(): number {
  return aloneJobs;
}

/** Whether the next parallel job runs on the main thread alone (counted in aloneJobCount). */
export function runAlone(): boolean {
  if (!dynamicThreads || !coresBusy()) return false;
  aloneJobs++;
  return true;
}
