/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * The CPU matrix-multiply core shared by matmul and the convolutions:
 *   C[m, n] = S(A[m, k] * B[n, k], k = 0..K-1)   (A: [M, K] packed, B: [N, K] packed, "NT" form)
 * with S the engine's summation tree (src/core/reduction-order.ts) and every product rounded to
 * float32 before it is added. Each output's reduction is independent, so blocks of outputs can
 * run on any thread without changing a bit.
 */
import { SUM_CHUNK, TreeAccumulator } from '../../../src/core/reduction-order.ts';

const f32 = Math.fround;

/** S(a[ao + k] * b[bo + k], k = 0..K-1) in the engine's order. */
export function dotTree(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, K: number): number {
  if (K <= SUM_CHUNK) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc = f32(acc + f32(a[ao + k] * b[bo + k]));
    return acc;
  }
  if (K <= SUM_CHUNK * SUM_CHUNK) {
    let total = 0;
    for (let k0 = 0; k0 < K; k0 += SUM_CHUNK) {
      const k1 = Math.min(K, k0 + SUM_CHUNK);
      let acc = 0;
      for (let k = k0; k < k1; k++) acc = f32(acc + f32(a[ao + k] * b[bo + k]));
      total = f32(total + acc);
    }
    return total;
  }
  const t = new TreeAccumulator(K);
  for (let k = 0; k < K; k++) t.add(f32(a[ao + k] * b[bo + k]));
  return t.result();
}

/**
 * C[cOff + m * ldc + n] = dotTree(A row m, B row n) for m in [m0, m1), n in [0, N).
 * Computes four columns at a time to reuse each load of A (same order per output).
 */
export function gemmNT(M: number, N: number, K: number, A: ArrayLike<number>, B: ArrayLike<number>, C: { [i: number]: number }, cOff: number, ldc: number, m0 = 0, m1 = M): void {
  void M;
  if (K > SUM_CHUNK) {
    for (let m = m0; m < m1; m++) for (let n = 0; n < N; n++) C[cOff + m * ldc + n] = dotTree(A, m * K, B, n * K, K);
    return;
  }
  for (let m = m0; m < m1; m++) {
    const ao = m * K;
    const co = cOff + m * ldc;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = n * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const av = A[ao + k];
        s0 = f32(s0 + f32(av * B[b0 + k]));
        s1 = f32(s1 + f32(av * B[b1 + k]));
        s2 = f32(s2 + f32(av * B[b2 + k]));
        s3 = f32(s3 + f32(av * B[b3 + k]));
      }
      C[co + n] = s0;
      C[co + n + 1] = s1;
      C[co + n + 2] = s2;
      C[co + n + 3] = s3;
    }
    for (; n < N; n++) C[co + n] = dotTree(A, ao, B, n * K, K);
  }
}

/** Copies a [rows, cols] matrix with arbitrary strides into a packed row-major Float32Array. */
export function pack(src: ArrayLike<number>, off: number, rows: number, cols: number, rowStride: number, colStride: number, dst = new Float32Array(rows * cols)): Float32Array {
  for (let r = 0; r < rows; r++) {
    const s = off + r * rowStride;
    const d = r * cols;
    if (colStride === 1) for (let c = 0; c < cols; c++) dst[d + c] = src[s + c];
    else for (let c = 0; c < cols; c++) dst[d + c] = src[s + c * colStride];
  }
  return dst;
}
