/**
 * RandomFlip (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_flip.py): in training, one draw of
 * the layer's SeedGenerator per call, u = uniform([N]) (one value per image, [N, 1, 1, 1] in Keras), and image i
 * is flipped where u[i] <= 0.5: left-right ('horizontal'), top-bottom ('vertical'), or both at once
 * ('horizontal_and_vertical': Keras applies both flips with the same mask, so an image is either rotated by 180
 * degrees or left as is). At inference the identity.
 * Part of src/nn: imports src/core only.
 *
 * The flips are imageTransform with nearest sampling at exact integer coordinates ([-1, 0, W - 1, 0, 1, 0, 0, 0]
 * etc.), i.e. exact copies of the pixels. Differences from Keras: the uniforms come from the seed pair as
 * `dt.random.statelessUniform` computes them (Keras on TensorFlow: tf.random.stateless_uniform with the same pair,
 * the same Philox stream; inside tf.data Keras switches to a TensorFlow SeedGenerator, which we do not model).
 */
import { ArgumentError, type Tensor } from '../../core/internal.ts';
import { RandomImageLayer, type RandomImageConfig } from './image-augmentation.ts';

/** Flip directions of {@link RandomFlip}. */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

/** Options of {@link RandomFlip}. */
export type RandomFlipConfig = RandomImageConfig;

/**
 * RandomFlip, Keras 3 semantics: in training each image of the batch is flipped with probability 1/2 (left-right,
 * top-bottom, or both together for 'horizontal_and_vertical'); at inference the identity. Each training call takes
 * the next seed pair of the layer's own {@link random.SeedGenerator}, so the same flips in every run with the same
 * seed, on every backend.
 *
 * @example
 * ```ts
 * const flip = new dt.layers.RandomFlip('horizontal', { seed: 1 });
 * const augmented = flip.apply(images, { training: true }); // images [N, H, W, C]
 * ```
 * @throws {@link ArgumentError} for an unknown mode or a seed that is not an integer.
 */
export class RandomFlip extends RandomImageLayer {
  /** Which flips the layer draws. */
  readonly mode: FlipMode;

  /**
   * @param mode 'horizontal' (left-right), 'vertical' (top-bottom) or 'horizontal_and_vertical' (default)
   * @param config seed, name
   */
  constructor(mode: FlipMode = 'horizontal_and_vertical', config: RandomFlipConfig = {}) {
    super(config, []);
    if (!MODES.includes(mode)) {
      throw new ArgumentError(`RandomFlip: expected mode to be one of ${MODES.map((m) => `'${m}'`).join(', ')}. Received: mode=${JSON.stringify(mode)}`);
    }
    this.mode = mode;
  }

  protected augment(images: Tensor): Tensor {
    const [n, h, w] = images.shape;
    const u = this.draw(n, 0, 1);
    const hor = this.mode !== 'vertical';
    const ver = this.mode !== 'horizontal';
    const rows = new Float32Array(8 * n);
    for (let i = 0; i < n; i++) {
      const flip = u[i] <= 0.5;
      rows.set([flip && hor ? -1 : 1, 0, flip && hor ? w - 1 : 0, 0, flip && ver ? -1 : 1, flip && ver ? h - 1 : 0, 0, 0], 8 * i);
    }
    return this.transform(images, rows, { fillMode: 'nearest', interpolation: 'nearest', fillValue: 0 });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode };
  }
}
