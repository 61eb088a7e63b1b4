/**
 * Fused batch normalization over all axes but the last (NHWC-style x viewed as [R, C]: R rows of C
 * channels): the primitives behind BatchNormalization's training step (src/nn/layers/batch-normalization.ts,
 * axis -1). Each is the exact float32 operation sequence written below, the same in the CPU kernels
 * (src/kernels/cpu/batch-norm.ts) and WGSL (shaders/batch-norm.wgsl).
 *
 *   batchNormMoments(x) -> [2, C]:  row 0 mean = S(x) / n, row 1 variance = S((x - mean)^2) / n
 *       (n = R as float32; S the engine's summation tree of src/core/reduction-order.ts over the rows
 *       in order, per channel; (x - mean)^2 is f32(d * d), d = f32(x - mean)): the bits of
 *       normalization-math.ts `moments` (mean(x), mean(square(sub(x, mean)))).
 *   batchNormTrain(x, moments, gamma?, beta?) -> y, per channel
 *       r = 1 / sqrt(var + eps), inv = r * gamma (inv = r without gamma), shift = beta - mean * inv
 *       (-(mean * inv) without beta), y = x * inv + shift: the bits of normalization-math.ts `normalize`.
 *   Its gradient (with `moments` = batchNormMoments(x), which the op's contract requires):
 *   batchNormGradSums(x, dy, moments) -> [2, C]: row 0 S(dy), row 1 S(dy * (x - mean)) (each term
 *       f32(dy * f32(x - mean))), the summation tree over the rows per channel;
 *   batchNormGradInput(x, dy, moments, sums, gamma?) -> dx, per channel
 *       mdy = S(dy) / n, k = (r * r) * (S(dy * (x - mean)) / n), then per element
 *       dx = inv * ((dy - mdy) - (x - mean) * k);
 *   dbeta = S(dy), dgamma = S(dy * (x - mean)) * r (other ops on [C] vectors).
 *   batchNormInfer(x, stats, gamma?, beta?) -> y: batchNormTrain's forward (the same kernel) with given
 *       statistics (the moving mean and variance, constants): the bits of `normalize`; its gradient is
 *       dx = dy * inv (the bits of the composite's), dgamma = S(dy * (x - mean)) * r, dbeta = S(dy), none
 *       for the statistics.
 * Every step is one correctly rounded float32 + - * / or sqrt, in the order the parentheses give.
 * This is the gradient of the function the forward computes, y = gamma * (x - mean) / sqrt(var + eps) + beta
 * with the batch's mean and biased variance: dx = inv * (dy - mean(dy) - (x - mean) * r^2 * mean(dy * (x - mean))).
 * (tf.nn.moments stops the gradient of the mean inside the variance; that path's exact contribution is zero,
 * so the composite's gradient is the same function.) The gradient ops have no gradient of their own.
 * Part of src/core.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { type GradOps, type TensorSpec, defineOp } from './op-def.ts';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** Per-channel mean and biased variance of x over all axes but the last, as [2, C]. */
    batchNormMoments: NoAttrs;
    /** Batch normalization of x with its moments, gamma and beta (optional per `scale` / `center`). */
    batchNormTrain: BatchNormAttrs;
    /** Per-channel S(dy) and S(dy * (x - mean)), as [2, C]. */
    batchNormGradSums: NoAttrs;
    /** dx of batchNormTrain. */
    batchNormGradInput: BatchNormAttrs;
    /** Batch normalization of x with given statistics (inference: the moving mean and variance). */
    batchNormInfer: BatchNormAttrs;
  }
}

/**
 * Attributes of batchNormTrain and batchNormGradInput.
 * @inline
 */
export interface BatchNormAttrs {
  /** Added to the variance before the square root (a float32 value). */
  epsilon: number;
  /** Whether gamma is an input (after moments). */
  scale: boolean;
  /** Whether beta is an input (after gamma, if any). */
  center: boolean;
}

