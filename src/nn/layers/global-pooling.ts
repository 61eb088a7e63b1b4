/**
 * GlobalMaxPooling2D (Keras 3, NHWC): the maximum over the spatial axes, by the max reduction
 * (its reduction order and tie rule are the op's; the gradient goes to the maxima as `max` defines).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank } from '../layer.ts';
import { type DataFormat, checkDataFormat } from './data-format.ts';

/** Options of {@link GlobalMaxPooling2D} and GlobalAveragePooling2D. */
export interface GlobalPooling2DConfig extends LayerConfig {
  /** Keep the spatial axes as size 1 ([N, 1, 1, C]) instead of removing them ([N, C]); default false. */
  keepdims?: boolean;
  /** Only 'channels_last' (the default; layers are NHWC). */
  dataFormat?: DataFormat;
}

/** Validates keepdims and dataFormat; returns keepdims. */
export function checkGlobalPoolingConfig(cls: string, config: GlobalPooling2DConfig): boolean {
  if (config.keepdims !== undefined && typeof config.keepdims !== 'boolean') {
    throw new ArgumentError(`${cls}: expected keepdims to be a boolean. Received: keepdims=${JSON.stringify(config.keepdims) ?? String(config.keepdims)}`);
  }
  checkDataFormat(cls, config.dataFormat);
  return config.keepdims ?? false;
}

/**
 * Maximum over the spatial axes, Keras `GlobalMaxPooling2D(keepdims=False)`: [N, H, W, C] -> [N, C]
 * ([N, 1, 1, C] with keepdims).
 * @throws {@link ArgumentError} for a bad keepdims or dataFormat; {@link ShapeError} for input that is not rank 4.
 */
export class GlobalMaxPooling2D extends Layer {
  /** Whether the spatial axes are kept as size 1. */
  readonly keepdims: boolean;

  /** @param config keepdims, dataFormat, name */
  constructor(config: GlobalPooling2DConfig = {}) {
    super(config, ['keepdims', 'dataFormat']);
    this.keepdims = checkGlobalPoolingConfig('GlobalMaxPooling2D', config);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
  }

  computeOutputShape([n, , , c]: SymbolicShape): (number | null)[] {
    return this.keepdims ? [n, 1, 1, c] : [n, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.max(x, [1, 2], this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}
