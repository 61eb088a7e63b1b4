/**
 * The constant initializers of Keras: Zeros, Ones and Constant(value). Any dtype; integer dtypes need integer values.
 * Part of src/nn: imports src/core only.
 */
import { type DType, type Tensor, fill } from '../../core/internal.ts';
import { Initializer, type InitializerConfig, checkOptions, finiteArg } from './initializer.ts';

/** All elements equal to `value` (stored as f32(value) for float32). */
export class Constant extends Initializer {
  /** The Keras class name, 'Constant'. */
  static override readonly className: string = 'Constant';
  /** The value of every element. */
  readonly value: number;

  /** @param options.value a finite number (default 0) */
  constructor(options: { value?: number } = {}) {
    super();
    const fn = new.target.className;
    checkOptions(fn, options, ['value']);
    this.value = finiteArg(fn, 'value', options.value ?? 0);
  }

  /** [shape] of `dtype` (default float32). */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    this.checkValueForDType(dtype, 'value', this.value);
    return fill(s, this.value, dtype);
  }

  override getConfig(): InitializerConfig {
    return { value: this.value };
  }
}

/** All zeros. */
export class Zeros extends Initializer {
  /** The Keras class name, 'Zeros'. */
  static override readonly className: string = 'Zeros';

  constructor(options: Record<string, never> = {}) {
    super();
    checkOptions(new.target.className, options, []);
  }

  /** [shape] of `dtype` (default float32). */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    this.checkValueForDType(dtype, 'value', 0);
    return fill(s, 0, dtype);
  }
}

/** All ones. */
export class Ones extends Initializer {
  /** The Keras class name, 'Ones'. */
  static override readonly className: string = 'Ones';

  constructor(options: Record<string, never> = {}) {
    super();
    checkOptions(new.target.className, options, []);
  }

  /** [shape] of `dtype` (default float32). */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    this.checkValueForDType(dtype, 'value', 1);
    return fill(s, 1, dtype);
  }
}
