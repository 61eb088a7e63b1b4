/**
 * The per-call checks shared by the op fuzzers: one call on the current backend with properties
 * (a) (tensors or ditto's own error, inputs left alive and unchanged, no hang) and (c) (no leak),
 * and a comparable summary of a call's outcome for properties (b) (backends, thread counts).
 */
import { expect } from 'vitest';
import * as dt from '../../src/index.ts';
import { type HostResult, type Outcome, type Summary, attempt, count, disposeOutcome, expectEngineError, expectInBudget, expectNoLeak, firstBitDifference, readResult } from './harness.ts';
import { CATALOG, describeCall, makeInputs, namesOf, type OpCall } from './op-cases.ts';

/** Runs one call on the current backend and checks properties (a) and (c). */
export async function checkCall(c: OpCall): Promise<void> {
  await summarizeCall(c);
}

/**
 * Runs `c` on the current backend and returns its outcome as a host summary (results copied out,
 * error class and message), checking on the way: (a) well-formed tensors or ditto's own error
 * naming the op, within the time budget, inputs alive and unchanged (bit for bit); (c) no leak.
 * `tally`: count the outcome in the property's summary (once per case when a case makes the call
 * twice).
 */
export async function summarizeCall(c: OpCall, tally = true): Promise<Summary> {
  const what = describeCall(c);
  const before = dt.memory();
  const xs = makeInputs(c);
  let s: Summary | undefined;
  let o: Outcome | undefined;
  try {
    const inputs = await Promise.all(xs.map((t) => t.data()));
    o = attempt(() => CATALOG[c.op].run(xs, c.args));
    expectInBudget(o, what);
    if (o.ok) {
      const results: HostResult[] = [];
      for (const t of o.value) results.push(await readResult(t, what));
      s = { ok: true, results };
      if (tally) count('returned');
    } else {
      expectEngineError(o.error, namesOf(c), what, tally);
      s = { ok: false, errorClass: (o.error as Error).name, message: (o.error as Error).message };
    }
    for (const [i, t] of xs.entries()) {
      if (t.isDisposed) expect.fail(`${what}: input ${i} was disposed by the call`);
      const at = firstBitDifference(inputs[i], await t.data());
      if (at >= 0) expect.fail(`${what}: input ${i} was changed by the call at element ${at}`);
    }
  } finally {
    if (o) disposeOutcome(o);
    dt.dispose(xs);
  }
  expectNoLeak(before, what);
  return s;
}
