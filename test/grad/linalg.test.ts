/**
 * Gradient checks (float64 central differences + vᵀJu) for matmul (all four transpose
 * combinations, batched, batch dims broadcast either way, rank 2 against rank 3) and conv2d
 * (NHWC; strides 1 and 2, 'same' and 'valid' padding, odd and even sizes, several channels,
 * non-square kernels), gradients with respect to both operands.
 */
import * as dt from '../../src/index.ts';
import * as N from '../reference/nn64.ts';
import { type GradCheckSpec, describeGradcheck, uniform } from '../util/gradcheck.ts';

/** Shape of an operand [.., rows, cols] stored transposed when `t`. */
const op = (batch: number[], r: number, c: number, t: boolean) => (t ? [...batch, c, r] : [...batch, r, c]);

const matmuls: GradCheckSpec[] = [];
const BATCHES: [number[], number[]][] = [[[], []], [[2], [2]], [[2, 1], [3]], [[1], [2, 2]], [[], [3]], [[2], []]];
for (const [ba, bb] of BATCHES) {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const [M, K, Nn] = [3, 4, 2];
      matmuls.push({
        name: `matmul a[${op(ba, M, K, tA)}] b[${op(bb, K, Nn, tB)}] transposeA=${tA} transposeB=${tB}`,
        f: (a, b) => dt.matmul(a, b, { transposeA: tA, transposeB: tB }),
        ref: (a, b) => N.matmul(a, b, { transposeA: tA, transposeB: tB }),
        inputs: [uniform(op(ba, M, K, tA)), uniform(op(bb, K, Nn, tB))],
      });
    }
  }
}
matmuls.push(
  { name: 'matmul x @ x (same tensor twice)', f: (x) => dt.matmul(x, x), ref: (x) => N.matmul(x, x), inputs: [uniform([3, 3])] },
  { name: 'matmul [1,1] x [1,5] (degenerate dims)', f: (a, b) => dt.matmul(a, b), ref: (a, b) => N.matmul(a, b), inputs: [uniform([1, 1]), uniform([1, 5])] },
);

type Pad = 'same' | 'valid';
interface ConvCfg { x: number[]; w: number[]; s: number | [number, number]; p: Pad }
const CONVS: ConvCfg[] = [
  { x: [1, 5, 5, 1], w: [3, 3, 1, 1], s: 1, p: 'valid' },
  { x: [1, 5, 5, 1], w: [3, 3, 1, 1], s: 1, p: 'same' },
  { x: [2, 5, 4, 3], w: [3, 3, 3, 2], s: 1, p: 'same' },
  { x: [2, 5, 4, 3], w: [3, 3, 3, 2], s: 1, p: 'valid' },
  { x: [1, 7, 7, 2], w: [3, 3, 2, 3], s: 2, p: 'same' },
  { x: [1, 7, 7, 2], w: [3, 3, 2, 3], s: 2, p: 'valid' },
  { x: [2, 6, 6, 2], w: [3, 3, 2, 2], s: 2, p: 'same' },
  { x: [1, 6, 6, 2], w: [2, 2, 2, 3], s: 2, p: 'same' },
  { x: [1, 7, 6, 2], w: [2, 2, 2, 2], s: 2, p: 'valid' },
  { x: [1, 6, 7, 2], w: [4, 4, 2, 2], s: 2, p: 'same' },
  { x: [1, 5, 6, 2], w: [2, 3, 2, 2], s: [1, 2], p: 'same' },
  { x: [1, 6, 5, 3], w: [3, 1, 3, 2], s: [2, 1], p: 'valid' },
  { x: [1, 3, 3, 2], w: [5, 5, 2, 2], s: 1, p: 'same' },
  { x: [1, 4, 4, 2], w: [1, 1, 2, 3], s: 3, p: 'same' },
];
const convs: GradCheckSpec[] = CONVS.map((c) => ({
  name: `conv2d x[${c.x}] w[${c.w}] strides=${JSON.stringify(c.s)} padding=${c.p}`,
  f: (x, w) => dt.conv2d(x, w, { strides: c.s, padding: c.p }),
  ref: (x, w) => N.conv2d(x, w, { strides: c.s, padding: c.p }),
  inputs: [uniform(c.x), uniform(c.w)],
}));

describeGradcheck('matmul gradients', matmuls);
describeGradcheck('conv2d gradients (x and w)', convs);
