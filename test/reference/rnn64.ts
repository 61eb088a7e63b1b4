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
 * processing order [N, T, U] and the final states. Dropout masks (Keras's, the same at every timestep), one for every
 * gate or one per gate: `inMasks` [N, F] multiply x_t in gate g's matmul with K, `recMasks` [N, U] multiply h in gate
 * g's matmul with R (keras/src/layers/rnn/*.py, implementation 1).
 */
export function rnn64(kind: Cell64, x: A64, k: A64, r: A64, b: A64 | null, o: { goBackwards?: boolean; init?: A64[]; inMasks?: A64[]; recMasks?: A64[] } = {}): { seq: A64; states: A64[] } {
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
      const masked = (v: number[], ms: A64[] | undefined, q: number) => {
        const m = ms?.[ms.length === 1 ? 0 : q];
        return m ? v.map((e, j) => e * m.data[s * v.length + j]) : v;
      };
      const mx = Array.from({ length: g }, (_, q) => vecMat(masked(Array.from(xt), o.inMasks, q), k, q * u, u)).flat();
      const next = new Array<number>(u);
      // Gate q's recurrent product: (h * recMask_q) @ R[:, q*U:(q+1)*U].
      const hR = (v: number[], q: number) => vecMat(masked(v, o.recMasks, q), r, q * u, u);
      if (kind === 'simple') {
        const mh = hR(h, 0);
        for (let j = 0; j < u; j++) next[j] = Math.tanh(mx[j] + bias(0, j) + mh[j]);
      } else if (kind === 'lstm') {
        const mh = [0, 1, 2, 3].flatMap((q) => hR(h, q));
        const c2 = new Array<number>(u);
        for (let j = 0; j < u; j++) {
          const z = (q: number) => mx[q * u + j] + mh[q * u + j] + bias(0, q * u + j);
          c2[j] = sig(z(1)) * c[j] + sig(z(0)) * Math.tanh(z(2));
          next[j] = sig(z(3)) * Math.tanh(c2[j]);
        }
        c = c2;
      } else if (kind === 'gru') {
        const mi = [0, 1, 2].flatMap((q) => hR(h, q));
        for (let j = 0; j < u; j++) {
          const X = (q: number) => mx[q * u + j] + bias(0, q * u + j);
          const I = (q: number) => mi[q * u + j] + bias(1, q * u + j);
          const z = sig(X(0) + I(0));
          const rr = sig(X(1) + I(1));
          const hh = Math.tanh(X(2) + rr * I(2));
          next[j] = z * h[j] + (1 - z) * hh;
        }
      } else {
        const mi = [0, 1].flatMap((q) => hR(h, q));
        const X = (q: number, j: number) => mx[q * u + j] + bias(0, q * u + j);
        const z = h.map((_, j) => sig(X(0, j) + mi[j]));
        const rr = h.map((_, j) => sig(X(1, j) + mi[u + j]));
        const mh = vecMat(masked(h, o.recMasks, 2).map((v, j) => rr[j] * v), r, 2 * u, u);
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
