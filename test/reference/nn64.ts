/**
 * Naive float64 references for the neural-network ops: batched matmul with transpose flags,
 * conv2d (NHWC, TensorFlow 'same'/'valid' padding), max/avg pooling (TF semantics), softmax,
 * logSoftmax and sparse categorical cross-entropy. Independent of src/ (see ops64.ts).
 */
import { type A64, arr, broadcastShape, max, ravel, sizeOfShape, sum, unravel } from './ops64.ts';

// ------------------------------------------------------------------ matmul

/** op(a) @ op(b) over the last two dims, batch dims broadcast (NumPy matmul rules, rank >= 2). */
export function matmul(a: A64, b: A64, o: { transposeA?: boolean; transposeB?: boolean } = {}): A64 {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [ar, ac] = [a.shape[ra - 2], a.shape[ra - 1]];
  const [br, bc] = [b.shape[rb - 2], b.shape[rb - 1]];
  const m = o.transposeA ? ac : ar;
  const k = o.transposeA ? ar : ac;
  const n = o.transposeB ? br : bc;
  if ((o.transposeB ? bc : br) !== k) throw new Error('matmul: inner dimensions differ');
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShape(batchA, batchB);
  const out = arr([...batch, m, n]);
  const nb = sizeOfShape(batch);
  // Flat offset of the [rows, cols] matrix of x for output batch index bi (broadcast).
  const offset = (xBatch: number[], rows: number, cols: number, bi: number[]) => {
    const idx = xBatch.map((d, i) => (d === 1 ? 0 : bi[i + bi.length - xBatch.length]));
    return ravel(idx, xBatch) * rows * cols;
  };
  for (let t = 0; t < nb; t++) {
    const bi = unravel(t, batch);
    const oa = offset(batchA, ar, ac, bi);
    const ob = offset(batchB, br, bc, bi);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = o.transposeA ? a.data[oa + p * ac + i] : a.data[oa + i * ac + p];
          const bv = o.transposeB ? b.data[ob + j * bc + p] : b.data[ob + p * bc + j];
          s += av * bv;
        }
        out.data[t * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ window geometry (TF rules)

export type Padding = 'valid' | 'same';

/** [out, padBefore] along one spatial dim: same -> ceil(in/s), smaller half of the padding first. */
export function windowAlong(size: number, k: number, s: number, padding: Padding): [number, number] {
  if (padding === 'valid') return [Math.floor((size - k) / s) + 1, 0];
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return [out, Math.floor(total / 2)];
}

function pairOf(v: number | readonly [number, number] | undefined, dflt: [number, number]): [number, number] {
  return v === undefined ? dflt : typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

// ------------------------------------------------------------------ conv2d

/** Cross-correlation: x [N,H,W,C], w [kH,kW,C,F] -> [N,outH,outW,F]. */
export function conv2d(x: A64, w: A64, o: { strides?: number | [number, number]; padding?: Padding } = {}): A64 {
  const [N, H, W, C] = x.shape;
  const [kH, kW, wc, F] = w.shape;
  if (wc !== C) throw new Error('conv2d: channel mismatch');
  const [sH, sW] = pairOf(o.strides, [1, 1]);
  const padding = o.padding ?? 'valid';
  const [oH, pT] = windowAlong(H, kH, sH, padding);
  const [oW, pL] = windowAlong(W, kW, sW, padding);
  const out = arr([N, oH, oW, F]);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let kh = 0; kh < kH; kh++) {
            const ih = oh * sH + kh - pT;
            if (ih < 0 || ih >= H) continue;
            for (let kw = 0; kw < kW; kw++) {
              const iw = ow * sW + kw - pL;
              if (iw < 0 || iw >= W) continue;
              for (let c = 0; c < C; c++) {
                s += x.data[((n * H + ih) * W + iw) * C + c] * w.data[((kh * kW + kw) * C + c) * F + f];
              }
            }
          }
          out.data[((n * oH + oh) * oW + ow) * F + f] = s;
        }
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ pooling

export interface Pool64Options {
  poolSize?: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
}

function pool(x: A64, o: Pool64Options, kind: 'max' | 'avg'): A64 {
  const [N, H, W, C] = x.shape;
  const [kH, kW] = pairOf(o.poolSize, [2, 2]);
  const [sH, sW] = pairOf(o.strides, [kH, kW]);
  const padding = o.padding ?? 'valid';
  const [oH, pT] = windowAlong(H, kH, sH, padding);
  const [oW, pL] = windowAlong(W, kW, sW, padding);
  const out = arr([N, oH, oW, C]);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        for (let c = 0; c < C; c++) {
          let acc = kind === 'max' ? -Infinity : 0;
          let count = 0;
          for (let ph = 0; ph < kH; ph++) {
            const ih = oh * sH + ph - pT;
            if (ih < 0 || ih >= H) continue;
            for (let pw = 0; pw < kW; pw++) {
              const iw = ow * sW + pw - pL;
              if (iw < 0 || iw >= W) continue;
              const v = x.data[((n * H + ih) * W + iw) * C + c];
              acc = kind === 'max' ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          // TensorFlow: padding is not part of the average.
          out.data[((n * oH + oh) * oW + ow) * C + c] = kind === 'max' ? acc : acc / count;
        }
      }
    }
  }
  return out;
}

export const maxPool2d = (x: A64, o: Pool64Options = {}) => pool(x, o, 'max');
export const avgPool2d = (x: A64, o: Pool64Options = {}) => pool(x, o, 'avg');

// ------------------------------------------------------------------ softmax and losses

/** log(sum(exp(x))) along `axis`, kept as a size-1 dim (stable: shifted by the max). */
function logSumExp(x: A64, axis: number): A64 {
  const m = max(x, [axis], true);
  const shifted = arr(x.shape);
  for (let i = 0; i < x.data.length; i++) shifted.data[i] = Math.exp(x.data[i] - readKeep(m, x.shape, i, axis));
  const s = sum(shifted, [axis], true);
  for (let i = 0; i < s.data.length; i++) s.data[i] = Math.log(s.data[i]) + m.data[i];
  return s;
}

/** The keepDims-reduced value matching element i of a tensor of `shape`. */
function readKeep(r: A64, shape: readonly number[], i: number, axis: number): number {
  const idx = unravel(i, shape);
  idx[axis] = 0;
  return r.data[ravel(idx, r.shape)];
}

export function logSoftmax(x: A64, axis = -1): A64 {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const lse = logSumExp(x, ax);
  const out = arr(x.shape);
  for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i] - readKeep(lse, x.shape, i, ax);
  return out;
}

