/**
 * The Keras 3 activation functions (`dt.activations`), each a composite of the engine's primitives written in
 * Keras's own order of operations (keras/src/activations and the backend formulas it calls), so the composite is
 * the definition and every backend gives the same bits. Constants are rounded to float32 as Keras casts them.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, assertLive, checkOptions, ops, tidy } from '../core/internal.ts';

/** Options of {@link relu}, Keras 3 `activations.relu(x, negative_slope, max_value, threshold)`. */
export interface ReluOptions {
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Upper saturation value (default null: none). */
  maxValue?: number | null;
  /** Values below it are damped or zeroed (default 0). */
  threshold?: number;
}

function finite(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${fn}: expected ${name} to be a finite number. Received: ${name}=${String(v)}`);
  return v;
}

function axisOf(fn: string, x: Tensor, axis: unknown): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new ArgumentError(`${fn}: expected an integer axis in [${-x.rank}, ${x.rank - 1}] for input of rank ${x.rank}. Received: axis=${String(axis)}`);
  }
  return axis;
}

/**
 * The rectified linear unit with Keras 3's options: `max(x, 0)` by default; with `threshold` t the values at or
 * below t become 0 (`x * (x > t)`), then `maxValue` clips from above (to [0, maxValue]), then `negativeSlope` s
 * subtracts `s * relu(t - x)`. Keras `activations.relu`, the same composite in the same order (a nonzero slope
 * with neither maxValue nor threshold is {@link leakyRelu}; maxValue 6 without threshold is {@link relu6}).
 * As in Keras, with a threshold `-Infinity` gives NaN (`-Inf * 0`).
 * @throws {@link ArgumentError} for unknown options or options that are not finite numbers.
 */
export function relu(x: Tensor, options: ReluOptions = {}): Tensor {
  checkOptions('relu', options, ['negativeSlope', 'maxValue', 'threshold']);
  const negativeSlope = finite('relu', 'negativeSlope', options.negativeSlope ?? 0);
  const maxValue = options.maxValue ?? null;
  if (maxValue !== null) finite('relu', 'maxValue', maxValue);
  const threshold = finite('relu', 'threshold', options.threshold ?? 0);
  assertLive('relu', x);
  if (negativeSlope !== 0 && maxValue === null && threshold === 0) return leakyRelu(x, negativeSlope);
  return tidy(() => {
    const negativePart = negativeSlope === 0 ? null : ops.relu(threshold !== 0 ? ops.add(ops.neg(x), threshold) : ops.neg(x));
    let clipMax = maxValue !== null;
    let y: Tensor;
    if (threshold !== 0) y = ops.mul(x, ops.cast(ops.greater(x, threshold), 'float32'));
    else if (maxValue === 6) {
      y = relu6(x);
      clipMax = false;
    } else y = ops.relu(x);
    if (clipMax) y = ops.clipByValue(y, 0, maxValue!);
    if (negativePart) y = ops.sub(y, ops.mul(negativeSlope, negativePart));
    return y;
  });
}

/** `min(max(x, 0), 6)` (as `minimum(relu(x), 6)`), Keras `activations.relu6`. */
export function relu6(x: Tensor): Tensor {
  return tidy(() => ops.minimum(ops.relu(x), 6));
}

/**
 * `x > 0 ? x : negativeSlope * x`, Keras `activations.leaky_relu` (default slope 0.2).
 * @throws {@link ArgumentError} unless negativeSlope is a finite number.
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.2): Tensor {
  finite('leakyRelu', 'negativeSlope', negativeSlope);
  return tidy(() => ops.where(ops.greater(x, 0), x, ops.mul(x, negativeSlope)));
}

/**
 * The exponential linear unit `x > 0 ? x : alpha * expm1(x)` (the engine's `elu` primitive), Keras `activations.elu`.
 * @throws {@link ArgumentError} unless alpha is a finite number.
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return ops.elu(x, finite('elu', 'alpha', alpha));
}

/** Keras's SELU constants (keras/src/activations/activations.py). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** Keras's SELU scale. */
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** The scaled exponential linear unit `scale * elu(x, alpha)` with Keras's constants, Keras `activations.selu`. */
export function selu(x: Tensor): Tensor {
  return tidy(() => ops.mul(ops.elu(x, SELU_ALPHA), SELU_SCALE));
}

/**
 * The Gaussian error linear unit, Keras `activations.gelu(x, approximate)` with TensorFlow's formulas: exact
 * `0.5 * x * (1 + erf(x / sqrt(2)))` (the engine's `erf` primitive), or with `approximate`
 * `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))`.
 */
export function gelu(x: Tensor, approximate = false): Tensor {
  if (typeof approximate !== 'boolean') throw new ArgumentError(`gelu: expected approximate to be a boolean. Received: approximate=${String(approximate)}`);
  return tidy(() => {
    const half = ops.mul(0.5, x);
    if (!approximate) return ops.mul(half, ops.add(1, ops.erf(ops.div(x, Math.SQRT2))));
    const cube = ops.mul(ops.mul(x, x), x);
    const inner = ops.mul(0.7978845608028654, ops.add(x, ops.mul(0.044715, cube)));
    return ops.mul(half, ops.add(1, ops.tanh(inner)));
  });
}

/** `x * sigmoid(x)`, Keras `activations.silu` (also named swish). */
export function silu(x: Tensor): Tensor {
  return tidy(() => ops.mul(x, ops.sigmoid(x)));
}

/** The same function as {@link silu}, Keras `activations.swish`. */
export const swish = silu;

/** `log(1 + e^x)` (the engine's `softplus` primitive: never overflows), Keras `activations.softplus`. */
export function softplus(x: Tensor): Tensor {
  return ops.softplus(x);
}

/** `x / (|x| + 1)`, Keras `activations.softsign`. */
export function softsign(x: Tensor): Tensor {
  return tidy(() => ops.div(x, ops.add(ops.abs(x), 1)));
}

/** Keras 3's hard sigmoid `relu6(x + 3) / 6`: 0 below -3, 1 above 3, `x / 6 + 0.5` between. Keras `activations.hard_sigmoid`. */
export function hardSigmoid(x: Tensor): Tensor {
  return tidy(() => ops.div(relu6(ops.add(x, 3)), 6));
}

/** `x * hardSigmoid(x)`, Keras `activations.hard_silu` (also named hard_swish). */
export function hardSilu(x: Tensor): Tensor {
  return tidy(() => ops.mul(x, hardSigmoid(x)));
}

/** The same function as {@link hardSilu}, Keras `activations.hard_swish`. */
export const hardSwish = hardSilu;

/** `x * tanh(softplus(x))`, Keras `activations.mish`. */
export function mish(x: Tensor): Tensor {
  return tidy(() => ops.mul(x, ops.tanh(ops.softplus(x))));
}

/**
 * The softmax along `axis` (default the last; any axis), Keras `activations.softmax`: `exp(x - max) / sum(exp(x - max))`.
 * @throws {@link ArgumentError} for an axis outside [-rank, rank).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  assertLive('softmax', x);
  return ops.softmax(x, axisOf('softmax', x, axis));
}

/**
 * The log of the softmax along `axis` (default the last): `x - max - log(sum(exp(x - max)))`, Keras
 * `activations.log_softmax`.
 * @throws {@link ArgumentError} for an axis outside [-rank, rank).
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  assertLive('logSoftmax', x);
  return ops.logSoftmax(x, axisOf('logSoftmax', x, axis));
}

/** `e^x`, Keras `activations.exponential`. */
export function exponential(x: Tensor): Tensor {
  return ops.exp(x);
}

/** `1 / (1 + e^-x)`, Keras `activations.sigmoid`. */
export function sigmoid(x: Tensor): Tensor {
  return ops.sigmoid(x);
}

/** The hyperbolic tangent, Keras `activations.tanh`. */
export function tanh(x: Tensor): Tensor {
  return ops.tanh(x);
}

/** The identity (returns x itself), Keras `activations.linear`. */
export function linear(x: Tensor): Tensor {
  assertLive('linear', x);
  return x;
}
