/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * CPU kernel for batched matmul with transpose flags and batch broadcasting. Operands are packed
 * into the NT form of gemm.ts ([M, K] and [N, K]); each output is the engine-order dot product.
 */
import { broadcastStrides, sizeOf, stridesOf } from '../../../src/core/shape.ts';
import { gemmNT, pack } from './gemm.ts';
import type { CpuKernel } from './types.ts';

export const matmul: CpuKernel<'matmul'> = ([a, b], attrs, out) => {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = out.shape[out.shape.length - 2];
  const N = out.shape[out.shape.length - 1];
  const K = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const batchShape = out.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const sa = broadcastStrides(a.shape.slice(0, -2), batchShape);
  const sb = broadcastStrides(b.shape.slice(0, -2), batchShape);
  const matA = a.shape[ra - 2] * a.shape[ra - 1];
  const matB = b.shape[rb - 2] * b.shape[rb - 1];
  const packedA = new Float32Array(M * K);
  const packedB = new Float32Array(N * K);
  const bStrides = stridesOf(batchShape);
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
    // A as [M, K]: row stride K (or 1 when transposed), column stride 1 (or M).
    if (attrs.transposeA) pack(a.handle, ai * matA, M, K, 1, M, packedA);
    else pack(a.handle, ai * matA, M, K, K, 1, packedA);
    // B as [N, K]: B is [K, N] (or [N, K] when transposed).
    if (attrs.transposeB) pack(b.handle, bi * matB, N, K, K, 1, packedB);
    else pack(b.handle, bi * matB, N, K, 1, N, packedB);
    gemmNT(M, N, K, packedA, packedB, out.handle, i * M * N, N);
  }
};
