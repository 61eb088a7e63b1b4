/**
 * RandomUniform (keras.initializers.RandomUniform): uniform values in [minval, maxval).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type DType, type Tensor } from '../../core/internal.ts';
import { type InitializerConfig, checkOptions, finiteArg } from './initializer.ts';
import { RandomInitializer, type RandomInitializerOptions } from './random-initializer.ts';

/** Options of RandomUniform. */
export interface UniformInitializerOptions extends RandomInitializerOptions {
  /** Default -0.05. */
  minval?: number;
  /** Default 0.05; must be >= minval. */
  maxval?: number;
}

/** Uniform values: keras.random.uniform(shape, minval, maxval, seed). */
export class RandomUniform extends RandomInitializer {
  /** The Keras class name, 'RandomUniform'. */
  static override readonly className: string = 'RandomUniform';
  /** Lower bound (inclusive). */
  readonly minval: number;
  /** Upper bound (exclusive). */
  readonly maxval: number;

  constructor(options: UniformInitializerOptions = {}) {
    const fn = new.target.className;
    checkOptions(fn, options, ['minval', 'maxval', 'seed', 'algorithm']);
    const minval = finiteArg(fn, 'minval', options.minval ?? -0.05);
    const maxval = finiteArg(fn, 'maxval', options.maxval ?? 0.05);
    if (minval > maxval) {
      throw new ArgumentError(`${fn}: expected minval <= maxval. Received: minval=${minval}, maxval=${maxval}`);
    }
    super(options);
    this.minval = minval;
    this.maxval = maxval;
  }

  /** float32 [shape]. */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    this.checkFloatDType(dtype);
    return this.uniform(s, this.minval, this.maxval);
  }

  override getConfig(): InitializerConfig {
    return { minval: this.minval, maxval: this.maxval, ...super.getConfig() };
  }
}
