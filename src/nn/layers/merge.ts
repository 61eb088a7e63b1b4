/**
 * The elementwise merge layers (Keras 3's keras/src/layers/merging): Add, Subtract, Multiply,
 * Average, Maximum, Minimum, and their base Merge, a layer that takes a list of tensors. Shapes
 * follow Keras's merge rule: after the batch axis, dimensions are aligned from the last and must
 * be equal or 1 (broadcast); an input of lower rank gets axes of size 1 inserted after the batch
 * axis, as Keras does. The inputs are combined one at a time in list order: ((x0 op x1) op x2)...,
 * so a sum of n inputs has one fixed order; Average divides that sum by n.
 * Part of src/nn: imports src/core only.
 */
import { ShapeError, type Tensor, ops, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type LayerMask, type SymbolicShape, fmtShapes } from '../layer.ts';

/**
 * The base of layers that merge a list of tensors (Keras's `Merge`): `apply([a, b, ...])` on tensors or symbolic
 * tensors. Subclasses give {@link Merge.mergeFunction}; the shape checks and rank alignment are here.
 */
export abstract class Merge extends Layer<Tensor[], Tensor> {
  protected override readonly inputKind = 'list' as const;
  /** The fewest inputs accepted (Keras: 1). */
  protected readonly minInputs: number = 1;
  /** The most inputs accepted. */
  protected readonly maxInputs: number = Infinity;

  /** @param config name, trainable */
  constructor(config: LayerConfig = {}) {
    super(config, []);
  }

  /** Combines the inputs, all of one rank (lower ranks were aligned first). */
  protected abstract mergeFunction(xs: Tensor[]): Tensor;

  /** Checks the number of inputs, their batch sizes and that their shapes broadcast (Keras's Merge.build). */
  protected override checkInput(shapes: SymbolicShape[]): void {
    checkArity(this.label, shapes, this.minInputs, this.maxInputs);
    for (const s of shapes) {
      if (s.length < 1) throw new ShapeError(`${this.label}: expected inputs of rank >= 1 (a batch axis first). Received: shapes ${fmtShapes(shapes)}`);
    }
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null));
    if (batches.size > 1) throw new ShapeError(`${this.label}: expected inputs with one batch size. Received: shapes ${fmtShapes(shapes)}`);
    this.mergedShape(shapes);
  }

  /** The broadcast of the inputs' shapes after the batch axis (Keras's _compute_elemwise_op_output_shape). */
  private mergedShape(shapes: SymbolicShape[]): (number | null)[] {
    let out: (number | null)[] = shapes[0].slice(1);
    for (const s of shapes.slice(1)) {
      const b = s.slice(1);
      const [long, short] = out.length >= b.length ? [out, b] : [b, out];
      const lead = long.slice(0, long.length - short.length);
      const tail = short.map((j, k) => {
        const i = long[long.length - short.length + k];
        if (i === null || j === null) return null;
        if (i === 1) return j;
        if (j === 1) return i;
        if (i !== j) {
          throw new ShapeError(`${this.label}: expected inputs whose shapes after the batch axis broadcast (dimensions aligned from the last equal, or 1). Received: shapes ${fmtShapes(shapes)}`);
        }
        return i;
      });
      out = [...lead, ...tail];
    }
    return out;
  }

  computeOutputShape(shapes: SymbolicShape[]): (number | null)[] {
    const batches = [...new Set(shapes.map((s) => s[0]).filter((d) => d !== null))];
    return [batches.length === 1 ? batches[0] : null, ...this.mergedShape(shapes)];
  }

  call(xs: Tensor[], _ctx: CallContext): Tensor {
    const rank = Math.max(...xs.map((x) => x.rank));
    // Keras: an input of lower rank gets axes inserted at 1 (after the batch axis) until the ranks agree.
    const aligned = xs.map((x) => {
      let y = x;
      while (y.rank < rank) y = ops.expandDims(y, 1);
      return y;
    });
    return this.mergeFunction(aligned);
  }

  /**
   * The output's mask, Keras 3's Merge.compute_mask: null when no input has one, else the elementwise AND of the
   * inputs' masks (an input without one does not restrict), uint8. So merge layers pass masks on (`supportsMasking`).
   */
  override computeMask(_xs: Tensor[], mask: LayerMask): Tensor | null {
    const ms = (Array.isArray(mask) ? mask : [mask]).filter((m): m is Tensor => m !== null && m !== undefined);
    if (ms.length === 0) return null;
    return tidy(() => {
      let all = ops.cast(ops.notEqual(ms[0], 0), 'int32');
      for (const m of ms.slice(1)) all = ops.mul(all, ops.cast(ops.notEqual(m, 0), 'int32'));
      return ops.notEqual(all, 0);
    });
  }
}

/** Throws unless there are between `min` and `max` inputs. */
export function checkArity(label: string, shapes: readonly SymbolicShape[], min: number, max: number): void {
  if (shapes.length >= min && shapes.length <= max) return;
  const want = min === max ? `exactly ${min} inputs` : `a list of at least ${min} input${min === 1 ? '' : 's'}`;
  throw new ShapeError(`${label}: expected ${want}. Received: ${shapes.length} input${shapes.length === 1 ? '' : 's'}`);
}

/** Combines `xs` left to right with `op`: op(op(x0, x1), x2)... */
function fold(xs: Tensor[], op: (a: Tensor, b: Tensor) => Tensor): Tensor {
  let out = xs[0];
  for (let i = 1; i < xs.length; i++) out = op(out, xs[i]);
  // One input: a new tensor all the same (the caller owns what a layer returns).
  return out === xs[0] ? ops.clone(out) : out;
}

/** Sums a list of tensors in list order, Keras `Add`: ((x0 + x1) + x2) + ... */
export class Add extends Merge {
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, ops.add);
  }
}

/** Subtracts the second input from the first, Keras `Subtract` (exactly 2 inputs). */
export class Subtract extends Merge {
  protected override readonly minInputs: number = 2;
  protected override readonly maxInputs: number = 2;
  protected mergeFunction(xs: Tensor[]): Tensor {
    return ops.sub(xs[0], xs[1]);
  }
}

/** Multiplies a list of tensors elementwise in list order, Keras `Multiply`: ((x0 * x1) * x2) * ... */
export class Multiply extends Merge {
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, ops.mul);
  }
}

/** The mean of a list of tensors, Keras `Average`: the sum in list order divided by the number of inputs. */
export class Average extends Merge {
  protected mergeFunction(xs: Tensor[]): Tensor {
    let out = xs[0];
    for (let i = 1; i < xs.length; i++) out = ops.add(out, xs[i]);
    return ops.div(out, xs.length);
  }
}

/** The elementwise maximum of a list of tensors, Keras `Maximum` (in list order). */
export class Maximum extends Merge {
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, ops.maximum);
  }
}

/** The elementwise minimum of a list of tensors, Keras `Minimum` (in list order). */
export class Minimum extends Merge {
  protected mergeFunction(xs: Tensor[]): Tensor {
    return fold(xs, ops.minimum);
  }
}
