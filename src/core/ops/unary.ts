/**
 * Elementwise unary ops. exp/log/sqrt/sigmoid/tanh are float32 only and use the engine's own
 * float32 functions (src/core/math) so that every backend gives the same bits; sqrt is the
 * correctly rounded IEEE square root. Gradients take the ops of other files from their third
 * argument (GradOps).
 * Part of src/core.
 */
import type { DType } from '../dtype.ts';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { shapesEqual } from '../shape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { type GradFn, defineOp } from './op-def.ts';
import type { NoAttrs } from './op-attrs.ts';
import { isReluMasked } from './relu-mask.ts';

type UnaryName = 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'sqrt' | 'square' | 'relu' | 'sigmoid' | 'tanh';

function unary(name: UnaryName, dtypes: readonly DType[], grad?: GradFn<NoAttrs>, masksOutputGrad?: () => boolean) {
  return defineOp({
    masksOutputGrad,
    name,
    infer: ([x]) => {
      if (!dtypes.includes(x.dtype)) {
        throw new DTypeError(`${name}: expected x of dtype ${dtypes.join(' or ')}. Received: x.dtype=${x.dtype}`);
      }
      return { shape: [...x.shape], dtype: x.dtype };
    },
    grad,
  });
}

const FLOAT: readonly DType[] = ['float32'];
const SIGNED: readonly DType[] = ['float32', 'int32'];

const negOp = unary('neg', SIGNED, (dy) => [neg(dy)]);
const absOp = unary('abs', SIGNED, (dy, { inputs: [x] }, { mul }) => [mul(dy, sign(x))]);
const signOp = unary('sign', SIGNED);
const expOp = unary('exp', FLOAT, (dy, { output: y }, { mul }) => [mul(dy, y)]);
const logOp = unary('log', FLOAT, (dy, { inputs: [x] }, { div }) => [div(dy, x)]);
const sqrtOp = unary('sqrt', FLOAT, (dy, { output: y }, { div, mul }) => [div(dy, mul(y, 2))]);
const squareOp = unary('square', SIGNED, (dy, { inputs: [x] }, { mul }) => [mul(dy, mul(x, 2))]);
// The gradient is the primitive reluGrad: one pass, the bits of where(greater(x, 0), dy, 0); none
// for a dy already masked by y > 0 (a pool gradient folded the mask in: relu-mask.ts).
const reluOp = unary('relu', SIGNED, (dy, { inputs: [x], output: y }, { greater, where }) => [
  x.dtype !== 'float32' ? where(greater(x, 0), dy, 0) : isReluMasked(dy, y) ? dy : reluGrad(dy, x),
], () => true);

/**
 * reluGrad(dy, x) = x > 0 ? dy : +0 elementwise (float32, equal shapes): relu's gradient in one
 * pass, bit for bit where(greater(x, 0), dy, 0) (x NaN or <= 0, -0 included, gives +0; dy passes
 * unchanged, NaN included). x may be relu's input or its output (x > 0 exactly where relu(x) > 0).
 * Its own gradient (second-order): reluGrad(g, x) for dy, none for x (as where's condition).
 */
const reluGradOp = defineOp({
  name: 'reluGrad',
  infer: ([dy, x]) => {
    if (dy.dtype !== 'float32' || x.dtype !== 'float32') {
      throw new DTypeError(`reluGrad: expected dy and x of dtype float32. Received: dy.dtype=${dy.dtype}, x.dtype=${x.dtype}`);
    }
    if (!shapesEqual(dy.shape, x.shape)) {
      throw new ShapeError(`reluGrad: expected dy and x of the same shape. Received: dy.shape=${fmtShape(dy.shape)}, x.shape=${fmtShape(x.shape)}`);
    }
    return { shape: [...x.shape], dtype: 'float32' };
  },
  grad: (g, { inputs: [, x], needs }) => [needs[0] ? reluGrad(g, x) : null, null],
});
const sigmoidOp = unary('sigmoid', FLOAT, (dy, { output: y }, { mul, sub }) => [mul(dy, mul(y, sub(1, y)))]);
const tanhOp = unary('tanh', FLOAT, (dy, { output: y }, { mul, sub }) => [mul(dy, sub(1, mul(y, y)))]);

const clipOp = defineOp({
  name: 'clipByValue',
  infer: ([x], a) => {
    if (!SIGNED.includes(x.dtype)) {
      throw new DTypeError(`clipByValue: expected x of dtype float32 or int32. Received: x.dtype=${x.dtype}`);
    }
    return { shape: [...x.shape], dtype: x.dtype };
  },
  grad: (dy, { inputs: [x], attrs }, { greaterEqual, lessEqual, where }) => [where(greaterEqual(x, attrs.min), where(lessEqual(x, attrs.max), dy, 0), 0)],
});

/**
 * -x elementwise (float32 or int32; int32 wraps, so -(-2^31) is -2^31). TF.js `tf.neg`.
 * @throws {@link DTypeError} for uint8.
 */
