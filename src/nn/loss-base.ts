/**
 * The base of ditto's Keras loss classes (Keras 3's `Loss` / `LossFunctionWrapper`): per-sample losses from the
 * loss function, then sample weights and the reduction of loss-reduction.ts. Option checks shared by the classes.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, checkOptions, tidy } from '../core/internal.ts';
import type { Loss } from './losses.ts';
import { type Reduction, checkReduction, reduceWeighted } from './loss-reduction.ts';

/** Options every loss class accepts (Keras's `reduction` and `name`). */
export interface LossConfig {
  /** 'sum_over_batch_size' (default), 'sum', 'mean', 'mean_with_sample_weight' or 'none' (null = 'none'). */
  reduction?: Reduction | null;
  /** The loss's name (default the Keras function name, e.g. 'mean_squared_error'). */
  name?: string;
}

/** Per-sample losses and, for SparseCategoricalCrossentropy's ignoreClass, the mask of the valid entries. */
export interface PerSample {
  /** The unreduced losses. */
  values: Tensor;
  /** 1 where an entry counts (uint8), as Keras's `_keras_mask`. */
  mask?: Tensor;
}

/**
 * A loss class with Keras 3 semantics: {@link KerasLoss.call | call} = Keras's `loss(yTrue, yPred, sampleWeight)`
 * (per-sample losses, weighted and reduced); {@link KerasLoss.perSample | perSample} = Keras's unreduced `call`.
 */
export abstract class KerasLoss implements Loss {
  /** The loss's name (Keras's default: the function name). */
  readonly name: string;
  /** The reduction (see {@link LossConfig.reduction}). */
  readonly reduction: Reduction;

  /**
   * @param cls the class name, for errors
   * @param defaultName the Keras function name
   * @param options the options given
   * @param ownKeys the options the class accepts besides reduction and name
   */
  protected constructor(cls: string, defaultName: string, options: LossConfig, ownKeys: readonly string[]) {
    checkOptions(cls, options, ['reduction', 'name', ...ownKeys]);
    this.reduction = checkReduction(cls, options.reduction);
    if (options.name !== undefined && (typeof options.name !== 'string' || !options.name)) {
      throw new ArgumentError(`${cls}: expected a non-empty string name. Received: ${JSON.stringify(options.name)}`);
    }
    this.name = options.name ?? defaultName;
  }

  /** The unreduced per-sample losses (Keras's `Loss.call`). */
  abstract perSample(yTrue: Tensor, yPred: Tensor): PerSample;

  /**
   * The loss of a batch: per-sample losses times `sampleWeight` (broadcast after Keras's squeeze-or-expand),
   * reduced by {@link KerasLoss.reduction}. A float32 scalar (or the weighted per-sample losses for 'none').
   */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => {
      const { values, mask } = this.perSample(yTrue, yPred);
      return reduceWeighted(this.name, values, this.reduction, sampleWeight, mask);
    });
  }
}

/** Checks a boolean option. */
export function checkBool(cls: string, key: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ArgumentError(`${cls}: expected ${key} to be a boolean. Received: ${key}=${JSON.stringify(v)}`);
  return v;
}

/** Checks a number option in [lo, hi] (default `dflt`). */
export function checkRange(cls: string, key: string, v: unknown, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) throw new ArgumentError(`${cls}: expected ${key} in [${lo}, ${hi}]. Received: ${key}=${JSON.stringify(v)}`);
  return v;
}

/** Checks an integer axis option (default -1; checked against the rank when called). */
export function checkAxisOption(cls: string, v: unknown): number {
  if (v === undefined) return -1;
  if (!Number.isInteger(v)) throw new ArgumentError(`${cls}: expected axis to be an integer. Received: axis=${JSON.stringify(v)}`);
  return v as number;
}
