/**
 * Keras `compute_fans(shape)` (keras/src/initializers/random_initializers.py, spec §5.3): the fan-in and fan-out of
 * a weight shape, used by VarianceScaling and its presets.
 * Part of src/nn: imports src/core only.
 */
import { checkShape } from '../../core/internal.ts';

/**
 * Keras `compute_fans(shape)`: the fan-in and fan-out of a weight shape, as VarianceScaling uses them.
 * rank 0 -> (1, 1); rank 1 [n] -> (n, n); rank 2 [in, out] -> (in, out); rank >= 3 (conv kernels
 * [...receptive field, in, out]) -> rf = prod(shape[:-2]), (in * rf, out * rf).
 * Example: a Conv2D kernel [3, 3, 16, 32] gives { fanIn: 144, fanOut: 288 }.
 */
export function computeFans(shape: readonly number[]): {
  /** The number of inputs each output sums over. */
  fanIn: number;
  /** The number of outputs each input contributes to. */
  fanOut: number;
} {
  checkShape('computeFans', shape);
  const r = shape.length;
  if (r === 0) return { fanIn: 1, fanOut: 1 };
  if (r === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (r === 2) return { fanIn: shape[0], fanOut: shape[1] };
  let rf = 1;
  for (let i = 0; i < r - 2; i++) rf *= shape[i];
  return { fanIn: shape[r - 2] * rf, fanOut: shape[r - 1] * rf };
}
