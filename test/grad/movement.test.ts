/**
 * Gradient checks (float64 central differences + vᵀJu) for the data-movement ops: transpose,
 * slice, pad, concat (gradient to every input), stack, split/unstack, gather (with repeated
 * indices, along several axes, 2-D indices), broadcastTo, reshape, expandDims and squeeze.
 */
import * as dt from '../../src/index.ts';
import * as R from '../reference/ops64.ts';
import { type GradCheckSpec, describeGradcheck, uniform } from '../util/gradcheck.ts';

const S = [2, 3, 4];
const U = uniform(S);

const transposes: GradCheckSpec[] = [
  ...[[0, 1, 2], [1, 0, 2], [2, 0, 1], [0, 2, 1], [1, 2, 0]].map((perm): GradCheckSpec => ({
    name: `transpose [2,3,4] perm=[${perm}]`, f: (x) => dt.transpose(x, perm), ref: (x) => R.transpose(x, perm), inputs: [U],
  })),
  { name: 'transpose default (reversed axes)', f: (x) => dt.transpose(x), ref: (x) => R.transpose(x), inputs: [U] },
  { name: 'transpose rank 2', f: (x) => dt.transpose(x, [1, 0]), ref: (x) => R.transpose(x, [1, 0]), inputs: [uniform([3, 5])] },
];

const slices: GradCheckSpec[] = [
  { name: 'slice [2,3,4] begin [0,1,1] size [2,2,2]', f: (x) => dt.slice(x, [0, 1, 1], [2, 2, 2]), ref: (x) => R.slice(x, [0, 1, 1], [2, 2, 2]), inputs: [U] },
  { name: 'slice with size -1 (to the end)', f: (x) => dt.slice(x, [1, 0, 2], [-1, 2, -1]), ref: (x) => R.slice(x, [1, 0, 2], [1, 2, 2]), inputs: [U] },
  { name: 'slice number begin (axis 0)', f: (x) => dt.slice(x, 1, 2), ref: (x) => R.slice(x, [1, 0], [2, 5]), inputs: [uniform([4, 5])] },
  { name: 'slice of everything', f: (x) => dt.slice(x, [0, 0, 0], [2, 3, 4]), ref: (x) => R.slice(x, [0, 0, 0], [2, 3, 4]), inputs: [U] },
];

const pads: GradCheckSpec[] = [
  { name: 'pad [2,3,4] [[1,0],[0,2],[1,1]]', f: (x) => dt.pad(x, [[1, 0], [0, 2], [1, 1]]), ref: (x) => R.pad(x, [[1, 0], [0, 2], [1, 1]]), inputs: [U] },
  { name: 'pad with a nonzero value', f: (x) => dt.pad(x, [[2, 1], [0, 3]], 1.5), ref: (x) => R.pad(x, [[2, 1], [0, 3]], 1.5), inputs: [uniform([3, 2])] },
  { name: 'pad then slice back (round trip)', f: (x) => dt.slice(dt.pad(x, [[1, 1], [2, 2]]), [1, 1], [3, 5]), ref: (x) => R.slice(R.pad(x, [[1, 1], [2, 2]]), [1, 1], [3, 5]), inputs: [uniform([3, 4])] },
];

const concats: GradCheckSpec[] = [
  ...[0, 1, 2, -1].map((axis): GradCheckSpec => {
    const shapes = [0, 1, 2].map((k) => S.map((d, i) => (i === (axis + 3) % 3 ? d + k - 1 : d)));
    return {
      name: `concat of [${shapes.map((s) => `[${s}]`).join(', ')}] axis=${axis}`,
      f: (a, b, c) => dt.concat([a, b, c], axis),
      ref: (a, b, c) => R.concat([a, b, c], axis),
      inputs: shapes.map((s) => uniform(s)),
    };
  }),
  { name: 'concat of one tensor', f: (a) => dt.concat([a], 1), ref: (a) => R.concat([a], 1), inputs: [uniform([2, 3])] },
  { name: 'concat of a tensor with itself', f: (a) => dt.concat([a, a], 0), ref: (a) => R.concat([a, a], 0), inputs: [uniform([2, 3])] },
];

