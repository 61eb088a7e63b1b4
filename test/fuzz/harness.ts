/**
 * The fuzz harness: how many cases each property runs, with which seed, and how a failure is
 * reported (the seed, fast-check's replay path and the shrunk counterexample).
 *
 *   FUZZ_RUNS   a multiplier of every property's case count (default 1: the bounded run of
 *               `npm test`); `npm run fuzz` sets it to 40 unless given
 *   FUZZ_SEED   the base seed (default: a fixed one, so `npm test` checks the same cases on every
 *               run); each property's seed is derived from it and the property's name;
 *               `npm run fuzz` draws and prints a random one unless given
 *   FUZZ_SECONDS  optional time limit per property (fast-check's interruptAfterTimeLimit)
 *
 * To replay a failure: FUZZ_SEED=<base> FUZZ_RUNS=<scale> npx vitest run <file> -t '<property>',
 * or pass the printed seed and path to fc.check directly.
 *
 * Outcomes: every call is classified as a result (tensors) or an error; `expectEngineError` is
 * property (a): an error must be a dt.TensorEngineError whose message starts with the function's
 * name. Hangs: fast-check's timeout plugin fails an async case that does not settle within
 * CASE_TIMEOUT_MS; a synchronous call cannot be interrupted in-process, so each call's wall time
 * is checked against CALL_BUDGET_MS, and a case that never returns is caught by the watchdog
 * (test/fuzz/watchdog.ts: the case is printed and the process killed after WATCHDOG_MS).
 */
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import * as dt from '../../src/index.ts';
import { hashString } from '../util/gradcheck.ts';
import { arm, disarm, startWatchdog } from './watchdog.ts';

