/**
 * Thread-count invariance: fresh processes with DITTO_THREADS = 1, 2 and 3 run every heavy CPU
 * kernel (each job forced parallel) and three training steps of the reference CNN, and print
 * identical digests; with 2 and 3 threads jobs really ran in parallel. A fourth process runs
 * without the WebAssembly SIMD kernels (DITTO_CPU_WASM=0: the plain scalar TypeScript GEMM,
 * Philox and elementwise loops, the oracle of the SIMD ones) on 2 threads and must print the
 * same digests too, and a fifth without the native AVX2 kernels (DITTO_CPU_NATIVE=0; the first three use the
 * GEMM tiles, dropout, max pooling, column sums and convolutions where built: native-*.ts) on 2 threads.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../../util/subprocess.ts';

const SCRIPT = 'test/unit/cpu/scripts/threads-digest.ts';

describe('CPU results do not depend on the thread count', () => {
  it('1, 2 and 3 threads, with and without WebAssembly SIMD, give identical kernel outputs and weights', async () => {
    const envs: Record<string, string>[] = [...['1', '2', '3'].map((n) => ({ DITTO_THREADS: n, DITTO_CPU_WASM: '1' })), { DITTO_THREADS: '2', DITTO_CPU_WASM: '0' }, { DITTO_THREADS: '2', DITTO_CPU_NATIVE: '0' }];
    const runs = await Promise.all(envs.map((env) => runTs(SCRIPT, [], env)));
    const res = runs.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout.toString());
    });
    expect(res.map((r) => r.threads)).toEqual([1, 2, 3, 2, 2]);
    if (process.env.DITTO_CPU_NATIVE === '1') for (const r of res.slice(0, 3)) expect(r.native).toEqual({ gemm: true, dropout: true, pool: true, colsum: true });
    expect(res[3].native).toEqual({ gemm: false, dropout: false, pool: false, colsum: false });
    expect(res[4].native).toEqual({ gemm: false, dropout: false, pool: false, colsum: false });
    expect(res[4].simd).toEqual({ gemm: 'simd', ew: true });
    for (const r of res.slice(0, 3)) expect(r.simd).toEqual({ gemm: 'simd', ew: true });
    expect(res[3].simd).toEqual({ gemm: 'scalar', ew: false });
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