const stacks: GradCheckSpec[] = [0, 1, 2, -1].map((axis): GradCheckSpec => ({
  name: `stack of three [2,3] axis=${axis}`,
  f: (a, b, c) => dt.stack([a, b, c], axis),
  ref: (a, b, c) => R.stack([a, b, c], axis),
  inputs: [uniform([2, 3]), uniform([2, 3]), uniform([2, 3])],
}));
stacks.push(
  { name: 'split [2,6] into [1,3,2] along 1, middle part', f: (x) => dt.split(x, [1, 3, 2], 1)[1], ref: (x) => R.slice(x, [0, 1], [2, 3]), inputs: [uniform([2, 6])] },
  { name: 'unstack [3,4] along 0, part 2', f: (x) => dt.unstack(x, 0)[2], ref: (x) => R.reshape(R.slice(x, [2, 0], [1, 4]), [4]), inputs: [uniform([3, 4])] },
);

const idx = (shape: number[], data: number[]) => ({ shape, data });
const GATHERS: [string, number[], { shape: number[]; data: number[] }, number][] = [
  ['axis 0, repeated indices', [4, 3], idx([5], [2, 0, 2, 3, 2]), 0],
  ['axis 1, repeated indices', [2, 4, 3], idx([4], [3, 3, 0, 1]), 1],
  ['axis -1', [2, 3, 4], idx([3], [1, 3, 1]), -1],
  ['2-D indices, axis 0', [5, 2], idx([2, 3], [4, 0, 4, 1, 1, 2]), 0],
  ['2-D indices, axis 1', [2, 4, 2], idx([2, 2], [0, 3, 3, 3]), 1],
  ['some rows never gathered', [6, 2], idx([2], [1, 4]), 0],
];
const gathers: GradCheckSpec[] = GATHERS.map(([label, xs, ix, axis]) => ({
  name: `gather x[${xs}] indices[${ix.shape}]=${JSON.stringify(ix.data)} ${label}`,
  f: (x) => dt.gather(x, dt.tensor(ix.data, ix.shape, 'int32'), axis),
  ref: (x) => R.gather(x, ix, axis),
  inputs: [uniform(xs)],
}));
gathers.push({ name: 'gather with a plain index array', f: (x) => dt.gather(x, [1, 1, 0], 0), ref: (x) => R.gather(x, idx([3], [1, 1, 0]), 0), inputs: [uniform([3, 2])] });

const BROADCASTS: [number[], number[]][] = [[[3], [2, 3]], [[2, 1, 4], [2, 3, 4]], [[1], [2, 2]], [[], [2, 3]], [[3, 1], [2, 3, 4]], [[2, 3], [2, 3]]];
const shapes: GradCheckSpec[] = [
  ...BROADCASTS.map(([from, to]): GradCheckSpec => ({
    name: `broadcastTo [${from}] -> [${to}]`, f: (x) => dt.broadcastTo(x, to), ref: (x) => R.broadcastTo(x, to), inputs: [uniform(from)],
  })),
  { name: 'reshape [2,3,4] -> [6,4]', f: (x) => dt.reshape(x, [6, 4]), ref: (x) => R.reshape(x, [6, 4]), inputs: [U] },
  { name: 'reshape [2,3,4] -> [4,-1]', f: (x) => dt.reshape(x, [4, -1]), ref: (x) => R.reshape(x, [4, -1]), inputs: [U] },
  { name: 'reshape then nonlinear (exp of view)', f: (x) => dt.exp(dt.reshape(x, [3, 8])), ref: (x) => R.exp(R.reshape(x, [3, 8])), inputs: [U] },
  { name: 'Tensor.reshape method to scalar', f: (x) => x.reshape([]), ref: (x) => R.reshape(x, []), inputs: [uniform([1, 1])] },
  { name: 'expandDims axis 1', f: (x) => dt.expandDims(x, 1), ref: (x) => R.expandDims(x, 1), inputs: [uniform([2, 3])] },
  { name: 'expandDims axis -1', f: (x) => dt.expandDims(x, -1), ref: (x) => R.expandDims(x, -1), inputs: [uniform([2, 3])] },
  { name: 'squeeze all', f: (x) => dt.squeeze(x), ref: (x) => R.squeeze(x), inputs: [uniform([1, 3, 1, 2])] },
  { name: 'squeeze axis 2', f: (x) => dt.squeeze(x, [2]), ref: (x) => R.squeeze(x, [2]), inputs: [uniform([1, 3, 1, 2])] },
];

describeGradcheck('transpose gradients', transposes);
describeGradcheck('slice and pad gradients', [...slices, ...pads]);
describeGradcheck('concat, stack, split and unstack gradients', [...concats, ...stacks]);
describeGradcheck('gather gradients (with respect to x)', gathers);
describeGradcheck('broadcastTo, reshape, expandDims and squeeze gradients', shapes);
