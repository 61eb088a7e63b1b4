/**
 * Axis permutation: transpose(x, perm) (default: reverse the axes).
 * Part of src/core.
 */
import { ArgumentError } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

const transposeOp = defineOp({
  name: 'transpose',
  infer: ([x], a) => ({ shape: a.perm.map((p) => x.shape[p]), dtype: x.dtype }),
  grad: (dy, { attrs }) => {
    const inv = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inv[p] = i));
    return [transpose(dy, inv)];
  },
});

/** Permutes axes: output axis i is input axis perm[i]. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  assertLive('transpose', x);
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || !sorted.every((v, i) => v === i)) {
    throw new ArgumentError(`transpose: expected perm to be a permutation of [0..${x.rank - 1}]. Received: perm=${JSON.stringify(perm)}`);
  }
  return runOp(transposeOp, [x], { perm: p });
}
