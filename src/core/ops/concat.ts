/**
 * Joining and splitting along an axis: concat, stack, split, unstack.
 * Part of src/core.
 */
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { normalizeAxis } from '../shape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { tidy } from '../tidy.ts';
import { defineOp } from './op-def.ts';
import { expandDims, reshape } from './reshape.ts';
import { slice } from './slice.ts';

const concatOp = defineOp({
  name: 'concat',
  infer: (xs, { axis }) => {
    const first = xs[0];
    const shape = [...first.shape];
    shape[axis] = 0;
    for (const [i, x] of xs.entries()) {
      if (x.dtype !== first.dtype) {
        throw new DTypeError(`concat: expected tensors of one dtype. Received: ${first.dtype} and ${x.dtype} (tensor ${i})`);
      }
      if (x.shape.length !== first.shape.length || x.shape.some((d, k) => k !== axis && d !== first.shape[k])) {
        throw new ShapeError(`concat: expected shapes equal except along axis ${axis}. Received: ${fmtShape(first.shape)} and ${fmtShape(x.shape)} (tensor ${i})`);
      }
      shape[axis] += x.shape[axis];
    }
    return { shape, dtype: first.dtype };
  },
  grad: (dy, { inputs, attrs: { axis } }) => {
    let offset = 0;
    return inputs.map((x) => {
      const begin = x.shape.map((_, k) => (k === axis ? offset : 0));
      offset += x.shape[axis];
      return slice(dy, begin, [...x.shape]);
    });
  },
});

/** Concatenates along `axis`. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ArgumentError(`concat: expected a non-empty array of tensors. Received: ${Array.isArray(xs) ? 'an empty array' : typeof xs}`);
  }
  for (const x of xs) assertLive('concat', x);
  if (xs[0].rank === 0) {
    throw new ShapeError(`concat: expected tensors of rank >= 1 (stack joins scalars). Received: x.shape=${fmtShape(xs[0].shape)} (tensor 0)`);
  }
  const ax = normalizeAxis('concat', axis, xs[0].rank);
  if (xs.length === 1) return xs[0].clone();
  return runOp(concatOp, xs, { axis: ax });
}

/** Stacks equal-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ArgumentError(`stack: expected a non-empty array of tensors. Received: ${Array.isArray(xs) ? 'an empty array' : typeof xs}`);
  }
  for (const x of xs) assertLive('stack', x);
  const first = xs[0];
  for (const [i, x] of xs.entries()) {
    if (x.dtype !== first.dtype) {
      throw new DTypeError(`stack: expected tensors of one dtype. Received: ${first.dtype} and ${x.dtype} (tensor ${i})`);
    }
    if (x.rank !== first.rank || x.shape.some((d: number, k: number) => d !== first.shape[k])) {
      throw new ShapeError(`stack: expected tensors of one shape. Received: ${fmtShape(first.shape)} and ${fmtShape(x.shape)} (tensor ${i})`);
    }
  }
  const ax = normalizeAxis('stack', axis, first.rank + 1);
  return tidy(() => concat(xs.map((x) => expandDims(x, ax)), ax));
}

/** The most parts `split` makes of an axis of size 0 (a count of empty tensors). */
const MAX_EMPTY_PARTS = 1 << 16;

/** Splits into `n` equal parts (or parts of the given sizes) along `axis`. */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  assertLive('split', x);
  if (x.rank === 0) throw new ShapeError(`split: expected x of rank >= 1. Received: x.shape=${fmtShape(x.shape)}`);
  const ax = normalizeAxis('split', axis, x.rank);
  const d = x.shape[ax];
  // A count must be checked before it sizes an array: an empty axis splits into at most MAX_EMPTY_PARTS parts.
  if (typeof sizes === 'number' && !(Number.isInteger(sizes) && (d === 0 ? sizes >= 0 && sizes <= MAX_EMPTY_PARTS : sizes >= 1 && sizes <= d))) {
    throw new ArgumentError(`split: expected sizes summing to ${d} (or a count dividing it). Received: sizes=${sizes}`);
  }
  const parts = typeof sizes === 'number' ? new Array<number>(sizes).fill(d / sizes) : [...sizes];
  if (!parts.every((p) => Number.isInteger(p) && p >= 0) || parts.reduce((a, b) => a + b, 0) !== d) {
    throw new ArgumentError(`split: expected sizes summing to ${d} (or a count dividing it). Received: sizes=${JSON.stringify(sizes)}`);
  }
  let offset = 0;
  return parts.map((p) => {
    const begin = x.shape.map((_, k) => (k === ax ? offset : 0));
    const size = x.shape.map((s, k) => (k === ax ? p : s));
    offset += p;
    return slice(x, begin, size);
  });
}

/** Splits along `axis` into tensors of one rank less. */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  assertLive('unstack', x);
  if (x.rank === 0) throw new ShapeError(`unstack: expected x of rank >= 1. Received: x.shape=${fmtShape(x.shape)}`);
  const ax = normalizeAxis('unstack', axis, x.rank);
  const shape = x.shape.filter((_, k) => k !== ax);
  return split(x, x.shape[ax], ax).map((t) => {
    const r = reshape(t, shape);
    t.dispose();
    return r;
  });
}