function channels(fn: string, x: TensorSpec): number {
  if (x.dtype !== 'float32') throw new DTypeError(`${fn}: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
  if (x.shape.length < 1) throw new ShapeError(`${fn}: expected x of rank >= 1. Received: x.shape=${fmtShape(x.shape)}`);
  return x.shape[x.shape.length - 1];
}

function expectSpec(fn: string, name: string, t: TensorSpec | undefined, shape: readonly number[]): void {
  if (!t) throw new ShapeError(`${fn}: expected ${name} of shape ${fmtShape(shape)}. Received: no ${name}`);
  if (t.dtype !== 'float32') throw new DTypeError(`${fn}: expected ${name} of dtype float32. Received: ${name}.dtype=${t.dtype}`);
  if (!shapesEqual(t.shape, shape)) throw new ShapeError(`${fn}: expected ${name} of shape ${fmtShape(shape)}. Received: ${name}.shape=${fmtShape(t.shape)}`);
}

function checkParams(fn: string, inputs: readonly TensorSpec[], first: number, a: BatchNormAttrs, c: number, withBeta: boolean): void {
  let i = first;
  if (a.scale) expectSpec(fn, 'gamma', inputs[i++], [c]);
  if (withBeta && a.center) expectSpec(fn, 'beta', inputs[i++], [c]);
  if (inputs.length !== i) throw new ShapeError(`${fn}: expected ${i} inputs. Received: ${inputs.length}`);
}

const momentsOp = defineOp({
  name: 'batchNormMoments',
  infer: ([x]) => ({ shape: [2, channels('batchNormMoments', x)], dtype: 'float32' }),
});

/** The parts of batchNormTrain's gradient; `moments` must be batchNormMoments(x). */
function trainGrad(dy: Tensor, inputs: readonly Tensor[], a: BatchNormAttrs, needs: readonly boolean[], o: GradOps): (Tensor | null)[] {
  const [x, m] = inputs;
  const c = x.shape[x.rank - 1];
  const gamma = a.scale ? inputs[2] : undefined;
  const sums = batchNormGradSums(x, dy, m);
  const row = (t: Tensor, i: number) => o.reshape(o.slice(t, [i, 0], [1, c]), [c]);
  const grads: (Tensor | null)[] = [needs[0] ? batchNormGradInput(x, dy, m, sums, gamma, a.epsilon) : null, null];
  if (a.scale) grads.push(needs[2] ? o.mul(row(sums, 1), o.div(1, o.sqrt(o.add(row(m, 1), a.epsilon)))) : null);
  if (a.center) grads.push(needs[grads.length] ? row(sums, 0) : null);
  return grads;
}

const trainOp = defineOp({
  name: 'batchNormTrain',
  infer: (inputs, a) => {
    const c = channels('batchNormTrain', inputs[0]);
    expectSpec('batchNormTrain', 'moments', inputs[1], [2, c]);
    checkParams('batchNormTrain', inputs, 2, a, c, true);
    return { shape: [...inputs[0].shape], dtype: 'float32' };
  },
  grad: (dy, { inputs, attrs, needs }, o) => trainGrad(dy, inputs, attrs, needs, o),
});

/** The gradient of batchNormInfer: dx = dy * inv; dgamma, dbeta as batchNormTrain's; none for the statistics. */
function inferGrad(dy: Tensor, inputs: readonly Tensor[], a: BatchNormAttrs, needs: readonly boolean[], o: GradOps): (Tensor | null)[] {
  const [x, m] = inputs;
  const c = x.shape[x.rank - 1];
  const gamma = a.scale ? inputs[2] : undefined;
  const row = (t: Tensor, i: number) => o.reshape(o.slice(t, [i, 0], [1, c]), [c]);
  const r = o.div(1, o.sqrt(o.add(row(m, 1), a.epsilon)));
  const grads: (Tensor | null)[] = [needs[0] ? o.mul(dy, gamma ? o.mul(r, gamma) : r) : null, null];
  const wantParams = (a.scale && needs[2]) || (a.center && needs[a.scale ? 3 : 2]);
  const sums = wantParams ? batchNormGradSums(x, dy, m) : null;
  if (a.scale) grads.push(sums && needs[2] ? o.mul(row(sums, 1), r) : null);
  if (a.center) grads.push(sums && needs[grads.length] ? row(sums, 0) : null);
  return grads;
}

const inferOp = defineOp({
  name: 'batchNormInfer',
  infer: (inputs, a) => {
    const c = channels('batchNormInfer', inputs[0]);
    expectSpec('batchNormInfer', 'stats', inputs[1], [2, c]);
    checkParams('batchNormInfer', inputs, 2, a, c, true);
    return { shape: [...inputs[0].shape], dtype: 'float32' };
  },
  grad: (dy, { inputs, attrs, needs }, o) => inferGrad(dy, inputs, attrs, needs, o),
});

const gradSumsOp = defineOp({
  name: 'batchNormGradSums',
  infer: ([x, dy, m]) => {
    const c = channels('batchNormGradSums', x);
    expectSpec('batchNormGradSums', 'dy', dy, x.shape);
    expectSpec('batchNormGradSums', 'moments', m, [2, c]);
    return { shape: [2, c], dtype: 'float32' };
  },
});

const gradInputOp = defineOp({
  name: 'batchNormGradInput',
  infer: (inputs, a) => {
    const [x, dy, m, s] = inputs;
    const c = channels('batchNormGradInput', x);
    expectSpec('batchNormGradInput', 'dy', dy, x.shape);
    expectSpec('batchNormGradInput', 'moments', m, [2, c]);
    expectSpec('batchNormGradInput', 'sums', s, [2, c]);
    checkParams('batchNormGradInput', inputs, 4, a, c, false);
    return { shape: [...x.shape], dtype: 'float32' };
  },
});

/**
 * Per-channel mean and biased variance of float32 x over all axes but the last, as [2, C] (row 0 the
 * mean, row 1 the variance), in the engine's summation order: the bits of `mean(x, axes)` and
 * `mean(square(sub(x, mean)), axes)`. No gradient (batchNormTrain's gradient covers it).
 * @internal
 */
export function batchNormMoments(x: Tensor): Tensor {
  return runOp(momentsOp, [x], {});
}

/**
 * `x * inv + shift` per channel of the last axis, `inv = gamma / sqrt(var + epsilon)`,
 * `shift = beta - mean * inv`, from `moments` = {@link batchNormMoments}(x) (the op's contract: its gradient
 * with respect to x is that of batch normalization with the batch's own statistics; `moments` gets none).
 * gamma, beta: [C] or undefined (no scale / no offset).
 * @internal
 */
export function batchNormTrain(x: Tensor, moments: Tensor, gamma: Tensor | undefined, beta: Tensor | undefined, epsilon: number): Tensor {
  const inputs = [x, moments, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return runOp(trainOp, inputs, { epsilon: Math.fround(epsilon), scale: gamma !== undefined, center: beta !== undefined });
}

/**
 * `x * inv + shift` per channel of the last axis with given statistics `stats` [2, C] (row 0 the mean, row 1
 * the variance; at inference the moving statistics), as {@link batchNormTrain}'s forward: the bits of
 * normalization-math.ts `normalize`. Gradient: dx = dy * inv, dgamma and dbeta; none for `stats`.
 * @internal
 */
export function batchNormInfer(x: Tensor, stats: Tensor, gamma: Tensor | undefined, beta: Tensor | undefined, epsilon: number): Tensor {
  const inputs = [x, stats, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return runOp(inferOp, inputs, { epsilon: Math.fround(epsilon), scale: gamma !== undefined, center: beta !== undefined });
}

/**
 * [2, C]: per channel S(dy) and S(dy * (x - mean)) over all axes but the last (summation tree, rows in order).
 * @internal
 */
export function batchNormGradSums(x: Tensor, dy: Tensor, moments: Tensor): Tensor {
  return runOp(gradSumsOp, [x, dy, moments], {});
}

/**
 * dx of {@link batchNormTrain}: `inv * ((dy - S(dy)/n) - (x - mean) * ((r * r) * (S(dy * (x - mean))/n)))`.
 * @internal
 */
export function batchNormGradInput(x: Tensor, dy: Tensor, moments: Tensor, sums: Tensor, gamma: Tensor | undefined, epsilon: number): Tensor {
  return runOp(gradInputOp, [x, dy, moments, sums, ...(gamma ? [gamma] : [])], { epsilon: Math.fround(epsilon), scale: gamma !== undefined, center: false });
}
