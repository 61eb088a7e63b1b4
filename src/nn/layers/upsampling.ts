/**
 * UpSampling2D (Keras 3, NHWC): repeats rows and columns ('nearest', Keras's ops.repeat) or resizes
 * bilinearly ('bilinear', Keras's ops.image.resize: TensorFlow 2 half-pixel centers, no antialias),
 * both composed from gather (+ sub/mul/add for bilinear), so differentiable.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops, pair, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank } from '../layer.ts';
import { type DataFormat, checkDataFormat } from './data-format.ts';
import { bilinearResize } from './image-resize.ts';

/** Options of {@link UpSampling2D}. */
export interface UpSampling2DConfig extends LayerConfig {
  /** 'nearest' (default: each row and column repeated) or 'bilinear' (TensorFlow 2 `tf.image.resize`). */
  interpolation?: 'nearest' | 'bilinear';
  /** Only 'channels_last' (the default; layers are NHWC). */
  dataFormat?: DataFormat;
}

/**
 * 2-D upsampling layer, Keras `UpSampling2D(size=(2, 2), interpolation='nearest')`: [N, H, W, C] ->
 * [N, H * sh, W * sw, C]. 'nearest' repeats each row sh times and each column sw times; 'bilinear' is Keras's
 * `ops.image.resize` (half-pixel centers, no antialiasing), the same bits as `dt.image.resize`. Differentiable.
 * @throws {@link ArgumentError} for a bad size or interpolation; {@link ShapeError} for input that is not rank 4.
 */
export class UpSampling2D extends Layer {
  /** The upsampling factors of rows and columns, as [sh, sw]. */
  readonly size: [number, number];
  /** 'nearest' or 'bilinear'. */
  readonly interpolation: 'nearest' | 'bilinear';

  /**
   * @param size a positive integer or a pair [sh, sw] (default 2)
   * @param config interpolation, dataFormat, name
   */
  constructor(size: number | [number, number] = 2, config: UpSampling2DConfig = {}) {
    super(config, ['interpolation', 'dataFormat']);
    this.size = pair('UpSampling2D', 'size', size, [2, 2]);
    const interp = config.interpolation ?? 'nearest';
    if (interp !== 'nearest' && interp !== 'bilinear') {
      throw new ArgumentError(`UpSampling2D: expected interpolation 'nearest' or 'bilinear'. Received: interpolation=${JSON.stringify(interp)}`);
    }
    this.interpolation = interp;
    checkDataFormat('UpSampling2D', config.dataFormat);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
  }

  computeOutputShape([n, h, w, c]: SymbolicShape): (number | null)[] {
    return [n, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [, h, w] = x.shape;
    const [sh, sw] = this.size;
    if (this.interpolation === 'bilinear') return bilinearResize(x, [h * sh, w * sw]);
    const rep = (n: number, s: number): number[] => Array.from({ length: n * s }, (_, i) => Math.floor(i / s));
    return tidy(() => ops.gather(ops.gather(x, rep(h, sh), 1), rep(w, sw), 2));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, interpolation: this.interpolation, dataFormat: 'channels_last' };
  }
}
