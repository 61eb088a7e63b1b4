/**
 * Weight regularizers with Keras 3 semantics (keras/src/regularizers/regularizers.py): each maps a weight to a
 * float32 scalar penalty, with Keras's operation order (sums in the engine's summation order):
 *  - L1(l1 = 0.01): l1 * sum(|x|);  L2(l2 = 0.01): l2 * sum(x^2);
 *  - L1L2(l1 = 0, l2 = 0): 0 + l1 * sum(|x|) + l2 * sum(x^2) (each term only when its factor is nonzero);
 *  - OrthogonalRegularizer(factor = 0.01, mode 'rows'): rows (or columns) L2-normalised as Keras's
 *    ops.normalize (x * minimum(1 / sqrt(sum x^2), 1e7)), P = X X^T (or X^T X), off-diagonal |P| summed:
 *    factor * 0.5 * sum / (size * (size - 1) / 2).
 * `getRegularizer` resolves Keras names ('l1', 'l2', 'l1_l2', 'orthogonal_regularizer', class names).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, checkOptions, fmtShape, ops, tidy } from '../core/internal.ts';

const f32 = Math.fround;

/** A weight regularizer: `apply(x)` is the float32 scalar penalty of weight x. */
export interface Regularizer {
  /** The penalty of `x` (differentiable float32 scalar). */
  apply(x: Tensor): Tensor;
  /** Keras-style configuration. */
  getConfig(): Record<string, unknown>;
}

function factor(cls: string, key: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ArgumentError(`${cls}: expected ${key} a finite number >= 0. Received: ${key}=${JSON.stringify(v)}`);
  return v;
}

/** Keras `L1`: l1 * sum(|x|). */
export class L1 implements Regularizer {
  /** The factor. */
  readonly l1: number;
  /** @param options l1 (default 0.01) */
  constructor(options: { l1?: number } = {}) {
    checkOptions('L1', options, ['l1']);
    this.l1 = factor('L1', 'l1', options.l1, 0.01);
  }
  /** l1 * sum(|x|). */
  apply(x: Tensor): Tensor {
    return tidy(() => ops.mul(ops.sum(ops.abs(x)), f32(this.l1)));
  }
  /** `{ l1 }`. */
  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** Keras `L2`: l2 * sum(x^2). */
export class L2 implements Regularizer {
  /** The factor. */
  readonly l2: number;
  /** @param options l2 (default 0.01) */
  constructor(options: { l2?: number } = {}) {
    checkOptions('L2', options, ['l2']);
    this.l2 = factor('L2', 'l2', options.l2, 0.01);
  }
  /** l2 * sum(x^2). */
  apply(x: Tensor): Tensor {
    return tidy(() => ops.mul(ops.sum(ops.square(x)), f32(this.l2)));
  }
  /** `{ l2 }`. */
  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** Keras `L1L2`: l1 * sum(|x|) + l2 * sum(x^2) (Keras's defaults: both 0). */
export class L1L2 implements Regularizer {
  /** The L1 factor. */
  readonly l1: number;
  /** The L2 factor. */
  readonly l2: number;
  /** @param options l1, l2 (default 0 each, as Keras's class) */
  constructor(options: { l1?: number; l2?: number } = {}) {
    checkOptions('L1L2', options, ['l1', 'l2']);
    this.l1 = factor('L1L2', 'l1', options.l1, 0);
    this.l2 = factor('L1L2', 'l2', options.l2, 0);
  }
  /** 0 + l1 * sum(|x|) + l2 * sum(x^2), in that order. */
  apply(x: Tensor): Tensor {
    return tidy(() => {
      let r = ops.scalar(0);
      if (this.l1) r = ops.add(r, ops.mul(ops.sum(ops.abs(x)), f32(this.l1)));
      if (this.l2) r = ops.add(r, ops.mul(ops.sum(ops.square(x)), f32(this.l2)));
      return r;
    });
  }
  /** `{ l1, l2 }`. */
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** Keras `OrthogonalRegularizer`: penalises non-orthogonal rows (or columns) of a 2-D weight. */
export class OrthogonalRegularizer implements Regularizer {
  /** The factor. */
  readonly factor: number;
  /** 'rows' or 'columns'. */
  readonly mode: 'rows' | 'columns';
  /** @param options factor (default 0.01), mode ('rows' default, or 'columns') */
  constructor(options: { factor?: number; mode?: 'rows' | 'columns' } = {}) {
    checkOptions('OrthogonalRegularizer', options, ['factor', 'mode']);
    this.factor = factor('OrthogonalRegularizer', 'factor', options.factor, 0.01);
    const mode = options.mode ?? 'rows';
    if (mode !== 'rows' && mode !== 'columns') throw new ArgumentError(`OrthogonalRegularizer: expected mode 'rows' or 'columns'. Received: mode=${JSON.stringify(mode)}`);
    this.mode = mode;
  }
  /** factor * 0.5 * sum(|offdiag(P)|) / (size (size - 1) / 2), see the module header. */
  apply(x: Tensor): Tensor {
    if (x.rank !== 2) throw new ShapeError(`OrthogonalRegularizer: expected a weight of rank 2. Received: shape ${fmtShape(x.shape)}`);
    return tidy(() => {
      const rows = this.mode === 'rows';
      const axis = rows ? 1 : 0;
      const n = ops.mul(x, ops.minimum(ops.div(1, ops.sqrt(ops.sum(ops.square(x), axis, true))), 1e7));
      const product = rows ? ops.matmul(n, n, { transposeB: true }) : ops.matmul(n, n, { transposeA: true });
      const size = x.shape[rows ? 0 : 1];
      const eye = ops.oneHot(ops.tensor(Array.from({ length: size }, (_, i) => i), [size], 'int32'), size);
      const off = ops.mul(product, ops.sub(1, eye));
      const pairs = (size * (size - 1)) / 2;
      return ops.div(ops.mul(ops.sum(ops.abs(off)), f32(this.factor * 0.5)), pairs);
    });
  }
  /** `{ factor, mode }`. */
  getConfig(): Record<string, unknown> {
    return { factor: this.factor, mode: this.mode };
  }
}

/**
 * A regularizer or a name: 'l1', 'l2', 'l1_l2', 'orthogonal_regularizer' or a class name (Keras defaults).
 * @inline
 */
export type RegularizerId = Regularizer | 'l1' | 'l2' | 'l1_l2' | 'orthogonal_regularizer' | 'L1' | 'L2' | 'L1L2' | 'OrthogonalRegularizer';

const NAMES: Record<string, () => Regularizer> = {
  l1: () => new L1(), L1: () => new L1(),
  l2: () => new L2(), L2: () => new L2(),
  l1_l2: () => new L1L2(), L1L2: () => new L1L2(),
  orthogonal_regularizer: () => new OrthogonalRegularizer(), OrthogonalRegularizer: () => new OrthogonalRegularizer(),
};

/**
 * The regularizer for an id (undefined/null: none). Exported as `dt.regularizers.get`.
 * @throws {@link ArgumentError} for an unknown name or a non-regularizer.
 */
export function getRegularizer(fn: string, id: RegularizerId | null | undefined): Regularizer | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'string') {
    const make = Object.hasOwn(NAMES, id) ? NAMES[id] : undefined;
    if (!make) throw new ArgumentError(`${fn}: unknown regularizer '${id}'. Expected one of: ${Object.keys(NAMES).join(', ')}`);
    return make();
  }
  if (typeof id === 'object' && typeof (id as Regularizer).apply === 'function') return id;
  throw new ArgumentError(`${fn}: expected a regularizer (an object with apply) or a name. Received: ${typeof id}`);
}
