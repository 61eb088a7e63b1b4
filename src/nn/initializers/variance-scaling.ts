/**
 * VarianceScaling (keras.initializers.VarianceScaling, spec §5.3): values whose scale adapts to the weight's fans.
 * s = scale / max(1, fan) with fan = fan_in, fan_out or (fan_in + fan_out) / 2 (Python double arithmetic); then
 * truncated_normal: stddev = sqrt(s) / 0.87962566103423978; untruncated_normal: stddev = sqrt(s);
 * uniform: limit = sqrt(3 s), values in [-limit, limit).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type DType, type Tensor } from '../../core/internal.ts';
import { computeFans } from './fans.ts';
import { type InitializerConfig, checkOptions, finiteArg } from './initializer.ts';
import { RandomInitializer, type RandomInitializerOptions } from './random-initializer.ts';

/** Which fan the variance is divided by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** The distribution drawn from ('normal' is accepted as an alias of 'truncated_normal', as in Keras). */
export type VarianceScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** Options of VarianceScaling. */
export interface VarianceScalingOptions extends RandomInitializerOptions {
  /** Default 1; must be > 0. */
  scale?: number;
  /** Default 'fan_in'. */
  mode?: FanMode;
  /** Default 'truncated_normal'; case-insensitive; 'normal' means 'truncated_normal'. */
  distribution?: VarianceScalingDistribution | 'normal';
}

/** Standard deviation of a unit normal truncated to (-2, 2) (Keras's constant). */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly VarianceScalingDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];

function checkArgs(fn: string, o: VarianceScalingOptions): { scale: number; mode: FanMode; distribution: VarianceScalingDistribution } {
  checkOptions(fn, o, ['scale', 'mode', 'distribution', 'seed', 'algorithm']);
  const scale = finiteArg(fn, 'scale', o.scale ?? 1);
  if (!(scale > 0)) throw new ArgumentError(`${fn}: expected scale > 0. Received: scale=${scale}`);
  const mode = o.mode ?? 'fan_in';
  if (!MODES.includes(mode)) {
    throw new ArgumentError(`${fn}: expected mode to be one of 'fan_in', 'fan_out', 'fan_avg'. Received: mode=${JSON.stringify(mode)}`);
  }
  const raw = o.distribution ?? 'truncated_normal';
  let distribution = typeof raw === 'string' ? raw.toLowerCase() : raw;
  if (distribution === 'normal') distribution = 'truncated_normal';
  if (!DISTRIBUTIONS.includes(distribution as VarianceScalingDistribution)) {
    throw new ArgumentError(`${fn}: expected distribution to be one of 'truncated_normal', 'untruncated_normal', 'uniform' (or 'normal'). Received: distribution=${JSON.stringify(raw)}`);
  }
  return { scale, mode, distribution: distribution as VarianceScalingDistribution };
}

/**
 * Keras `VarianceScaling`: values whose scale adapts to the weight's fans. With s = scale / max(1, fan), fan =
 * fan_in, fan_out or their average: 'truncated_normal' draws a normal truncated to two standard deviations with
 * stddev sqrt(s) / 0.8796...; 'untruncated_normal' a normal with stddev sqrt(s); 'uniform' values in
 * [-sqrt(3 s), sqrt(3 s)). The Glorot, He and LeCun initializers are its presets.
 * @throws {@link ArgumentError} for a scale that is not > 0, an unknown mode or distribution, or a bad seed.
 */
export class VarianceScaling extends RandomInitializer {
  /** The Keras class name, 'VarianceScaling'. */
  static override readonly className: string = 'VarianceScaling';
  /** The scale factor (> 0). */
  readonly scale: number;
  /** Which fan divides the scale. */
  readonly mode: FanMode;
  /** The distribution drawn from. */
  readonly distribution: VarianceScalingDistribution;

  constructor(options: VarianceScalingOptions = {}) {
    const args = checkArgs(new.target.className, options);
    super(options);
    this.scale = args.scale;
    this.mode = args.mode;
    this.distribution = args.distribution;
  }

  /**
   * The distribution parameter for `shape`: the stddev (normal distributions) or the limit (uniform), in double.
   * Example: GlorotUniform on [3, 5]: s = 1 / 4, limit = sqrt(0.75).
   */
  parameterFor(shape: readonly number[]): number {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const s = this.scale / Math.max(1, fan);
    if (this.distribution === 'truncated_normal') return Math.sqrt(s) / TRUNCATED_NORMAL_STDDEV;
    if (this.distribution === 'untruncated_normal') return Math.sqrt(s);
    return Math.sqrt(3 * s);
  }

  /**
   * A new float32 tensor [shape] of values from the distribution, fans computed from the shape as Keras does.
   * @throws {@link DTypeError} unless dtype is float32; {@link ShapeError} for an invalid shape.
   */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const s = this.checkShape(shape);
    this.checkFloatDType(dtype);
    const p = this.parameterFor(s);
    if (this.distribution === 'truncated_normal') return this.truncatedNormal(s, 0, p);
    if (this.distribution === 'untruncated_normal') return this.normal(s, 0, p);
    return this.uniform(s, -p, p);
  }

  /** `{ scale, mode, distribution, seed }` (plus `algorithm` when fixed). */
  override getConfig(): InitializerConfig {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, ...super.getConfig() };
  }
}
