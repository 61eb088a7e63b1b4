/**
 * Test setup for kernel tests on the CPU backend that must reach the worker-pool code paths: the backend set to
 * 'cpu' and every job, however small, run in parallel (setParallelMinWork(1)) for the describe block; afterwards
 * the default threshold and 2 threads are restored. Call it at the top of a describe block.
 */
import { afterAll, beforeAll } from 'vitest';
import * as dt from '../../src/index.ts';
import { setNumThreads, setParallelMinWork, shutdownPool } from '../../src/kernels/cpu/thread-pool.ts';

export function cpuWithEveryJobParallel(): void {
  beforeAll(async () => {
    await dt.setBackend('cpu');
    setParallelMinWork(1);
  });
  afterAll(() => {
    setParallelMinWork();
    setNumThreads(2);
  });
}

/**
 * Kernel-level variant (tests that call the CPU kernels directly, without the engine): `threads` threads and every
 * job, however small, run in parallel for the describe block; afterwards the default threshold is restored and the
 * pool shut down (the next block starts its own). Call it at the top of a describe block.
 */
export function poolWithEveryJobParallel(threads: number): void {
  beforeAll(() => {
    setNumThreads(threads);
    setParallelMinWork(1);
  });
  afterAll(async () => {
    setParallelMinWork();
    await shutdownPool();
  });
}
