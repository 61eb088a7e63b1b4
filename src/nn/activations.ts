/**
 * Activation functions by Keras name: relu, softmax (last axis), sigmoid, tanh, linear,
 * and the rest of Keras 3's (src/nn/activation-functions.ts).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops } from '../core/internal.ts';
import * as act from './activation-functions.ts';

/** The Keras names of the activations (`dt.activations.get`, the `activation` option of Dense, Conv2D, Activation). */
export type ActivationName = 'relu' | 'softmax' | 'sigmoid' | 'tanh' | 'linear'
  | 'relu6' | 'leaky_relu' | 'elu' | 'selu' | 'gelu' | 'silu' | 'swish' | 'softplus' | 'softsign' | 'hard_sigmoid'
  | 'hard_silu' | 'hard_swish' | 'mish' | 'log_softmax' | 'exponential';
/** An activation function: one float32 tensor in, one out. */
export type ActivationFn = (x: Tensor) => Tensor;

const TABLE: Record<ActivationName, ActivationFn> = {
  relu: ops.relu,
  softmax: (x) => ops.softmax(x, -1),
  sigmoid: ops.sigmoid,
  tanh: ops.tanh,
  linear: (x) => x,
  relu6: act.relu6,
  leaky_relu: (x) => act.leakyRelu(x),
  elu: (x) => act.elu(x),
  selu: act.selu,
  gelu: (x) => act.gelu(x),
  silu: act.silu,
  swish: act.swish,
  softplus: act.softplus,
  softsign: act.softsign,
  hard_sigmoid: act.hardSigmoid,
  hard_silu: act.hardSilu,
  hard_swish: act.hardSwish,
  mish: act.mish,
  log_softmax: (x) => act.logSoftmax(x),
  exponential: act.exponential,
};

/** The activation function for a Keras name (undefined/null = linear). */
export function getActivation(fn: string, id: string | null | undefined): ActivationFn {
  if (id === undefined || id === null) return TABLE.linear;
  const a = TABLE[id as ActivationName];
  if (!a) throw new ArgumentError(`${fn}: unknown activation '${id}'. Expected one of: ${Object.keys(TABLE).join(', ')}`);
  return a;
}
