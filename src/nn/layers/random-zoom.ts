/**
 * RandomZoom (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_zoom.py): in training, one or two
 * draws of the layer's SeedGenerator per call, in this order: zy = uniform([N], 1 + hLower, 1 + hUpper), then, if a
 * widthFactor was given, zx = uniform([N], 1 + wLower, 1 + wUpper) (else zx = zy); per image, in float32
 * (f = round to float32):
 *   xOffset = f(f(W - 1) / 2 * f(1 - zx)),  yOffset = f(f(H - 1) / 2 * f(1 - zy))
 *   transform [zx, 0, xOffset, 0, zy, yOffset, 0, 0]           (a zoom about the image centre)
 * through imageTransform (Keras `ops.image.affine_transform`, the TensorFlow kernel's semantics) with the layer's
 * fill mode, interpolation and fill value. A zoom factor above 1 samples a larger area: the content shrinks
 * ("zoom out"); below 1 it grows. At inference the identity.
 * Part of src/nn: imports src/core only.
 *
 * Differences from Keras: the transform follows TensorFlow's ImageProjectiveTransformV3 on every backend (Keras's
 * NumPy / JAX backends sample with scipy-style map_coordinates: other values at the borders for 'constant' and
 * 'wrap'; see src/core/ops/image-transform.ts).
 */
import { type ImageTransformFillMode, type ImageTransformInterpolation, type Tensor } from '../../core/internal.ts';
import { type Factor, RandomImageLayer, type RandomGeometryConfig, checkGeometry, parseFactor } from './image-augmentation.ts';

const f = Math.fround;

/** Options of {@link RandomZoom}. */
export type RandomZoomConfig = RandomGeometryConfig;

/**
 * RandomZoom, Keras 3 semantics: in training each image is zoomed about its centre by a random factor 1 + z with z
 * in [hLower, hUpper] vertically (heightFactor f: [-f, f]; a pair [lower, upper]) and in the width range
 * horizontally (widthFactor null: the same factor for both axes, the aspect ratio kept); the empty space filled per
 * `fillMode` ('reflect' by default). At inference the identity. Each training call takes the next seed pair(s) of
 * the layer's own {@link random.SeedGenerator}.
 *
 * @example
 * ```ts
 * const zoom = new dt.layers.RandomZoom(0.2, null, { seed: 4 });
 * const augmented = zoom.apply(images, { training: true });
 * ```
 * @throws {@link ArgumentError} for a factor outside [-1, 1], an unknown fillMode / interpolation, or a bad seed.
 */
export class RandomZoom extends RandomImageLayer {
  /** The height factor as given. */
  readonly heightFactor: Factor;
  /** The width factor as given (null: the height's zoom for both axes). */
  readonly widthFactor: Factor | null;
  /** How points outside the image are filled. */
  readonly fillMode: ImageTransformFillMode;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: ImageTransformInterpolation;
  /** Value of points outside the image for fillMode 'constant'. */
  readonly fillValue: number;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number] | null;

  /**
   * @param heightFactor f in [-1, 1] (zoom factors in 1 + [-f, f]) or [lower, upper]
   * @param widthFactor like heightFactor for the width; null (default): the height's zoom for both axes
   * @param config fillMode, interpolation, fillValue, seed, name
   */
  constructor(heightFactor: Factor, widthFactor: Factor | null = null, config: RandomZoomConfig = {}) {
    super(config, ['fillMode', 'interpolation', 'fillValue']);
    this.hRange = parseFactor('RandomZoom', 'heightFactor', heightFactor, -1, 1);
    this.wRange = widthFactor === null || widthFactor === undefined ? null : parseFactor('RandomZoom', 'widthFactor', widthFactor, -1, 1);
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor ?? null;
    const g = checkGeometry('RandomZoom', config);
    this.fillMode = g.fillMode;
    this.interpolation = g.interpolation;
    this.fillValue = g.fillValue;
  }

  protected augment(images: Tensor): Tensor {
    const [n, h, w] = images.shape;
    const zy = this.draw(n, 1 + this.hRange[0], 1 + this.hRange[1]);
    const zx = this.wRange ? this.draw(n, 1 + this.wRange[0], 1 + this.wRange[1]) : zy;
    const rows = new Float32Array(8 * n);
    const cx = f((w - 1) / 2);
    const cy = f((h - 1) / 2);
    for (let i = 0; i < n; i++) rows.set([zx[i], 0, f(cx * f(1 - zx[i])), 0, zy[i], f(cy * f(1 - zy[i])), 0, 0], 8 * i);
    return this.transform(images, rows, this);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor, fillMode: this.fillMode,
      interpolation: this.interpolation, fillValue: this.fillValue,
    };
  }
}
