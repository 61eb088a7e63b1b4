/**
 * Tensor-level building blocks of the pipeline: the slice source of `fromTensorSlices` (rows and
 * batches of rows as tensors on the source's backend: one slice or one gather per tensor per batch)
 * and the stacking of separately produced elements into a batch.
 * Part of src/data: imports src/core only.
 */
import {
  ShapeError, type Tensor, assertLive, fmtShape, gather, reshape, slice, stack, tensor, tidy,
} from '../core/internal.ts';
import { disposeElement, flattenStructure, keepElement, rebuildStructure } from './structure.ts';

/**
 * The tensors given to `fromTensorSlices`: element i is row i of every tensor, in the same
 * structure. The source tensors stay owned by the caller (never disposed here).
 */
export class SliceSource<T> {
  readonly leaves: readonly Tensor[];
  /** Number of rows (the shared first dimension). */
  readonly length: number;

  constructor(readonly template: T) {
    const fn = 'Dataset.fromTensorSlices';
    const leaves = flattenStructure(fn, template, 'tensors');
    if (leaves.length === 0) throw new ShapeError(`${fn}: expected at least one tensor. Received: an empty structure`);
    for (const t of leaves) {
      assertLive(fn, t);
      if (t.rank < 1) throw new ShapeError(`${fn}: expected tensors of rank >= 1 (rows along axis 0). Received: a tensor of shape ${fmtShape(t.shape)}`);
    }
    const n = leaves[0].shape[0];
    const odd = leaves.find((t) => t.shape[0] !== n);
    if (odd) {
      throw new ShapeError(`${fn}: expected every tensor to have the same first dimension. Received: shapes ${fmtShape(leaves[0].shape)} and ${fmtShape(odd.shape)}`);
    }
    this.leaves = leaves;
    this.length = n;
  }

  /** Element `i`: row i of every tensor (shape = the tensor's shape without axis 0). New tensors. */
  row(i: number): T {
    const rows = tidy(() => this.leaves.map((t) => reshape(slice(t, i, 1), t.shape.slice(1))));
    return keepElement(rebuildStructure(this.template, rows));
  }

  /**
   * The batch of rows `idx` (in that order): shape [idx.length, ...] per tensor. An ascending run
   * of consecutive rows is one slice per tensor; anything else one gather per tensor, sharing one
   * int32 index tensor.
   */
  rows(idx: readonly number[]): T {
    const k = idx.length;
    let contiguous = true;
    for (let j = 1; j < k && contiguous; j++) contiguous = idx[j] === idx[0] + j;
    const out = tidy(() => {
      if (contiguous) return this.leaves.map((t) => slice(t, idx[0], k));
      const ids = tensor(Int32Array.from(idx), [k], 'int32');
      return this.leaves.map((t) => gather(t, ids, 0));
    });
    return keepElement(rebuildStructure(this.template, out));
  }
}

/**
 * Stacks elements of one structure into a batch (new axis 0) and disposes the elements. Every
 * element must have the same structure and, leaf by leaf, the same shape and dtype.
 */
export function stackElements<T>(fn: string, elements: readonly T[]): T {
  try {
    const flat = elements.map((e) => flattenStructure(fn, e));
    const first = flat[0];
    for (let e = 1; e < flat.length; e++) {
      if (flat[e].length !== first.length) {
        throw new ShapeError(`${fn}: expected elements of one structure. Received: element 0 with ${first.length} tensors and element ${e} with ${flat[e].length}`);
      }
      for (let j = 0; j < first.length; j++) {
        const a = first[j];
        const b = flat[e][j];
        if (a.dtype !== b.dtype || a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
          throw new ShapeError(`${fn}: expected elements of equal shapes and dtypes to batch. Received: component ${j} of element 0 is ${fmtShape(a.shape)} ${a.dtype}, of element ${e} is ${fmtShape(b.shape)} ${b.dtype}`);
        }
      }
    }
    const stacked = tidy(() => first.map((_, j) => stack(flat.map((f) => f[j]), 0)));
    return keepElement(rebuildStructure(elements[0], stacked));
  } finally {
    for (const e of elements) disposeElement(e);
  }
}
