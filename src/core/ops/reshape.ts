/**
 * Shape-only ops that share storage: reshape, expandDims, squeeze. No kernel runs.
 * Part of src/core.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

const reshapeOp = defineOp({
  name: 'reshape',
  view: true,
  infer: ([x], a) => ({ shape: a.shape, dtype: x.dtype }),
  grad: (dy, { inputs: [x] }) => [reshape(dy, x.shape)],
});

/** Reshapes (row-major, no copy). One dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertLive('reshape', x);
  const out = resolveShape(x.shape, shape);
  return runOp(reshapeOp, [x], { shape: out });
}

/** Inserts a dimension of size 1 at `axis` (negative counts from the end of the result). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  assertLive('expandDims', x);
  const ax = normalizeAxis('expandDims', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

/** Removes dimensions of size 1 (all of them, or the given axes, which must have size 1). */
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  assertLive('squeeze', x);
  const drop = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, x.rank);
  for (const a of drop) {
    if (x.shape[a] !== 1) {
      throw new ShapeError(`squeeze: expected dimension ${a} to have size 1. Received: x.shape=${fmtShape(x.shape)}`);
    }
  }
  return reshape(x, x.shape.filter((_, i) => !drop.includes(i)));
}

function resolveShape(from: readonly number[], to: readonly number[]): number[] {
  if (!Array.isArray(to)) throw new ArgumentError(`reshape: expected shape to be an array. Received: ${typeof to}`);
  const size = sizeOf(from);
  let infer = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ShapeError(`reshape: expected at most one -1 in shape. Received: shape=${fmtShape(to)}`);
      infer = i;
    } else if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`reshape: expected non-negative integer dimensions or -1. Received: shape=${fmtShape(to)}`);
    } else known *= d;
  });
  const out = [...to];
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 for ${size} elements into shape ${fmtShape(to)}. Received: x.shape=${fmtShape(from)}`);
    }
    out[infer] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new ShapeError(`reshape: expected a shape with ${size} elements. Received: shape=${fmtShape(to)} (${sizeOf(out)} elements) for x.shape=${fmtShape(from)}`);
  }
  return out;
}
