/**
 * Keras 3's loss reduction (keras/src/losses/loss.py `reduce_weighted_values`, `apply_mask`,
 * `reduce_values`, `squeeze_or_expand_to_same_rank`), with the order of every float operation fixed:
 *  1. a mask (SparseCategoricalCrossentropy's ignoreClass) becomes a weight: mask * (total / (valid + 1e-7))
 *     for the mean reductions, the mask itself for 'sum' (each a float32 rounding in that order), times the
 *     sample weight when there is one;
 *  2. sample weights are squeezed or expanded to the values' rank (a trailing 1 dropped, or a 1 appended),
 *     then values * weight elementwise (NumPy broadcasting);
 *  3. 'none' returns the weighted values; otherwise loss = sum over all elements in the engine's summation
 *     order (src/core/reduction-order.ts, canonical index = row-major element index); 'sum' stops there;
 *     'sum_over_batch_size' and 'mean' divide by the element count (one float32 division; 0 for no elements),
 *     'mean_with_sample_weight' by sum(sample weight) in the same summation order (0 when that sum is 0:
 *     Keras's divide_no_nan).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, assertLive, fmtShape, ops } from '../core/internal.ts';

/**
 * How per-sample losses become the loss: Keras 3's reductions.
 * @inline
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

/** The reductions {@link Reduction} names, in Keras's order. */
export const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'];

/** Checks a reduction option (undefined means 'sum_over_batch_size'); null is Keras's None ('none'). */
export function checkReduction(fn: string, r: unknown): Reduction {
  if (r === undefined) return 'sum_over_batch_size';
  if (r === null) return 'none';
  if (typeof r !== 'string' || !REDUCTIONS.includes(r as Reduction)) {
    throw new ArgumentError(`${fn}: expected reduction to be one of ${REDUCTIONS.map((x) => `'${x}'`).join(', ')}. Received: reduction=${JSON.stringify(r)}`);
  }
  return r as Reduction;
}

/**
 * Keras `squeeze_or_expand_to_same_rank(x1, x2)`: when the ranks differ by one and the longer one ends in 1,
 * that axis is dropped (or, when the shorter one has rank 1, a trailing 1 is appended to it instead).
 */
export function squeezeOrExpand(x1: Tensor, x2: Tensor): [Tensor, Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2) return [x1, x2];
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    return r2 === 1 ? [x1, ops.expandDims(x2, -1)] : [ops.squeeze(x1, [r1 - 1]), x2];
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    return r1 === 1 ? [ops.expandDims(x1, -1), x2] : [x1, ops.squeeze(x2, [r2 - 1])];
  }
  return [x1, x2];
}

/** Throws unless `b` broadcasts to `a`'s shape (NumPy rules, b not larger). */
function checkWeightShape(fn: string, values: Tensor, w: Tensor): void {
  const ok = w.rank <= values.rank && w.shape.every((d, i) => d === 1 || d === values.shape[values.rank - w.rank + i]);
  if (!ok) {
    throw new ShapeError(`${fn}: expected sampleWeight broadcastable to the per-sample losses of shape ${fmtShape(values.shape)}. Received: sampleWeight.shape=${fmtShape(w.shape)}`);
  }
}

/** Keras `apply_mask`: the mask as a weight (see the header, step 1). */
function applyMask(sampleWeight: Tensor | undefined, mask: Tensor, reduction: Reduction): Tensor {
  let m = ops.cast(mask, 'float32');
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    const total = m.size;
    const valid = ops.sum(m);
    m = ops.mul(m, ops.div(total, ops.add(valid, 1e-7)));
  }
  if (sampleWeight === undefined) return m;
  const [mm, sw] = squeezeOrExpand(m, sampleWeight);
  return ops.mul(sw, mm);
}

/**
 * Keras `reduce_weighted_values`: the weighted, reduced loss of per-sample `values` (float32) in the order the
 * module header documents. Call inside `tidy`.
 * @throws {@link ShapeError} for a sample weight that does not broadcast to the values.
 */
export function reduceWeighted(fn: string, values: Tensor, reduction: Reduction, sampleWeight?: Tensor, mask?: Tensor): Tensor {
  let sw: Tensor | undefined;
  if (sampleWeight !== undefined) {
    assertLive(fn, sampleWeight);
    sw = sampleWeight.dtype === 'float32' ? sampleWeight : ops.cast(sampleWeight, 'float32');
  }
  if (mask !== undefined) sw = applyMask(sw, mask, reduction);
  let v = values;
  if (sw !== undefined) {
    [v, sw] = squeezeOrExpand(v, sw);
    checkWeightShape(fn, v, sw);
    v = ops.mul(v, sw);
  }
  if (reduction === 'none' || v.rank === 0) return v;
  const loss = ops.sum(v);
  if (reduction === 'sum') return loss;
  if (reduction === 'mean_with_sample_weight' && sw !== undefined) {
    const d = ops.sum(sw);
    return ops.where(ops.equal(d, 0), 0, ops.div(loss, d));
  }
  // The existing SparseCategoricalCrossentropy's bits: sum / max(count, 1), one division.
  return ops.div(loss, Math.max(v.size, 1));
}
