/**
 * CPU kernel for batched matmul with transpose flags and batch broadcasting: one blocked GEMM job
 * (gemm.ts, gemm-tasks.ts) whose stagers read A[m, k] = a[m, k] (a[k, m] when transposeA) and
 * B[n, k] = b[k, n] (b[n, k] when transposeB) straight from the operands.
 * Reduction order (src/core/ops/matmul.ts): out[..., m, n] = S(f32(A[m, k] * B[n, k]), k = 0..K-1),
 * S the engine's summation tree (src/core/reduction-order.ts: chunks of 256, two levels up to
 * 65536 terms, more above); blocks of outputs run on any thread with the same bits.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { broadcastStrides, sizeOf, stridesOf } from '../../core/shape.ts';
import { runGemm } from './gemm.ts';
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

export const matmul: CpuKernel<'matmul'> = ([a, b], attrs, out) => {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = out.shape[out.shape.length - 2];
  const N = out.shape[out.shape.length - 1];
  const K = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const batchShape = out.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  if (batch === 0 || M === 0 || N === 0) return;
  const sa = broadcastStrides(a.shape.slice(0, -2), batchShape);
  const sb = broadcastStrides(b.shape.slice(0, -2), batchShape);
  const matA = a.shape[ra - 2] * a.shape[ra - 1];
  const matB = b.shape[rb - 2] * b.shape[rb - 1];
  const bStrides = stridesOf(batchShape);
  const aOff = new Int32Array(batch);
  const bOff = new Int32Array(batch);
  for (let i = 0; i < batch; i++) {
    let ai = 0;
    let bi = 0;
    let rem = i;
    for (let d = 0; d < batchShape.length; d++) {
      const c = Math.floor(rem / bStrides[d]);
      rem -= c * bStrides[d];
      ai += c * sa[d];
      bi += c * sb[d];
    }
    aOff[i] = ai * matA;
    bOff[i] = bi * matB;
  }
  runGemm({
    kind: 'matmul', a: floats(a), b: floats(b), aOff, bOff,
    // A[m, k]: a is [M, K] (or [K, M] when transposed); B[n, k]: b is [K, N] (or [N, K]).
    ars: attrs.transposeA ? 1 : K, acs: attrs.transposeA ? M : 1,
    brs: attrs.transposeB ? K : 1, bcs: attrs.transposeB ? 1 : N,
  }, batch, M, N, K, floats(out));
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { matmul } satisfies CpuKernels;
