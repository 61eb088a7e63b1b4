/**
 * Batched matrix product with transpose flags and broadcasting of the leading (batch) dims.
 * a: [..., M, K] (or [..., K, M] with transposeA), b: [..., K, N] (or [..., N, K]) -> [..., M, N].
 * determinism: each output is S(a[m,k] * b[k,n], k = 0..K-1), the engine's summation tree with
 * every product rounded to float32 first (see src/core/reduction-order.ts).
 * Part of src/core.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { runOp } from '../run-op.ts';
import { broadcastShapes } from '../shape.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of a's last two dims (a is [..., K, M]). Default false. */
  transposeA?: boolean;
  /** Use the transpose of b's last two dims (b is [..., N, K]). Default false. */
  transposeB?: boolean;
}

const matmulOp = defineOp({
  name: 'matmul',
  infer: ([a, b], { transposeA, transposeB }) => {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      throw new DTypeError(`matmul: expected float32 operands. Received: a.dtype=${a.dtype}, b.dtype=${b.dtype}`);
    }
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new ShapeError(`matmul: expected operands of rank >= 2. Received: a.shape=${fmtShape(a.shape)}, b.shape=${fmtShape(b.shape)}`);
    }
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const ka = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (ka !== kb) {
      throw new ShapeError(`matmul: expected inner dimensions to match (transposeA=${transposeA}, transposeB=${transposeB}). Received: a.shape=${fmtShape(a.shape)}, b.shape=${fmtShape(b.shape)}`);
    }
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    return { shape: [...batch, m, n], dtype: 'float32' };
  },
  grad: (dy, { inputs: [a, b], attrs: { transposeA: tA, transposeB: tB }, needs }, { reduceToShape }) => {
    // d(a) and d(b) for the four transpose combinations of y = op(a) @ op(b).
    const da = !needs[0] ? null
      : !tA && !tB ? matmul(dy, b, { transposeB: true })
      : !tA && tB ? matmul(dy, b)
      : tA && !tB ? matmul(b, dy, { transposeB: true })
      : matmul(b, dy, { transposeA: true, transposeB: true });
    const db = !needs[1] ? null
      : !tA && !tB ? matmul(a, dy, { transposeA: true })
      : !tA && tB ? matmul(dy, a, { transposeA: true })
      : tA && !tB ? matmul(a, dy)
      : matmul(dy, a, { transposeA: true, transposeB: true });
    return [da && reduceToShape(da, a.shape), db && reduceToShape(db, b.shape)];
  },
});

/**
 * Matrix product of the last two dims, batched (with NumPy broadcasting) over the leading ones:
 * a [..., M, K] and b [..., K, N] -> [..., M, N], float32. TF.js `tf.matMul(a, b, transposeA, transposeB)`.
 * Every product is rounded to float32 and the K products are summed in ditto's fixed order, so the result has the
 * same bits on every backend and at every thread count.
 * @throws {@link DTypeError} unless both are float32; {@link ShapeError} for rank < 2, inner dimensions that differ
 * or batch dims that do not broadcast.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  assertLive('matmul', a);
  assertLive('matmul', b);
  checkOptions('matmul', options, ['transposeA', 'transposeB']);
  return runOp(matmulOp, [a, b], { transposeA: !!options.transposeA, transposeB: !!options.transposeB });
}
