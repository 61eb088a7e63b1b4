/**
 * The non-random image preprocessing layers of Keras 3: Rescaling (x * scale + offset), Resizing
 * (TensorFlow 2 bilinear or nearest resize, optional center crop to the target aspect ratio) and
 * CenterCrop (a center slice, or Keras's crop-to-aspect-ratio resize when the image is smaller).
 * All composed from existing ops (see image-resize.ts), so differentiable, the same bits on every backend.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym } from '../layer.ts';
import { type DataFormat, checkDataFormat } from './data-format.ts';
import { type Interpolation, resizeImages } from './image-resize.ts';

const fmt = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Options of {@link Rescaling}. */
export interface RescalingConfig extends LayerConfig {
  /** Added after scaling (default 0). */
  offset?: number;
}

/**
 * Rescales its input, Keras `Rescaling(scale, offset=0.0)`: `cast(x, float32) * scale + offset` (two float32 roundings,
 * as in Keras). E.g. `new Rescaling(1 / 255)` maps [0, 255] to [0, 1], `new Rescaling(1 / 127.5, { offset: -1 })` to
 * [-1, 1]. Integer inputs are cast to float32 first. scale and offset are numbers (Keras also takes arrays).
 * @throws {@link ArgumentError} for a scale or offset that is not a finite number.
 */
export class Rescaling extends Layer {
  /** The factor. */
  readonly scale: number;
  /** The offset added after scaling. */
  readonly offset: number;

  /**
   * @param scale the factor applied to the input
   * @param config offset (default 0), name
   */
  constructor(scale: number, config: RescalingConfig = {}) {
    super(config, ['offset']);
    const offset = config.offset ?? 0;
    for (const [k, v] of [['scale', scale], ['offset', offset]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`Rescaling: expected ${k} to be a finite number. Received: ${k}=${fmt(v)}`);
    }
    this.scale = scale;
    this.offset = offset;
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => ops.add(ops.mul(x.dtype === 'float32' ? x : ops.cast(x, 'float32'), this.scale), this.offset));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

/** Throws unless v is a positive integer. */
function checkDim(cls: string, name: string, v: unknown): number {
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw new ArgumentError(`${cls}: expected ${name} to be a positive integer. Received: ${name}=${fmt(v)}`);
  return v as number;
}

/** Rank 4 and known-nonzero spatial dims. */
function checkImages(label: string, shape: SymbolicShape): void {
  expectInputRank(label, shape, 4, '[N, H, W, C]');
  if (shape[1] === 0 || shape[2] === 0) throw new ShapeError(`${label}: expected images of nonzero height and width. Received: input shape ${fmtSym(shape)}`);
}

/** Options of {@link Resizing}. */
export interface ResizingConfig extends LayerConfig {
  /** 'bilinear' (default) or 'nearest'; TensorFlow 2 `tf.image.resize` semantics (half-pixel centers, no antialias). */
  interpolation?: Interpolation;
  /** Center-crop the largest window of the target aspect ratio first, so the image is not distorted (default false). */
  cropToAspectRatio?: boolean;
  /** Only 'channels_last' (the default; layers are NHWC). */
  dataFormat?: DataFormat;
}

/**
 * Resizes images to height x width, Keras `Resizing(height, width, interpolation='bilinear',
 * crop_to_aspect_ratio=False)`: [N, H, W, C] -> [N, height, width, C] (integer images are cast to float32).
 * 'bilinear' has the bits of `dt.image.resize`; 'nearest' is TensorFlow 2's nearest neighbour with half-pixel
 * centers (source index floor((i + 0.5) * H / height)). Differentiable. Only batched (rank-4) input.
 * @throws {@link ArgumentError} for a bad size, interpolation or option; {@link ShapeError} for input that is not rank 4.
 */
export class Resizing extends Layer {
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: Interpolation;
  /** Whether the image is center-cropped to the target aspect ratio first. */
  readonly cropToAspectRatio: boolean;

  /**
   * @param height output height
   * @param width output width
   * @param config interpolation, cropToAspectRatio, dataFormat, name
   */
  constructor(height: number, width: number, config: ResizingConfig = {}) {
    super(config, ['interpolation', 'cropToAspectRatio', 'dataFormat']);
    this.height = checkDim('Resizing', 'height', height);
    this.width = checkDim('Resizing', 'width', width);
    const interp = config.interpolation ?? 'bilinear';
    if (interp !== 'bilinear' && interp !== 'nearest') {
      throw new ArgumentError(`Resizing: expected interpolation 'bilinear' or 'nearest' (bicubic, lanczos and area are not supported). Received: interpolation=${fmt(interp)}`);
    }
    this.interpolation = interp;
    if (config.cropToAspectRatio !== undefined && typeof config.cropToAspectRatio !== 'boolean') {
      throw new ArgumentError(`Resizing: expected cropToAspectRatio to be a boolean. Received: cropToAspectRatio=${fmt(config.cropToAspectRatio)}`);
    }
    this.cropToAspectRatio = config.cropToAspectRatio ?? false;
    checkDataFormat('Resizing', config.dataFormat);
  }

  protected override checkInput(shape: SymbolicShape): void {
    checkImages(this.label, shape);
  }

  computeOutputShape([n, , , c]: SymbolicShape): (number | null)[] {
    return [n, this.height, this.width, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => resizeImages(x.dtype === 'float32' ? x : ops.cast(x, 'float32'), [this.height, this.width], this.interpolation, this.cropToAspectRatio));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio, dataFormat: 'channels_last',
    };
  }
}

/** Options of {@link CenterCrop}. */
export interface CenterCropConfig extends LayerConfig {
  /** Only 'channels_last' (the default; layers are NHWC). */
  dataFormat?: DataFormat;
}

/**
 * Crops the center of images to height x width, Keras 3 `CenterCrop(height, width)`: [N, H, W, C] ->
 * [N, height, width, C], the window starting at row int((H - height) / 2) and column int((W - width) / 2). As in
 * Keras, when the image is smaller than the target in either axis it is not padded but resized: the largest centered
 * window of the target aspect ratio is cut and resized bilinearly to height x width. Differentiable.
 * @throws {@link ArgumentError} for a bad size; {@link ShapeError} for input that is not rank 4.
 */
export class CenterCrop extends Layer {
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;

  /**
   * @param height output height
   * @param width output width
   * @param config dataFormat, name
   */
  constructor(height: number, width: number, config: CenterCropConfig = {}) {
    super(config, ['dataFormat']);
    this.height = checkDim('CenterCrop', 'height', height);
    this.width = checkDim('CenterCrop', 'width', width);
    checkDataFormat('CenterCrop', config.dataFormat);
  }

  protected override checkInput(shape: SymbolicShape): void {
    checkImages(this.label, shape);
  }

  computeOutputShape([n, , , c]: SymbolicShape): (number | null)[] {
    return [n, this.height, this.width, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => {
      const xf = x.dtype === 'float32' ? x : ops.cast(x, 'float32');
      const [, h, w] = x.shape;
      const dh = h - this.height;
      const dw = w - this.width;
      if (dh >= 0 && dw >= 0) return ops.slice(xf, [0, Math.trunc(dh / 2), Math.trunc(dw / 2), 0], [-1, this.height, this.width, -1]);
      return resizeImages(xf, [this.height, this.width], 'bilinear', true);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: 'channels_last' };
  }
}
