/**
 * The per-call checks shared by the op fuzzers: one call on the current backend with properties
 * (a) (tensors or ditto's own error, inputs left alive and unchanged, no hang) and (c) (no leak),
 * and a comparable summary of a call's outcome for properties (b) (backends, thread counts).
 */
import { expect } from 'vitest';
import * as dt from '../../src/index.ts';
import { type HostResult, type Outcome, type Summary, attempt, count, disposeOutcome, expectEngineError, expectInBudget, expectNoLeak, firstBitDifference, readResult } from './harness.ts';
import { CATALOG, describeCall, makeInputs, namesOf, type OpCall } from './op-cases.ts';
import { hostValues } from './values.ts';

/** Runs one call on the current backend and checks properties (a) and (c). */
export async function checkCall(c: OpCall): Promise<void> {
  await summarizeCall(c);
}

/** Whether the gradients of `c` are taken: float32 inputs (at least one) and float32 results. */
function differentiable(c: OpCall, results: HostResult[]): boolean {
  return c.inputs.length > 0 && c.inputs.every((s) => s.dtype === 'float32') && results.length > 0 && results.every((r) => r.dtype === 'float32');
}

/** d/dx of sum_i sum(v_i * result_i) for every input, v_i fixed by the result's shape. */
async function gradients(c: OpCall, xs: dt.Tensor[], results: HostResult[], what: string): Promise<HostResult[]> {
  const vs = results.map((r, i) => dt.tensor(hostValues({ shape: r.shape, dtype: 'float32', fill: { mix: 'normal', seed: 7 + i } }), r.shape));
  const o = attempt(() => dt.grad((...ts: dt.Tensor[]) => {
    const out = CATALOG[c.op].run(ts, c.args);
    const outs = Array.isArray(out) ? out : [out];
    return outs.map((t, i) => dt.sum(dt.mul(t, vs[i]))).reduce((a, b) => dt.add(a, b));
  })(...xs));
  try {
    expectInBudget(o, `${what} (gradient)`);
    if (!o.ok) expect.fail(`${what}: the call returned but its gradient threw: ${(o.error as Error)?.stack ?? String(o.error)}`);
    const grads: HostResult[] = [];
    for (const g of o.value) grads.push(await readResult(g, `${what} (gradient)`));
    return grads;
  } finally {
    disposeOutcome(o);
    dt.dispose(vs);
  }
}

/**
 * Runs `c` on the current backend and returns its outcome as a host summary (results copied out,
 * error class and message), checking on the way: (a) well-formed tensors or ditto's own error
 * naming the op, within the time budget, inputs alive and unchanged (bit for bit); (c) no leak.
 * `tally`: count the outcome in the property's summary (once per case when a case makes the call
 * twice). `withGrads`: when the call returned float32 results from float32 inputs, the summary
 * also holds the gradients of sum(v * result) for fixed weights v (dt.grad), which must not throw:
 * so the backward kernels (conv2dGradInput/Filter, pool and gather gradients...) are compared
 * across backends and thread counts too.
 */
export async function summarizeCall(c: OpCall, tally = true, withGrads = true): Promise<Summary> {
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
      disposeOutcome(o);
      if (withGrads && differentiable(c, results)) {
        results.push(...(await gradients(c, xs, results, what)));
        if (tally) count('with gradients');
      }
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
