/**
 * Activation functions by Keras name: relu, softmax (last axis), sigmoid, tanh, linear.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops } from '../core/internal.ts';

export type ActivationName = 'relu' | 'softmax' | 'sigmoid' | 'tanh' | 'linear';
export type ActivationFn = (x: Tensor) => Tensor;

const TABLE: Record<ActivationName, ActivationFn> = {
  relu: ops.relu,
  softmax: (x) => ops.softmax(x, -1),
  sigmoid: ops.sigmoid,
  tanh: ops.tanh,
  linear: (x) => x,
};

/** The activation function for a Keras name (undefined/null = linear). */
export function getActivation(fn: string, id: string | null | undefined): ActivationFn {
  if (id === undefined || id === null) return TABLE.linear;
  const a = TABLE[id as ActivationName];
  if (!a) throw new ArgumentError(`${fn}: unknown activation '${id}'. Expected one of: ${Object.keys(TABLE).join(', ')}`);
  return a;
}
