/**
 * Dropout (Keras 3): in training, each call draws the next seed pair [s, k] of its own
 * SeedGenerator (seeded at construction; an unseeded layer takes Keras's default seed then) and
 * applies the backend's stateless dropout; at inference it is the identity.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, SeedGenerator, type Tensor, statelessDropout } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape } from '../layer.ts';

/** Options of {@link Dropout}. */
export interface DropoutConfig extends LayerConfig {
  /** Broadcast shape of the mask; null entries take the input's dimension (Keras `noise_shape`). */
  noiseShape?: readonly (number | null)[];
  /**
   * Integer seed of the layer's own SeedGenerator. Default: a seed drawn, at construction, from the global Python-style
   * generator that `dt.utils.setRandomSeed` reseeds (Keras's default seed), so seeded programs stay reproducible.
   */
  seed?: number;
}

/**
 * Dropout, Keras 3 semantics: in training (`{ training: true }`, as `fit` calls it) each element is zeroed with
 * probability `rate` and the rest scaled by 1 / (1 - rate); at inference it is the identity. Each training call draws
 * the next seed pair of the layer's own {@link random.SeedGenerator} and applies `dt.random.statelessDropout`, so a
 * new mask every step, the same masks in every run with the same seed, on every backend.
 * @throws {@link ArgumentError} for a rate outside [0, 1] or a seed that is not an integer.
 */
export class Dropout extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Fraction of the inputs to drop, in [0, 1]. */
  readonly rate: number;
  /** The mask's broadcast shape (see {@link DropoutConfig.noiseShape}). */
  readonly noiseShape?: readonly (number | null)[];
  /** The layer's seed generator (absent when rate is 0); its state is saved in checkpoints. */
  readonly seedGenerator?: SeedGenerator;

  /**
   * @param rate fraction of the inputs to drop, in [0, 1]
   * @param config seed, noiseShape, name
   */
  constructor(rate: number, config: DropoutConfig = {}) {
    super(config, ['noiseShape', 'seed']);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new ArgumentError(`Dropout: expected rate in [0, 1]. Received: rate=${rate}`);
    }
    if (config.seed !== undefined && !Number.isSafeInteger(config.seed)) {
      throw new ArgumentError(`Dropout: expected an integer seed. Received: seed=${config.seed}`);
    }
    this.rate = rate;
    this.noiseShape = config.noiseShape;
    if (rate > 0) this.seedGenerator = new SeedGenerator(config.seed);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const noiseShape = this.noiseShape?.map((d, i) => d ?? x.shape[i]);
    return statelessDropout(x, this.rate, this.seedGenerator!.next() as [number, number], noiseShape ? { noiseShape } : {});
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape ?? null };
  }
}
