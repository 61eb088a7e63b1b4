/**
 * Fused Adam update ops: each is the exact float32 operation sequence of the composed elementwise
 * ops it replaces (so the bits are those of the composition, on every backend), in one kernel and
 * one pass over memory instead of four or five. Used by src/nn/optimizers/adam.ts:
 *   adamMoment(m, g, c)            = m + (g - m) * c                 (add(m, mul(sub(g, m), c)))
 *   adamVelocity(u, g, c)          = u + (g * g - u) * c             (add(u, mul(sub(square(g), u), c)))
 *   adamStep(v, m, u, alpha, eps)  = v - (m * alpha) / (sqrt(u) + eps)
 * each step rounded to float32; scalars c, alpha, eps are float32 values. No gradient (they update
 * optimizer state). Part of src/core.
 */
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { defineOp, type TensorSpec } from './op-def.ts';

function checkSame(fn: string, names: readonly string[], inputs: readonly TensorSpec[]): { shape: number[]; dtype: 'float32' } {
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float32') throw new DTypeError(`${fn}: expected ${names[i]} of dtype float32. Received: ${names[i]}.dtype=${t.dtype}`);
    if (!shapesEqual(t.shape, inputs[0].shape)) {
      throw new ShapeError(`${fn}: expected ${names.join(', ')} of one shape. Received: ${names[0]}.shape=${fmtShape(inputs[0].shape)}, ${names[i]}.shape=${fmtShape(t.shape)}`);
    }
  });
  return { shape: [...inputs[0].shape], dtype: 'float32' };
}

function checkScalar(fn: string, name: string, v: number): void {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ArgumentError(`${fn}: expected ${name} to be a number. Received: ${name}=${v}`);
}

const adamMomentOp = defineOp({
  name: 'adamMoment',
  infer: (inputs, a) => {
    checkScalar('adamMoment', 'c', a.c);
    return checkSame('adamMoment', ['m', 'g'], inputs);
  },
});

const adamVelocityOp = defineOp({
  name: 'adamVelocity',
  infer: (inputs, a) => {
    checkScalar('adamVelocity', 'c', a.c);
    return checkSame('adamVelocity', ['u', 'g'], inputs);
  },
});

const adamStepOp = defineOp({
  name: 'adamStep',
  infer: (inputs, a) => {
    checkScalar('adamStep', 'alpha', a.alpha);
    checkScalar('adamStep', 'eps', a.eps);
    return checkSame('adamStep', ['v', 'm', 'u'], inputs);
  },
});

/**
 * Adam's first-moment update `m + (g - m) * c` (c = 1 - beta1, rounded to float32), in one kernel: bit for bit
 * `add(m, mul(sub(g, m), c))`. float32, m and g of one shape. No gradient.
 * @throws {@link ditto-ml!DTypeError | DTypeError}, {@link ditto-ml!ShapeError | ShapeError} or
 * {@link ditto-ml!ArgumentError | ArgumentError} for operands that are not float32 of
 * one shape or a c that is not a number.
 */
export function adamMoment(m: Tensor, g: Tensor, c: number): Tensor {
  return runOp(adamMomentOp, [m, g], { c: Math.fround(c) });
}

/**
 * Adam's second-moment update `u + (g * g - u) * c` (c = 1 - beta2, rounded to float32), in one kernel: bit for
 * bit `add(u, mul(sub(square(g), u), c))`. float32, u and g of one shape. No gradient.
 * @throws As {@link adamMoment}.
 */
export function adamVelocity(u: Tensor, g: Tensor, c: number): Tensor {
  return runOp(adamVelocityOp, [u, g], { c: Math.fround(c) });
}

/**
 * Adam's weight update `v - (m * alpha) / (sqrt(u) + eps)`, each step rounded to float32 (alpha and eps too), in
 * one kernel: the bits of the composed ops. float32, v, m and u of one shape. No gradient.
 * @throws As {@link adamMoment}.
 */
export function adamStep(v: Tensor, m: Tensor, u: Tensor, alpha: number, eps: number): Tensor {
  return runOp(adamStepOp, [v, m, u], { alpha: Math.fround(alpha), eps: Math.fround(eps) });
}
