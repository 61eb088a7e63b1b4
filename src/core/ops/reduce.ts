/**
 * Reductions over any axes: sum, max, min (with keepDims), mean, argmax, argmin.
 * determinism: every float reduction follows the engine's one summation order, the chunked
 * tree of src/core/reduction-order.ts; max/min scan in index order; arg* return the first index.
 * Part of src/core.
 */
import type { DType } from '../dtype.ts';
import { DTypeError } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { normalizeAxes, normalizeAxis, reducedShape, sizeOf } from '../shape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { tidy } from '../tidy.ts';
import { div } from './binary.ts';
import { type GradOps, defineOp } from './op-def.ts';
import type { ReduceAttrs } from './op-attrs.ts';

function inferReduce(name: string, sumLike: boolean) {
  return ([x]: readonly { shape: readonly number[]; dtype: DType }[], a: ReduceAttrs) => {
    if (sumLike && x.dtype === 'uint8') return { shape: reducedShape(x.shape, a.axes, a.keepDims), dtype: 'int32' as DType };
    if (!sumLike && sizeOf(x.shape) === 0 && a.axes.some((ax) => x.shape[ax] === 0)) {
      throw new DTypeError(`${name}: expected a non-empty reduction. Received: x.shape=[${x.shape.join(', ')}]`);
    }
    return { shape: reducedShape(x.shape, a.axes, a.keepDims), dtype: x.dtype };
  };
}

/** dy of a reduction, reshaped to keepDims form and broadcast back to the input's shape. */
function expandGrad(dy: Tensor, x: Tensor, a: ReduceAttrs, { broadcastTo, reshape }: GradOps): Tensor {
  const keep = reducedShape(x.shape, a.axes, true);
  return broadcastTo(reshape(dy, keep), x.shape);
}

const sumOp = defineOp({
  name: 'sum',
  infer: inferReduce('sum', true),
  grad: (dy, { inputs: [x], attrs }, ops) => [expandGrad(dy, x, attrs, ops)],
});

// TensorFlow's rule: the gradient is shared equally among tied extrema.
function extremumGrad(dy: Tensor, x: Tensor, y: Tensor, a: ReduceAttrs, ops: GradOps): Tensor {
  const { broadcastTo, cast, equal, mul, reshape } = ops;
  const yKeep = broadcastTo(reshape(y, reducedShape(x.shape, a.axes, true)), x.shape);
  const hits = cast(equal(x, yKeep), 'float32');
  const count = sum(hits, a.axes, true);
  return mul(div(hits, broadcastTo(count, x.shape)), expandGrad(dy, x, a, ops));
}

const maxOp = defineOp({
  name: 'max',
  infer: inferReduce('max', false),
  grad: (dy, { inputs: [x], output: y, attrs }, ops) => [extremumGrad(dy, x, y, attrs, ops)],
});

const minOp = defineOp({
  name: 'min',
  infer: inferReduce('min', false),
  grad: (dy, { inputs: [x], output: y, attrs }, ops) => [extremumGrad(dy, x, y, attrs, ops)],
});

function argOp(name: 'argmax' | 'argmin') {
  return defineOp({
    name,
    infer: ([x], a) => {
      if (x.shape[a.axis] === 0) {
        throw new DTypeError(`${name}: expected a non-empty axis. Received: x.shape=[${x.shape.join(', ')}], axis=${a.axis}`);
      }
      return { shape: x.shape.filter((_, i) => i !== a.axis), dtype: 'int32' };
    },
  });
}
const argmaxOp = argOp('argmax');
const argminOp = argOp('argmin');

/**
 * Axes to reduce: one axis, a list (negative values count from the end), or undefined for all axes.
 * @inline
 */
type Axes = number | readonly number[] | undefined;

/**
 * Sum over `axes` (all by default); `keepDims` keeps reduced axes with size 1. uint8 sums to int32. TF.js
 * `tf.sum`. float32 sums run in ditto's fixed summation order (the same bits on every backend, at every thread
 * count), which can differ in the last bits from a left-to-right loop.
 * @throws {@link ArgumentError} for an axis out of range or repeated.
 */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  assertLive('sum', x);
  return runOp(sumOp, [x], { axes: normalizeAxes('sum', axes, x.rank), keepDims });
}

/**
 * Maximum over `axes` (all by default); NaN if any element is NaN. TF.js `tf.max`.
 * @throws {@link ArgumentError} for an axis out of range or repeated.
 */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  assertLive('max', x);
  return runOp(maxOp, [x], { axes: normalizeAxes('max', axes, x.rank), keepDims });
}

/**
 * Minimum over `axes` (all by default); NaN if any element is NaN. TF.js `tf.min`.
 * @throws {@link ArgumentError} for an axis out of range or repeated.
 */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  assertLive('min', x);
  return runOp(minOp, [x], { axes: normalizeAxes('min', axes, x.rank), keepDims });
}

/**
 * Mean over `axes` (all by default): the fixed-order sum divided by the count (float32 only). TF.js `tf.mean`.
 * @throws {@link DTypeError} unless x is float32; {@link ArgumentError} for an axis out of range or repeated.
 */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  assertLive('mean', x);
  if (x.dtype !== 'float32') throw new DTypeError(`mean: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
  const ax = normalizeAxes('mean', axes, x.rank);
  const count = ax.reduce((n, a) => n * x.shape[a], 1);
  return tidy(() => div(sum(x, ax, keepDims), count));
}

/** Index of the first maximum along `axis` (default -1, the last), as int32. TF.js `tf.argMax`. Not differentiable. */
export function argmax(x: Tensor, axis = -1): Tensor {
  assertLive('argmax', x);
  return runOp(argmaxOp, [x], { axis: normalizeAxis('argmax', axis, x.rank) });
}

/** Index of the first minimum along `axis` (default -1, the last), as int32. TF.js `tf.argMin`. Not differentiable. */
export function argmin(x: Tensor, axis = -1): Tensor {
  assertLive('argmin', x);
  return runOp(argminOp, [x], { axis: normalizeAxis('argmin', axis, x.rank) });
}
