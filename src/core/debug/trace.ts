/**
 * Op tracing, the public side: `dt.debug.trace(options, fn)` records every op `fn` runs (or the ops of the chosen
 * training steps) into a trace file; `fit(..., { trace })` does the same for one fit; the environment variable
 * `DITTO_TRACE=path` traces a whole program (with `DITTO_TRACE_STEPS=1,2`, `DITTO_TRACE_OPS=conv2d,matmul`,
 * `DITTO_TRACE_VALUES=1`) and is finished by `dt.shutdown()` (or, for what is already read, at process exit).
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { TRACING, Tracer, type TracerOptions } from './tracer.ts';

/** Options of {@link trace}. */
export interface TraceOptions {
  /** The trace file to write (JSON lines; a name ending in `.gz` is gzip-compressed). Overwritten if it exists. */
  path: string;
  /**
   * The training steps to trace: fit's optimizer steps, counted from 1 over the whole fit (epochs continue the
   * count). Default: every op, inside and outside steps (model building, the input pipeline, log reads, validation).
   */
  steps?: number[];
  /** Only these primitive ops (e.g. `['conv2d', 'matmul']`). Default: all. */
  ops?: string[];
  /**
   * Also store each traced op's output values (its bytes), so that `ditto diff` can name the first differing
   * element, its index, both values and the distance in ulps. Large: trace few steps or ops with it. Default false.
   */
  values?: boolean;
}

/** Statistics of a finished trace. */
export interface TraceSummary {
  /** The file written. */
  path: string;
  /** Ops recorded. */
  records: number;
  /** Bytes written (after compression for `.gz`). */
  bytes: number;
}

const TRACE_KEYS = ['path', 'steps', 'ops', 'values'];

function normalize(fn: string, o: TraceOptions): TracerOptions {
  checkOptions(fn, o, TRACE_KEYS);
  if (o === undefined || typeof o.path !== 'string' || !o.path) {
    throw new ArgumentError(`${fn}: expected options.path, the trace file to write. Received: ${JSON.stringify(o?.path)}`);
  }
  if (o.steps !== undefined && (!Array.isArray(o.steps) || !o.steps.every((s) => Number.isInteger(s) && s >= 1))) {
    throw new ArgumentError(`${fn}: expected steps to be an array of step numbers >= 1 (fit's optimizer steps). Received: ${JSON.stringify(o.steps)}`);
  }
  if (o.ops !== undefined && (!Array.isArray(o.ops) || !o.ops.every((s) => typeof s === 'string'))) {
    throw new ArgumentError(`${fn}: expected ops to be an array of op names. Received: ${JSON.stringify(o.ops)}`);
  }
  if (o.values !== undefined && typeof o.values !== 'boolean') {
    throw new ArgumentError(`${fn}: expected values to be a boolean. Received: ${JSON.stringify(o.values)}`);
  }
  return { path: o.path, steps: o.steps ? new Set(o.steps) : null, ops: o.ops ? new Set(o.ops) : null, values: o.values ?? false };
}

function start(fn: string, o: TracerOptions): Tracer {
  if (TRACING.tracer) {
    throw new ArgumentError(`${fn}: a trace is already recording (to ${TRACING.tracer.options.path}); traces do not nest. Received: a second trace to ${o.path}`);
  }
  const t = new Tracer(o);
  TRACING.tracer = t;
  return t;
}

/**
 * Records every op that `fn` runs (or, with `steps`, the ops of those training steps of the fits it runs) into the
 * trace file `options.path`: for each op its sequence number, step, name, scope (`sequential/conv2d_1`), phase
 * (forward or gradient), the hashes of its inputs, its output's shape, dtype, hash of the bits and statistics.
 * Compare two traces with `npx ditto diff a.jsonl b.jsonl`. Tracing reads every traced output back from the device.
 *
 * @example
 * ```ts
 * await dt.debug.trace({ path: 'run.trace.jsonl.gz', steps: [1] }, () => model.fit(data, { epochs: 1 }));
 * ```
 * @returns what `fn` returned (awaited).
 * @throws {@link ArgumentError} for bad options or when a trace is already recording.
 */
export async function trace<T>(options: TraceOptions, fn: () => T | Promise<T>): Promise<Awaited<T>> {
  const t = start('trace', normalize('trace', options));
  try {
    return await fn();
  } finally {
    TRACING.tracer = null;
    await t.close();
  }
}

/** Runs `fn` as training step `step` of the trace recording now (fit calls it around each optimizer step). */
export function inTraceStep<T>(step: number, fn: () => T): T {
  const t = TRACING.tracer;
  return t === null ? fn() : t.inTrainingStep(step, fn);
}

/** Whether a trace is recording now. */
export function isTracing(): boolean {
  return TRACING.tracer !== null;
}

let envTracer: Tracer | null = null;

/**
 * Finishes the trace started by the `DITTO_TRACE` environment variable (waits for device reads, writes and closes
 * the file); `dt.shutdown()` calls it. Resolves to its summary, or null when there is none.
 */
export async function finishEnvTrace(): Promise<TraceSummary | null> {
  const t = envTracer;
  if (!t) return null;
  envTracer = null;
  if (TRACING.tracer === t) TRACING.tracer = null;
  await t.close();
  return { path: t.options.path, records: t.records, bytes: t.bytes };
}

function list(v: string | undefined): string[] | undefined {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

const envPath = typeof process !== 'undefined' ? process.env.DITTO_TRACE : undefined;
if (envPath) {
  const e = process.env;
  const steps = list(e.DITTO_TRACE_STEPS)?.map(Number);
  envTracer = start('DITTO_TRACE', normalize('DITTO_TRACE', { path: envPath, steps, ops: list(e.DITTO_TRACE_OPS), values: e.DITTO_TRACE_VALUES === '1' }));
  process.on('exit', () => {
    if (envTracer) envTracer.closeSync();
  });
}