const FIXED_SEED = 0x5eed_d177;

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number. Received: ${JSON.stringify(v)}`);
  return n;
}

/** The multiplier of every property's case count. */
export const FUZZ_SCALE = envNumber('FUZZ_RUNS', 1);
/** The base seed. */
export const FUZZ_SEED = Math.floor(envNumber('FUZZ_SEED', FIXED_SEED)) >>> 0;
const TIME_LIMIT_S = process.env.FUZZ_SECONDS ? envNumber('FUZZ_SECONDS', 0) : 0;
/** Vitest's limit for one property test: the suite's 120 s, scaled with the case count. */
export const PROPERTY_TIMEOUT_MS = Math.round(120_000 * Math.max(1, FUZZ_SCALE)) + (TIME_LIMIT_S > 0 ? TIME_LIMIT_S * 1000 : 0);
/** Longest a single async case may take before it counts as a hang. */
export const CASE_TIMEOUT_MS = 60_000;
/** Longest a single synchronous call may take (it cannot be interrupted, only measured). */
export const CALL_BUDGET_MS = 20_000;
/** A case still running after this long is a hang: the watchdog prints it and kills the process. */
export const WATCHDOG_MS = Number(process.env.FUZZ_WATCHDOG_MS ?? 120_000);

/** A property's seed: the base seed mixed with its name, so properties do not share cases. */
export function seedOf(name: string): number {
  return (FUZZ_SEED ^ hashString(name)) >>> 0;
}

/**
 * The async property of `arb` and `predicate`, each case watched by the watchdog (armed with the
 * case's description before it runs, disarmed after).
 */
export function property<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => Promise<void>): fc.IAsyncProperty<[T]> {
  startWatchdog(WATCHDOG_MS);
  return fc.asyncProperty(arb, async (v) => {
    arm(`${current ? `property ${current.name} (seed ${seedOf(current.name)}, FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_SCALE}), ` : ''}case ${fc.stringify(v)}`);
    try {
      await predicate(v);
    } finally {
      disarm();
    }
  });
}

/** Cases of a property: its base count times FUZZ_SCALE. */
export function runsOf(base: number): number {
  return Math.max(1, Math.round(base * FUZZ_SCALE));
}

interface Tally {
  name: string;
  runs: number;
  ms: number;
  counts: Map<string, number>;
}
const tallies: Tally[] = [];
let current: Tally | null = null;

/** Counts an outcome label (e.g. 'returned', 'ShapeError') for the running property's summary. */
export function count(label: string): void {
  if (!current) return;
  current.counts.set(label, (current.counts.get(label) ?? 0) + 1);
}

/** Prints the file's summary line per property after the file (case counts, outcomes, time). */
export function printTalliesAfterAll(file: string): void {
  afterAll(() => {
    for (const t of tallies) {
      const outcomes = [...t.counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
      console.log(`fuzz [${file}] ${t.name}: ${t.runs} cases in ${(t.ms / 1000).toFixed(1)} s (seed ${seedOf(t.name)}, base ${FUZZ_SEED}, FUZZ_RUNS=${FUZZ_SCALE}) — ${outcomes}`);
    }
  });
}

/**
 * Runs `property` for runsOf(baseRuns) cases with the property's seed and fails the test with the
 * seed, the replay path and the shrunk counterexample.
 */
export async function runProperty<Ts>(name: string, property: fc.IAsyncProperty<Ts>, baseRuns: number): Promise<void> {
  const seed = seedOf(name);
  const numRuns = runsOf(baseRuns);
  const plugins: fc.UniversalPlugin[] = [fc.timeout(CASE_TIMEOUT_MS)];
  if (TIME_LIMIT_S > 0) plugins.push(fc.interruptAfterTimeLimit(TIME_LIMIT_S * 1000));
  const tally: Tally = { name, runs: 0, ms: 0, counts: new Map() };
  tallies.push(tally);
  current = tally;
  const t0 = performance.now();
  let out: fc.RunDetails<unknown>;
  try {
    out = await fc.check(property as fc.IAsyncProperty<unknown>, { seed, numRuns, plugins });
    tally.runs = out.numRuns;
  } finally {
    tally.ms = performance.now() - t0;
    current = null;
  }
  if (out.failed) {
    const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    const report = `${fc.defaultReportMessage(out) ?? 'property failed'}\nFailure: ${cause}`;
    console.error(`fuzz: ${name} FAILED (base seed ${FUZZ_SEED}, property seed ${seed}, path ${out.counterexamplePath})\n${report}`);
    expect.fail(`${name}: ${report}\nReplay: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_SCALE} npx vitest run <this file> -t '${name}'`);
  }
}

// ---------------------------------------------------------------- outcomes

/** What a call did: returned tensors, or threw. */
export type Outcome = { ok: true; value: dt.Tensor[]; ms: number } | { ok: false; error: unknown; ms: number };

/** Runs `fn` (returning a tensor or an array of them), timing it and catching what it throws. */
export function attempt(fn: () => dt.Tensor | dt.Tensor[]): Outcome {
  const t0 = performance.now();
  try {
    const r = fn();
    return { ok: true, value: Array.isArray(r) ? r : [r], ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return `non-Error value thrown: ${String(e)}`;
}

/**
 * Property (a) for a thrown value: an instance of dt.TensorEngineError whose message starts with
 * one of `prefixes` (e.g. 'conv2d:' or "Dense '"); never a raw TypeError/RangeError.
 */
export function expectEngineError(e: unknown, prefixes: readonly string[], what: string, tally = true): void {
  if (!(e instanceof dt.TensorEngineError)) {
    expect.fail(`${what}: threw a raw error instead of a dt.TensorEngineError: ${describeError(e)}`);
  }
  const message = (e as Error).message;
  if (!prefixes.some((p) => message.startsWith(p))) {
    expect.fail(`${what}: error message does not start with ${prefixes.map((p) => JSON.stringify(p)).join(' or ')}: ${describeError(e)}`);
  }
  if (tally) count((e as Error).name);
}

/** Checks the time a synchronous call took (no call may come near a hang). */
export function expectInBudget(o: Outcome, what: string): void {
  if (o.ms > CALL_BUDGET_MS) expect.fail(`${what}: took ${(o.ms / 1000).toFixed(1)} s (budget ${CALL_BUDGET_MS / 1000} s): a hang?`);
}

/** Host copy of a result tensor. */
export interface HostResult {
  shape: number[];
  dtype: dt.DType;
  data: dt.TypedArray;
}

/**
 * Checks that `t` is a well-formed live tensor (shape of non-negative safe integers, size and
 * data length agreeing, a known dtype) and returns a host copy of it.
 */
export async function readResult(t: unknown, what: string): Promise<HostResult> {
  if (!(t instanceof dt.Tensor)) expect.fail(`${what}: returned ${String(t)} instead of a dt.Tensor`);
  const x = t as dt.Tensor;
  if (x.isDisposed) expect.fail(`${what}: returned a disposed tensor`);
  const shape = [...x.shape];
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) expect.fail(`${what}: returned a tensor of malformed shape ${JSON.stringify(shape)}`);
  if (!['float32', 'int32', 'uint8'].includes(x.dtype)) expect.fail(`${what}: returned a tensor of unknown dtype ${String(x.dtype)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (x.size !== size) expect.fail(`${what}: size ${x.size} differs from the shape's ${size}`);
  const data = await x.data();
  if (data.length !== size) expect.fail(`${what}: data() gave ${data.length} values for shape ${JSON.stringify(shape)}`);
  return { shape, dtype: x.dtype, data };
}

