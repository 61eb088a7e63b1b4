/**
 * The error function erf as a primitive (float32): the engine's own float32 erf (src/core/math/erf.ts,
 * mirrored by dt_erf in shaders/lib/math.wgsl), so every backend gives the same bits. Exact GELU is built on it.
 * Part of src/core.
 */
import { DTypeError } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** The error function elementwise, float32. */
    erf: NoAttrs;
  }
}

/** 2/sqrt(pi) rounded to float32: the gradient's scale. */
const TWO_OVER_SQRT_PI = Math.fround(2 / Math.sqrt(Math.PI));

// erf's gradient: dy * (2/sqrt(pi) * e^(-x^2)), with other ops in this order.
const erfOp = defineOp({
  name: 'erf',
  infer: ([x]) => {
    if (x.dtype !== 'float32') throw new DTypeError(`erf: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
    return { shape: [...x.shape], dtype: 'float32' };
  },
  grad: (dy, { inputs: [x] }, { exp, mul, neg, square }) => [mul(dy, mul(exp(neg(square(x))), TWO_OVER_SQRT_PI))],
});

/**
 * The Gauss error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt` elementwise (float32 only;
 * ditto's own float32 function, at most 1.30 ulp from the exact value, the same bits on every backend). TF.js
 * `tf.erf`, Keras `ops.erf`. erf(±Inf) = ±1, NaN stays NaN. Gradient: `dy * 2/sqrt(pi) * exp(-x^2)`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function erf(x: Tensor): Tensor {
  assertLive('erf', x);
  return runOp(erfOp, [x], {});
}
