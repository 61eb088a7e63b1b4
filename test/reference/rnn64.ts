/**
 * Float64 references of Keras 3's recurrent cells run over a sequence (keras/src/layers/rnn/*.py,
 * implementation 2, no dropout), written independently of ditto with plain loops:
 *   SimpleRNN: h = tanh(x @ K + b + h @ R)
 *   LSTM:      z = x @ K + h @ R + b; i, f, c~, o = sig(z_i), sig(z_f), tanh(z_c), sig(z_o) (gate order i, f, c, o);
 *              c = f * c + i * c~; h = o * tanh(c)
 *   GRU (reset_after=True, bias [2, 3U]): mx = x @ K + b[0]; mi = h @ R + b[1]; z = sig(mx_z + mi_z);
 *              r = sig(mx_r + mi_r); hh = tanh(mx_h + r * mi_h); h = z * h + (1 - z) * hh (gate order z, r, h)
 *   GRU (reset_after=False, bias [3U]): mx = x @ K + b; z, r from mx + h @ R[:, :2U]; hh = tanh(mx_h + (r * h) @ R[:, 2U:])
 */
import { type A64, arr } from './ops64.ts';

/** The cell kinds. */
export type Cell64 = 'simple' | 'lstm' | 'gru' | 'gru_before';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** out[j] = sum_k v[k] * m[k, j] for a row vector v and m [K, J] (row-major data, column offset c0, width w). */
function vecMat(v: ArrayLike<number>, m: A64, c0: number, w: number): number[] {
  const cols = m.shape[1];
  const out = new Array<number>(w).fill(0);
  for (let k = 0; k < v.length; k++) for (let j = 0; j < w; j++) out[j] += v[k] * m.data[k * cols + c0 + j];
  return out;
}

/**
 * Runs the cell over x [N, T, F] from zero states (or `init`, one [N, U] per state). Returns every output in
 * processing order [N, T, U] and the final states. `recMask` [N, U] multiplies h wherever it enters a matmul with R
 * (Keras's recurrent dropout mask, the same at every timestep).
 */
export function rnn64(kind: Cell64, x: A64, k: A64, r: A64, b: A64 | null, o: { goBackwards?: boolean; init?: A64[]; recMask?: A64 } = {}): { seq: A64; states: A64[] } {
  const [n, steps, f] = x.shape;
  const u = r.shape[0];
  const seq = arr([n, steps, u]);
  const nStates = kind === 'lstm' ? 2 : 1;
  const finals = Array.from({ length: nStates }, () => arr([n, u]));
  const bias = (row: number, j: number) => (b ? (b.shape.length === 2 ? b.data[row * b.shape[1] + j] : b.data[j]) : 0);
  for (let s = 0; s < n; s++) {
    let h = o.init ? Array.from(o.init[0].data.slice(s * u, (s + 1) * u)) : new Array<number>(u).fill(0);
    let c = o.init && nStates === 2 ? Array.from(o.init[1].data.slice(s * u, (s + 1) * u)) : new Array<number>(u).fill(0);
    for (let kk = 0; kk < steps; kk++) {
      const t = o.goBackwards ? steps - 1 - kk : kk;
      const xt = x.data.slice((s * steps + t) * f, (s * steps + t + 1) * f);
      const g = k.shape[1] / u;
      const mx = vecMat(xt, k, 0, g * u);
      const next = new Array<number>(u);
      const hr = o.recMask ? h.map((v, j) => v * o.recMask!.data[s * u + j]) : h;
      if (kind === 'simple') {
        const mh = vecMat(hr, r, 0, u);
        for (let j = 0; j < u; j++) next[j] = Math.tanh(mx[j] + bias(0, j) + mh[j]);
      } else if (kind === 'lstm') {
        const mh = vecMat(hr, r, 0, 4 * u);
        const c2 = new Array<number>(u);
        for (let j = 0; j < u; j++) {
          const z = (q: number) => mx[q * u + j] + mh[q * u + j] + bias(0, q * u + j);
          c2[j] = sig(z(1)) * c[j] + sig(z(0)) * Math.tanh(z(2));
          next[j] = sig(z(3)) * Math.tanh(c2[j]);
        }
        c = c2;
      } else if (kind === 'gru') {
        const mi = vecMat(hr, r, 0, 3 * u);
        for (let j = 0; j < u; j++) {
          const X = (q: number) => mx[q * u + j] + bias(0, q * u + j);
          const I = (q: number) => mi[q * u + j] + bias(1, q * u + j);
          const z = sig(X(0) + I(0));
          const rr = sig(X(1) + I(1));
          const hh = Math.tanh(X(2) + rr * I(2));
          next[j] = z * h[j] + (1 - z) * hh;
        }
      } else {
        const mi = vecMat(hr, r, 0, 2 * u);
        const X = (q: number, j: number) => mx[q * u + j] + bias(0, q * u + j);
        const z = h.map((_, j) => sig(X(0, j) + mi[j]));
        const rr = h.map((_, j) => sig(X(1, j) + mi[u + j]));
        const mh = vecMat(hr.map((v, j) => rr[j] * v), r, 2 * u, u);
        for (let j = 0; j < u; j++) next[j] = z[j] * h[j] + (1 - z[j]) * Math.tanh(X(2, j) + mh[j]);
      }
      h = next;
      for (let j = 0; j < u; j++) seq.data[(s * steps + kk) * u + j] = h[j];
    }
    for (let j = 0; j < u; j++) {
      finals[0].data[s * u + j] = h[j];
      if (nStates === 2) finals[1].data[s * u + j] = c[j];
    }
  }
  return { seq, states: finals };
}
