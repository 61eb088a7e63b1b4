/**
 * The loops of the fused batch-normalization kernels (batch-norm.ts) that may run on any thread, and
 * the jobs of their pool tasks (tasks.ts). x is viewed as [R, C] (rows of C channels).
 *  - 'batchNormChunks' (split by chunks of SUM_CHUNK = 256 rows): level 0 of the engine's summation
 *    tree per channel, each chunk sequential from +0 over its rows in order (src/core/reduction-order.ts);
 *    the kernel combines each channel's chunk sums with the tree's upper levels (sumTree) in order.
 *    Terms: mode 'sq' f32(d * d), d = f32(x - mean[c]); mode 'grad' dy, and f32(dy * f32(x - mean[c])).
 *  - 'batchNormRows' (split by rows): one output element per (row, channel), no reduction:
 *    mode 'apply' y = f32(f32(x * a[c]) + b[c]); mode 'gradInput' dx = f32(a[c] * f32(f32(dy - b[c]) - f32(f32(x - m[c]) * k[c]))).
 * A block writes only its own outputs, so the bits never depend on the thread count. Where WebAssembly SIMD
 * is available and C % 4 == 0 (wasm-bn.ts) the loops run there, lane by lane the same operations; the
 * plain loops here are the fallback and the oracle the tests compare them with.
 * Part of src/kernels/cpu: imports src/core and wasm-bn.ts only.
 */
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { bnChunkSumsSimd, bnRowsSimd, bnSimdFits } from './wasm-bn.ts';

const f32 = Math.fround;

/** Task 'batchNormChunks': chunk sums `part` [chunks, C] (mode 'grad': [2, chunks, C], S(dy) first). */
export interface BatchNormChunksJob {
  mode: 'sq' | 'grad';
  x: Float32Array;
  /** dy (mode 'grad'; else x again). */
  dy: Float32Array;
  mean: Float32Array;
  C: number;
  R: number;
  chunks: number;
  part: Float32Array;
}

/** Chunk sums of chunks j0..j1-1 (simd: through wasm-bn.ts; the default where it fits). */
export function batchNormChunkSums(j: BatchNormChunksJob, j0: number, j1: number, simd = bnSimdFits(j.C)): void {
  const { x, dy, mean, C, R, chunks, part } = j;
  if (simd) {
    for (let jc = j0; jc < j1; jc++) bnChunkSumsSimd(j.mode === 'sq', x, dy, mean, C, jc * SUM_CHUNK, Math.min(R, (jc + 1) * SUM_CHUNK), part, jc * C, (chunks + jc) * C);
    return;
  }
  const acc = new Float64Array(C);
  const acc2 = new Float64Array(C);
  for (let jc = j0; jc < j1; jc++) {
    acc.fill(0);
    acc2.fill(0);
    const r1 = Math.min(R, (jc + 1) * SUM_CHUNK);
    if (j.mode === 'sq') {
      for (let r = jc * SUM_CHUNK; r < r1; r++) {
        const p = r * C;
        for (let c = 0; c < C; c++) {
          const d = f32(x[p + c] - mean[c]);
          acc[c] = f32(acc[c] + f32(d * d));
        }
      }
      part.set(acc, jc * C);
    } else {
      for (let r = jc * SUM_CHUNK; r < r1; r++) {
        const p = r * C;
        for (let c = 0; c < C; c++) {
          const g = dy[p + c];
          acc[c] = f32(acc[c] + g);
          acc2[c] = f32(acc2[c] + f32(g * f32(x[p + c] - mean[c])));
        }
      }
      part.set(acc, jc * C);
      part.set(acc2, (chunks + jc) * C);
    }
  }
}

/** Chunks [i*block, (i+1)*block) of a 'batchNormChunks' job. */
export function runBatchNormChunksBlock(j: BatchNormChunksJob, i: number, block: number): void {
  batchNormChunkSums(j, i * block, Math.min(j.chunks, (i + 1) * block));
}

/** Task 'batchNormRows': `out` [R, C] from x (and dy) with per-channel vectors a, b (m, k); see the header. */
export interface BatchNormRowsJob {
  mode: 'apply' | 'gradInput';
  x: Float32Array;
  /** dy (mode 'gradInput'; else x again). */
  dy: Float32Array;
  out: Float32Array;
  a: Float32Array;
  b: Float32Array;
  /** mean (mode 'gradInput'; else a again). */
  m: Float32Array;
  /** k (mode 'gradInput'; else a again). */
  k: Float32Array;
  C: number;
  R: number;
}

/** Rows r0..r1-1 of a 'batchNormRows' job (simd: through wasm-bn.ts; the default where it fits). */
export function batchNormRows(j: BatchNormRowsJob, r0: number, r1: number, simd = bnSimdFits(j.C)): void {
  const { x, dy, out, a, b, m, k, C } = j;
  if (simd) return bnRowsSimd(j.mode === 'apply', x, dy, out, a, b, m, k, C, r0, r1);
  if (j.mode === 'apply') {
    for (let r = r0, p = r0 * C; r < r1; r++) {
      for (let c = 0; c < C; c++, p++) out[p] = f32(f32(x[p] * a[c]) + b[c]);
    }
    return;
  }
  for (let r = r0, p = r0 * C; r < r1; r++) {
    for (let c = 0; c < C; c++, p++) out[p] = f32(a[c] * f32(f32(dy[p] - b[c]) - f32(f32(x[p] - m[c]) * k[c])));
  }
}

/** Rows [i*block, (i+1)*block) of a 'batchNormRows' job. */
export function runBatchNormRowsBlock(j: BatchNormRowsJob, i: number, block: number): void {
  batchNormRows(j, i * block, Math.min(j.R, (i + 1) * block));
}