/** Disposes every tensor of an outcome (idempotent). */
export function disposeOutcome(o: Outcome): void {
  if (o.ok) for (const t of o.value) if (t instanceof dt.Tensor) t.dispose();
}

/** Property (c): live tensors and buffers are back to `before`. */
export function expectNoLeak(before: { numTensors: number; numBuffers: number }, what: string): void {
  const after = dt.memory();
  if (after.numTensors !== before.numTensors || after.numBuffers !== before.numBuffers) {
    expect.fail(`${what}: leaked: live tensors ${before.numTensors} -> ${after.numTensors}, buffers ${before.numBuffers} -> ${after.numBuffers}`);
  }
}

/** A comparable summary of an outcome (for cross-backend and cross-thread comparisons). */
export type Summary = { ok: true; results: HostResult[] } | { ok: false; errorClass: string; message: string };

/** Bitwise equality of two typed arrays, with any NaN equal to any NaN (payloads are unspecified). */
export function firstBitDifference(a: dt.TypedArray, b: dt.TypedArray): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  if (a instanceof Float32Array && b instanceof Float32Array) {
    const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
    const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
    for (let i = 0; i < a.length; i++) {
      if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
    }
    return -1;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * Error classes whose messages name a backend and its own limits (an output one backend cannot
 * allocate): across backends only the class must agree. ResourceExhaustedError is main's memory
 * budget error (issue 21, item 7), named here as a string so that this file needs no change when
 * the branches meet.
 */
const BACKEND_SPECIFIC = new Set(['BackendError', 'ResourceExhaustedError']);

/**
 * Asserts that two outcome summaries agree: the same error (for BACKEND_SPECIFIC classes, the
 * same class), or the same shapes, dtypes and bits.
 */
export function expectSameSummary(a: Summary, b: Summary, labels: [string, string], what: string): void {
  if (a.ok !== b.ok) {
    const show = (s: Summary) => (s.ok ? `returned ${s.results.map((r) => `${r.dtype}[${r.shape}]`).join(', ')}` : `threw ${s.errorClass}: ${s.message}`);
    expect.fail(`${what}: ${labels[0]} ${show(a)}, but ${labels[1]} ${show(b)}`);
  }
  if (!a.ok || !b.ok) {
    const ea = a as Extract<Summary, { ok: false }>;
    const eb = b as Extract<Summary, { ok: false }>;
    if (ea.errorClass === eb.errorClass && BACKEND_SPECIFIC.has(ea.errorClass)) return;
    expect(`${eb.errorClass}: ${eb.message}`, `${what}: error on ${labels[1]} vs ${labels[0]}`).toBe(`${ea.errorClass}: ${ea.message}`);
    return;
  }
  expect(b.results.length, `${what}: number of results`).toBe(a.results.length);
  a.results.forEach((ra, i) => {
    const rb = b.results[i];
    expect(rb.shape, `${what}: result ${i} shape`).toEqual(ra.shape);
    expect(rb.dtype, `${what}: result ${i} dtype`).toBe(ra.dtype);
    const at = firstBitDifference(ra.data, rb.data);
    if (at >= 0) expect.fail(`${what}: result ${i} (${ra.dtype}[${ra.shape}]) differs at element ${at}: ${labels[0]} ${ra.data[at]} vs ${labels[1]} ${rb.data[at]}`);
  });
}
