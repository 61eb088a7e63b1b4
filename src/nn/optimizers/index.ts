/**
 * Optimizers (`dt.optimizers`), Keras 3's, with their defaults and update rules: SGD, RMSprop,
 * Adam, AdamW, Adamax, Nadam, Adagrad, Adadelta, Lion, Ftrl; learning-rate schedules
 * (`dt.optimizers.schedules`); and `getOptimizer` for the Keras names.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
import { ArgumentError } from '../../core/internal.ts';
import { Adadelta } from './adadelta.ts';
import { Adagrad } from './adagrad.ts';
import { Adam } from './adam.ts';
import { Adamax } from './adamax.ts';
import { AdamW } from './adamw.ts';
import { Ftrl } from './ftrl.ts';
import { Lion } from './lion.ts';
import { Nadam } from './nadam.ts';
import { Optimizer } from './optimizer.ts';
import { RMSprop } from './rmsprop.ts';
import { SGD } from './sgd.ts';

export { Adadelta, type AdadeltaOptions } from './adadelta.ts';
export { Adagrad, type AdagradOptions } from './adagrad.ts';
export { Adam, type AdamOptions } from './adam.ts';
export { Adamax, type AdamaxOptions } from './adamax.ts';
export { AdamW } from './adamw.ts';
export type { BaseOptimizerOptions } from './base-options.ts';
export { Ftrl, type FtrlOptions } from './ftrl.ts';
export { Lion, type LionOptions } from './lion.ts';
export { Nadam, type NadamOptions } from './nadam.ts';
export { Optimizer } from './optimizer.ts';
export { RMSprop, type RMSpropOptions } from './rmsprop.ts';
export { SGD, type SGDOptions } from './sgd.ts';
export * as schedules from './schedules/index.ts';
export { LearningRateSchedule, type LearningRate } from './schedules/schedule.ts';

const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  adamax: () => new Adamax(),
  nadam: () => new Nadam(),
  adagrad: () => new Adagrad(),
  adadelta: () => new Adadelta(),
  lion: () => new Lion(),
  ftrl: () => new Ftrl(),
};

/**
 * An optimizer from a Keras name ('sgd', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'adagrad', 'adadelta',
 * 'lion', 'ftrl'; case-insensitive, with default arguments) or an instance (returned as is).
 * @throws {@link ArgumentError} for another name.
 */
export function getOptimizer(id: string | Optimizer): Optimizer {
  if (id instanceof Optimizer) return id;
  const make = typeof id === 'string' ? BY_NAME[id.toLowerCase()] : undefined;
  if (!make || !Object.prototype.hasOwnProperty.call(BY_NAME, (id as string).toLowerCase())) {
    throw new ArgumentError(`compile: unknown optimizer ${JSON.stringify(id)}. Expected one of ${Object.keys(BY_NAME).map((k) => `'${k}'`).join(', ')} or an Optimizer instance`);
  }
  return make();
}
