/**
 * RandomContrast (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_contrast.py): in training, one
 * draw of the layer's SeedGenerator per call, a = uniform([N], 1 - lower, 1 + upper) (one factor per image,
 * [N, 1, 1, 1] in Keras), then per image and channel mean = mean over the height, then over the width (Keras's two
 * keepdims means), out = clip((x - mean) * a + mean, valueRange[0], valueRange[1]), each step a float32 op of the
 * engine (the means are dt.mean: sum in the engine's fixed order, then one division). At inference the identity.
 * Part of src/nn: imports src/core only.
 *
 * Note (Keras 3's code, followed): factor bounds are [0, 1] and a single number f gives lower = max(-f, 0) = 0,
 * upper = f, i.e. contrast factors in [1, 1 + f] (the docstring says [1 - f, 1 + f]); pass [f, f] for
 * [1 - f, 1 + f]. Differences from Keras: integer images are cast to float32 (Keras keeps the dtype); valueRange is
 * sorted; a pair factor must have both entries in [0, 1] (Keras's base class checks only factor[0] <= 1 and
 * factor[1] >= 0); the means' summation order is the engine's (NumPy sums pairwise, TensorFlow in its own tree),
 * so a result may differ from Keras's in the last bit.
 */
import { ArgumentError, type Tensor, add, clipByValue, mean, mul, sub, tensor } from '../../core/internal.ts';
import { type Factor, RandomImageLayer, type RandomImageConfig, parseFactor } from './image-augmentation.ts';

/** Options of {@link RandomContrast}. */
export interface RandomContrastConfig extends RandomImageConfig {
  /** [low, high] range of the pixel values; outputs are clipped to it (default [0, 255]). */
  valueRange?: readonly [number, number];
}

/** Checks a [low, high] pair of finite numbers and returns it sorted. */
export function parseValueRange(layer: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new ArgumentError(`${layer}: expected valueRange to be a list of two numbers. Received: valueRange=${JSON.stringify(v)}`);
  }
  return v[0] <= v[1] ? [v[0], v[1]] : [v[1], v[0]];
}

/**
 * RandomContrast, Keras 3 semantics: in training each image's contrast is scaled about its per-channel mean by a
 * random factor (see {@link RandomContrastConfig}; factor f: [1, 1 + f] as Keras 3's code; a pair [a, b]:
 * [1 - a, 1 + b]) and clipped to `valueRange`; at inference the identity. Each training call takes the next seed
 * pair of the layer's own {@link random.SeedGenerator}.
 *
 * @example
 * ```ts
 * const contrast = new dt.layers.RandomContrast([0.2, 0.2], { seed: 6, valueRange: [0, 1] });
 * const augmented = contrast.apply(images, { training: true });
 * ```
 * @throws {@link ArgumentError} for a factor outside [0, 1], a bad valueRange, or a bad seed.
 */
export class RandomContrast extends RandomImageLayer {
  /** The factor as given. */
  readonly factor: Factor;
  /** The lower and upper bounds: contrast factors are drawn in [1 - range[0], 1 + range[1]). */
  readonly range: [number, number];
  /** The clipping range. */
  readonly valueRange: [number, number];

  /**
   * @param factor f in [0, 1] or [lower, upper] in [0, 1]
   * @param config valueRange, seed, name
   */
  constructor(factor: Factor, config: RandomContrastConfig = {}) {
    super(config, ['valueRange']);
    this.range = parseFactor('RandomContrast', 'factor', factor, 0, 1);
    this.factor = factor;
    this.valueRange = parseValueRange('RandomContrast', config.valueRange ?? [0, 255]);
  }

  protected augment(images: Tensor): Tensor {
    const n = images.shape[0];
    const a = tensor(this.draw(n, 1 - this.range[0], 1 + this.range[1]), [n, 1, 1, 1]);
    const m = mean(mean(images, 1, true), 2, true);
    return clipByValue(add(mul(sub(images, m), a), m), this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
