/**
 * Keras 3's loss functions (keras/src/losses/losses.py, the JAX backend's nn.py for the crossentropies), each
 * returning the unreduced per-sample losses (the mean or sum over `axis`, default the last), written with the
 * operations of Keras's formula in Keras's order (quoted at each function), every op a float32 rounding. A
 * reduction over an axis follows the engine's summation order (src/core/reduction-order.ts; mean = that sum
 * divided by the count). yTrue is cast to float32 and squeezed or expanded to yPred's rank as Keras's
 * `LossFunctionWrapper` does; the shapes must then be equal (ditto does not broadcast yTrue against yPred).
 * softplus / log-sigmoid are composed from the engine's float32 exp and log (see {@link softplus}).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DTypeError, ShapeError, type Tensor, assertLive, fmtShape, ops } from '../core/internal.ts';
import { squeezeOrExpand } from './loss-reduction.ts';

/** Keras's `backend.epsilon()`. */
const EPS = 1e-7;
const f32 = Math.fround;

/**
 * softplus(x) = max(x, 0) + log1p(exp(-|x|)) (JAX's `logaddexp(x, 0)`), with log1p(t) for t = exp(-|x|) in (0, 1]
 * computed as Kahan's `u = 1 + t; u == 1 ? t : log(u) * (t / (u - 1))` from the engine's float32 log: a few ulps
 * from the true value (ditto has no softplus op yet). The gradient is exact except at x = 0, where it is 0 (abs's).
 */
export function softplus(x: Tensor): Tensor {
  const t = ops.exp(ops.neg(ops.abs(x)));
  const u = ops.add(t, 1);
  const one = ops.equal(u, 1);
  // The denominator is kept finite where u == 1 so that the unused branch's gradient is not NaN.
  const d = ops.where(one, 1, ops.sub(u, 1));
  const log1p = ops.where(one, t, ops.mul(ops.log(u), ops.div(t, d)));
  return ops.add(ops.relu(x), log1p);
}

/** log(sigmoid(x)) = -softplus(-x) (JAX's `log_sigmoid`). */
export function logSigmoid(x: Tensor): Tensor {
  return ops.neg(softplus(ops.neg(x)));
}

