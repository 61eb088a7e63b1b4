/**
 * Every primitive op against NumPy golden values (test/golden/ops.json, produced by
 * test/golden/gen/ops_golden.py; see its header for what "exact", "ulp:N" and "tol" mean).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { expectBitsEqual, expectClose } from '../util/compare.ts';
import { ROOT } from '../util/subprocess.ts';

interface Arr { shape: number[]; dtype: dt.DType; data: number[] }
interface Case { name: string; op: string; inputs: Arr[]; attrs: Record<string, unknown>; expected: Arr; check: string }

const golden = JSON.parse(readFileSync(resolve(ROOT, 'test/golden/ops.json'), 'utf8')) as { source: string; cases: Case[] };

type Fn = (xs: dt.Tensor[], a: any) => dt.Tensor; // eslint-disable-line @typescript-eslint/no-explicit-any
const unary = (f: (x: dt.Tensor) => dt.Tensor): Fn => ([x]) => f(x);
const binary = (f: (a: dt.Tensor, b: dt.Tensor) => dt.Tensor): Fn => ([a, b]) => f(a, b);

/** How each primitive op is called through the public API. */
const CALL: Record<string, Fn> = {
  neg: unary(dt.neg), abs: unary(dt.abs), sign: unary(dt.sign), exp: unary(dt.exp), log: unary(dt.log),
  sqrt: unary(dt.sqrt), square: unary(dt.square), relu: unary(dt.relu), sigmoid: unary(dt.sigmoid), tanh: unary(dt.tanh),
  clipByValue: ([x], a) => dt.clipByValue(x, a.min, a.max),
  add: binary(dt.add), sub: binary(dt.sub), mul: binary(dt.mul), div: binary(dt.div),
  maximum: binary(dt.maximum), minimum: binary(dt.minimum), equal: binary(dt.equal), notEqual: binary(dt.notEqual),
  less: binary(dt.less), lessEqual: binary(dt.lessEqual), greater: binary(dt.greater), greaterEqual: binary(dt.greaterEqual),
  where: ([c, a, b]) => dt.where(c, a, b), reluGrad: ([dy, x]) => adv.reluGrad(dy, x),
  adamMoment: ([m, g], a) => adv.adamMoment(m, g, a.c), adamVelocity: ([u, g], a) => adv.adamVelocity(u, g, a.c),
  adamStep: ([v, m, u], a) => adv.adamStep(v, m, u, a.alpha, a.eps),
  sum: ([x], a) => dt.sum(x, a.axes, a.keepDims), max: ([x], a) => dt.max(x, a.axes, a.keepDims),
  min: ([x], a) => dt.min(x, a.axes, a.keepDims), argmax: ([x], a) => dt.argmax(x, a.axis), argmin: ([x], a) => dt.argmin(x, a.axis),
  matmul: ([x, y], a) => dt.matmul(x, y, a),
  conv2d: ([x, w], a) => dt.conv2d(x, w, a),
  conv2dGradInput: ([dy, w], { inputShape, ...a }) => adv.conv2dGradInput(dy, w, inputShape, a),
  conv2dGradFilter: ([x, dy], { filterShape, ...a }) => adv.conv2dGradFilter(x, dy, filterShape, a),
  maxPool2d: ([x], a) => dt.maxPool2d(x, a), avgPool2d: ([x], a) => dt.avgPool2d(x, a),
  maxPool2dGrad: ([dy, x], a) => adv.maxPool2dGrad(dy, x, a),
  avgPool2dGrad: ([dy], { inputShape, ...a }) => adv.avgPool2dGrad(dy, inputShape, a),
  transpose: ([x], a) => dt.transpose(x, a.perm), slice: ([x], a) => dt.slice(x, a.begin, a.size),
  pad: ([x], a) => dt.pad(x, a.paddings, a.value), concat: (xs, a) => dt.concat(xs, a.axis),
  gather: ([x, i], a) => dt.gather(x, i, a.axis), gatherGrad: ([dy, i], a) => adv.gatherGrad(dy, i, a.axis, a.dimSize),
  oneHot: ([i], { depth, ...a }) => dt.oneHot(i, depth, a), cast: ([x], a) => dt.cast(x, a.dtype),
  broadcastTo: ([x], a) => dt.broadcastTo(x, a.shape), fill: (_xs, a) => dt.fill(a.shape, a.value, a.dtype),
};

function toTyped(a: Arr): dt.TypedArray {
  return a.dtype === 'float32' ? Float32Array.from(a.data) : a.dtype === 'int32' ? Int32Array.from(a.data) : Uint8Array.from(a.data);
}

describe(`ops vs NumPy golden values (${golden.source})`, () => {
  it('covers every primitive op', () => {
    const covered = new Set(golden.cases.map((c) => c.op));
    // Ops whose golden values come from the spec's vectors rather than NumPy, tested in their own files.
    const elsewhere = new Set(['randomUniform', 'resizeBilinear', 'elu', 'imageTransform']); // test/ops/random-uniform.test.ts, test/ops/resize-bilinear.test.ts (test/golden/resize.json), test/ops/elu.test.ts (float64 reference), test/ops/image-transform.test.ts (test/golden/image-transform.json)
    for (const op of ['erf', 'softplus']) elsewhere.add(op); // test/ops/erf.test.ts, test/ops/softplus.test.ts (float64 references)
    for (const op of ['depthwiseConv2d', 'depthwiseConv2dGradInput', 'depthwiseConv2dGradFilter']) elsewhere.add(op); // test/ops/depthwise-conv2d.test.ts (float64 reference)
    for (const op of ['batchNormMoments', 'batchNormTrain', 'batchNormGradSums', 'batchNormGradInput', 'batchNormInfer']) elsewhere.add(op); // test/ops/batch-norm.test.ts (bits of the composite ops, float64 gradient check)
    elsewhere.add('conv2dBiasAct'); // test/ops/conv2d-bias-act.test.ts (the bits of conv2d, add and relu, each covered here)
    elsewhere.add('conv2dBiasActMaxPool'); // test/ops/conv2d-bias-act-pool.test.ts (the bits of conv2dBiasAct and maxPool2d, each covered)
    elsewhere.add('dropoutApply'); // test/ops/dropout-apply.test.ts (the bits of randomUniform, greaterEqual/less, mul/div and where; host reference dropoutValues)
    expect(adv.OP_NAMES.filter((op) => !covered.has(op) && !elsewhere.has(op))).toEqual([]);
  });

  for (const c of golden.cases) {
    it(c.name, async () => {
      const fn = CALL[c.op];
      expect(fn, `no caller for ${c.op}`).toBeDefined();
      const inputs = c.inputs.map((a) => dt.tensor(toTyped(a), a.shape, a.dtype));
      const y = fn(inputs, c.attrs);
      expect(y.shape).toEqual(c.expected.shape);
      expect(y.dtype).toBe(c.expected.dtype);
      const got = await y.data();
      const want = toTyped(c.expected);
      if (c.check === 'exact') expectBitsEqual(got, want, c.name);
      else if (c.check.startsWith('ulp:')) expectClose(got, want, { ulp: Number(c.check.slice(4)) }, c.name);
      else expectClose(got, want, { rtol: 1e-5, atol: 1e-6 }, c.name);
      dt.dispose([...inputs, y]);
    });
  }
});
