/**
 * The regularizer and constraint options shared by Dense and Conv2D (Keras's kernel_regularizer,
 * bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint), resolved once at construction.
 * Part of src/nn: imports src/core only.
 */
import { type Constraint, type ConstraintId, getConstraint } from './constraints.ts';
import { type Regularizer, type RegularizerId, getRegularizer } from './regularizers.ts';

/** Regularizer and constraint options of a layer with a kernel and a bias (camelCase Keras keywords). */
export interface WeightOptionsConfig {
  /** A penalty on the kernel added to the training loss (a regularizer or a name such as 'l2'); default none. */
  kernelRegularizer?: RegularizerId | null;
  /** A penalty on the bias; default none. */
  biasRegularizer?: RegularizerId | null;
  /** A penalty on the layer's output, added to the training loss; default none. */
  activityRegularizer?: RegularizerId | null;
  /** A projection applied to the kernel after each optimizer update (a constraint or a name such as 'max_norm'); default none. */
  kernelConstraint?: ConstraintId | null;
  /** A projection applied to the bias after each optimizer update; default none. */
  biasConstraint?: ConstraintId | null;
}

/** The option keys of {@link WeightOptionsConfig}. */
export const WEIGHT_OPTION_KEYS: readonly string[] = ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint'];

/** The resolved options. */
export interface WeightOptions {
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
  activityRegularizer?: Regularizer;
  kernelConstraint?: Constraint;
  biasConstraint?: Constraint;
}

/** Resolves the options (names to instances). */
export function resolveWeightOptions(cls: string, c: WeightOptionsConfig): WeightOptions {
  return {
    kernelRegularizer: getRegularizer(cls, c.kernelRegularizer),
    biasRegularizer: getRegularizer(cls, c.biasRegularizer),
    activityRegularizer: getRegularizer(cls, c.activityRegularizer),
    kernelConstraint: getConstraint(cls, c.kernelConstraint),
    biasConstraint: getConstraint(cls, c.biasConstraint),
  };
}
