/**
 * What Keras 3's random image augmentation layers share (keras/src/layers/preprocessing/image_preprocessing/
 * base_image_preprocessing_layer.py): the factor checks, the fill mode / interpolation checks, the base class
 * that owns the layer's SeedGenerator and handles [N, H, W, C] / [H, W, C] inputs, and the draws: each draw takes
 * the next seed pair of the layer's generator (Keras `random.uniform(..., seed=self.generator)`) and computes
 * `random.uniform` for that pair on the host (the values of `dt.random.statelessUniform`), so which images change
 * and by how much depends only on the seed and the number of calls before, on every backend.
 * Part of src/nn: imports src/core only.
 *
 * Differences from Keras shared by all of them: the uniforms follow the process-wide algorithm
 * (`dt.random.setAlgorithm`: 'philox' = Keras on TensorFlow, tf.random.stateless_uniform; 'threefry' = Keras on
 * JAX); inside a tf.data pipeline Keras switches the layer to a separate TensorFlow-backend SeedGenerator
 * (TFDataLayer._get_seed_generator), while here the layer's one generator serves every call, in `Dataset.map` too
 * (map starts its calls in input order, so the draws do not depend on numParallelCalls; the map function must be
 * synchronous for that). Inference returns float32 input as is and casts integer input to float32 (Keras casts to
 * the compute dtype in most of these layers; RandomContrast keeps it). A pair factor must have both entries in the
 * bounds (Keras's base class checks only factor[0] <= upper bound and factor[1] >= lower bound).
 */
import {
  ArgumentError, IMAGE_TRANSFORM_FILL_MODES, IMAGE_TRANSFORM_INTERPOLATIONS, type ImageTransformFillMode,
  type ImageTransformInterpolation, SeedGenerator, makeDefaultSeed, ShapeError, type Tensor, cast, fmtShape, getAlgorithm,
  imageTransform, reshape, tensor, tidy, uniformValues,
} from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape } from '../layer.ts';

/** A factor: one number f (the range [-f, f], clipped to the layer's bounds) or a pair [lower, upper]. */
export type Factor = number | readonly [number, number];

/**
 * Keras's factor parsing: a number f in [lo, hi] gives [max(-|f|, lo), |f|]; a pair gives its entries sorted, each
 * required in [lo, hi] (Keras's base class only checks factor[0] <= hi and factor[1] >= lo for a pair; we check
 * both entries). `what` names the argument in the message.
 */
export function parseFactor(layer: string, what: string, factor: unknown, lo: number, hi: number): [number, number] {
  const bad = () => new ArgumentError(`${layer}: expected ${what} to be a number (or a list of two numbers) in the range [${lo}, ${hi}]. Received: ${what}=${JSON.stringify(factor)}`);
  const inRange = (v: unknown): v is number => typeof v === 'number' && v >= lo && v <= hi;
  if (Array.isArray(factor)) {
    if (factor.length !== 2 || !inRange(factor[0]) || !inRange(factor[1])) throw bad();
    return factor[0] <= factor[1] ? [factor[0], factor[1]] : [factor[1], factor[0]];
  }
  if (!inRange(factor)) throw bad();
  const f = Math.abs(factor);
  return [Math.max(-f, lo), f];
}

/** Checks an integer seed (or undefined). */
export function checkSeed(layer: string, seed: unknown): void {
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new ArgumentError(`${layer}: expected an integer seed. Received: seed=${String(seed)}`);
  }
}

/** Checks fillMode, interpolation and fillValue of the geometric layers; returns them with Keras's defaults. */
export function checkGeometry(layer: string, c: { fillMode?: unknown; interpolation?: unknown; fillValue?: unknown }): {
  fillMode: ImageTransformFillMode; interpolation: ImageTransformInterpolation; fillValue: number;
} {
  const fillMode = c.fillMode ?? 'reflect';
  const interpolation = c.interpolation ?? 'bilinear';
  const fillValue = c.fillValue ?? 0;
  if (!(IMAGE_TRANSFORM_FILL_MODES as readonly unknown[]).includes(fillMode)) {
    throw new ArgumentError(`${layer}: expected fillMode to be one of ${IMAGE_TRANSFORM_FILL_MODES.map((s) => `'${s}'`).join(', ')}. Received: fillMode=${JSON.stringify(fillMode)}`);
  }
  if (!(IMAGE_TRANSFORM_INTERPOLATIONS as readonly unknown[]).includes(interpolation)) {
    throw new ArgumentError(`${layer}: expected interpolation to be one of ${IMAGE_TRANSFORM_INTERPOLATIONS.map((s) => `'${s}'`).join(', ')}. Received: interpolation=${JSON.stringify(interpolation)}`);
  }
  if (typeof fillValue !== 'number') {
    throw new ArgumentError(`${layer}: expected fillValue to be a number. Received: fillValue=${String(fillValue)}`);
  }
  return { fillMode: fillMode as ImageTransformFillMode, interpolation: interpolation as ImageTransformInterpolation, fillValue };
}

