// Test runner configuration: every test file runs in its own forked process (Dawn and
// worker pools do not share a process well), with generous timeouts for a 2-core machine.
// DITTO_CPU_DYNAMIC=0: the CPU pool's dynamic threads off (src/kernels/cpu/thread-pool.ts), so
// that tests which expect ops to use the worker threads do so on a busy machine too (its own test
// turns it on).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    env: { DITTO_CPU_DYNAMIC: '0' },
  },
});
