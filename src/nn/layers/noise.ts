/**
 * The simple noise layers of Keras 3: GaussianNoise (x + N(0, stddev)), GaussianDropout
 * (x * N(1, sqrt(rate / (1 - rate)))) and SpatialDropout2D (Dropout of whole channels, mask shape
 * [N, 1, 1, C]). Active only in training (`{ training: true }`), the identity otherwise. Like Dropout,
 * each training call draws the next seed pair of the layer's own SeedGenerator (exposed as
 * `seedGenerator`, so checkpoints save and restore its state) and uses the stateless generators, so
 * the noise is a pure function of (seed, call count), the same on every backend.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, SeedGenerator, type Tensor, ops, statelessDropout, statelessNormal, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank } from '../layer.ts';
import { type DataFormat, checkDataFormat } from './data-format.ts';

const fmt = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Options of the noise layers. */
export interface NoiseConfig extends LayerConfig {
  /**
   * Integer seed of the layer's own SeedGenerator. Default: a seed drawn, at construction, from the global
   * Python-style generator that `dt.utils.setRandomSeed` reseeds (Keras's default seed), as Dropout does.
   */
  seed?: number;
}

function checkSeed(cls: string, seed: unknown): void {
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new ArgumentError(`${cls}: expected an integer seed. Received: seed=${fmt(seed)}`);
}

/** x with a float32 normal draw of x's shape combined by `op` (the draw is disposed). */
function withNormal(x: Tensor, seed: [number, number], mean: number, stddev: number, op: 'add' | 'mul'): Tensor {
  return tidy(() => {
    const z = statelessNormal(x.shape, seed, { mean, stddev });
    return op === 'add' ? ops.add(x, z) : ops.mul(x, z);
  });
}

/**
 * Additive zero-centered Gaussian noise, Keras 3 `GaussianNoise(stddev, seed=None)`: in training,
 * x + normal(0, stddev) drawn by `dt.random.statelessNormal` with the next seed pair of the layer's SeedGenerator
 * (a new draw every call); at inference the identity. A regularizer; differentiable in x (the gradient is dy).
 * @throws {@link ArgumentError} for a stddev outside [0, 1] (Keras 3 refuses it too) or a seed that is not an integer.
 */
export class GaussianNoise extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Standard deviation of the noise. */
  readonly stddev: number;
  /** The layer's seed generator (absent when stddev is 0); its state is saved in checkpoints. */
  readonly seedGenerator?: SeedGenerator;

  /**
   * @param stddev standard deviation of the noise, in [0, 1]
   * @param config seed, name
   */
  constructor(stddev: number, config: NoiseConfig = {}) {
    super(config, ['seed']);
    if (typeof stddev !== 'number' || !(stddev >= 0 && stddev <= 1)) {
      throw new ArgumentError(`GaussianNoise: expected stddev in [0, 1] (Keras's bounds). Received: stddev=${fmt(stddev)}`);
    }
    checkSeed('GaussianNoise', config.seed);
    this.stddev = stddev;
    if (stddev > 0) this.seedGenerator = new SeedGenerator(config.seed);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.stddev === 0) return x;
    return withNormal(x, this.seedGenerator!.next() as [number, number], 0, this.stddev, 'add');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

/** Throws unless rate is a number in [0, max). */
function checkRate(cls: string, rate: unknown, closed: boolean): number {
  const ok = typeof rate === 'number' && rate >= 0 && (closed ? rate <= 1 : rate < 1);
  if (!ok) throw new ArgumentError(`${cls}: expected rate in [0, 1${closed ? ']' : ')'}. Received: rate=${fmt(rate)}`);
  return rate as number;
}

/**
 * Multiplicative 1-centered Gaussian noise, Keras 3 `GaussianDropout(rate, seed=None)`: in training,
 * x * normal(1, sqrt(rate / (1 - rate))) drawn with the next seed pair of the layer's SeedGenerator; at inference
 * the identity. Differentiable in x (the gradient is dy times the same noise).
 * @throws {@link ArgumentError} for a rate outside [0, 1) (Keras accepts 1, then divides by zero at the first
 * training call) or a seed that is not an integer.
 */
export class GaussianDropout extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** The drop probability that sets the noise's variance rate / (1 - rate). */
  readonly rate: number;
  /** The layer's seed generator (absent when rate is 0); its state is saved in checkpoints. */
  readonly seedGenerator?: SeedGenerator;

  /**
   * @param rate in [0, 1)
   * @param config seed, name
   */
  constructor(rate: number, config: NoiseConfig = {}) {
    super(config, ['seed']);
    this.rate = checkRate('GaussianDropout', rate, false);
    checkSeed('GaussianDropout', config.seed);
    if (rate > 0) this.seedGenerator = new SeedGenerator(config.seed);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    return withNormal(x, this.seedGenerator!.next() as [number, number], 1, Math.sqrt(this.rate / (1 - this.rate)), 'mul');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/** Options of {@link SpatialDropout2D}. */
export interface SpatialDropout2DConfig extends NoiseConfig {
  /** Only 'channels_last' (the default; layers are NHWC). */
  dataFormat?: DataFormat;
}

/**
 * Spatial 2-D dropout, Keras 3 `SpatialDropout2D(rate, seed=None)`: in training, whole feature maps are dropped,
 * i.e. Dropout with noise shape [N, 1, 1, C] (`dt.random.statelessDropout` with the next seed pair of the layer's
 * SeedGenerator; kept channels scaled by 1 / (1 - rate)); at inference the identity. Input [N, H, W, C].
 * @throws {@link ArgumentError} for a rate outside [0, 1] or a seed that is not an integer; {@link ShapeError} for
 * input that is not rank 4.
 */
export class SpatialDropout2D extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Fraction of the channels to drop, in [0, 1]. */
  readonly rate: number;
  /** The layer's seed generator (absent when rate is 0); its state is saved in checkpoints. */
  readonly seedGenerator?: SeedGenerator;

  /**
   * @param rate fraction of the channels to drop, in [0, 1]
   * @param config seed, dataFormat, name
   */
  constructor(rate: number, config: SpatialDropout2DConfig = {}) {
    super(config, ['seed', 'dataFormat']);
    this.rate = checkRate('SpatialDropout2D', rate, true);
    checkSeed('SpatialDropout2D', config.seed);
    checkDataFormat('SpatialDropout2D', config.dataFormat);
    if (rate > 0) this.seedGenerator = new SeedGenerator(config.seed);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    return statelessDropout(x, this.rate, this.seedGenerator!.next() as [number, number], { noiseShape: [x.shape[0], 1, 1, x.shape[3]] });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, dataFormat: 'channels_last' };
  }
}
