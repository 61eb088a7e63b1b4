/**
 * The arithmetic of the normalization layers (BatchNormalization, LayerNormalization,
 * GroupNormalization): Keras 3's formulas, written with existing ops, in Keras's operation order.
 *
 *   moments(x, axes):  mean     = sum(x, axes) / n
 *                      variance = sum(square(x - stopGradient(mean)), axes) / n
 *     tf.nn.moments (Keras 3's TensorFlow backend; JAX's jnp.var is the same two-pass formula):
 *     the biased (population) variance around the mean, never E[x^2] - E[x]^2.
 *   normalize:         inv = (1 / sqrt(variance + epsilon)) * gamma
 *                      y   = x * inv + (beta - mean * inv)        (without beta: x * inv - mean * inv)
 *     tf.nn.batch_normalization and keras.ops.batch_normalization; without gamma, inv has no factor.
 *
 * determinism: every mean is the engine's `sum` divided by the count n, so it follows the one summation
 * order of src/core/reduction-order.ts (the chunked tree over the reduced elements in row-major order of
 * the reduced axes, SUM_CHUNK = 256 terms per sequential chunk), the same on every backend and thread
 * count; every other step is one correctly rounded float32 + - * / or sqrt. `1 / sqrt(v)` is two
 * roundings where TensorFlow's rsqrt is one (not correctly rounded there either).
 * BatchNormalization's training with the channels last uses the fused primitives of src/core/ops/batch-norm.ts,
 * which keep exactly these bits (test/ops/batch-norm.test.ts compares them with these functions).
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, noGrad, ops } from '../../core/internal.ts';

/** Mean and variance over `axes` (normalized, in any order), both with keepDims. */
export interface Moments {
  mean: Tensor;
  variance: Tensor;
}

/**
 * Mean and biased variance of `x` over `axes`, kept dims (Keras `ops.moments(x, axes, keepdims=True)`).
 * `stopGradient` (tf.nn.moments) keeps the variance's gradient from flowing through the mean (whose
 * exact contribution is zero); Keras's `ops.var` (tf.math.reduce_variance) does not stop it.
 */
export function moments(x: Tensor, axes: readonly number[], stopGradient = true): Moments {
  const mean = ops.mean(x, axes, true);
  const center = stopGradient ? noGrad(() => ops.clone(mean)) : mean;
  const variance = ops.mean(ops.square(ops.sub(x, center)), axes, true);
  return { mean, variance };
}

/** 1 / sqrt(variance + epsilon): Keras's `ops.rsqrt(variance + epsilon)`. */
export function inverseStd(variance: Tensor, epsilon: number): Tensor {
  return ops.div(1, ops.sqrt(ops.add(variance, epsilon)));
}

/**
 * `x * inv + (beta - mean * inv)` with `inv = inverseStd(variance, epsilon) * gamma`, Keras's
 * batch_normalization; `mean`, `variance`, `gamma`, `beta` broadcast against `x` (undefined gamma or beta:
 * no scale or no offset).
 */
export function normalize(x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | undefined, beta: Tensor | undefined, epsilon: number): Tensor {
  let inv = inverseStd(variance, epsilon);
  if (gamma) inv = ops.mul(inv, gamma);
  const shift = ops.mul(mean, inv);
  const res = beta ? ops.sub(beta, shift) : ops.neg(shift);
  return ops.add(ops.mul(x, inv), res);
}
