/**
 * Reverse-mode automatic differentiation over the engine's tape: grad, valueAndGrad and
 * variableGrads (what the training loop uses). Gradients are composed from forward ops, so they
 * run on any backend; their order of evaluation is fixed (reverse recording order).
 * Part of src/core.
 */
import { ArgumentError, DTypeError, ShapeError, fmtShape } from './errors.ts';
import * as ops from './ops/index.ts';
import { withGradientScope } from './debug/scope.ts';
import { backprop, popTape, pushTape, releaseTape } from './tape.ts';
import { peekNextId } from './tensor-bookkeeping.ts';
import { Tensor, type Variable, assertLive } from './tensor.ts';
import { tidy } from './tidy.ts';

/** What {@link valueAndGrad} and {@link variableGrads} return. The caller owns (and disposes) all of it. */
export interface ValueAndGrads {
  /** The function's value: a float32 scalar. */
  value: Tensor;
  /** One gradient per argument (or variable), in order, each with that argument's shape. */
  grads: Tensor[];
}

function differentiate(fn: string, f: () => unknown, sources: readonly Tensor[]): ValueAndGrads {
  for (const s of sources) {
    assertLive(fn, s);
    if (s.dtype !== 'float32') throw new DTypeError(`${fn}: expected float32 tensors to differentiate with respect to. Received: dtype=${s.dtype}`);
  }
  const tape = pushTape(sources);
  const firstId = peekNextId();
  try {
    let value: unknown;
    try {
      value = tidy(() => {
        const v = f();
        // The caller owns the value: never hand back (and later dispose) a tensor that existed before.
        return v instanceof Tensor && v.id < firstId ? ops.clone(v) : v;
      });
    } finally {
      popTape(tape);
    }
    if (!(value instanceof Tensor)) {
      throw new ArgumentError(`${fn}: expected f to return a Tensor. Received: ${value === null ? 'null' : typeof value}`);
    }
    if (value.size !== 1 || value.dtype !== 'float32') {
      value.dispose();
      throw new ShapeError(`${fn}: expected f to return a float32 scalar (one element). Received: shape=${fmtShape(value.shape)}, dtype=${value.dtype}`);
    }
    const out = value;
    // Op traces record the seed (ones) as a gradient of the op that produced the value, under its scope.
    const last = tape.nodes.at(-1);
    const seed = (): Tensor => ops.ones(out.shape);
    const grads = tidy(() => {
      const dy = last?.scope !== undefined && last.output.id === out.id ? withGradientScope(last.scope, 'seed', seed) : seed();
      return backprop(tape, out, dy, sources, ops);
    });
    return { value: out, grads };
  } finally {
    // Also when f throws: the storage the tape kept alive is released.
    releaseTape(tape);
  }
}

/**
 * `grad(f)(...xs)` returns df/dx for every tensor argument, in order (TF.js `tf.grads`). f must return a float32
 * scalar (a tensor of one element); the arguments must be float32. Tensors f creates are disposed; the gradients
 * belong to the caller.
 *
 * @example
 * ```ts
 * const loss = (x: dt.Tensor, w: dt.Tensor) => dt.sum(dt.square(dt.matmul(x, w)));
 * const [dx, dw] = dt.grad(loss)(x, w);
 * ```
 * @throws {@link DTypeError} for an argument that is not float32; {@link ShapeError} when f's value is not a
 * float32 scalar; {@link ArgumentError} when f does not return a tensor.
 */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  return (...xs) => {
    const { value, grads } = differentiate('grad', () => f(...xs), xs);
    value.dispose();
    return grads;
  };
}

/**
 * `valueAndGrad(f)(...xs)` returns `{ value, grads }`: f's value and df/dx per argument (TF.js `tf.valueAndGrads`).
 * Same rules as {@link grad}.
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => ValueAndGrads {
  return (...xs) => differentiate('valueAndGrad', () => f(...xs), xs);
}

/**
 * The value of `f()` and its gradients with respect to `variables` (grads[i] belongs to variables[i]); what the
 * training loop uses. Like TF.js `tf.variableGrads`, but the variables are given explicitly.
 * @throws {@link ArgumentError} for an empty list of variables; otherwise as {@link grad}.
 */
export function variableGrads(f: () => Tensor, variables: readonly Variable[]): ValueAndGrads {
  if (!variables.length) throw new ArgumentError('variableGrads: expected at least one variable. Received: an empty list');
  return differentiate('variableGrads', f, variables);
}
