/**
 * The named VarianceScaling presets of Keras (spec §5.3): GlorotNormal/GlorotUniform (scale 1, fan_avg),
 * HeNormal/HeUniform (scale 2, fan_in), LecunNormal/LecunUniform (scale 1, fan_in); "Normal" = truncated normal.
 * Their config is { seed } only, as in Keras.
 * Part of src/nn: imports src/core only.
 */
import { type InitializerConfig, checkOptions } from './initializer.ts';
import type { RandomInitializerOptions } from './random-initializer.ts';
import { type FanMode, VarianceScaling, type VarianceScalingDistribution } from './variance-scaling.ts';

/** The VarianceScaling options of a preset; anything but { seed, algorithm } is rejected with the preset's name. */
function preset(fn: string, o: RandomInitializerOptions | undefined, scale: number, mode: FanMode, distribution: VarianceScalingDistribution) {
  checkOptions(fn, o, ['seed', 'algorithm']);
  return { ...o, scale, mode, distribution };
}

/** Shared config of the presets: only seed (and algorithm when fixed). */
abstract class VarianceScalingPreset extends VarianceScaling {
  /** `{ seed }` (plus `algorithm` when fixed), as Keras's presets. */
  override getConfig(): InitializerConfig {
    const { seed, algorithm } = super.getConfig();
    return algorithm === undefined ? { seed } : { seed, algorithm };
  }
}

/** Glorot (Xavier) normal: truncated normal, stddev = sqrt(2 / (fan_in + fan_out)) / 0.8796... */
export class GlorotNormal extends VarianceScalingPreset {
  /** The Keras class name, 'GlorotNormal'. */
  static override readonly className: string = 'GlorotNormal';
  constructor(options: RandomInitializerOptions = {}) { super(preset(new.target.className, options, 1, 'fan_avg', 'truncated_normal')); }
}

/** Glorot (Xavier) uniform: limit = sqrt(6 / (fan_in + fan_out)). The default kernel initializer of Dense and Conv2D. */
export class GlorotUniform extends VarianceScalingPreset {
  /** The Keras class name, 'GlorotUniform'. */
  static override readonly className: string = 'GlorotUniform';
  constructor(options: RandomInitializerOptions = {}) { super(preset(new.target.className, options, 1, 'fan_avg', 'uniform')); }
}

/** He normal: truncated normal, stddev = sqrt(2 / fan_in) / 0.8796... */
export class HeNormal extends VarianceScalingPreset {
  /** The Keras class name, 'HeNormal'. */
  static override readonly className: string = 'HeNormal';
  constructor(options: RandomInitializerOptions = {}) { super(preset(new.target.className, options, 2, 'fan_in', 'truncated_normal')); }
}

/** He uniform: limit = sqrt(6 / fan_in). */
export class HeUniform extends VarianceScalingPreset {
  /** The Keras class name, 'HeUniform'. */
  static override readonly className: string = 'HeUniform';
  constructor(options: RandomInitializerOptions = {}) { super(preset(new.target.className, options, 2, 'fan_in', 'uniform')); }
}

/** LeCun normal: truncated normal, stddev = sqrt(1 / fan_in) / 0.8796... */
export class LecunNormal extends VarianceScalingPreset {
  /** The Keras class name, 'LecunNormal'. */
  static override readonly className: string = 'LecunNormal';
  constructor(options: RandomInitializerOptions = {}) { super(preset(new.target.className, options, 1, 'fan_in', 'truncated_normal')); }
}

/** LeCun uniform: limit = sqrt(3 / fan_in). */
export class LecunUniform extends VarianceScalingPreset {
  /** The Keras class name, 'LecunUniform'. */
  static override readonly className: string = 'LecunUniform';
  constructor(options: RandomInitializerOptions = {}) { super(preset(new.target.className, options, 1, 'fan_in', 'uniform')); }
}