export function neg(x: Tensor): Tensor { return runOp(negOp, [x], {}); }
/**
 * |x| elementwise (float32 or int32). TF.js `tf.abs`. Gradient: dy * sign(x).
 * @throws {@link DTypeError} for uint8.
 */
export function abs(x: Tensor): Tensor { return runOp(absOp, [x], {}); }
/**
 * -1, 0 or 1 elementwise (0 for ±0; NaN for NaN); float32 or int32. TF.js `tf.sign`. Not differentiable
 * (no gradient flows through it).
 * @throws {@link DTypeError} for uint8.
 */
export function sign(x: Tensor): Tensor { return runOp(signOp, [x], {}); }
/**
 * e^x elementwise (float32 only). Computed by ditto's own float32 function, written identically in TypeScript
 * and WGSL, so every backend gives the same bits (not the platform's `Math.exp`). TF.js `tf.exp`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function exp(x: Tensor): Tensor { return runOp(expOp, [x], {}); }
/**
 * Natural logarithm elementwise (float32 only; log(0) = -Infinity, log of a negative number = NaN). ditto's own
 * float32 function, the same bits on every backend. TF.js `tf.log`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function log(x: Tensor): Tensor { return runOp(logOp, [x], {}); }
/**
 * Square root elementwise (float32 only), the correctly rounded IEEE result on every backend. TF.js `tf.sqrt`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function sqrt(x: Tensor): Tensor { return runOp(sqrtOp, [x], {}); }
/**
 * x * x elementwise (float32 or int32). TF.js `tf.square`.
 * @throws {@link DTypeError} for uint8.
 */
export function square(x: Tensor): Tensor { return runOp(squareOp, [x], {}); }
/**
 * max(x, 0) elementwise; NaN stays NaN (float32 or int32). TF.js `tf.relu`, Keras `activations.relu`.
 * @throws {@link DTypeError} for uint8.
 */
export function relu(x: Tensor): Tensor { return runOp(reluOp, [x], {}); }
/**
 * relu's gradient in one pass: `x > 0 ? dy : +0` elementwise (float32, dy and x of one shape), bit for bit
 * `where(greater(x, 0), dy, 0)`. x may be relu's input or its output.
 * @throws {@link ditto-ml!DTypeError | DTypeError} unless both are float32; {@link ditto-ml!ShapeError | ShapeError} unless
 * their shapes are equal.
 */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  assertLive('reluGrad', dy);
  assertLive('reluGrad', x);
  return runOp(reluGradOp, [dy, x], {});
}
/**
 * The logistic function 1 / (1 + e^-x) elementwise (float32 only; ditto's own float32 function, the same bits
 * on every backend). TF.js `tf.sigmoid`, Keras `activations.sigmoid`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function sigmoid(x: Tensor): Tensor { return runOp(sigmoidOp, [x], {}); }
/**
 * Hyperbolic tangent elementwise (float32 only; ditto's own float32 function, the same bits on every backend).
 * TF.js `tf.tanh`.
 * @throws {@link DTypeError} unless x is float32.
 */
export function tanh(x: Tensor): Tensor { return runOp(tanhOp, [x], {}); }

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** ELU: `x > 0 ? x : alpha * expm1(x)` elementwise, float32. */
    elu: {
      /** Scale of the negative part (a float32 value). */
      alpha: number;
    };
  }
}

// elu's gradient, from its output y: dy where x > 0, else dy * (y + alpha) (= dy * alpha * e^x up to
// float32 rounding), with other ops.
const eluOp = defineOp({
  name: 'elu',
  infer: ([x], a) => {
    if (x.dtype !== 'float32') throw new DTypeError(`elu: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
    if (typeof a.alpha !== 'number' || !Number.isFinite(a.alpha)) throw new ArgumentError(`elu: expected alpha to be a finite number. Received: alpha=${a.alpha}`);
    return { shape: [...x.shape], dtype: 'float32' };
  },
  grad: (dy, { inputs: [x], output: y, attrs }, { add, greater, mul, where }) => [where(greater(x, 0), dy, mul(dy, add(y, attrs.alpha)))],
});

/**
 * The exponential linear unit, `x > 0 ? x : alpha * expm1(x)` elementwise (float32), with the engine's own
 * float32 expm1 (src/core/math: the same bits on every backend) and one rounding of the product. Keras
 * `activations.elu(x, alpha)`, TF.js `tf.elu` (alpha 1). NaN stays NaN.
 * @param alpha the scale of the negative part (default 1), rounded to float32
 * @throws {@link DTypeError} unless x is float32; {@link ArgumentError} unless alpha is a finite number.
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  assertLive('elu', x);
  return runOp(eluOp, [x], { alpha: Math.fround(alpha) });
}

/**
 * Clamps every element into [min, max] (float32 or int32). TF.js `tf.clipByValue`. The gradient passes where
 * min <= x <= max and is 0 elsewhere.
 * @throws {@link ArgumentError} unless min and max are numbers (not NaN) with min <= max.
 */
export function clipByValue(x: Tensor, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ArgumentError(`clipByValue: expected numbers min <= max. Received: min=${min}, max=${max}`);
  }
  return runOp(clipOp, [x], { min, max });
}
