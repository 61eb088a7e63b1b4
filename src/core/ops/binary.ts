/**
 * Elementwise binary arithmetic with NumPy broadcasting: add, sub, mul, div, maximum, minimum.
 * Both operands must have the same dtype; a plain number becomes a scalar of the tensor's dtype.
 * Integer add/sub/mul wrap modulo 2^32 (int32) or 2^8 (uint8); integer div is floor division
 * (x / 0 gives 0). Float ops are IEEE float32, correctly rounded.
 * Part of src/core.
 */
import type { Tensor, TensorOrNumber } from '../tensor.ts';
import { inferBinary, runBinary } from './elementwise.ts';
import { type GradFn, defineOp } from './op-def.ts';
import type { NoAttrs } from './op-attrs.ts';

function binary(name: 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum', grad: GradFn<NoAttrs>) {
  return defineOp({ name, infer: inferBinary(name), grad });
}

// Each gradient is computed only where the input's gradient is used (needs): a constant operand
// (a scalar factor, a bias of zeros) costs no kernel. Ops of other files come from the gradient's
// third argument (GradOps).
const addOp = binary('add', (dy, { inputs: [a, b], needs }, { reduceToShape }) => [
  needs[0] ? reduceToShape(dy, a.shape) : null,
  needs[1] ? reduceToShape(dy, b.shape) : null,
]);
const subOp = binary('sub', (dy, { inputs: [a, b], needs }, { neg, reduceToShape }) => [
  needs[0] ? reduceToShape(dy, a.shape) : null,
  needs[1] ? reduceToShape(neg(dy), b.shape) : null,
]);
const mulOp = binary('mul', (dy, { inputs: [a, b], needs }, { reduceToShape }) => [
  needs[0] ? reduceToShape(mul(dy, b), a.shape) : null,
  needs[1] ? reduceToShape(mul(dy, a), b.shape) : null,
]);
const divOp = binary('div', (dy, { inputs: [a, b], needs }, { neg, reduceToShape, square }) => [
  needs[0] ? reduceToShape(div(dy, b), a.shape) : null,
  needs[1] ? reduceToShape(neg(div(mul(dy, a), square(b))), b.shape) : null,
]);
// Ties send the gradient to the first operand (a >= b), as TensorFlow.js does.
const maximumOp = binary('maximum', (dy, { inputs: [a, b], needs }, { greaterEqual, less, reduceToShape, where }) => [
  needs[0] ? reduceToShape(where(greaterEqual(a, b), dy, 0), a.shape) : null,
  needs[1] ? reduceToShape(where(less(a, b), dy, 0), b.shape) : null,
]);
const minimumOp = binary('minimum', (dy, { inputs: [a, b], needs }, { greater, lessEqual, reduceToShape, where }) => [
  needs[0] ? reduceToShape(where(lessEqual(a, b), dy, 0), a.shape) : null,
  needs[1] ? reduceToShape(where(greater(a, b), dy, 0), b.shape) : null,
]);

/** a + b */
export function add(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(addOp, a, b); }
/** a - b */
export function sub(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(subOp, a, b); }
/** a * b */
export function mul(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(mulOp, a, b); }
/** a / b (floor division for integer dtypes) */
export function div(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(divOp, a, b); }
/** Elementwise max; NaN if either is NaN (float32). */
export function maximum(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(maximumOp, a, b); }
/** Elementwise min; NaN if either is NaN (float32). */
export function minimum(a: TensorOrNumber, b: TensorOrNumber): Tensor { return runBinary(minimumOp, a, b); }
