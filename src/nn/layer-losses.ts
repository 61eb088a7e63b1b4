/**
 * Regularization losses and constraints of layers (Keras 3's `layer.losses`, `variable.regularizer`,
 * `variable.constraint`), kept out of the Layer base class so that layers opt in with a few lines:
 *  - `attachWeightOptions(v, regularizer, constraint)` records a weight's regularizer and constraint;
 *  - `addActivityLoss(reg, y)` records reg(y) while a training step collects losses (`collectLosses`);
 *    nothing is computed otherwise;
 *  - `totalLoss(model, loss, activity)`: Keras's `compute_loss`: [compiled loss, activity losses in call
 *    order, weight penalties in trainableWeights order], stacked and summed in the engine's summation order
 *    (the compiled loss alone when there are no others: its bits are unchanged);
 *  - `applyConstraints(model)`: after the optimizer step, `w = constraint(w)` for each trainable weight with a
 *    constraint, in trainableWeights order (Keras's BaseOptimizer.apply).
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, type Variable, keep, ops, tidy } from '../core/internal.ts';
import type { Constraint } from './constraints.ts';
import type { Regularizer } from './regularizers.ts';

const regularizers = new WeakMap<Variable, Regularizer>();
const constraints = new WeakMap<Variable, Constraint>();
let collecting: Tensor[] | null = null;

/** Records a weight's regularizer and constraint (either may be undefined). */
export function attachWeightOptions(v: Variable, regularizer?: Regularizer, constraint?: Constraint): void {
  if (regularizer) regularizers.set(v, regularizer);
  if (constraint) constraints.set(v, constraint);
}

/** The regularizer recorded for a weight, if any. */
export function regularizerOf(v: Variable): Regularizer | undefined {
  return regularizers.get(v);
}

/** The constraint recorded for a weight, if any. */
export function constraintOf(v: Variable): Constraint | undefined {
  return constraints.get(v);
}

/** Records activity loss reg(y) when losses are being collected (a training step); otherwise does nothing. */
export function addActivityLoss(reg: Regularizer | undefined, y: Tensor): void {
  // Kept: the model's own tidy scopes would dispose it; collectLosses moves it to its caller's scope.
  if (reg && collecting) collecting.push(keep(reg.apply(y)));
}

/**
 * Runs `fn` (a forward pass) collecting the activity losses its layers add, returned as tensors of the caller's
 * scope (a reshape of each, on the gradient tape); the collected originals are released, also when `fn` throws.
 */
export function collectLosses<T>(fn: () => T): [T, Tensor[]] {
  const outer = collecting;
  const list: Tensor[] = [];
  collecting = list;
  try {
    const out = fn();
    return [out, list.map((t) => ops.reshape(t, []))];
  } finally {
    collecting = outer;
    for (const t of list) t.dispose();
  }
}

/** Keras's `compute_loss` total: the compiled loss plus the activity losses and the weight penalties (see the header). */
export function totalLoss(model: { trainableWeights: Variable[] }, loss: Tensor, activity: readonly Tensor[]): Tensor {
  const penalties: Tensor[] = [...activity];
  for (const v of model.trainableWeights) {
    const r = regularizers.get(v);
    if (r) penalties.push(r.apply(v));
  }
  if (penalties.length === 0) return loss;
  return ops.sum(ops.stack([loss, ...penalties]));
}

/** Applies every trainable weight's constraint after an optimizer step, in trainableWeights order. */
export function applyConstraints(model: { trainableWeights: Variable[] }): void {
  for (const v of model.trainableWeights) {
    const c = constraints.get(v);
    if (c) tidy(() => v.assign(c.apply(v)));
  }
}

/** Each trainable weight's regularization penalty (Keras `model.losses` for weights), in trainableWeights order. */
export function weightPenalties(model: { trainableWeights: Variable[] }): Tensor[] {
  const out: Tensor[] = [];
  for (const v of model.trainableWeights) {
    const r = regularizers.get(v);
    if (r) out.push(tidy(() => r.apply(v)));
  }
  return out;
}
