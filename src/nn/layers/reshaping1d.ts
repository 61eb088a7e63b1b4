/**
 * UpSampling1D, ZeroPadding1D and Cropping1D (Keras 3, [N, T, C]): timesteps repeated (gather),
 * zeros added at the ends (pad) or timesteps removed from them (slice); all differentiable, the
 * gradients being gatherGrad (a sum over the repeats in order), slice and pad.
 * Like Keras 3, none of them supports masking (a mask they receive in a model is dropped).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym } from '../layer.ts';

/** [left, right] from n (both ends) or a pair, each a non-negative integer. */
function ends(cls: string, name: string, v: unknown): [number, number] {
  const ok = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new ArgumentError(`${cls}: expected ${name} to be a non-negative integer or a pair [left, right] of them. Received: ${name}=${JSON.stringify(v) ?? String(v)}`);
}

/**
 * Repeats each timestep, Keras `UpSampling1D(size=2)`: [N, T, C] -> [N, T * size, C].
 * @throws {@link ArgumentError} for a size that is not a positive integer; {@link ShapeError} for input that is not
 * rank 3.
 */
export class UpSampling1D extends Layer {
  /** How many times each timestep is repeated. */
  readonly size: number;

  /**
   * @param size the repeat count (default 2)
   * @param config name
   */
  constructor(size = 2, config: LayerConfig = {}) {
    super(config, []);
    if (!Number.isSafeInteger(size) || size <= 0) throw new ArgumentError(`UpSampling1D: expected size to be a positive integer. Received: size=${JSON.stringify(size) ?? String(size)}`);
    this.size = size;
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
  }

  computeOutputShape([n, t, c]: SymbolicShape): (number | null)[] {
    return [n, t === null ? null : t * this.size, c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const s = this.size;
    return ops.gather(x, Array.from({ length: x.shape[1] * s }, (_, i) => Math.floor(i / s)), 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}

/**
 * Adds zero timesteps at both ends, Keras `ZeroPadding1D(padding=1)`: [N, T, C] -> [N, left + T + right, C];
 * `padding` is n (both ends) or [left, right].
 * @throws {@link ArgumentError} for a bad padding; {@link ShapeError} for input that is not rank 3.
 */
export class ZeroPadding1D extends Layer {
  /** [left, right]. */
  readonly padding: [number, number];

  /**
   * @param padding n or [left, right] (default 1)
   * @param config name
   */
  constructor(padding: number | [number, number] = 1, config: LayerConfig = {}) {
    super(config, []);
    this.padding = ends('ZeroPadding1D', 'padding', padding);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
  }

  computeOutputShape([n, t, c]: SymbolicShape): (number | null)[] {
    return [n, t === null ? null : t + this.padding[0] + this.padding[1], c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.pad(x, [[0, 0], this.padding, [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding };
  }
}

/**
 * Removes timesteps at both ends, Keras `Cropping1D(cropping=(1, 1))`: [N, T, C] -> [N, T - left - right, C];
 * `cropping` is n (both ends) or [left, right].
 * @throws {@link ArgumentError} for a bad cropping; {@link ShapeError} for input that is not rank 3 or not longer
 * than left + right.
 */
export class Cropping1D extends Layer {
  /** [left, right]. */
  readonly cropping: [number, number];

  /**
   * @param cropping n or [left, right] (default [1, 1])
   * @param config name
   */
  constructor(cropping: number | [number, number] = [1, 1], config: LayerConfig = {}) {
    super(config, []);
    this.cropping = ends('Cropping1D', 'cropping', cropping);
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 3, '[N, T, C]');
    const t = shape[1];
    if (t !== null && t - this.cropping[0] - this.cropping[1] <= 0) {
      throw new ShapeError(`${this.label}: expected input longer than the cropping [${this.cropping.join(', ')}] (the result would have ${t - this.cropping[0] - this.cropping[1]} timesteps). Received: input shape ${fmtSym(shape)}`);
    }
  }

  computeOutputShape([n, t, c]: SymbolicShape): (number | null)[] {
    return [n, t === null ? null : t - this.cropping[0] - this.cropping[1], c];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [n, t, c] = x.shape;
    return ops.slice(x, [0, this.cropping[0], 0], [n, t - this.cropping[0] - this.cropping[1], c]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping };
  }
}
