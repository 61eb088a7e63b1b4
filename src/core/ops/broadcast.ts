/**
 * Broadcasting helpers for op definitions: `broadcastTo` (a primitive with a kernel) and
 * `reduceToShape`, which sums a broadcast gradient back to an input's shape.
 * Part of src/core.
 */
import { ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { broadcastShapes, broadcastedAxes, checkShape, shapesEqual } from '../shape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';
import { reshape } from './reshape.ts';
import { sum } from './reduce.ts';

const broadcastToOp = defineOp({
  name: 'broadcastTo',
  infer: ([x], a) => {
    const out = broadcastShapes('broadcastTo', x.shape, a.shape);
    if (!shapesEqual(out, a.shape)) {
      throw new ShapeError(`broadcastTo: expected x to broadcast to ${fmtShape(a.shape)}. Received: x.shape=${fmtShape(x.shape)}`);
    }
    return { shape: out, dtype: x.dtype };
  },
  grad: (dy, { inputs: [x] }) => [reduceToShape(dy, x.shape)],
});

/** Broadcasts `x` to `shape` (NumPy rules), materializing the result. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkShape('broadcastTo', shape);
  assertLive('broadcastTo', x);
  if (shapesEqual(x.shape, shape)) return x.clone();
  return runOp(broadcastToOp, [x], { shape: [...shape] });
}

/** Sums `g` over the axes along which an input of `shape` was broadcast, giving `shape`. */
export function reduceToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const axes = broadcastedAxes(shape, g.shape);
  const s = axes.length ? sum(g, axes, true) : g;
  return reshape(s, shape);
}
