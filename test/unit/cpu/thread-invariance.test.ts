/**
 * Thread-count invariance: fresh processes with DITTO_THREADS = 1, 2 and 3 run every heavy CPU
 * kernel (each job forced parallel) and three training steps of the reference CNN, and print
 * identical digests; with 2 and 3 threads jobs really ran in parallel.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../../util/subprocess.ts';

const SCRIPT = 'test/unit/cpu/scripts/threads-digest.ts';

describe('CPU results do not depend on the thread count', () => {
  it('1, 2 and 3 threads give identical kernel outputs and weights', async () => {
    const runs = await Promise.all([1, 2, 3].map((n) => runTs(SCRIPT, [], { DITTO_THREADS: String(n) })));
    const res = runs.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout.toString());
    });
    expect(res.map((r) => r.threads)).toEqual([1, 2, 3]);
    expect(res[0].parallelJobs).toBe(0);
    expect(res[1].parallelJobs).toBeGreaterThan(10);
    expect(res[2].parallelJobs).toBeGreaterThan(10);
    expect(Object.keys(res[0].kernels).length).toBeGreaterThanOrEqual(18);
    for (const r of res.slice(1)) {
      expect(r.kernels).toEqual(res[0].kernels);
      expect(r.weights).toBe(res[0].weights);
    }
  });
});