/** yTrue as float32 and squeezed/expanded to yPred's rank; checks yPred is float32 and the shapes then agree. */
export function prepare(fn: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  assertLive(fn, yTrue);
  assertLive(fn, yPred);
  if (yPred.dtype !== 'float32') throw new DTypeError(`${fn}: expected yPred of dtype float32. Received: yPred.dtype=${yPred.dtype}`);
  const t0 = yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32');
  const [t, p] = squeezeOrExpand(t0, yPred);
  if (t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new ShapeError(`${fn}: expected yTrue and yPred of the same shape. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
  }
  if (p.rank === 0) throw new ShapeError(`${fn}: expected yPred of rank >= 1. Received: yPred.shape=()`);
  return [t, p];
}

/** Checks an axis option against a rank; returns it normalised to [0, rank). */
export function checkAxis(fn: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw new ArgumentError(`${fn}: expected axis an integer in [${-rank}, ${rank}). Received: axis=${axis}`);
  return axis < 0 ? axis + rank : axis;
}

/** Options of the crossentropies with Keras's `from_logits`, `label_smoothing` and `axis`. */
export interface CrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Label smoothing in [0, 1] (default 0). */
  labelSmoothing?: number;
  /** The class (or mean) axis (default -1). */
  axis?: number;
}

/**
 * Keras `binary_crossentropy`: with label smoothing ls, `yTrue = yTrue * (1 - ls) + 0.5 * ls`; then (JAX backend)
 * probabilities: `o = clip(yPred, 1e-7, 1 - 1e-7); bce = yTrue * log(o); bce += (1 - yTrue) * log(1 - o); -bce`;
 * logits: `-1 * yTrue * logSigmoid(yPred) - (1 - yTrue) * logSigmoid(-yPred)`; the mean over `axis`.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const fn = 'binary_crossentropy';
  const [t0, p] = prepare(fn, yTrue, yPred);
  const axis = checkAxis(fn, options.axis ?? -1, p.rank);
  const t = smoothBinary(t0, options.labelSmoothing ?? 0);
  return ops.mean(bceElements(t, p, !!options.fromLogits), axis);
}

function smoothBinary(t: Tensor, ls: number): Tensor {
  return ls ? ops.add(ops.mul(t, 1 - ls), 0.5 * ls) : t;
}

function bceElements(t: Tensor, p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) {
    return ops.sub(ops.mul(ops.mul(t, -1), logSigmoid(p)), ops.mul(ops.sub(1, t), logSigmoid(ops.neg(p))));
  }
  const o = ops.clipByValue(p, EPS, 1 - EPS);
  const bce = ops.add(ops.mul(t, ops.log(o)), ops.mul(ops.sub(1, t), ops.log(ops.sub(1, o))));
  return ops.neg(bce);
}

/** Options of {@link binaryFocalCrossentropy} (Keras's arguments, camelCase). */
export interface FocalOptions extends CrossentropyOptions {
  /** Whether to weight by alpha / (1 - alpha) (default false). */
  applyClassBalancing?: boolean;
  /** The class-balancing weight of the positives (default 0.25). */
  alpha?: number;
  /** The focusing exponent (default 2). */
  gamma?: number;
}

/** x^gamma: repeated float32 products for a whole gamma in [0, 16] (x*x for 2), else exp(gamma * log x) (0 at x = 0). */
function power(x: Tensor, gamma: number): Tensor {
  if (Number.isInteger(gamma) && gamma >= 0 && gamma <= 16) {
    if (gamma === 0) return ops.onesLike(x);
    let y = x;
    for (let i = 1; i < gamma; i++) y = ops.mul(y, x);
    return y;
  }
  const pos = ops.greater(x, 0);
  return ops.where(pos, ops.exp(ops.mul(ops.log(ops.where(pos, x, 1)), gamma)), 0);
}

/**
 * Keras `binary_focal_crossentropy`: label smoothing as {@link binaryCrossentropy}; `yPred = sigmoid(yPred)` with
 * fromLogits; `bce` = the probability form of binary crossentropy; `p_t = yTrue * yPred + (1 - yTrue) * (1 - yPred)`;
 * `focal = (1 - p_t)^gamma * bce`; with class balancing `(yTrue * alpha + (1 - yTrue) * (1 - alpha)) * focal`; the
 * mean over `axis`.
 */
export function binaryFocalCrossentropy(yTrue: Tensor, yPred: Tensor, options: FocalOptions = {}): Tensor {
  const fn = 'binary_focal_crossentropy';
  const [t0, p0] = prepare(fn, yTrue, yPred);
  const axis = checkAxis(fn, options.axis ?? -1, p0.rank);
  const t = smoothBinary(t0, options.labelSmoothing ?? 0);
  const p = options.fromLogits ? ops.sigmoid(p0) : p0;
  const bce = bceElements(t, p, false);
  const pt = ops.add(ops.mul(t, p), ops.mul(ops.sub(1, t), ops.sub(1, p)));
  let focal = ops.mul(power(ops.sub(1, pt), options.gamma ?? 2), bce);
  if (options.applyClassBalancing) {
    const alpha = options.alpha ?? 0.25;
    const w = ops.add(ops.mul(t, alpha), ops.mul(ops.sub(1, t), 1 - alpha));
    focal = ops.mul(w, focal);
  }
  return ops.mean(focal, axis);
}

/** log-probabilities along `axis`: log-softmax for logits, else `log(clip(p / sum p, 1e-7, 1 - 1e-7))` (JAX backend). */
export function clippedLogProbs(yPred: Tensor, fromLogits: boolean, axis = -1): Tensor {
  if (fromLogits) return ops.logSoftmax(yPred, axis);
  const p = ops.div(yPred, ops.sum(yPred, axis, true));
  return ops.log(ops.clipByValue(p, EPS, 1 - EPS));
}

/**
 * Keras `categorical_crossentropy`: with label smoothing ls, `yTrue = yTrue * (1 - ls) + ls / C` (ls / C a float32
 * division); then `-sum(yTrue * logProbs, axis)` with logProbs = log-softmax (fromLogits) or `log(clip(yPred / sum(yPred), 1e-7, 1 - 1e-7))`.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const fn = 'categorical_crossentropy';
  assertLive(fn, yTrue);
  assertLive(fn, yPred);
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${fn}: expected yTrue and yPred of the same shape. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
  }
  if (yPred.dtype !== 'float32') throw new DTypeError(`${fn}: expected yPred of dtype float32. Received: yPred.dtype=${yPred.dtype}`);
  if (yPred.rank === 0) throw new ShapeError(`${fn}: expected yPred of rank >= 1. Received: yPred.shape=()`);
  const axis = checkAxis(fn, options.axis ?? -1, yPred.rank);
  let t = yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32');
  const ls = options.labelSmoothing ?? 0;
  if (ls) t = ops.add(ops.mul(t, 1 - ls), f32(f32(ls) / yPred.shape[axis]));
  return ops.neg(ops.sum(ops.mul(t, clippedLogProbs(yPred, !!options.fromLogits, axis)), axis));
}

/** Keras `mean_squared_error`: `mean(square(yTrue - yPred), -1)`. */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('mean_squared_error', yTrue, yPred);
  return ops.mean(ops.square(ops.sub(t, p)), -1);
}

/** Keras `mean_absolute_error`: `mean(abs(yTrue - yPred), -1)`. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('mean_absolute_error', yTrue, yPred);
  return ops.mean(ops.abs(ops.sub(t, p)), -1);
}

/** Keras `mean_absolute_percentage_error`: `100 * mean(abs((yTrue - yPred) / maximum(abs(yTrue), 1e-7)), -1)`. */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('mean_absolute_percentage_error', yTrue, yPred);
  const diff = ops.abs(ops.div(ops.sub(t, p), ops.maximum(ops.abs(t), EPS)));
  return ops.mul(ops.mean(diff, -1), 100);
}

/**
 * Keras `mean_squared_logarithmic_error`: `a = log(maximum(yPred, 1e-7) + 1); b = log(maximum(yTrue, 1e-7) + 1);
 * mean(square(a - b), -1)`.
 */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('mean_squared_logarithmic_error', yTrue, yPred);
  const a = ops.log(ops.add(ops.maximum(p, EPS), 1));
  const b = ops.log(ops.add(ops.maximum(t, EPS), 1));
  return ops.mean(ops.square(ops.sub(a, b)), -1);
}

/**
 * Keras `huber`: `e = yPred - yTrue; a = abs(e); mean(where(a <= delta, 0.5 * square(e), delta * a - 0.5 * square(delta)), -1)`
 * (0.5 * square(delta) rounded in float32 as Keras's tensor ops do).
 */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  const fn = 'huber';
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta < 0) throw new ArgumentError(`${fn}: expected delta a finite number >= 0. Received: delta=${delta}`);
  const [t, p] = prepare(fn, yTrue, yPred);
  const d = f32(delta);
  const e = ops.sub(p, t);
  const a = ops.abs(e);
  const half = ops.mul(ops.square(e), 0.5);
  const lin = ops.sub(ops.mul(a, d), f32(0.5 * f32(d * d)));
  return ops.mean(ops.where(ops.lessEqual(a, d), half, lin), -1);
}

/** Keras `log_cosh`: `x = yPred - yTrue; mean(x + softplus(x * -2) - log(2), -1)`. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('log_cosh', yTrue, yPred);
  const x = ops.sub(p, t);
  return ops.mean(ops.sub(ops.add(x, softplus(ops.mul(x, -2))), f32(Math.LN2)), -1);
}

/** Keras `kl_divergence`: `t = clip(yTrue, 1e-7, 1); p = clip(yPred, 1e-7, 1); sum(t * log(t / p), -1)`. */
export function klDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t0, p0] = prepare('kl_divergence', yTrue, yPred);
  const t = ops.clipByValue(t0, EPS, 1);
  const p = ops.clipByValue(p0, EPS, 1);
  return ops.sum(ops.mul(t, ops.log(ops.div(t, p))), -1);
}

/** Keras `poisson`: `mean(yPred - yTrue * log(yPred + 1e-7), -1)`. */
export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('poisson', yTrue, yPred);
  return ops.mean(ops.sub(p, ops.mul(t, ops.log(ops.add(p, EPS)))), -1);
}

/** Keras `ops.normalize(x, axis)` (order 2): `x * minimum(rsqrt(sum(square(x), axis, keepdims)), 1 / 1e-7)`, rsqrt as 1 / sqrt. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const s = ops.sum(ops.square(x), axis, true);
  return ops.mul(x, ops.minimum(ops.div(1, ops.sqrt(s)), 1 / EPS));
}

/** Keras `cosine_similarity`: `-sum(normalize(yTrue, axis) * normalize(yPred, axis), axis)`. */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor, axis = -1): Tensor {
  const fn = 'cosine_similarity';
  const [t, p] = prepare(fn, yTrue, yPred);
  const ax = checkAxis(fn, axis, p.rank);
  const pn = l2Normalize(p, ax);
  const tn = l2Normalize(t, ax);
  return ops.neg(ops.sum(ops.mul(tn, pn), ax));
}

/** Keras `convert_binary_labels_to_hinge`: `2 * yTrue - 1` when every label is 0 or 1, else yTrue (decided on the device). */
function hingeLabels(t: Tensor): Tensor {
  const isBin = ops.add(ops.cast(ops.equal(t, 0), 'float32'), ops.cast(ops.equal(t, 1), 'float32'));
  const all = t.size === 0 ? ops.scalar(1) : ops.min(isBin);
  return ops.where(ops.greater(all, 0), ops.sub(ops.mul(t, 2), 1), t);
}

/** Keras `hinge`: 0/1 labels become -1/1 (when every label is 0 or 1); `mean(maximum(1 - yTrue * yPred, 0), -1)`. */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t0, p] = prepare('hinge', yTrue, yPred);
  const t = hingeLabels(t0);
  return ops.mean(ops.maximum(ops.sub(1, ops.mul(t, p)), 0), -1);
}

/** Keras `squared_hinge`: `mean(square(maximum(1 - yTrue * yPred, 0)), -1)`, labels converted as {@link hinge}. */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t0, p] = prepare('squared_hinge', yTrue, yPred);
  const t = hingeLabels(t0);
  return ops.mean(ops.square(ops.maximum(ops.sub(1, ops.mul(t, p)), 0)), -1);
}

/** Keras `categorical_hinge`: `pos = sum(yTrue * yPred, -1); neg = max((1 - yTrue) * yPred, -1); maximum(neg - pos + 1, 0)`. */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = prepare('categorical_hinge', yTrue, yPred);
  const pos = ops.sum(ops.mul(t, p), -1);
  const neg = ops.max(ops.mul(ops.sub(1, t), p), -1);
  return ops.maximum(ops.add(ops.sub(neg, pos), 1), 0);
}
