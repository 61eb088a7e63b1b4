/**
 * Reduced QR decomposition by Householder reflections in float64 (LAPACK geqrf + orgqr conventions), for the
 * Orthogonal initializer. Uses only + - * / and Math.sqrt in one fixed order, so the result is bit-identical on
 * every platform and backend (it runs on the host).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';

/** Q [m, n] with orthonormal columns and the diagonal of R [n], from A [m, n] (m >= n). */
export interface ReducedQR {
  /** Row-major [m, n]. */
  q: Float64Array;
  /** diag(R), length n. */
  rDiag: Float64Array;
}

/**
 * A = Q R with Q [m, n] (orthonormal columns) and R [n, n] upper triangular, A row-major [m, n], m >= n.
 * Reflector k (LAPACK dlarfg): alpha = A[k][k], xnorm = ||A[k+1:, k]||; if xnorm == 0 then H_k = I (tau = 0,
 * R[k][k] = alpha), else beta = -sign(alpha) * sqrt(alpha^2 + xnorm^2) (sign(+-0) = +), tau = (beta - alpha) / beta,
 * v = [1, A[k+1:, k] / (alpha - beta)], R[k][k] = beta. Q = H_0 H_1 ... H_{n-1} applied to the first n columns of I,
 * accumulated backwards (dorg2r). A 1 x 1 input gives Q = [1], R = [a].
 */
export function householderQR(a: ArrayLike<number>, m: number, n: number): ReducedQR {
  if (!(m >= n && n >= 0 && a.length === m * n)) {
    throw new ArgumentError(`householderQR: expected A of m*n elements with m >= n. Received: m=${m}, n=${n}, a.length=${a.length}`);
  }
  const A = Float64Array.from(a);
  const taus = new Float64Array(n);
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const alpha = A[k * n + k];
    let ss = 0;
    for (let i = k + 1; i < m; i++) ss += A[i * n + k] * A[i * n + k];
    if (ss === 0) {
      taus[k] = 0;
      rDiag[k] = alpha;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + ss);
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = k + 1; i < m; i++) A[i * n + k] *= scale; // v[i] (v[k] = 1 implicitly)
    taus[k] = tau;
    rDiag[k] = beta;
    // Apply H_k = I - tau v v^T to the trailing columns A[k:, k+1:].
    for (let j = k + 1; j < n; j++) {
      let dot = A[k * n + j];
      for (let i = k + 1; i < m; i++) dot += A[i * n + k] * A[i * n + j];
      const t = tau * dot;
      A[k * n + j] -= t;
      for (let i = k + 1; i < m; i++) A[i * n + j] -= t * A[i * n + k];
    }
  }
  // Q = H_0 ... H_{n-1} I[:, :n], accumulated from the last reflector (only rows/cols >= k change at step k).
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const tau = taus[k];
    if (tau === 0) continue;
    for (let j = k; j < n; j++) {
      let dot = q[k * n + j];
      for (let i = k + 1; i < m; i++) dot += A[i * n + k] * q[i * n + j];
      const t = tau * dot;
      q[k * n + j] -= t;
      for (let i = k + 1; i < m; i++) q[i * n + j] -= t * A[i * n + k];
    }
  }
  return { q, rDiag };
}
