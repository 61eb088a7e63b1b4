/**
 * Helpers shared by the broadcasting elementwise ops (binary arithmetic and comparisons).
 * Part of src/core.
 */
import type { DType } from '../dtype.ts';
import { DTypeError } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { broadcastShapes } from '../shape.ts';
import { Tensor, type TensorOrNumber, assertLive } from '../tensor.ts';
import { checkValue, scalar } from './creation.ts';
import type { AnyOpDef } from './op-def.ts';

/** Shape/dtype inference shared by broadcasting binary ops; `outDType` overrides the result dtype. */
export function inferBinary(name: string, outDType?: DType) {
  return ([a, b]: readonly { shape: readonly number[]; dtype: DType }[]) => {
    if (a.dtype !== b.dtype) {
      throw new DTypeError(`${name}: expected both operands to have the same dtype. Received: ${a.dtype} and ${b.dtype}`);
    }
    return { shape: broadcastShapes(name, a.shape, b.shape), dtype: outDType ?? a.dtype };
  };
}

/** Runs a binary op, turning plain numbers into temporary scalars of the other operand's dtype. */
export function runBinary(def: AnyOpDef, a: TensorOrNumber, b: TensorOrNumber): Tensor {
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const ta = a instanceof Tensor ? a : toScalar(def.name, a, dtype);
  const tb = b instanceof Tensor ? b : toScalar(def.name, b, dtype);
  try {
    return runOp(def, [ta, tb], {} as never);
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}

function toScalar(fn: string, v: unknown, dtype: DType): Tensor {
  if (typeof v !== 'number') {
    assertLive(fn, v as Tensor);
  }
  // A number operand takes the tensor's dtype: refuse it under this op's name if it does not fit.
  checkValue(fn, v as number, dtype);
  return scalar(v as number, dtype);
}

