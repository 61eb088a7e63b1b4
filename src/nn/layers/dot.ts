/**
 * Keras's `Dot` layer: the dot product of two tensors along one axis of each, per sample
 * (keras.layers.Dot and its batch_dot), optionally of the L2-normalized inputs (cosine proximity).
 * batch_dot moves the reduced axis of x last and of y to axis 1, squashes both to rank 3, runs a
 * batched matmul (its reduction order is matmul's, documented with its kernel), and reshapes; a
 * rank-2 input is expanded first and its added axis removed from the result. normalize is Keras's
 * ops.normalize(order 2): x * min(1 / sqrt(sum(x²)), 1 / 1e-7), the sum in matmul-independent
 * order by ops.sum along the axis.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, fmtShapes } from '../layer.ts';
import { checkArity } from './merge.ts';

/** Options of {@link Dot}. */
export interface DotConfig extends LayerConfig {
  /** Whether to L2-normalize each sample along its dot axis first (the result is then the cosine proximity); default false. */
  normalize?: boolean;
}

/** Keras's backend epsilon (the floor of an L2 norm in normalize). */
const EPSILON = 1e-7;

/**
 * The per-sample dot product of two tensors, Keras `Dot`: `axes` is one axis for both inputs or `[axisOfX, axisOfY]`
 * (negative counts from the last; never the batch axis 0). Inputs [N, 3, 5] and [N, 10, 3] with axes [1, 2] give
 * [N, 5, 10]; two [N, d] inputs with axes 1 give [N, 1].
 * @throws {@link ArgumentError} for bad axes.
 */
export class Dot extends Layer<Tensor[], Tensor> {
  protected override readonly inputKind = 'list' as const;
  /** The axes as given. */
  readonly axes: number | readonly [number, number];
  /** Whether the inputs are L2-normalized first. */
  readonly normalize: boolean;

  /**
   * @param axes one axis for both inputs, or `[axisOfX, axisOfY]`
   * @param config normalize (default false), name, trainable
   */
  constructor(axes: number | readonly [number, number], config: DotConfig = {}) {
    super(config, ['normalize']);
    const ok = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!ok) throw new ArgumentError(`Dot: expected axes to be an integer or a list of two integers. Received: ${JSON.stringify(axes)}`);
    if (config.normalize !== undefined && typeof config.normalize !== 'boolean') {
      throw new ArgumentError(`Dot: expected normalize to be a boolean. Received: ${JSON.stringify(config.normalize)}`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] as const : axes as number;
    this.normalize = config.normalize ?? false;
  }

  /** The two axes, non-negative, for inputs of these ranks (Keras: `axis % rank`). */
  private resolve(r1: number, r2: number): [number, number] {
    const [a, b] = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    return [a < 0 ? ((a % r1) + r1) % r1 : a, b < 0 ? ((b % r2) + r2) % r2 : b];
  }

  protected override checkInput(shapes: SymbolicShape[]): void {
    checkArity(this.label, shapes, 2, 2);
    const [s1, s2] = shapes;
    if (s1.length < 2 || s2.length < 2) throw new ShapeError(`${this.label}: expected inputs of rank >= 2. Received: shapes ${fmtShapes(shapes)}`);
    if (s1[0] !== null && s2[0] !== null && s1[0] !== s2[0]) throw new ShapeError(`${this.label}: expected inputs with one batch size. Received: shapes ${fmtShapes(shapes)}`);
    const [a, b] = this.resolve(s1.length, s2.length);
    if (a === 0 || b === 0 || a >= s1.length || b >= s2.length) {
      throw new ShapeError(`${this.label}: expected axes within the inputs' ranks and not the batch axis 0. Received: axes=${JSON.stringify(this.axes)}, shapes ${fmtShapes(shapes)}`);
    }
    if (s1[a] !== null && s2[b] !== null && s1[a] !== s2[b]) {
      throw new ShapeError(`${this.label}: expected equal sizes on the dot axes: ${s1[a]} (axis ${a} of the first input) != ${s2[b]} (axis ${b} of the second). Received: shapes ${fmtShapes(shapes)}`);
    }
  }

  computeOutputShape(shapes: SymbolicShape[]): (number | null)[] {
    const [a, b] = this.resolve(shapes[0].length, shapes[1].length);
    const s1 = shapes[0].filter((_, i) => i !== a);
    const s2 = shapes[1].filter((_, i) => i !== b).slice(1);
    const out = [...s1, ...s2];
    return out.length === 1 ? [...out, 1] : out;
  }

  call(xs: Tensor[], _ctx: CallContext): Tensor {
    let [x, y] = xs;
    const [a, b] = this.resolve(x.rank, y.rank);
    if (this.normalize) {
      x = l2Normalize(x, a);
      y = l2Normalize(y, b);
    }
    return batchDot(x, y, a, b);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

/** Keras's ops.normalize(x, axis, order=2): x * min(rsqrt(sum(x², axis)), 1 / epsilon). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const inv = ops.minimum(ops.div(1, ops.sqrt(ops.sum(ops.square(x), [axis], true))), 1 / EPSILON);
  return ops.mul(x, inv);
}

/** Keras's batch_dot(x, y, [a0, a1]) for axes already non-negative and checked. */
function batchDot(x0: Tensor, y0: Tensor, a0In: number, a1: number): Tensor {
  let x = x0;
  let y = y0;
  let a0 = a0In;
  const xRank0 = x.rank;
  const yRank0 = y.rank;
  if (x.rank === 2) {
    x = ops.expandDims(x, 1);
    a0 += 1;
  }
  if (y.rank === 2) y = ops.expandDims(y, 2);
  // x's reduced axis last, y's at 1.
  if (a0 !== x.rank - 1) {
    const p = [...Array(x.rank).keys()];
    for (let i = a0; i < x.rank - 1; i++) p[i] = p[i + 1];
    p[x.rank - 1] = a0;
    x = ops.transpose(x, p);
  }
  if (a1 !== 1) {
    const p = [...Array(y.rank).keys()];
    for (let i = a1; i > 1; i--) p[i] = p[i - 1];
    p[1] = a1;
    y = ops.transpose(y, p);
  }
  const xMid = x.shape.slice(1, -1);
  const yTrail = y.shape.slice(2);
  if (x.rank > 3) x = ops.reshape(x, [x.shape[0], xMid.reduce((n, d) => n * d, 1), x.shape[x.rank - 1]]);
  if (y.rank > 3) y = ops.reshape(y, [y.shape[0], y.shape[1], yTrail.reduce((n, d) => n * d, 1)]);
  let out = ops.matmul(x, y);
  if (xMid.length > 1 || yTrail.length > 1) {
    const shape = [out.shape[0], ...(xMid.length > 1 ? xMid : [out.shape[1]]), ...(yTrail.length > 1 ? yTrail : [out.shape[2]])];
    out = ops.reshape(out, shape);
  }
  if (xRank0 === 2) out = ops.squeeze(out, [1]);
  else if (yRank0 === 2) out = ops.squeeze(out, [out.rank - 1]);
  return out;
}
