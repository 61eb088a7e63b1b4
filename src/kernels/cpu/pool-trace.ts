/**
 * Timing of the CPU pool's jobs while tracing is on (setPoolTrace; bench/cpu-step.ts --trace), in
 * microseconds on the hrtime clock every thread shares (pool-protocol.ts traceNow). thread-pool.ts
 * records inline jobs (traceInline) and parallel ones (openTrace before posting, with a shared
 * array that each worker stamps, pool-protocol.ts TRACE_*, then closeTrace when every block is
 * done); off, runJob pays one test per job.
 * Part of src/kernels/cpu: imports pool-protocol.ts and tasks.ts (types).
 */
import { TRACE_BLOCKS, TRACE_FIRST, TRACE_HOW, TRACE_HOW_NAMES, TRACE_LAST, TRACE_SPIN, TRACE_SPIN_NAMES, TRACE_STRIDE, TRACE_WAKE, type TraceSpinEnd, traceNow } from './pool-protocol.ts';
import type { TaskName } from './tasks.ts';

/**
 * One job's timing while tracing is on (setPoolTrace; bench/cpu-step.ts --trace), in microseconds
 * on the hrtime clock every thread shares. Inline jobs (run on the main thread alone) have
 * parallel false and only start, end and mainBlocks. For each worker that took part: when it
 * took the message (wake; 0 if it never did before the job ended), started its first block and
 * finished its last (0 if it ran none), and its block count.
 */
export interface JobTrace {
  task: TaskName;
  nBlocks: number;
  work: number;
  parallel: boolean;
  /** runJob called. */
  start: number;
  /** The main thread starts its first block (0 if it ran none) and finishes its last. */
  mainFirst: number;
  mainLast: number;
  /** runJob returns. */
  end: number;
  mainBlocks: number;
  /** how: '' if the worker had not taken the job when it ended; spin: how its spin before the job ended. */
  workers: { wake: number; first: number; last: number; blocks: number; how: '' | 'spin' | 'bell' | 'event'; spin: TraceSpinEnd }[];
}

let traces: JobTrace[] | null = null;

/** Starts (true) or stops recording a JobTrace per job; off by default (it then costs one test per job). */
export function setPoolTrace(on: boolean): void {
  traces = on ? [] : null;
}

/** The jobs traced since the last call (or since tracing started). */
export function takePoolTrace(): JobTrace[] {
  const t = traces ?? [];
  if (traces) traces = [];
  return t;
}

/** Whether jobs are traced now. */
export function tracing(): boolean {
  return traces !== null;
}

/** Records an inline job that started at t0 (traceNow) and ends now. */
export function traceInline(task: TaskName, nBlocks: number, work: number, t0: number): void {
  const t1 = traceNow();
  traces?.push({ task, nBlocks, work, parallel: false, start: t0, mainFirst: t0, mainLast: t1, end: t1, mainBlocks: nBlocks, workers: [] });
}

/** A parallel job's trace in the making: its start, the workers' stamp words (JobMessage.trace) and the main thread's stamps. */
export interface OpenTrace {
  start: number;
  buf: Float64Array;
  mainFirst: number;
  mainLast: number;
  mainBlocks: number;
}

/** Opens the trace of a parallel job with `workers` workers (call before posting it). */
export function openTrace(workers: number): OpenTrace {
  return { start: traceNow(), buf: new Float64Array(new SharedArrayBuffer(8 * TRACE_STRIDE * Math.max(1, workers))), mainFirst: 0, mainLast: 0, mainBlocks: 0 };
}

/** Records a parallel job once every block is done: the first `helpers` workers took part. */
export function closeTrace(tr: OpenTrace, task: TaskName, nBlocks: number, work: number, helpers: number): void {
  if (!traces) return;
  const workers: JobTrace['workers'] = [];
  for (let w = 0; w < helpers; w++) {
    const b = w * TRACE_STRIDE;
    const how = TRACE_HOW_NAMES[tr.buf[b + TRACE_HOW]] ?? '';
    const spin = TRACE_SPIN_NAMES[tr.buf[b + TRACE_SPIN]] ?? 'none';
    workers.push({ wake: tr.buf[b + TRACE_WAKE], first: tr.buf[b + TRACE_FIRST], last: tr.buf[b + TRACE_LAST], blocks: tr.buf[b + TRACE_BLOCKS], how, spin });
  }
  traces.push({ task, nBlocks, work, parallel: true, start: tr.start, mainFirst: tr.mainFirst, mainLast: tr.mainLast, end: traceNow(), mainBlocks: tr.mainBlocks, workers });
}
