/**
 * Gradient checks (float64 central differences + vᵀJu, test/util/gradcheck.ts) for the
 * elementwise ops: every differentiable unary op, clipByValue, cast, the six broadcasting binary
 * ops with broadcasting in both directions and against scalars, and where (gradients to a and b).
 * Inputs avoid kinks (relu/abs at 0, clip bounds, maximum/minimum ties) so the check is meaningful.
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import * as R from '../reference/ops64.ts';
import { type GradCheckSpec, awayFrom, describeGradcheck, fixed, ladder, nonzero, uniform } from '../util/gradcheck.ts';

const S = [2, 3, 4];

const unary: GradCheckSpec[] = [
  { name: 'neg', f: dt.neg, ref: R.neg, inputs: [uniform(S, -2, 2)] },
  { name: 'abs', f: dt.abs, ref: R.abs, inputs: [awayFrom(S, [0], -2, 2)] },
  { name: 'exp', f: dt.exp, ref: R.exp, inputs: [uniform(S, -2, 2)] },
  { name: 'log', f: dt.log, ref: R.log, inputs: [uniform(S, 0.2, 3)] },
  { name: 'sqrt', f: dt.sqrt, ref: R.sqrt, inputs: [uniform(S, 0.2, 3)] },
  { name: 'square', f: dt.square, ref: R.square, inputs: [uniform(S, -2, 2)] },
  { name: 'relu', f: dt.relu, ref: R.relu, inputs: [awayFrom(S, [0], -2, 2)] },
  { name: 'sigmoid', f: dt.sigmoid, ref: R.sigmoid, inputs: [uniform(S, -4, 4)] },
  { name: 'tanh', f: dt.tanh, ref: R.tanh, inputs: [uniform(S, -3, 3)] },
  { name: 'clipByValue [-0.5, 0.7]', f: (x) => dt.clipByValue(x, -0.5, 0.7), ref: (x) => R.clipByValue(x, -0.5, 0.7), inputs: [awayFrom(S, [-0.5, 0.7], -1.5, 1.5)] },
  { name: 'clipByValue rank 1, all inside', f: (x) => dt.clipByValue(x, -3, 3), ref: (x) => R.clipByValue(x, -3, 3), inputs: [uniform([7], -2, 2)] },
  { name: 'cast float32 -> float32', f: (x) => dt.cast(x, 'float32'), ref: R.cast, inputs: [uniform(S)] },
  { name: 'clone', f: (x) => dt.clone(x), ref: R.cast, inputs: [uniform([3, 2])] },
  { name: 'neg of a scalar', f: dt.neg, ref: R.neg, inputs: [uniform([])] },
  { name: 'exp(tanh(x)) chain', f: (x) => dt.exp(dt.tanh(x)), ref: (x) => R.exp(R.tanh(x)), inputs: [uniform(S, -2, 2)] },
];

type Bin = (a: dt.Tensor, b: dt.Tensor) => dt.Tensor;
type Ref = (a: R.A64, b: R.A64) => R.A64;
const BINARY: [string, Bin, Ref][] = [
  ['add', dt.add, R.add], ['sub', dt.sub, R.sub], ['mul', dt.mul, R.mul], ['div', dt.div, R.div],
  ['maximum', dt.maximum, R.maximum], ['minimum', dt.minimum, R.minimum],
];
/** Shape pairs: equal, trailing broadcast, both-direction broadcast, scalars, rank mismatch. */
const PAIRS: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3, 4], [4]],
  [[4], [2, 3, 4]],
  [[2, 1, 4], [3, 1]],
  [[3, 1], [2, 1, 4]],
  [[2, 3], []],
  [[], [2, 3]],
  [[1, 3, 1], [2, 1, 4]],
];

const binary: GradCheckSpec[] = BINARY.flatMap(([name, f, ref]) => PAIRS.map(([sa, sb]): GradCheckSpec => ({
  name: `${name} [${sa}] x [${sb}]`,
  f,
  ref,
  // maximum/minimum: two interleaved ladders, never closer than 0.125; div: divisors away from 0.
  inputs: name === 'maximum' || name === 'minimum' ? [ladder(sa, 0.1), ladder(sb, 0.6)]
    : name === 'div' ? [uniform(sa, -2, 2), nonzero(sb)]
    : [uniform(sa, -2, 2), uniform(sb, -2, 2)],
})));

const COND = [1, 0, 0, 1, 1, 0];
const whereCases: GradCheckSpec[] = [
  {
    name: 'where cond [2,3], a [2,3], b [2,3]',
    f: (a, b) => dt.where(dt.tensor(COND, [2, 3], 'uint8'), a, b),
    ref: (a, b) => R.where(R.arr([2, 3], COND), a, b),
    inputs: [uniform([2, 3]), uniform([2, 3])],
  },
  {
    name: 'where cond [2,3], a [3], b []',
    f: (a, b) => dt.where(dt.tensor(COND, [2, 3], 'uint8'), a, b),
    ref: (a, b) => R.where(R.arr([2, 3], COND), a, b),
    inputs: [uniform([3]), uniform([])],
  },
  {
    name: 'where cond [2,1] (int32), a [1,3], b [2,3] (cond broadcast)',
    f: (a, b) => dt.where(dt.tensor([0, 1], [2, 1], 'int32'), a, b),
    ref: (a, b) => R.where(R.arr([2, 1], [0, 1]), a, b),
    inputs: [uniform([1, 3]), uniform([2, 3])],
  },
  {
    name: 'where from a comparison of the inputs (a > b ? a*a : b)',
    f: (a, b) => dt.where(dt.greater(a, b), dt.square(a), b),
    ref: (a, b) => R.where(R.binary(a, b, (x, y) => (x > y ? 1 : 0)), R.square(a), b),
    inputs: [ladder([2, 3], 0.1), ladder([2, 3], 0.6)],
  },
  {
    name: 'where with a fixed constant operand',
    f: (a) => dt.where(dt.tensor(COND, [2, 3], 'uint8'), a, 5),
    ref: (a) => R.where(R.arr([2, 3], COND), a, R.scalar64(5)),
    inputs: [fixed([2, 3], [0.5, -1, 2, 0.25, -0.75, 1.5])],
  },
];

const RX = [0.5, -1, 2, -0.25, 0.75, -1.5];
const reluGradCases: GradCheckSpec[] = [
  {
    name: 'reluGrad: gradient to dy, x a constant',
    f: (dy) => adv.reluGrad(dy, dt.tensor(RX, [2, 3])),
    ref: (dy) => R.where(R.arr([2, 3], RX.map((v) => (v > 0 ? 1 : 0))), dy, R.scalar64(0)),
    inputs: [uniform([2, 3])],
  },
  {
    name: 'reluGrad(a^2, a - 0.3): x depends on the input too (no gradient through x)',
    f: (a) => adv.reluGrad(dt.square(a), dt.sub(a, 0.3)),
    ref: (a) => R.where(R.binary(a, R.scalar64(0.3), (x, y) => (x - y > 0 ? 1 : 0)), R.square(a), R.scalar64(0)),
    inputs: [awayFrom([2, 3, 4], [0.3], -2, 2)],
  },
];

describeGradcheck('unary op gradients', unary);
describeGradcheck('reluGrad gradients', reluGradCases);
describeGradcheck('binary op gradients with broadcasting', binary);
describeGradcheck('where gradients', whereCases);
