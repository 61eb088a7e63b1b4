/**
 * RandomTranslation (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_translation.py): in
 * training, two draws of the layer's SeedGenerator per call, in this order: dy = f(uniform([N], hLower, hUpper) * H)
 * then dx = f(uniform([N], wLower, wUpper) * W) (float32 products, f = round to float32), and per image the
 * transform [1, 0, -dx, 0, 1, -dy, 0, 0] through imageTransform (Keras `ops.image.affine_transform`, the
 * TensorFlow kernel's semantics) with the layer's fill mode, interpolation and fill value. At inference the identity.
 * Part of src/nn: imports src/core only.
 *
 * Differences from Keras: the transform follows TensorFlow's ImageProjectiveTransformV3 on every backend (Keras's
 * NumPy / JAX backends sample with scipy-style map_coordinates: other values at the borders for 'constant' and
 * 'wrap'; see src/core/ops/image-transform.ts).
 */
import { type ImageTransformFillMode, type ImageTransformInterpolation, type Tensor } from '../../core/internal.ts';
import { type Factor, RandomImageLayer, type RandomGeometryConfig, checkGeometry, parseFactor } from './image-augmentation.ts';

const f = Math.fround;

/** Options of {@link RandomTranslation}. */
export type RandomTranslationConfig = RandomGeometryConfig;

/**
 * RandomTranslation, Keras 3 semantics: in training each image is shifted by a random fraction of its height in
 * [hLower, hUpper] (factor f: [-f, f]; a pair [lower, upper]; positive moves the content down) and of its width
 * (positive moves it right), the empty space filled per `fillMode` ('reflect' by default); at inference the
 * identity. Each training call takes the next two seed pairs of the layer's own {@link random.SeedGenerator}.
 *
 * @example
 * ```ts
 * const shift = new dt.layers.RandomTranslation(0.1, 0.1, { seed: 3, fillMode: 'constant' });
 * const augmented = shift.apply(images, { training: true });
 * ```
 * @throws {@link ArgumentError} for a factor outside [-1, 1], an unknown fillMode / interpolation, or a bad seed.
 */
export class RandomTranslation extends RandomImageLayer {
  /** The height factor as given. */
  readonly heightFactor: Factor;
  /** The width factor as given. */
  readonly widthFactor: Factor;
  /** How points outside the image are filled. */
  readonly fillMode: ImageTransformFillMode;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: ImageTransformInterpolation;
  /** Value of points outside the image for fillMode 'constant'. */
  readonly fillValue: number;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number];

  /**
   * @param heightFactor f in [-1, 1] (shifts in [-f, f] * height) or [lower, upper]
   * @param widthFactor f in [-1, 1] (shifts in [-f, f] * width) or [lower, upper]
   * @param config fillMode, interpolation, fillValue, seed, name
   */
  constructor(heightFactor: Factor, widthFactor: Factor, config: RandomTranslationConfig = {}) {
    super(config, ['fillMode', 'interpolation', 'fillValue']);
    this.hRange = parseFactor('RandomTranslation', 'heightFactor', heightFactor, -1, 1);
    this.wRange = parseFactor('RandomTranslation', 'widthFactor', widthFactor, -1, 1);
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
    const g = checkGeometry('RandomTranslation', config);
    this.fillMode = g.fillMode;
    this.interpolation = g.interpolation;
    this.fillValue = g.fillValue;
  }

  protected augment(images: Tensor): Tensor {
    const [n, h, w] = images.shape;
    const dy = this.draw(n, this.hRange[0], this.hRange[1]);
    const dx = this.draw(n, this.wRange[0], this.wRange[1]);
    const rows = new Float32Array(8 * n);
    for (let i = 0; i < n; i++) rows.set([1, 0, -f(dx[i] * w), 0, 1, -f(dy[i] * h), 0, 0], 8 * i);
    return this.transform(images, rows, this);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor, fillMode: this.fillMode,
      interpolation: this.interpolation, fillValue: this.fillValue,
    };
  }
}
