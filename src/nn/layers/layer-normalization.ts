/**
 * LayerNormalization (Keras 3): each sample normalized by its own mean and biased variance over
 * `axis` (one axis or several; normalization-math.ts: two passes, each the engine's fixed-order sum
 * divided by the count), then scaled by gamma and offset by beta spanning those axes; or, with
 * rmsScaling, Keras's `x * (1 / sqrt(var(x) + epsilon)) * gamma`. Same in training and inference.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DTypeError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, type WeightInitializer, fmtSym } from '../layer.ts';
import { inverseStd, moments, normalize } from './normalization-math.ts';
import { NORMALIZATION_KEYS, type NormalizationOptions, axisIndex, checkAxisArg, checkBool, knownDim, resolveNormalization } from './normalization-options.ts';

/** Options of {@link LayerNormalization} (Keras's keyword arguments, camelCase). */
export interface LayerNormalizationConfig extends LayerConfig, NormalizationOptions {
  /** The axis or axes to normalize across (negative count from the end); default -1. */
  axis?: number | readonly number[];
  /**
   * Keras's `rms_scaling`: ignore center and scale and return `x * gamma / sqrt(var(x) + epsilon)` (default false).
   * As in Keras 3, `var` is the variance around the mean, not the mean of squares.
   */
  rmsScaling?: boolean;
}

/**
 * Layer normalization, Keras 3 `LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False)`.
 * Each sample is normalized by its own mean and biased variance over `axis`, computed as Keras does
 * (`x * inv + (beta - mean * inv)`, `inv = gamma / sqrt(var + epsilon)`), the same in training and inference.
 * `gamma` and `beta` have the input's sizes along `axis`, in the order given. With `rmsScaling`, only `gamma` exists
 * and the output is `x * (1 / sqrt(var + epsilon)) * gamma`, Keras 3's formula (the variance is still taken around
 * the mean).
 *
 * Weights: `gamma` (when `scale` or `rmsScaling`), then `beta` (when `center` and not `rmsScaling`).
 *
 * @example
 * ```ts
 * new dt.layers.LayerNormalization({ axis: [1, 2, 3] });
 * ```
 * @throws {@link ArgumentError} for an axis that is not an integer or a non-empty list of distinct integers, an
 * epsilon that is not > 0, a non-boolean center/scale/rmsScaling or a bad initializer; {@link ShapeError} for an
 * input without those axes or with an unknown size along one; {@link DTypeError} for a non-float32 input.
 */
export class LayerNormalization extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** The normalized axes as given. */
  readonly axis: number | readonly number[];
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether beta is added. */
  readonly center: boolean;
  /** Whether gamma multiplies. */
  readonly scale: boolean;
  /** Keras's rms_scaling. */
  readonly rmsScaling: boolean;
  /** The scale (the input's sizes along `axis`), once built. */
  gamma?: Variable;
  /** The offset, once built. */
  beta?: Variable;
  private readonly axes: readonly number[];
  private readonly inits: { gamma: WeightInitializer; beta: WeightInitializer };
  private normAxes: number[] = [];

  /** @param config axis, epsilon, center, scale, rmsScaling, initializers, name */
  constructor(config: LayerNormalizationConfig = {}) {
    super(config, ['axis', 'rmsScaling', ...NORMALIZATION_KEYS]);
    const axis = config.axis ?? -1;
    const list = Array.isArray(axis) ? (axis as readonly unknown[]) : [axis];
    if (list.length === 0 || !list.every((a) => Number.isSafeInteger(a))) {
      throw new ArgumentError(`LayerNormalization: expected axis to be an integer or a non-empty list of integers. Received: axis=${JSON.stringify(axis)}`);
    }
    this.axis = Array.isArray(axis) ? [...(axis as number[])] : checkAxisArg('LayerNormalization', axis);
    this.axes = list as number[];
    const n = resolveNormalization('LayerNormalization', config);
    this.epsilon = n.epsilon;
    this.center = n.center;
    this.scale = n.scale;
    this.rmsScaling = checkBool('LayerNormalization', 'rmsScaling', config.rmsScaling, false);
    this.inits = { gamma: n.gammaInit, beta: n.betaInit };
  }

  private resolveAxes(shape: SymbolicShape): number[] {
    const out = this.axes.map((a) => axisIndex(this.label, a, shape));
    if (new Set(out).size !== out.length) throw new ShapeError(`${this.label}: expected distinct axes. Received: axis=${JSON.stringify(this.axis)} for input shape ${fmtSym(shape)}`);
    return out;
  }

  protected override checkInput(shape: SymbolicShape): void {
    this.resolveAxes(shape);
  }

  protected override build(shape: SymbolicShape): void {
    this.normAxes = this.resolveAxes(shape);
    const wShape = this.normAxes.map((a) => knownDim(this.label, shape, a));
    if (this.scale || this.rmsScaling) this.gamma = this.addWeight('gamma', wShape, this.inits.gamma);
    if (this.center && !this.rmsScaling) this.beta = this.addWeight('beta', wShape, this.inits.beta);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.dtype !== 'float32') throw new DTypeError(`${this.label}: expected float32 input. Received: dtype ${x.dtype}`);
    return tidy(() => {
      const axes = this.normAxes;
      // Keras reshapes gamma and beta (sizes in the order of `axis`) to [1, ..., d_a, ..., 1].
      const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
      const wide = (v: Variable | undefined): Tensor | undefined => v && ops.reshape(v, bshape);
      if (this.rmsScaling) {
        const { variance } = moments(x, axes, false);
        return ops.mul(ops.mul(x, inverseStd(variance, this.epsilon)), wide(this.gamma)!);
      }
      const { mean, variance } = moments(x, axes);
      return normalize(x, mean, variance, wide(this.gamma), wide(this.beta), this.epsilon);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon, center: this.center, scale: this.scale, rmsScaling: this.rmsScaling };
  }
}
