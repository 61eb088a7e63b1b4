/**
 * Gradient checks (float64 central differences + vᵀJu) for the reductions sum, mean, max and min
 * over several axis sets (all, single, negative, multiple) with and without keepDims, and for
 * softmax and logSoftmax along every axis. max/min inputs have no ties (distinct values).
 */
import * as dt from '../../src/index.ts';
import * as N from '../reference/nn64.ts';
import * as R from '../reference/ops64.ts';
import { type GradCheckSpec, describeGradcheck, distinct, uniform } from '../util/gradcheck.ts';

const S = [2, 3, 4];
const AXES: (number[] | number | undefined)[] = [undefined, [0], [1], -1, [0, 2], [1, 2], [0, 1, 2]];

type DtRed = (x: dt.Tensor, axes?: number | number[], keepDims?: boolean) => dt.Tensor;
type RefRed = (x: R.A64, axes?: number | number[], keepDims?: boolean) => R.A64;
const REDUCTIONS: [string, DtRed, RefRed][] = [
  ['sum', dt.sum, R.sum], ['mean', dt.mean, R.mean], ['max', dt.max, R.max], ['min', dt.min, R.min],
];

const reductions: GradCheckSpec[] = REDUCTIONS.flatMap(([name, f, ref]) => AXES.flatMap((axes) => [false, true].map((keepDims): GradCheckSpec => ({
  name: `${name} axes=${JSON.stringify(axes) ?? 'all'} keepDims=${keepDims}`,
  f: (x) => f(x, axes, keepDims),
  ref: (x) => ref(x, axes, keepDims),
  inputs: [name === 'max' || name === 'min' ? distinct(S, -2, 2) : uniform(S, -2, 2)],
}))));

const extra: GradCheckSpec[] = [
  { name: 'sum of a rank-1 tensor', f: (x) => dt.sum(x), ref: (x) => R.sum(x), inputs: [uniform([5])] },
  { name: 'max of a rank-4 tensor over [1, 3]', f: (x) => dt.max(x, [1, 3]), ref: (x) => R.max(x, [1, 3]), inputs: [distinct([2, 3, 2, 3])] },
  { name: 'min then square (nonlinear downstream)', f: (x) => dt.square(dt.min(x, 0)), ref: (x) => R.square(R.min(x, 0)), inputs: [distinct([4, 3])] },
  { name: 'mean over a size-1 axis', f: (x) => dt.mean(x, 1, true), ref: (x) => R.mean(x, 1, true), inputs: [uniform([3, 1, 2])] },
];

const softmaxes: GradCheckSpec[] = [0, 1, 2, -1].flatMap((axis) => [
  { name: `softmax axis=${axis}`, f: (x: dt.Tensor) => dt.softmax(x, axis), ref: (x: R.A64) => N.softmax(x, axis), inputs: [uniform(S, -3, 3)] },
  { name: `logSoftmax axis=${axis}`, f: (x: dt.Tensor) => dt.logSoftmax(x, axis), ref: (x: R.A64) => N.logSoftmax(x, axis), inputs: [uniform(S, -3, 3)] },
]);
softmaxes.push(
  { name: 'softmax rank 1 with large logits (max shift)', f: (x) => dt.softmax(x), ref: (x) => N.softmax(x), inputs: [uniform([6], 40, 48)] },
  { name: 'logSoftmax [5, 10]', f: (x) => dt.logSoftmax(x), ref: (x) => N.logSoftmax(x), inputs: [uniform([5, 10], -4, 4)] },
);

describeGradcheck('reduction gradients', [...reductions, ...extra]);
describeGradcheck('softmax and logSoftmax gradients', softmaxes);
