/**
 * CPU time of this process's threads from /proc/self/task/<tid>/stat (Linux; 10 ms ticks): the main thread's and
 * all the others' (CPU workers, lavapipe's threads, Dawn, V8 helpers). Used by bench/webgpu-step.ts and
 * bench/host-overhead.ts, where the threads that matter are not the process's own JavaScript. `ownCpuNs`: the calling
 * thread's CPU time in nanoseconds (/proc/thread-self/schedstat), precise enough to time one step's host work.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** CPU ms of the main thread and of all other threads so far. */
export function threadCpuMs(): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const f = readFileSync(`/proc/self/task/${id}/stat`, 'utf8').split(') ')[1].split(' ');
      const t = (Number(f[11]) + Number(f[12])) * 10;
      if (Number(id) === process.pid) main += t;
      else other += t;
    } catch {
      // thread exited
    }
  }
  return { main, other };
}

/** CPU time of the calling thread in ns (/proc/thread-self/schedstat: time on the CPU). */
export function ownCpuNs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}
