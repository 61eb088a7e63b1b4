/**
 * RandomNormal (keras.initializers.RandomNormal): normal values with the given mean and stddev.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type DType, type Tensor } from '../../core/internal.ts';
import { type InitializerConfig, checkOptions, finiteArg } from './initializer.ts';
import { RandomInitializer, type RandomInitializerOptions } from './random-initializer.ts';

/** Options of RandomNormal and TruncatedNormal. */
export interface NormalInitializerOptions extends RandomInitializerOptions {
  /** Default 0. */
  mean?: number;
  /** Default 0.05; must be >= 0. */
  stddev?: number;
}

/** Checks mean/stddev for `fn`; returns [mean, stddev]. */
export function checkMeanStddev(fn: string, options: NormalInitializerOptions): [number, number] {
  checkOptions(fn, options, ['mean', 'stddev', 'seed', 'algorithm']);
  const mean = finiteArg(fn, 'mean', options.mean ?? 0);
  const stddev = finiteArg(fn, 'stddev', options.stddev ?? 0.05);
  if (stddev < 0) throw new ArgumentError(`${fn}: expected stddev >= 0. Received: stddev=${stddev}`);
  return [mean, stddev];
}

/** Normal values: keras.random.normal(shape, mean, stddev, seed), f32(f32(z * f32(stddev)) + f32(mean)). */
export class RandomNormal extends RandomInitializer {
  /** The Keras class name, 'RandomNormal'. */
  static override readonly className: string = 'RandomNormal';
  /** The mean of the values. */
  readonly mean: number;
  /** The standard deviation of the values (before truncation for TruncatedNormal). */
  readonly stddev: number;

  constructor(options: NormalInitializerOptions = {}) {
    const [mean, stddev] = checkMeanStddev(new.target.className, options);
    super(options);
    this.mean = mean;
    this.stddev = stddev;
  }

  /** float32 [shape]. */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    this.checkFloatDType(dtype);
    return this.normal(s, this.mean, this.stddev);
  }

  override getConfig(): InitializerConfig {
    return { mean: this.mean, stddev: this.stddev, ...super.getConfig() };
  }
}
