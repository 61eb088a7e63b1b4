/**
 * Optimizers (`dt.optimizers`): Adam and SGD with Keras 3's defaults and update rules, and `getOptimizer` for Keras
 * names ('adam', 'sgd').
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
import { ArgumentError } from '../../core/internal.ts';
import { Adam } from './adam.ts';
import { Optimizer } from './optimizer.ts';
import { SGD } from './sgd.ts';

export { Adam, type AdamOptions } from './adam.ts';
export { Optimizer } from './optimizer.ts';
export { SGD, type SGDOptions } from './sgd.ts';

/**
 * An optimizer from a Keras name ('adam' or 'sgd', case-insensitive, with default arguments) or an instance
 * (returned as is).
 * @throws {@link ArgumentError} for another name.
 */
export function getOptimizer(id: string | Optimizer): Optimizer {
  if (id instanceof Optimizer) return id;
  switch (typeof id === 'string' ? id.toLowerCase() : id) {
    case 'adam': return new Adam();
    case 'sgd': return new SGD();
    default:
      throw new ArgumentError(`compile: unknown optimizer ${JSON.stringify(id)}. Expected 'adam', 'sgd' or an Optimizer instance`);
  }
}
