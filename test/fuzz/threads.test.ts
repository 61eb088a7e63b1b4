/**
 * Property (b) for thread counts (issue 21): every op call of the fuzz catalog gives the same
 * outcome, and the same result bits, on 1 and on 2 CPU threads (dt.config.setNumThreads).
 *  - small calls with the parallel threshold lowered to 1 work unit (so that even tiny jobs are
 *    split into blocks and shared with the worker: block edges, remainders, empty blocks);
 *  - large calls above the default threshold (src/kernels/cpu/thread-pool.ts), as real programs
 *    make them: 2^17+ element elementwise ops and reductions, matmuls and convolutions of 2^19+
 *    multiply-adds, pools and resizes over several images.
 * Each run also checks properties (a) and (c) on both thread counts.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { parallelJobCount, setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';
import { summarizeCall } from './checks.ts';
import { PROPERTY_TIMEOUT_MS, count, expectSameSummary, printTalliesAfterAll, property, runProperty } from './harness.ts';
import { CATALOG, describeCall, largeCallArb, type OpCall } from './op-cases.ts';

/** The ops whose CPU kernels split even small jobs (blocks of one image or one GEMM tile) once the threshold is lowered. */
const smallParallelArb = fc.constantFrom('matmul', 'conv2d', 'maxPool2d', 'resizeBilinear').chain((op) => CATALOG[op].arb);

await dt.setBackend('cpu');
printTalliesAfterAll('threads');
afterAll(async () => {
  setParallelMinWork();
  await dt.shutdown();
});

async function sameOnOneAndTwoThreads(c: OpCall): Promise<void> {
  const jobs = parallelJobCount();
  dt.config.setNumThreads(1);
  const one = await summarizeCall(c);
  dt.config.setNumThreads(2);
  const two = await summarizeCall(c, false);
  if (parallelJobCount() > jobs) count('ran in parallel');
  expectSameSummary(one, two, ['1 thread', '2 threads'], describeCall(c));
}

describe('fuzz: 1 vs 2 CPU threads', () => {
  it('small matmul/conv2d/maxPool2d/resizeBilinear calls, split at any size (parallel threshold 1): same outcome and bits', async () => {
    setParallelMinWork(1);
    try {
      await runProperty('threads-small', property(smallParallelArb, sameOnOneAndTwoThreads), 600);
    } finally {
      setParallelMinWork();
    }
  }, PROPERTY_TIMEOUT_MS);

  it('large calls above the default parallel threshold: same outcome and bits', async () => {
    const jobs = parallelJobCount();
    await runProperty('threads-large', property(largeCallArb, sameOnOneAndTwoThreads), 120);
    // The property is only meaningful if the 2-thread runs really were parallel.
    expect(parallelJobCount() - jobs, 'parallel jobs during the large-call property').toBeGreaterThan(0);
  }, PROPERTY_TIMEOUT_MS);
});
