/**
 * Identity (keras.initializers.Identity): gain times the (possibly rectangular) 2-D identity matrix.
 * Part of src/nn: imports src/core only.
 */
import { type DType, ShapeError, type Tensor, fmtShape, tensor } from '../../core/internal.ts';
import { Initializer, type InitializerConfig, checkOptions, finiteArg } from './initializer.ts';

/** out[i][j] = (i == j) ? gain : 0 for a 2-D shape [rows, cols]. */
export class Identity extends Initializer {
  /** The Keras class name, 'Identity'. */
  static override readonly className: string = 'Identity';
  /** The multiplicative factor. */
  readonly gain: number;

  /** @param options.gain a finite number (default 1) */
  constructor(options: { gain?: number } = {}) {
    super();
    const fn = new.target.className;
    checkOptions(fn, options, ['gain']);
    this.gain = finiteArg(fn, 'gain', options.gain ?? 1);
  }

  /** [rows, cols] of `dtype` (default float32; integer dtypes need an integer gain). */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    if (s.length !== 2) {
      throw new ShapeError(`${this.className}.apply: expected a 2-D shape [rows, cols]. Received: shape=${fmtShape(s)} of rank ${s.length}`);
    }
    this.checkValueForDType(dtype, 'gain', this.gain);
    const [rows, cols] = s;
    const values = new Array<number>(rows * cols).fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = this.gain;
    return tensor(values, s, dtype);
  }

  override getConfig(): InitializerConfig {
    return { gain: this.gain };
  }
}
