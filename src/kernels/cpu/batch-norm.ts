/**
 * CPU kernels of the fused batch-normalization ops (src/core/ops/batch-norm.ts, whose header gives each
 * op's float32 operation sequence). x is viewed as [R, C]; n = f32(R).
 * Reduction order: every per-channel sum is the engine's summation tree S (src/core/reduction-order.ts)
 * over the rows 0..R-1 in order: level 0 (chunk sums of 256 rows, sequential from +0) runs as pool task
 * 'batchNormChunks' split by chunks (the mean's sum is reduce.ts's own `sumChunked`, the sum kernel's
 * path), then per channel `sumTree` over its chunk sums in order. The elementwise passes ('batchNormRows')
 * are split by rows. Per-channel constants (r, inv, shift, mdy, k) are computed once on the calling thread.
 * The bits are independent of the thread count.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { SUM_CHUNK, sumTree } from '../../core/reduction-order.ts';
import type { BatchNormAttrs } from '../../core/ops/batch-norm.ts';
import type { BatchNormChunksJob, BatchNormRowsJob } from './batch-norm-tasks.ts';
import { sumChunked } from './reduce.ts';
import { runSplit, sharedScratch } from './thread-pool.ts';
import { type CpuInfo, type CpuKernel, type CpuKernels, floats } from './types.ts';

const f32 = Math.fround;

function dims(x: CpuInfo): { R: number; C: number } {
  const C = x.shape[x.shape.length - 1];
  const size = x.handle.length;
  return { C, R: C === 0 ? 0 : size / C };
}

/** Level 0 of the tree as a pool job; returns the chunk sums [parts, chunks, C]. */
function chunkSums(mode: BatchNormChunksJob['mode'], x: Float32Array, dy: Float32Array, mean: Float32Array, R: number, C: number): { part: Float32Array; chunks: number } {
  const chunks = Math.ceil(R / SUM_CHUNK);
  const part = sharedScratch(`batchNorm.${mode}`, (mode === 'grad' ? 2 : 1) * chunks * C);
  const job: BatchNormChunksJob = { mode, x, dy, mean, C, R, chunks, part };
  runSplit('batchNormChunks', job, chunks, { workPerUnit: SUM_CHUNK * C * (mode === 'grad' ? 6 : 4), minBlock: Math.max(1, Math.ceil((1 << 14) / (SUM_CHUNK * C))), out: part });
  return { part, chunks };
}

function rows(job: BatchNormRowsJob): void {
  runSplit('batchNormRows', job, job.R, { workPerUnit: 4 * job.C, minBlock: Math.max(1, Math.ceil((1 << 15) / Math.max(1, job.C))), out: job.out });
}

/** r = 1 / sqrt(var + eps) and inv = r * gamma (or r) per channel. */
function inverse(m: Float32Array, C: number, eps: number, gamma: Float32Array | undefined): { r: Float32Array; inv: Float32Array } {
  const r = new Float32Array(C);
  const inv = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    r[c] = f32(1 / f32(Math.sqrt(f32(m[C + c] + eps))));
    inv[c] = gamma ? f32(r[c] * gamma[c]) : r[c];
  }
  return { r, inv };
}

/** mean = S(x) / n, variance = S(f32(d * d)) / n with d = f32(x - mean). */
export const batchNormMoments: CpuKernel<'batchNormMoments'> = ([xi], _a, out) => {
  const x = floats(xi);
  const o = floats(out);
  const { R, C } = dims(xi);
  if (C === 0) return;
  const n = f32(R);
  sumChunked(x, 1, R, C, o);
  for (let c = 0; c < C; c++) o[c] = f32(o[c] / n);
  const mean = o.slice(0, C);
  const { part, chunks } = chunkSums('sq', x, x, mean, R, C);
  for (let c = 0; c < C; c++) o[C + c] = f32(sumTree(part, c, chunks, C) / n);
};

/** y = f32(f32(x * inv) + shift), inv and shift per channel as the op's header says. */
export const batchNormTrain: CpuKernel<'batchNormTrain'> = (inputs, a: BatchNormAttrs, out) => {
  const x = floats(inputs[0]);
  const m = floats(inputs[1]);
  const { R, C } = dims(inputs[0]);
  let i = 2;
  const gamma = a.scale ? floats(inputs[i++]) : undefined;
  const beta = a.center ? floats(inputs[i++]) : undefined;
  const { inv } = inverse(m, C, a.epsilon, gamma);
  const shift = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const mi = f32(m[c] * inv[c]);
    shift[c] = beta ? f32(beta[c] - mi) : -mi;
  }
  rows({ mode: 'apply', x, dy: x, out: floats(out), a: inv, b: shift, m: inv, k: inv, C, R });
};

/** batchNormInfer: batchNormTrain's forward with the given statistics. */
export const batchNormInfer: CpuKernel<'batchNormInfer'> = (inputs, a, out) => batchNormTrain(inputs, a, out);

/** [2, C]: S(dy), S(f32(dy * f32(x - mean))). */
export const batchNormGradSums: CpuKernel<'batchNormGradSums'> = ([xi, dyi, mi], _a, out) => {
  const o = floats(out);
  const { R, C } = dims(xi);
  if (C === 0) return;
  const { part, chunks } = chunkSums('grad', floats(xi), floats(dyi), floats(mi).slice(0, C), R, C);
  for (let c = 0; c < C; c++) {
    o[c] = sumTree(part, c, chunks, C);
    o[C + c] = sumTree(part, chunks * C + c, chunks, C);
  }
};

/** dx = f32(inv * f32(f32(dy - mdy) - f32(f32(x - mean) * k))), mdy = S(dy) / n, k = f32(r * r) * f32(S(dy * (x - mean)) / n). */
export const batchNormGradInput: CpuKernel<'batchNormGradInput'> = (inputs, a: BatchNormAttrs, out) => {
  const [x, dy, m, s] = inputs.slice(0, 4).map(floats);
  const { R, C } = dims(inputs[0]);
  const gamma = a.scale ? floats(inputs[4]) : undefined;
  const { r, inv } = inverse(m, C, a.epsilon, gamma);
  const n = f32(R);
  const mdy = new Float32Array(C);
  const k = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    mdy[c] = f32(s[c] / n);
    k[c] = f32(f32(r[c] * r[c]) * f32(s[C + c] / n));
  }
  rows({ mode: 'gradInput', x, dy, out: floats(out), a: inv, b: mdy, m: m.slice(0, C), k, C, R });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { batchNormMoments, batchNormTrain, batchNormGradSums, batchNormGradInput, batchNormInfer } satisfies CpuKernels;
