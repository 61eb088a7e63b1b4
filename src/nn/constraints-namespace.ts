/**
 * Weight constraints (`dt.constraints`) with Keras 3's names, defaults and formulas; layers take them as
 * `kernelConstraint` and `biasConstraint`, applied after every optimizer update.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
import { ArgumentError } from '../core/internal.ts';
import { type Constraint, type ConstraintId, getConstraint } from './constraints.ts';

export { type Constraint, type ConstraintId, MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './constraints.ts';

/**
 * The constraint for a Keras name ('max_norm', 'min_max_norm', 'non_neg', 'unit_norm', class names) with Keras's
 * defaults, or the object itself.
 * @throws {@link ArgumentError} for an unknown name.
 */
export function get(id: ConstraintId): Constraint {
  const c = getConstraint('constraints.get', id);
  if (!c) throw new ArgumentError(`constraints.get: expected a constraint or a name. Received: ${id}`);
  return c;
}
