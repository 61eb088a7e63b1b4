/**
 * ZeroPadding2D and Cropping2D (Keras 3, NHWC): zeros added around, or rows and columns removed
 * from, the spatial axes, by `pad` and `slice` (both differentiable: each is the other's gradient).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym } from '../layer.ts';
import { type DataFormat, checkDataFormat } from './data-format.ts';

/** Keras's padding/cropping forms: n (all four sides), [h, w] (symmetric), or [[top, bottom], [left, right]]. */
export type SpatialAmounts = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** Options of {@link ZeroPadding2D} and {@link Cropping2D}. */
export interface SpatialAmountsConfig extends LayerConfig {
  /** Only 'channels_last' (the default; layers are NHWC). */
  dataFormat?: DataFormat;
}

/** [[top, bottom], [left, right]] from Keras's three forms, each a non-negative integer. */
function normalizeAmounts(cls: string, name: string, v: unknown): [[number, number], [number, number]] {
  const ok = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (ok(v)) return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    if (ok(v[0]) && ok(v[1])) return [[v[0], v[0]], [v[1], v[1]]];
    const p = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && ok(q[0]) && ok(q[1]);
    if (p(v[0]) && p(v[1])) return [[v[0][0], v[0][1]], [v[1][0], v[1][1]]];
  }
  throw new ArgumentError(`${cls}: expected ${name} to be a non-negative integer, a pair [h, w] or a pair of pairs [[top, bottom], [left, right]]. Received: ${name}=${JSON.stringify(v) ?? String(v)}`);
}

/**
 * Zero-padding layer for images, Keras `ZeroPadding2D(padding=(1, 1))`: [N, H, W, C] -> [N, top + H + bottom,
 * left + W + right, C]. `padding` is n (every side), [h, w] (h rows above and below, w columns left and right) or
 * [[top, bottom], [left, right]].
 * @throws {@link ArgumentError} for a bad padding; {@link ShapeError} for input that is not rank 4.
 */
export class ZeroPadding2D extends Layer {
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];

  /**
   * @param padding n, [h, w] or [[top, bottom], [left, right]] (default 1)
   * @param config dataFormat, name
   */
  constructor(padding: SpatialAmounts = 1, config: SpatialAmountsConfig = {}) {
    super(config, ['dataFormat']);
    this.padding = normalizeAmounts('ZeroPadding2D', 'padding', padding);
    checkDataFormat('ZeroPadding2D', config.dataFormat);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
  }

  computeOutputShape([n, h, w, c]: SymbolicShape): (number | null)[] {
    const [[t, b], [l, r]] = this.padding;
    return [n, h === null ? null : h + t + b, w === null ? null : w + l + r, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, dataFormat: 'channels_last' };
  }
}

/**
 * Cropping layer for images, Keras `Cropping2D(cropping=((0, 0), (0, 0)))`: [N, H, W, C] -> [N, H - top - bottom,
 * W - left - right, C]. `cropping` takes the same three forms as ZeroPadding2D's padding.
 * @throws {@link ArgumentError} for a bad cropping; {@link ShapeError} for input that is not rank 4 or that the
 * cropping would leave empty (Keras's error).
 */
export class Cropping2D extends Layer {
  /** [[top, bottom], [left, right]]. */
  readonly cropping: [[number, number], [number, number]];

  /**
   * @param cropping n, [h, w] or [[top, bottom], [left, right]] (default 0)
   * @param config dataFormat, name
   */
  constructor(cropping: SpatialAmounts = 0, config: SpatialAmountsConfig = {}) {
    super(config, ['dataFormat']);
    this.cropping = normalizeAmounts('Cropping2D', 'cropping', cropping);
    checkDataFormat('Cropping2D', config.dataFormat);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 4, '[N, H, W, C]');
    const [[t, b], [l, r]] = this.cropping;
    const [, h, w] = shape;
    if ((h !== null && t + b >= h) || (w !== null && l + r >= w)) {
      throw new ShapeError(`${this.label}: expected a cropping smaller than the input (at least one row and column left). Received: cropping=${JSON.stringify(this.cropping)}, input shape ${fmtSym(shape)}`);
    }
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    this.checkInput(shape);
    const [n, h, w, c] = shape;
    const [[t, b], [l, r]] = this.cropping;
    return [n, h === null ? null : h - t - b, w === null ? null : w - l - r, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [[t, b], [l, r]] = this.cropping;
    return ops.slice(x, [0, t, l, 0], [-1, x.shape[1] - t - b, x.shape[2] - l - r, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping, dataFormat: 'channels_last' };
  }
}
