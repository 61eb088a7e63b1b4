/**
 * Activations (`dt.activations`) with Keras 3's names, formulas and defaults, and `get` for Keras names.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
import type { Tensor } from '../core/internal.ts';
import { type ActivationFn, getActivation } from './activations.ts';

export {
  relu, relu6, leakyRelu, elu, selu, gelu, silu, swish, softplus, softsign, hardSigmoid, hardSilu, hardSwish, mish, softmax,
  logSoftmax, exponential, sigmoid, tanh, linear, SELU_ALPHA, SELU_SCALE, type ReluOptions,
} from './activation-functions.ts';
export type { ActivationFn, ActivationName } from './activations.ts';

/**
 * The activation function for a Keras name ('relu', 'leaky_relu', 'gelu', 'hard_swish', ...; options at their
 * defaults; softmax and log_softmax on the last axis), Keras `activations.get`: undefined or null gives linear, a
 * function is returned as is.
 * @throws {@link ArgumentError} for an unknown name, listing the known ones.
 */
export function get(identifier: string | ActivationFn | null | undefined): (x: Tensor) => Tensor {
  if (typeof identifier === 'function') return identifier;
  return getActivation('activations.get', identifier);
}
