/**
 * The CPU matrix-multiply core shared by matmul and the convolutions (TypeScript side): plans a
 * blocked GEMM job (gemm-tasks.js: staging, blocking and tree levels; asm-gemm.js: the asm.js
 * micro-kernel), runs it on the worker pool (thread-pool.ts), and in split-K mode finishes the
 * tree. Every output is
 *   C[b, m, n] = S(f32(A[b, m, k] * B[b, n, k]), k = 0..K-1)
 * with S the engine's summation tree (src/core/reduction-order.ts): chunks of 256 terms summed
 * from +0, then the chunk sums summed from +0 (and higher levels above 65536 terms). In split-K
 * mode the threads compute the chunk sums (level 0) of disjoint chunks and sumChunked adds each
 * output's chunk sums with the upper levels in chunk order: the same S, bit for bit.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { planGemm } from './gemm-tasks.js';
import { sumChunked } from './reduce.ts';
import { getNumThreads, jobSeq, runJob, sharedScratch } from './thread-pool.ts';

/**
 * Runs gemm job `job` (its kind and operands; see gemm-tasks.d.ts) for C [batch, M, N] with
 * reduction length K into `out`; an empty reduction (K = 0) gives +0.
 */
export function runGemm(job: Record<string, unknown>, batch: number, M: number, N: number, K: number, out: Float32Array): void {
  if (batch === 0 || M === 0 || N === 0) return;
  if (K === 0) {
    out.fill(0);
    return;
  }
  const plan = planGemm(batch, M, N, K, getNumThreads());
  const work = batch * M * N * K;
  if (!plan.splitK) {
    runJob('gemm', { ...job, seq: jobSeq(), ...plan, M, N, K, out }, plan.blocks, { work, out });
    return;
  }
  const parts = sharedScratch('gemm.parts', batch * plan.chunks * M * N);
  runJob('gemm', { ...job, seq: jobSeq(), ...plan, M, N, K, parts }, plan.blocks, { work, out: parts });
  sumChunked(parts, batch, plan.chunks, M * N, out);
}
