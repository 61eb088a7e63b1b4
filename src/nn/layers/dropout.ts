/**
 * Dropout (Keras 3): in training, each call draws the next seed pair [s, k] of its own
 * SeedGenerator (seeded at construction; an unseeded layer takes Keras's default seed then) and
 * applies the backend's stateless dropout; at inference it is the identity.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/errors.ts';
import { SeedGenerator } from '../../core/random/seed-generator.ts';
import { statelessDropout } from '../../core/random/tensor-random.ts';
import type { Tensor } from '../../core/tensor.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape } from '../layer.ts';

export interface DropoutConfig extends LayerConfig {
  /** Broadcast shape of the mask; null entries take the input's dimension. */
  noiseShape?: readonly (number | null)[];
  seed?: number;
}

export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape?: readonly (number | null)[];
  readonly seedGenerator?: SeedGenerator;

  constructor(rate: number, config: DropoutConfig = {}) {
    super(config);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new ArgumentError(`Dropout: expected rate in [0, 1]. Received: rate=${rate}`);
    }
    if (config.seed !== undefined && !Number.isInteger(config.seed)) {
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
