/**
 * Reshape, Permute and RepeatVector (Keras 3): shape-only layers over the non-batch axes, composed
 * from reshape, transpose and gather (all differentiable).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, expectInputRank, fmtSym } from '../layer.ts';

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * Reshapes the non-batch axes to `targetShape`, Keras `Reshape(target_shape)`: [N, ...] -> [N, ...targetShape].
 * One entry may be -1: it takes the size that keeps the number of elements (null while an input dim is unknown).
 * @throws {@link ArgumentError} for a target shape that is not positive integers with at most one -1;
 * {@link ShapeError} for an input whose size does not fit it.
 */
export class Reshape extends Layer {
  /** The target shape without the batch axis (may hold one -1). */
  readonly targetShape: readonly number[];

  /**
   * @param targetShape the new shape without the batch axis, e.g. [7, 7, 64] or [-1, 3]
   * @param config name, inputShape, trainable
   */
  constructor(targetShape: readonly number[], config: LayerConfig = {}) {
    super(config, []);
    const ok = Array.isArray(targetShape) && targetShape.every((d) => Number.isSafeInteger(d) && (d > 0 || d === -1))
      && targetShape.filter((d) => d === -1).length <= 1;
    if (!ok) {
      throw new ArgumentError(`Reshape: expected targetShape to be an array of positive integers with at most one -1. Received: targetShape=${JSON.stringify(targetShape) ?? String(targetShape)}`);
    }
    this.targetShape = [...targetShape];
  }

  /** The target shape with -1 resolved for the input's non-batch dims (null if one of them is unknown). */
  private resolve(shape: SymbolicShape): (number | null)[] {
    const rest = shape.slice(1);
    const known = this.targetShape.filter((d) => d !== -1);
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = product(rest as number[]);
    const k = product(known);
    const hole = this.targetShape.includes(-1);
    if (hole ? size % k !== 0 : size !== k) {
      throw new ShapeError(`${this.label}: expected an input whose non-batch size (${size}) fits targetShape ${JSON.stringify(this.targetShape)}. Received: input shape ${fmtSym(shape)}`);
    }
    return this.targetShape.map((d) => (d === -1 ? size / k : d));
  }

  protected override checkInput(shape: SymbolicShape): void {
    if (shape.length >= 1) this.resolve(shape);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [shape[0], ...this.resolve(shape)];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.reshape(x, [x.shape[0], ...(this.resolve(x.shape) as number[])]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

/**
 * Permutes the non-batch axes, Keras `Permute(dims)`: `dims` is a permutation of 1..rank-1 (1-based: the batch
 * axis stays first), e.g. Permute([2, 1]) turns [N, A, B] into [N, B, A].
 * @throws {@link ArgumentError} if dims is not a permutation of 1..k; {@link ShapeError} for input of rank other
 * than k + 1.
 */
export class Permute extends Layer {
  /** The 1-based permutation of the non-batch axes. */
  readonly dims: readonly number[];

  /**
   * @param dims a permutation of [1, ..., k] (1-based, as in Keras)
   * @param config name, inputShape, trainable
   */
  constructor(dims: readonly number[], config: LayerConfig = {}) {
    super(config, []);
    const ok = Array.isArray(dims) && dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!ok) {
      throw new ArgumentError(`Permute: expected dims to be a permutation of [1, ..., k] (1-based; the batch axis 0 cannot move). Received: dims=${JSON.stringify(dims) ?? String(dims)}`);
    }
    this.dims = [...dims];
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, this.dims.length + 1, `(dims=${JSON.stringify(this.dims)})`);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [shape[0], ...this.dims.map((d) => shape[d])];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: this.dims };
  }
}

/**
 * Repeats its input n times along a new axis, Keras `RepeatVector(n)`: [N, F] -> [N, n, F].
 * @throws {@link ArgumentError} for n that is not a positive integer; {@link ShapeError} for input that is not rank 2.
 */
export class RepeatVector extends Layer {
  /** The repetition count. */
  readonly n: number;

  /**
   * @param n the number of repetitions (a positive integer)
   * @param config name, inputShape, trainable
   */
  constructor(n: number, config: LayerConfig = {}) {
    super(config, []);
    if (!Number.isSafeInteger(n) || n < 1) throw new ArgumentError(`RepeatVector: expected n to be a positive integer. Received: n=${JSON.stringify(n) ?? String(n)}`);
    this.n = n;
  }

  protected override checkInput(shape: SymbolicShape): void {
    expectInputRank(this.label, shape, 2, '[N, F]');
  }

  computeOutputShape([b, f]: SymbolicShape): (number | null)[] {
    return [b, this.n, f];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    // [N, F] -> [N, 1, F] -> gather index 0 n times along axis 1 -> [N, n, F]
    const e = ops.expandDims(x, 1);
    try {
      return ops.gather(e, new Array<number>(this.n).fill(0), 1);
    } finally {
      e.dispose();
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
