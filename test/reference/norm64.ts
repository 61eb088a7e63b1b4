/**
 * Naive float64 references of Keras 3's normalization layers, written from the formulas (not from
 * src/): per statistics group, mean = sum / n and the biased variance sum((x - mean)^2) / n, then
 * y = gamma * (x - mean) / sqrt(var + eps) + beta (or, LayerNormalization's rms_scaling,
 * y = x * gamma / sqrt(var + eps)). BatchNormalization: one group per channel of `axis` (statistics
 * over every other axis) or the given moving statistics; LayerNormalization: one group per index of the
 * non-normalized axes; GroupNormalization: one group per (sample, group of consecutive channels).
 * Used for value tests and, through test/util/gradcheck.ts, float64 central differences.
 */
import { type A64, arr, sizeOfShape, unravel } from './ops64.ts';

/** Statistics of x grouped by key(index) (keys 0..groups-1). */
function groupStats(x: A64, groups: number, key: (idx: number[]) => number): { mean: Float64Array; variance: Float64Array; count: Float64Array } {
  const mean = new Float64Array(groups);
  const variance = new Float64Array(groups);
  const count = new Float64Array(groups);
  const keys = Array.from(x.data, (_, i) => key(unravel(i, x.shape)));
  x.data.forEach((v, i) => { mean[keys[i]] += v; count[keys[i]]++; });
  for (let g = 0; g < groups; g++) mean[g] /= count[g];
  x.data.forEach((v, i) => { variance[keys[i]] += (v - mean[keys[i]]) ** 2; });
  for (let g = 0; g < groups; g++) variance[g] /= count[g];
  return { mean, variance, count };
}

/** y = gamma[p] * (x - mean[k]) / sqrt(var[k] + eps) + beta[p], k = key(idx), p = param(idx). */
function apply(x: A64, mean: ArrayLike<number>, variance: ArrayLike<number>, key: (idx: number[]) => number, param: (idx: number[]) => number,
  gamma: A64 | null, beta: A64 | null, eps: number, rms = false): A64 {
  const y = arr(x.shape);
  x.data.forEach((v, i) => {
    const idx = unravel(i, x.shape);
    const k = key(idx);
    const p = param(idx);
    const g = gamma ? gamma.data[p] : 1;
    const b = beta ? beta.data[p] : 0;
    y.data[i] = rms ? (v * g) / Math.sqrt(variance[k] + eps) : (g * (v - mean[k])) / Math.sqrt(variance[k] + eps) + b;
  });
  return y;
}

const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** BatchNormalization in training: batch statistics per channel of `axis`; also returns them. */
export function batchNormTrain64(x: A64, gamma: A64 | null, beta: A64 | null, axis: number, eps: number): { y: A64; mean: Float64Array; variance: Float64Array } {
  const a = norm(axis, x.shape.length);
  const s = groupStats(x, x.shape[a], (idx) => idx[a]);
  return { y: apply(x, s.mean, s.variance, (idx) => idx[a], (idx) => idx[a], gamma, beta, eps), mean: s.mean, variance: s.variance };
}

/** BatchNormalization at inference: the given moving statistics per channel of `axis`. */
export function batchNormInfer64(x: A64, gamma: A64 | null, beta: A64 | null, movingMean: A64, movingVariance: A64, axis: number, eps: number): A64 {
  const a = norm(axis, x.shape.length);
  return apply(x, movingMean.data, movingVariance.data, (idx) => idx[a], (idx) => idx[a], gamma, beta, eps);
}

/** LayerNormalization over `axes`; gamma and beta laid out over the normalized axes in increasing order. */
export function layerNorm64(x: A64, gamma: A64 | null, beta: A64 | null, axes: readonly number[], eps: number, rms = false): A64 {
  const r = x.shape.length;
  const ax = axes.map((a) => norm(a, r)).sort((p, q) => p - q);
  const kept = x.shape.map((_, i) => i).filter((i) => !ax.includes(i));
  const flat = (idx: number[], dims: number[]) => dims.reduce((acc, d) => acc * x.shape[d] + idx[d], 0);
  const key = (idx: number[]) => flat(idx, kept);
  const s = groupStats(x, sizeOfShape(kept.map((d) => x.shape[d])), key);
  return apply(x, s.mean, s.variance, key, (idx) => flat(idx, ax), gamma, beta, eps, rms);
}

/** GroupNormalization: `groups` groups of consecutive channels along `axis`, statistics per (sample, group). */
export function groupNorm64(x: A64, gamma: A64 | null, beta: A64 | null, groups: number, axis: number, eps: number): A64 {
  const a = norm(axis, x.shape.length);
  const per = x.shape[a] / groups;
  const key = (idx: number[]) => idx[0] * groups + Math.floor(idx[a] / per);
  const s = groupStats(x, x.shape[0] * groups, key);
  return apply(x, s.mean, s.variance, key, (idx) => idx[a], gamma, beta, eps);
}
