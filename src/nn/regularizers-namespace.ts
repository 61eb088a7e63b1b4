/**
 * Weight regularizers (`dt.regularizers`) with Keras 3's names, defaults and formulas; layers take them as
 * `kernelRegularizer`, `biasRegularizer` and `activityRegularizer`.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
import { ArgumentError } from '../core/internal.ts';
import { type Regularizer, type RegularizerId, getRegularizer } from './regularizers.ts';

export { L1, L1L2, L2, OrthogonalRegularizer, type Regularizer, type RegularizerId } from './regularizers.ts';

/**
 * The regularizer for a Keras name ('l1', 'l2', 'l1_l2', 'orthogonal_regularizer', class names) with Keras's
 * defaults, or the object itself.
 * @throws {@link ArgumentError} for an unknown name.
 */
export function get(id: RegularizerId): Regularizer {
  const r = getRegularizer('regularizers.get', id);
  if (!r) throw new ArgumentError(`regularizers.get: expected a regularizer or a name. Received: ${id}`);
  return r;
}
