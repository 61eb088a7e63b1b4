/**
 * Orthogonal (keras.initializers.Orthogonal, spec §5.4): a random orthogonal matrix, reshaped. a = normal draw
 * [max(rows, cols), min(rows, cols)] with rows = prod(shape[:-1]), cols = shape[-1]; Q of the reduced QR of a,
 * column j times sign(R[j][j]); transposed when rows < cols; times f32(gain).
 * determinism: the QR runs in float64 on the host (householder-qr.ts) and rounds to float32 once, so the result is
 * identical on every backend. Keras computes it in float32 (Eigen / LAPACK), so beyond 1x1 ours agrees with Keras
 * to about 1e-6, not bit for bit.
 * Part of src/nn: imports src/core only.
 */
import { type DType, ShapeError, type Tensor, fmtShape, normalValues, tensor } from '../../core/internal.ts';
import { householderQR } from './householder-qr.ts';
import { type InitializerConfig, checkOptions, finiteArg } from './initializer.ts';
import { RandomInitializer, type RandomInitializerOptions } from './random-initializer.ts';

/** Options of Orthogonal. */
export interface OrthogonalOptions extends RandomInitializerOptions {
  /** Multiplicative factor (default 1). */
  gain?: number;
}

/** Random orthogonal matrices (orthonormal rows when rows < cols, else orthonormal columns), any rank >= 2. */
export class Orthogonal extends RandomInitializer {
  /** The Keras class name, 'Orthogonal'. */
  static override readonly className: string = 'Orthogonal';
  /** The multiplicative factor. */
  readonly gain: number;

  constructor(options: OrthogonalOptions = {}) {
    const fn = new.target.className;
    checkOptions(fn, options, ['gain', 'seed', 'algorithm']);
    const gain = finiteArg(fn, 'gain', options.gain ?? 1);
    super(options);
    this.gain = gain;
  }

  /** float32 [shape], rank >= 2. */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    if (s.length < 2) {
      throw new ShapeError(`${this.className}.apply: expected a shape of rank >= 2. Received: shape=${fmtShape(s)} of rank ${s.length}`);
    }
    this.checkFloatDType(dtype);
    let rows = 1;
    for (let i = 0; i < s.length - 1; i++) rows *= s[i];
    const cols = s[s.length - 1];
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const { seed, algorithm } = this.nextDraw();
    const a = normalValues([m, n], seed, { algorithm, mean: 0, stddev: 1 });
    const { q, rDiag } = householderQR(a, m, n);
    const g = Math.fround(this.gain);
    const out = new Float32Array(rows * cols);
    // q [m, n] times sign(diag R) per column; transposed to [n, m] when rows < cols, so out is [rows, cols].
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = Math.fround(q[i * n + j] * Math.sign(rDiag[j]));
        out[rows >= cols ? i * n + j : j * m + i] = v * g; // f32(f32(q) * f32(gain)) via the Float32Array store
      }
    }
    return tensor(out, s, 'float32');
  }

  override getConfig(): InitializerConfig {
    return { gain: this.gain, ...super.getConfig() };
  }
}
