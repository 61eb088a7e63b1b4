/**
 * softplus as a primitive (float32): the engine's own float32 softplus (src/core/math/softplus.ts, mirrored by
 * dt_softplus in shaders/lib/math.wgsl), the same bits on every backend. A primitive rather than the composite
 * log(1 + exp(x)), which overflows to Infinity above x = 88.7 and rounds to 0 below x = -17 (where softplus is
 * e^x); softplus32 never overflows and keeps those tails (at most 1.21 ulp).
 * Part of src/core.
 */
import { DTypeError } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** softplus log(1 + e^x) elementwise, float32. */
    softplus: NoAttrs;
  }
}

// softplus's gradient: dy * sigmoid(x).
const softplusOp = defineOp({
  name: 'softplus',
  infer: ([x]) => {
    if (x.dtype !== 'float32') throw new DTypeError(`softplus: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
    return { shape: [...x.shape], dtype: 'float32' };
  },
  grad: (dy, { inputs: [x] }, { mul, sigmoid }) => [mul(dy, sigmoid(x))],
});

/**
 * softplus `log(1 + e^x)` elementwise (float32 only; ditto's own float32 function, computed as
 * `max(x, 0) + log1p(e^-|x|)` so it never overflows, the same bits on every backend). TF.js `tf.softplus`, Keras
 * `activations.softplus`. softplus(-Inf) = 0, softplus(+Inf) = +Inf, NaN stays NaN. Gradient: `dy * sigmoid(x)`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function softplus(x: Tensor): Tensor {
  assertLive('softplus', x);
  return runOp(softplusOp, [x], {});
}