/** Options every random image layer takes besides {@link LayerConfig}'s. */
export interface RandomImageConfig extends LayerConfig {
  /**
   * Integer seed of the layer's own SeedGenerator. Default: a seed drawn, at construction, from the global
   * Python-style generator that `dt.utils.setRandomSeed` reseeds (Keras's default seed), so seeded programs stay
   * reproducible.
   */
  seed?: number;
}

/** Options of the geometric layers (RandomRotation, RandomTranslation, RandomZoom). */
export interface RandomGeometryConfig extends RandomImageConfig {
  /** How points outside the image are filled: 'reflect' (default), 'wrap', 'constant' or 'nearest'. */
  fillMode?: ImageTransformFillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: ImageTransformInterpolation;
  /** The value of points outside the image for fillMode 'constant' (default 0). */
  fillValue?: number;
}

/**
 * Base of the random image layers: rank-3 [H, W, C] or rank-4 [N, H, W, C] channels-last input; in training
 * (`{ training: true }`) {@link RandomImageLayer.augment} runs on the batch (a single image as a batch of one);
 * at inference the input is returned (cast to float32 if it is not), as Keras 3 does.
 */
export abstract class RandomImageLayer extends Layer {
  /** The layer's seed generator; its state is saved in checkpoints. */
  readonly seedGenerator: SeedGenerator;
  /** The seed the layer was built with (undefined: Keras's default seed). */
  readonly seed?: number;

  /**
   * @param ownKeys the subclass's option keys besides `seed` and LayerConfig's
   * @param defaultSeedFirst unseeded, first draw a default seed for `seed` (Keras RandomCrop's `self.seed =
   *   make_default_seed()`) and then the generator's own, so the global generator advances as in Keras
   */
  protected constructor(config: RandomImageConfig, ownKeys: readonly string[], defaultSeedFirst = false) {
    super(config, ['seed', ...ownKeys]);
    checkSeed(new.target.name, config.seed);
    this.seed = config.seed ?? (defaultSeedFirst ? makeDefaultSeed() : undefined);
    this.seedGenerator = new SeedGenerator(config.seed);
  }

  protected override checkInput(shape: SymbolicShape): void {
    if (shape.length !== 3 && shape.length !== 4) {
      throw new ShapeError(`${this.label}: expected images of rank 4 [N, H, W, C] or rank 3 [H, W, C]. Received: input shape ${fmtShape(shape.map((d) => d ?? -1))}`);
    }
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  /** The training transformation of a float32 batch [N, H, W, C]. */
  protected abstract augment(images: Tensor): Tensor;

  /** At inference: the input itself (float32) or its float32 cast. */
  protected inference(images: Tensor): Tensor {
    return images.dtype === 'float32' ? images : cast(images, 'float32');
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training) return this.inference(x);
    return tidy(() => {
      const f = x.dtype === 'float32' ? x : cast(x, 'float32');
      if (x.rank === 4) return this.augment(f);
      const y = this.augment(reshape(f, [1, ...x.shape]));
      return reshape(y, y.shape.slice(1));
    });
  }

  /**
   * Keras `random.uniform(shape, minval, maxval, seed=self.generator)`: the next seed pair of the layer's
   * generator, `count` float32 values of `dt.random.statelessUniform` for that pair (current algorithm).
   */
  protected draw(count: number, minval: number, maxval: number): Float32Array {
    const seed = this.seedGenerator.next();
    return uniformValues([count], seed, { algorithm: getAlgorithm(), minval, maxval });
  }

  /** imageTransform of a float32 batch with one host row of 8 per image. */
  protected transform(images: Tensor, rows: Float32Array, o: { fillMode: ImageTransformFillMode; interpolation: ImageTransformInterpolation; fillValue: number }): Tensor {
    const t = tensor(rows, [images.shape[0], 8]);
    const y = imageTransform(images, t, { fillMode: o.fillMode, interpolation: o.interpolation, fillValue: o.fillValue });
    t.dispose();
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed ?? null };
  }
}
