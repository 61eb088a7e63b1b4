/**
 * The CPU matrix-multiply core shared by matmul and the convolutions: plans a blocked GEMM job
 * (gemm-tasks.ts: staging, blocking and tree levels; wasm-gemm.ts / gemm-scalar.ts: the
 * micro-kernel), runs it on the worker pool (thread-pool.ts), and in split-K mode finishes the
 * tree. Every output is
 *   C[b, m, n] = S(f32(A[b, m, k] * B[b, n, k]), k = 0..K-1)
 * with S the engine's summation tree (src/core/reduction-order.ts): chunks of 256 terms summed
 * from +0, then the chunk sums summed from +0 (and higher levels above 65536 terms). In split-K
 * mode the threads compute the chunk sums (level 0) of disjoint chunks and sumChunked adds each
 * output's chunk sums with the upper levels in chunk order: the same S, bit for bit (on one
 * thread each block adds its chunk sums in order itself: gemm-tasks.ts planGemm, `whole`).
 * Part of src/kernels/cpu: imports src/core only.
 */
import { type GemmOperands, alignRows, epilogueLoop, nativeDirectRows, planGemm, poolRowUnit } from './gemm-tasks.ts';
import { nativeConv, nativeConvFits } from './native-conv.ts';
import { sumChunked } from './reduce.ts';
import { getNumThreads, jobSeq, runJob, sharedScratch } from './thread-pool.ts';

/**
 * Runs a GEMM job with operands `job` (its kind and operands; see gemm-tasks.ts) for
 * C [batch, M, N] with reduction length K into `out`; an empty reduction (K = 0) gives +0 (conv2dBiasAct: then
 * its epilogue, act(+0 + bias)).
 */
export function runGemm(job: GemmOperands, batch: number, M: number, N: number, K: number, out: Float32Array): void {
  if (batch === 0 || M === 0 || N === 0) return;
  if (K === 0) {
    out.fill(0);
    // conv2dBiasAct over zero input channels: every output is act(+0 + bias[f]) (pooled too: a window of equal values)
    if (job.kind === 'conv2d' && job.bias) epilogueLoop(out, 0, N, out.length / N, job.bias, 0, N, job.relu === true);
    return;
  }
  let plan = planGemm(batch, M, N, K, getNumThreads());
  if (!plan.splitK && nativeConvFits(job, K) && nativeConv.get() !== null) plan = nativeDirectRows(plan, batch, M, getNumThreads());
  const work = batch * M * N * K;
  if (job.kind === 'conv2d' && job.pool) {
    // pooled output (gemm-tasks.ts "Pooled output"): row blocks of whole pairs of output rows; conv2d.ts checks
    // poolBlocksFit (no split-K) first
    if (plan.splitK) throw new Error('runGemm: a pooled conv2d job planned in split-K mode (internal error)');
    plan = alignRows(plan, batch, M, poolRowUnit(job.outW));
  }
  if (!plan.splitK) {
    runJob('gemm', { ...job, ...plan, splitK: false, seq: jobSeq(), M, N, K, out }, plan.blocks, { work, out });
    return;
  }
  if (plan.whole) {
    // one thread: each block adds its outputs' chunk sums in order itself (planGemm)
    runJob('gemm', { ...job, ...plan, splitK: true, whole: true, seq: jobSeq(), M, N, K, parts: out }, plan.blocks, { work, out });
  } else {
    const parts = sharedScratch('gemm.parts', batch * plan.chunks * M * N);
    runJob('gemm', { ...job, ...plan, splitK: true, seq: jobSeq(), M, N, K, parts }, plan.blocks, { work, out: parts });
    sumChunked(parts, batch, plan.chunks, M * N, out);
  }
  // conv2dBiasAct: the epilogue on the finished outputs (gemm-tasks.ts, "Epilogue")
  if (job.kind === 'conv2d' && job.bias) epilogueLoop(out, 0, N, batch * M, job.bias, 0, N, job.relu === true);
}
