/**
 * float64 references of Keras 3's loss formulas (keras/src/losses/losses.py, JAX backend nn.py) on rows of
 * numbers: each returns the per-sample losses of [N, C] inputs (the mean/sum over the last axis), with Keras's
 * float32 constants (epsilon 1e-7, 1 - 1e-7) rounded to float32 as the engine sees them. Exact arithmetic
 * otherwise: log1p/expm1/cosh/sqrt in float64.
 */
const f32 = Math.fround;
export const E_LO = f32(1e-7);
export const E_HI = f32(1 - 1e-7);

export type Rows = number[][];
const mean = (r: number[]) => r.reduce((a, b) => a + b, 0) / r.length;
const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const zipMean = (t: Rows, p: Rows, f: (a: number, b: number) => number) => t.map((r, i) => mean(r.map((a, j) => f(a, p[i][j]))));

/** log(sigmoid(x)) in float64 without overflow. */
export const logSigmoid = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
export const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export function bce(t: Rows, p: Rows, fromLogits = false, ls = 0): number[] {
  return zipMean(t, p, (a, b) => {
    const y = ls ? a * (1 - ls) + 0.5 * ls : a;
    if (fromLogits) return -y * logSigmoid(b) - (1 - y) * logSigmoid(-b);
    const o = clip(b, E_LO, E_HI);
    return -(y * Math.log(o) + (1 - y) * Math.log(1 - o));
  });
}

export function focal(t: Rows, p: Rows, o: { fromLogits?: boolean; ls?: number; gamma?: number; alpha?: number; balance?: boolean } = {}): number[] {
  const gamma = o.gamma ?? 2;
  const alpha = o.alpha ?? 0.25;
  return zipMean(t, p, (a, b0) => {
    const y = o.ls ? a * (1 - o.ls) + 0.5 * o.ls : a;
    const b = o.fromLogits ? 1 / (1 + Math.exp(-b0)) : b0;
    const c = clip(b, E_LO, E_HI);
    const bce1 = -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
    const pt = y * b + (1 - y) * (1 - b);
    let v = (1 - pt) ** gamma * bce1;
    if (o.balance) v *= y * alpha + (1 - y) * (1 - alpha);
    return v;
  });
}

/** log-probabilities of a row: log-softmax, or log(clip(p / sum p)). */
export function logProbs(row: number[], fromLogits: boolean): number[] {
  if (fromLogits) {
    const m = Math.max(...row);
    const lse = m + Math.log(sum(row.map((v) => Math.exp(v - m))));
    return row.map((v) => v - lse);
  }
  const s = sum(row);
  return row.map((v) => Math.log(clip(v / s, E_LO, E_HI)));
}

export function cce(t: Rows, p: Rows, fromLogits = false, ls = 0): number[] {
  return t.map((r, i) => {
    const lp = logProbs(p[i], fromLogits);
    return -sum(r.map((a, j) => (ls ? a * (1 - ls) + ls / r.length : a) * lp[j]));
  });
}

export function scce(labels: number[], p: Rows, fromLogits = false): number[] {
  return labels.map((l, i) => -logProbs(p[i], fromLogits)[l]);
}

export const mse = (t: Rows, p: Rows) => zipMean(t, p, (a, b) => (a - b) ** 2);
export const mae = (t: Rows, p: Rows) => zipMean(t, p, (a, b) => Math.abs(a - b));
export const mape = (t: Rows, p: Rows) => zipMean(t, p, (a, b) => Math.abs((a - b) / Math.max(Math.abs(a), E_LO))).map((v) => 100 * v);
export const msle = (t: Rows, p: Rows) => zipMean(t, p, (a, b) => (Math.log1p(Math.max(b, E_LO)) - Math.log1p(Math.max(a, E_LO))) ** 2);
export const huber = (t: Rows, p: Rows, d = 1) =>
  zipMean(t, p, (a, b) => {
    const e = Math.abs(b - a);
    return e <= d ? 0.5 * e * e : d * e - 0.5 * d * d;
  });
export const logCosh = (t: Rows, p: Rows) => zipMean(t, p, (a, b) => Math.log(Math.cosh(b - a)));
export const kld = (t: Rows, p: Rows) =>
  t.map((r, i) =>
    sum(r.map((a, j) => {
      const x = clip(a, E_LO, 1);
      return x * Math.log(x / clip(p[i][j], E_LO, 1));
    })),
  );
export const poisson = (t: Rows, p: Rows) => zipMean(t, p, (a, b) => b - a * Math.log(b + E_LO));
export function cosine(t: Rows, p: Rows): number[] {
  const norm = (r: number[]) => {
    const inv = Math.min(1 / Math.sqrt(sum(r.map((v) => v * v))), f32(1 / 1e-7));
    return r.map((v) => v * inv);
  };
  return t.map((r, i) => {
    const a = norm(r);
    const b = norm(p[i]);
    return -sum(a.map((v, j) => v * b[j]));
  });
}
const hingeLabels = (t: Rows) => (t.flat().every((v) => v === 0 || v === 1) ? t.map((r) => r.map((v) => 2 * v - 1)) : t);
export const hinge = (t: Rows, p: Rows) => zipMean(hingeLabels(t), p, (a, b) => Math.max(1 - a * b, 0));
export const squaredHinge = (t: Rows, p: Rows) => zipMean(hingeLabels(t), p, (a, b) => Math.max(1 - a * b, 0) ** 2);
export const categoricalHinge = (t: Rows, p: Rows) =>
  t.map((r, i) => {
    const pos = sum(r.map((a, j) => a * p[i][j]));
    const neg = Math.max(...r.map((a, j) => (1 - a) * p[i][j]));
    return Math.max(neg - pos + 1, 0);
  });
