/**
 * softmax and logSoftmax along an axis, composed from primitives with a max shift:
 *   softmax(x)    = e / S(e),  e = exp(x - max(x))
 *   logSoftmax(x) = (x - max(x)) - log(S(exp(x - max(x))))
 * The max is a constant for differentiation (both functions are shift-invariant), so gradients
 * come from composing the exp/sum/div/log gradients only.
 * Part of src/core.
 */
import { DTypeError } from '../errors.ts';
import { normalizeAxis } from '../shape.ts';
import { noGrad } from '../tape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { tidy } from '../tidy.ts';
import { div, sub } from './binary.ts';
import { clone } from './creation.ts';
import { max, sum } from './reduce.ts';
import { exp, log } from './unary.ts';

function check(fn: string, x: Tensor, axis: number): number {
  assertLive(fn, x);
  if (x.dtype !== 'float32') throw new DTypeError(`${fn}: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
  return normalizeAxis(fn, axis, x.rank);
}

/** Softmax along `axis` (default last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  const ax = check('softmax', x, axis);
  if (x.size === 0) return clone(x); // no element, nothing to normalize (TensorFlow returns the empty tensor)
  return tidy(() => {
    const e = exp(sub(x, noGrad(() => max(x, ax, true))));
    return div(e, sum(e, ax, true));
  });
}

/** log(softmax(x)) computed stably along `axis` (default last). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const ax = check('logSoftmax', x, axis);
  if (x.size === 0) return clone(x);
  return tidy(() => {
    const shifted = sub(x, noGrad(() => max(x, ax, true)));
    return sub(shifted, log(sum(exp(shifted), ax, true)));
  });
}
