/**
 * RandomBrightness (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_brightness.py): in training,
 * one draw of the layer's SeedGenerator per call, d = uniform([N], lower, upper) (one value per image,
 * [N, 1, 1, 1] in Keras), delta = f32(d * f32(valueRange[1] - valueRange[0])), out = clip(x + delta, valueRange[0],
 * valueRange[1]). At inference the identity.
 * Part of src/nn: imports src/core only.
 *
 * Differences from Keras: none in the arithmetic (one float32 product, one add, one clip); the uniforms come from
 * the seed pair as `dt.random.statelessUniform` computes them.
 */
import { type Tensor, add, clipByValue, tensor } from '../../core/internal.ts';
import { type Factor, RandomImageLayer, type RandomImageConfig, parseFactor } from './image-augmentation.ts';
import { parseValueRange } from './random-contrast.ts';

/** Options of {@link RandomBrightness}. */
export interface RandomBrightnessConfig extends RandomImageConfig {
  /** [low, high] range of the pixel values: deltas are fractions of its width, outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
}

/**
 * RandomBrightness, Keras 3 semantics: in training a random delta, a fraction in [lower, upper] of the value range
 * (factor f: [-f, f]; a pair [lower, upper], each in [-1, 1]), is added to every pixel of each image and the result
 * clipped to `valueRange`; at inference the identity. Each training call takes the next seed pair of the layer's
 * own {@link random.SeedGenerator}.
 *
 * @example
 * ```ts
 * const brightness = new dt.layers.RandomBrightness(0.2, { seed: 7 }); // +-51 on [0, 255] images
 * const augmented = brightness.apply(images, { training: true });
 * ```
 * @throws {@link ArgumentError} for a factor outside [-1, 1], a bad valueRange, or a bad seed.
 */
export class RandomBrightness extends RandomImageLayer {
  /** The factor as given. */
  readonly factor: Factor;
  /** [lower, upper] fractions of the value range. */
  readonly range: [number, number];
  /** The value range. */
  readonly valueRange: [number, number];

  /**
   * @param factor f in [-1, 1] or [lower, upper]
   * @param config valueRange, seed, name
   */
  constructor(factor: Factor, config: RandomBrightnessConfig = {}) {
    super(config, ['valueRange']);
    this.range = parseFactor('RandomBrightness', 'factor', factor, -1, 1);
    this.factor = factor;
    this.valueRange = parseValueRange('RandomBrightness', config.valueRange ?? [0, 255]);
  }

  protected augment(images: Tensor): Tensor {
    const n = images.shape[0];
    const d = this.draw(n, this.range[0], this.range[1]);
    const width = Math.fround(this.valueRange[1] - this.valueRange[0]);
    for (let i = 0; i < n; i++) d[i] = Math.fround(d[i] * width);
    return clipByValue(add(images, tensor(d, [n, 1, 1, 1])), this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
