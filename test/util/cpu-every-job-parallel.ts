/**
 * Test setup for kernel tests on the CPU backend that must reach the worker-pool code paths: the backend set to
 * 'cpu' and every job, however small, run in parallel (setParallelMinWork(1)) for the describe block; afterwards
 * the default threshold and 2 threads are restored. Call it at the top of a describe block.
 */
import { afterAll, beforeAll } from 'vitest';
import * as dt from '../../src/index.ts';
import { setNumThreads, setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';

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