export function softmax(x: A64, axis = -1): A64 {
  const ls = logSoftmax(x, axis);
  return { shape: ls.shape, data: ls.data.map(Math.exp) };
}

/** Sparse categorical cross-entropy from logits [B, K] and integer labels [B]: -mean(logSoftmax(x)[b, label_b]). */
export function sparseCrossEntropy(logits: A64, labels: ArrayLike<number>): A64 {
  const [B, K] = logits.shape;
  const ls = logSoftmax(logits, 1);
  let s = 0;
  for (let b = 0; b < B; b++) s += ls.data[b * K + labels[b]];
  return arr([], [-s / B]);
}

/**
 * Keras sparse_categorical_crossentropy from probabilities [B, K]: -mean(log(clip(p, eps, 1 - eps))[b, label_b]).
 */
export function sparseCrossEntropyFromProbs(p: A64, labels: ArrayLike<number>, eps = 1e-7): A64 {
  const [B, K] = p.shape;
  let s = 0;
  for (let b = 0; b < B; b++) s += Math.log(Math.min(Math.max(p.data[b * K + labels[b]], eps), 1 - eps));
  return arr([], [-s / B]);
}

/** mean((a - b)^2) over every element. */
export function meanSquaredError(a: A64, b: A64): A64 {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return arr([], [s / a.data.length]);
}
