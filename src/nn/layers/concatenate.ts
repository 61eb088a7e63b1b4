/**
 * Keras's `Concatenate` layer: joins a list of tensors along one axis (default -1, the channels of
 * NHWC). Every other dimension must agree (unknown ones are accepted).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, fmtShapes } from '../layer.ts';
import { checkArity } from './merge.ts';

/** Options of {@link Concatenate}. */
export interface ConcatenateConfig extends LayerConfig {
  /** The axis to join along (default -1); negative counts from the last. */
  axis?: number;
}

/**
 * Concatenates a list of tensors along `axis`, Keras `Concatenate`: all inputs have one rank and agree in every
 * other dimension.
 * @throws {@link ArgumentError} for a non-integer axis.
 */
export class Concatenate extends Layer<Tensor[], Tensor> {
  protected override readonly inputKind = 'list' as const;
  /** The concatenation axis as given (default -1). */
  readonly axis: number;

  /** @param config axis (default -1), name, trainable */
  constructor(config: ConcatenateConfig = {}) {
    super(config, ['axis']);
    const axis = config.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ArgumentError(`Concatenate: expected an integer axis. Received: ${JSON.stringify(config.axis)}`);
    this.axis = axis;
  }

  /** The axis for inputs of rank `rank`, checked. */
  private axisFor(rank: number, shapes: readonly SymbolicShape[]): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) throw new ShapeError(`${this.label}: expected axis in [-${rank}, ${rank}) for inputs of rank ${rank}. Received: axis=${this.axis}, shapes ${fmtShapes(shapes)}`);
    return a;
  }

  protected override checkInput(shapes: SymbolicShape[]): void {
    checkArity(this.label, shapes, 1, Infinity);
    const rank = shapes[0].length;
    const a = this.axisFor(rank, shapes);
    const bad = shapes.some((s) => s.length !== rank || s.some((d, i) => i !== a && d !== null && shapes[0][i] !== null && d !== shapes[0][i]));
    if (bad) throw new ShapeError(`${this.label}: expected inputs of one rank with matching shapes except for the concatenation axis ${this.axis}. Received: shapes ${fmtShapes(shapes)}`);
  }

  computeOutputShape(shapes: SymbolicShape[]): (number | null)[] {
    const a = this.axisFor(shapes[0].length, shapes);
    const out = shapes[0].map((d, i) => (d !== null ? d : shapes.map((s) => s[i]).find((v) => v !== null) ?? null));
    out[a] = shapes.some((s) => s[a] === null) ? null : shapes.reduce((n, s) => n + (s[a] as number), 0);
    return out;
  }

  call(xs: Tensor[], _ctx: CallContext): Tensor {
    if (xs.length === 1) return ops.clone(xs[0]);
    return ops.concat(xs, this.axisFor(xs[0].rank, xs.map((x) => x.shape)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
