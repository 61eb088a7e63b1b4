/**
 * Comparisons (broadcasting, uint8 0/1 results) and `where(cond, a, b)`.
 * Any comparison with NaN is false, except notEqual which is true.
 * Part of src/core.
 */
import { DTypeError } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { broadcastShapes } from '../shape.ts';
import { Tensor, type TensorOrNumber, assertLive } from '../tensor.ts';
import { inferBinary, runBinary } from './elementwise.ts';
import { checkValue, scalar } from './creation.ts';
import { defineOp } from './op-def.ts';

function comparison(name: 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual') {
  return defineOp({ name, infer: inferBinary(name, 'uint8') });
}

const equalOp = comparison('equal');
const notEqualOp = comparison('notEqual');
const lessOp = comparison('less');
const lessEqualOp = comparison('lessEqual');
const greaterOp = comparison('greater');
const greaterEqualOp = comparison('greaterEqual');

/**
 * `a == b` elementwise with NumPy broadcasting, as a uint8 tensor of 0 and 1 (TF.js `tf.equal` returns bool).
 * Both operands must have the same dtype; a plain number takes the tensor's dtype. A comparison with NaN is
 * false. Not differentiable.
 * @throws {@link DTypeError} when the dtypes differ; {@link ShapeError} when the shapes do not broadcast.
 */
export function equal(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(equalOp, a, b); }
/**
 * `a != b` elementwise with NumPy broadcasting, as a uint8 tensor of 0 and 1 (TF.js `tf.notEqual` returns bool).
 * Both operands must have the same dtype; a plain number takes the tensor's dtype. A comparison with NaN is
 * true. Not differentiable.
 * @throws {@link DTypeError} when the dtypes differ; {@link ShapeError} when the shapes do not broadcast.
 */
export function notEqual(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(notEqualOp, a, b); }
/**
 * `a < b` elementwise with NumPy broadcasting, as a uint8 tensor of 0 and 1 (TF.js `tf.less` returns bool).
 * Both operands must have the same dtype; a plain number takes the tensor's dtype. A comparison with NaN is
 * false. Not differentiable.
 * @throws {@link DTypeError} when the dtypes differ; {@link ShapeError} when the shapes do not broadcast.
 */
export function less(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(lessOp, a, b); }
/**
 * `a <= b` elementwise with NumPy broadcasting, as a uint8 tensor of 0 and 1 (TF.js `tf.lessEqual` returns bool).
 * Both operands must have the same dtype; a plain number takes the tensor's dtype. A comparison with NaN is
 * false. Not differentiable.
 * @throws {@link DTypeError} when the dtypes differ; {@link ShapeError} when the shapes do not broadcast.
 */
export function lessEqual(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(lessEqualOp, a, b); }
/**
 * `a > b` elementwise with NumPy broadcasting, as a uint8 tensor of 0 and 1 (TF.js `tf.greater` returns bool).
 * Both operands must have the same dtype; a plain number takes the tensor's dtype. A comparison with NaN is
 * false. Not differentiable.
 * @throws {@link DTypeError} when the dtypes differ; {@link ShapeError} when the shapes do not broadcast.
 */
export function greater(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(greaterOp, a, b); }
/**
 * `a >= b` elementwise with NumPy broadcasting, as a uint8 tensor of 0 and 1 (TF.js `tf.greaterEqual` returns bool).
 * Both operands must have the same dtype; a plain number takes the tensor's dtype. A comparison with NaN is
 * false. Not differentiable.
 * @throws {@link DTypeError} when the dtypes differ; {@link ShapeError} when the shapes do not broadcast.
 */
export function greaterEqual(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(greaterEqualOp, a, b); }

const whereOp = defineOp({
  name: 'where',
  infer: ([c, a, b]) => {
    if (c.dtype !== 'uint8' && c.dtype !== 'int32') {
      throw new DTypeError(`where: expected cond of dtype uint8 (a comparison result) or int32. Received: cond.dtype=${c.dtype}`);
    }
    if (a.dtype !== b.dtype) {
      throw new DTypeError(`where: expected a and b to have the same dtype. Received: ${a.dtype} and ${b.dtype}`);
    }
    return { shape: broadcastShapes('where', broadcastShapes('where', c.shape, a.shape), b.shape), dtype: a.dtype };
  },
  // A branch whose gradient is not used (a constant such as dropout's zeros) costs no kernel.
  grad: (dy, { inputs: [c, a, b], needs }, { reduceToShape }) => [
    null,
    needs[1] ? reduceToShape(where(c, dy, 0), a.shape) : null,
    needs[2] ? reduceToShape(where(c, 0, dy), b.shape) : null,
  ],
});

/**
 * Elementwise `cond ? a : b` with NumPy broadcasting of all three; cond (uint8, e.g. a comparison result, or int32)
 * nonzero means true. a and b must have the same dtype (a plain number takes the other's dtype, float32 if both
 * are numbers). TF.js `tf.where`. The gradient flows to a where cond is true and to b where it is false.
 * @throws {@link DTypeError} for a cond that is not uint8 or int32, or a and b of different dtypes.
 */
export function where(cond: Tensor, a: TensorOrNumber, b: TensorOrNumber): Tensor {
  assertLive('where', cond);
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  if (!(a instanceof Tensor)) checkValue('where', a, dtype);
  if (!(b instanceof Tensor)) checkValue('where', b, dtype);
  const ta = a instanceof Tensor ? a : scalar(a, dtype);
  const tb = b instanceof Tensor ? b : scalar(b, dtype);
  try {
    return runOp(whereOp, [cond, ta, tb], {});
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}
