/**
 * RandomCrop (Keras 3, keras/src/layers/preprocessing/image_preprocessing/random_crop.py): in training, when the
 * input is larger than (height, width) in both dimensions, two draws of the layer's SeedGenerator per call, in this
 * order: hStart = trunc(uniform([1], 0, H - height + 1)), wStart = trunc(uniform([1], 0, W - width + 1)) (one offset
 * for the whole batch, as Keras draws shape ()), and the batch is sliced to [hStart, hStart + height) x
 * [wStart, wStart + width). Otherwise (at inference, or an input not larger in both dimensions) no draw: the
 * largest centred window with the target's aspect ratio, cropHeight = min(H, max(1, trunc(W height / width))),
 * cropWidth = min(W, max(1, trunc(H width / height))) (float64 divisions, as Keras's Python), starting at
 * trunc((H - cropHeight) / 2), trunc((W - cropWidth) / 2), resized to (height, width) with bilinear resizing
 * (dt.image.resize, TensorFlow semantics) when its size differs.
 * Part of src/nn: imports src/core only.
 *
 * Differences from Keras: at inference Keras 3's current code returns the input unchanged (its transform_images is
 * guarded by `if training`, keras-team/keras#21868, fixed by #22328); we apply the centre crop/resize that Keras
 * computes there and documents, so the output shape is (height, width) in both modes. Keras's JAX backend resizes
 * with jax.image.resize; we follow TensorFlow's resize.
 */
import { ArgumentError, type Tensor, cast, reshape, resizeBilinear, slice, tidy } from '../../core/internal.ts';
import type { CallContext, SymbolicShape } from '../layer.ts';
import { RandomImageLayer, type RandomImageConfig } from './image-augmentation.ts';

/** Options of {@link RandomCrop}. */
export type RandomCropConfig = RandomImageConfig;

/**
 * RandomCrop, Keras 3 semantics: in training a random (height, width) window of the batch (one offset for all
 * images); at inference, or for inputs not larger than the target, the largest centred window with the target's
 * aspect ratio resized to (height, width). Each random crop takes the next two seed pairs of the layer's own
 * {@link random.SeedGenerator}.
 *
 * @example
 * ```ts
 * const crop = new dt.layers.RandomCrop(24, 24, { seed: 5 });
 * const patches = crop.apply(images, { training: true }); // [N, 28, 28, C] -> [N, 24, 24, C]
 * ```
 * @throws {@link ArgumentError} for a height or width that is not a positive integer, or a bad seed.
 */
export class RandomCrop extends RandomImageLayer {
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;

  /**
   * @param height output height (positive integer)
   * @param width output width (positive integer)
   * @param config seed, name
   */
  constructor(height: number, width: number, config: RandomCropConfig = {}) {
    super(config, [], true);
    for (const [k, v] of [['height', height], ['width', width]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`RandomCrop: expected ${k} to be a positive integer. Received: ${k}=${String(v)}`);
    }
    this.height = height;
    this.width = width;
  }

  override computeOutputShape(shape: SymbolicShape): (number | null)[] {
    const out = [...shape];
    out[out.length - 3] = this.height;
    out[out.length - 2] = this.width;
    return out;
  }

  protected augment(images: Tensor): Tensor {
    return this.crop(images, true);
  }

  override call(x: Tensor, ctx: CallContext): Tensor {
    return tidy(() => {
      const f = x.dtype === 'float32' ? x : cast(x, 'float32');
      if (x.rank === 4) return this.crop(f, !!ctx.training);
      const y = this.crop(reshape(f, [1, ...x.shape]), !!ctx.training);
      return reshape(y, y.shape.slice(1));
    });
  }

  private crop(images: Tensor, training: boolean): Tensor {
    const [n, H, W, C] = images.shape;
    const { height, width } = this;
    if (training && H > height && W > width) {
      const h0 = Math.trunc(this.draw(1, 0, H - height + 1)[0]);
      const w0 = Math.trunc(this.draw(1, 0, W - width + 1)[0]);
      return slice(images, [0, h0, w0, 0], [n, height, width, C]);
    }
    const ch = Math.max(Math.min(H, Math.trunc((W * height) / width)), 1);
    const cw = Math.max(Math.min(W, Math.trunc((H * width) / height)), 1);
    const h0 = Math.trunc((H - ch) / 2);
    const w0 = Math.trunc((W - cw) / 2);
    const cropped = ch === H && cw === W ? images : slice(images, [0, h0, w0, 0], [n, ch, cw, C]);
    return ch === height && cw === width ? cropped : resizeBilinear(cropped, [height, width]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}
