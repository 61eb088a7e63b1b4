/**
 * Property-based fuzzing of the public op API on the CPU backend (issue 21): for random calls of
 * every op in the catalog (test/fuzz/op-cases.ts: shapes of rank 0..4 with 0-size dims,
 * float32/int32/uint8, NaN/±Inf/±0/subnormals/huge/tiny values, broadcasting and option
 * combinations, and values an argument's type admits but the op must refuse),
 *  (a) the call returns well-formed tensors or throws a dt.TensorEngineError whose message
 *      starts with the op's name (never a raw TypeError/RangeError, never a hang), and leaves its
 *      inputs alive;
 *  (c) nothing leaks, whichever the outcome (dt.memory() before and after).
 * Seeded: see test/fuzz/harness.ts for FUZZ_SEED / FUZZ_RUNS and replaying a failure.
 */
import { afterAll, describe, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { checkCall } from './checks.ts';
import { PROPERTY_TIMEOUT_MS, printTalliesAfterAll, property, runProperty } from './harness.ts';
import { OP_NAMES_FUZZED, anyCallArb } from './op-cases.ts';

await dt.setBackend('cpu');
printTalliesAfterAll('ops');
afterAll(() => dt.shutdown());

describe('fuzz: public ops on the CPU backend', () => {
  it(`every op (${OP_NAMES_FUZZED.length}) returns tensors or throws its own TensorEngineError, without leaks`, async () => {
    await runProperty('ops-cpu', property(anyCallArb, checkCall), 2000);
  }, PROPERTY_TIMEOUT_MS);
});
