/**
 * RandomRotation (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_rotation.py): in training, one
 * draw of the layer's SeedGenerator per call, angle = uniform([N], lower, upper) with lower = f32(f32(2 factor[0]) *
 * f32(pi)) (likewise upper; Keras `factor * 2.0 * convert_to_tensor(np.pi)` in float32), then per image, in float32
 * (f = round to float32):
 *   c = cos(angle), s = sin(angle)
 *   xOffset = f(f((W - 1) - f(f(c (W - 1)) - f(s (H - 1)))) / 2)
 *   yOffset = f(f((H - 1) - f(f(s (W - 1)) + f(c (H - 1)))) / 2)
 *   transform [c, -s, xOffset, s, c, yOffset, 0, 0]        (a rotation about the image centre)
 * and imageTransform (Keras `ops.image.affine_transform`, the TensorFlow kernel's semantics) with the layer's fill
 * mode, interpolation and fill value. At inference the identity.
 * Part of src/nn: imports src/core only.
 *
 * Differences from Keras: cos and sin are glibc's sincosf (bit-exact port, src/core/random/glibc-sincosf.ts, the
 * correctly rounded value in practice); Keras on TensorFlow evaluates tf.cos / tf.sin (Eigen's vectorised float
 * polynomials, within an ulp or so of it), on JAX XLA's. The transform itself follows TensorFlow's
 * ImageProjectiveTransformV3; Keras's NumPy / JAX backends sample with scipy-style map_coordinates, which differs at
 * the image borders for 'constant' and 'wrap' (see src/core/ops/image-transform.ts). A pair factor must have both
 * entries in [-1, 1] (Keras's base class checks only factor[0] <= 1 and factor[1] >= -1).
 */
import { type ImageTransformFillMode, type ImageTransformInterpolation, type Tensor, glibcSincosf } from '../../core/internal.ts';
import { type Factor, RandomImageLayer, type RandomGeometryConfig, checkGeometry, parseFactor } from './image-augmentation.ts';

const f = Math.fround;

/** The transform rows of rotations by `angles` about the centre of an h x w image (float32 steps of the header). */
function rotationRows(angles: Float32Array, h: number, w: number): Float32Array {
  const rows = new Float32Array(8 * angles.length);
  const sc = new Float32Array(2);
  const w1 = w - 1;
  const h1 = h - 1;
  for (let i = 0; i < angles.length; i++) {
    glibcSincosf(angles[i], sc);
    const s = sc[0];
    const c = sc[1];
    const xOffset = f(f(w1 - f(f(c * w1) - f(s * h1))) / 2);
    const yOffset = f(f(h1 - f(f(s * w1) + f(c * h1))) / 2);
    rows.set([c, -s, xOffset, s, c, yOffset, 0, 0], 8 * i);
  }
  return rows;
}

/** Options of {@link RandomRotation}. */
export type RandomRotationConfig = RandomGeometryConfig;

/**
 * RandomRotation, Keras 3 semantics: in training each image is rotated about its centre by a random angle in
 * [lower, upper] * 2 pi (factor f: [-f, f]; a pair: [factor[0], factor[1]]; positive is counter-clockwise), the
 * empty space filled per `fillMode` ('reflect' by default); at inference the identity. Each training call takes the
 * next seed pair of the layer's own {@link random.SeedGenerator}: the same angles in every run with the same seed,
 * the same bits on every backend.
 *
 * @example
 * ```ts
 * const rot = new dt.layers.RandomRotation(0.1, { seed: 2 }); // up to +-36 degrees
 * const augmented = rot.apply(images, { training: true });
 * ```
 * @throws {@link ArgumentError} for a factor outside [-1, 1], an unknown fillMode / interpolation, or a bad seed.
 */
export class RandomRotation extends RandomImageLayer {
  /** The factor as given. */
  readonly factor: Factor;
  /** [lower, upper] fractions of 2 pi. */
  readonly range: [number, number];
  /** How points outside the image are filled. */
  readonly fillMode: ImageTransformFillMode;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: ImageTransformInterpolation;
  /** Value of points outside the image for fillMode 'constant'. */
  readonly fillValue: number;

  /**
   * @param factor f in [-1, 1] (angles in [-f, f] * 2 pi) or [lower, upper]
   * @param config fillMode, interpolation, fillValue, seed, name
   */
  constructor(factor: Factor, config: RandomRotationConfig = {}) {
    super(config, ['fillMode', 'interpolation', 'fillValue']);
    this.range = parseFactor('RandomRotation', 'factor', factor, -1, 1);
    this.factor = factor;
    const g = checkGeometry('RandomRotation', config);
    this.fillMode = g.fillMode;
    this.interpolation = g.interpolation;
    this.fillValue = g.fillValue;
  }

  protected augment(images: Tensor): Tensor {
    const [n, h, w] = images.shape;
    const pi = f(Math.PI);
    const angles = this.draw(n, f(f(this.range[0] * 2) * pi), f(f(this.range[1] * 2) * pi));
    return this.transform(images, rotationRows(angles, h, w), this);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}
