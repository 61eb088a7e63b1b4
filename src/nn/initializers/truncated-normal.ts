/**
 * TruncatedNormal (keras.initializers.TruncatedNormal): normal values redrawn beyond 2 standard deviations.
 * Part of src/nn: imports src/core only.
 */
import type { DType, Tensor } from '../../core/internal.ts';
import type { InitializerConfig } from './initializer.ts';
import { RandomInitializer } from './random-initializer.ts';
import { type NormalInitializerOptions, checkMeanStddev } from './random-normal.ts';

/** Truncated normal values: keras.random.truncated_normal(shape, mean, stddev, seed) (|z| < 2 before scaling). */
export class TruncatedNormal extends RandomInitializer {
  /** The Keras class name, 'TruncatedNormal'. */
  static override readonly className: string = 'TruncatedNormal';
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
    return this.truncatedNormal(s, this.mean, this.stddev);
  }

  override getConfig(): InitializerConfig {
    return { mean: this.mean, stddev: this.stddev, ...super.getConfig() };
  }
}
