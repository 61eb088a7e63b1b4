/**
 * The merge layers (Keras 3's keras.layers.merging): Add, Subtract, Multiply, Average, Maximum, Minimum,
 * Concatenate and Dot, on tensors and on symbolic tensors:
 * - values against plain reference math: the elementwise layers bit for bit against the float32 rounding of each
 *   step in list order ((x0 + x1) + x2, Average = sum / n), Concatenate exactly, Dot within float32 rounding of a
 *   float64 reference (also with normalize: the cosine);
 * - Keras's shape rules: broadcasting after the batch axis, a lower-rank input expanded after the batch axis, the
 *   output shapes inferred on symbolic tensors, and the errors (arity, shapes, batch sizes, a list vs one tensor);
 * - gradients through dt.grad against float64 central differences.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import * as r64 from '../../reference/ops64.ts';
import { describeGradcheck, distinct, uniform } from '../../util/gradcheck.ts';
import { lcgValues } from './helpers.ts';

const L = dt.layers;

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const f = Math.fround;
const t = (shape: number[], seed: number) => dt.tensor(lcgValues(shape.reduce((a, b) => a * b, 1), seed), shape);
const host = async (x: dt.Tensor) => Array.from((await x.data()) as Float32Array);

describe('elementwise merge layers: values', () => {
  it('combine in list order with float32 rounding at each step, bit for bit', async () => {
    const xs = [t([2, 3], 1), t([2, 3], 2), t([2, 3], 3)];
    const [a, b, c] = await Promise.all(xs.map(host));
    const cases: [dt.layers.Merge, (i: number) => number][] = [
      [new L.Add(), (i) => f(f(a[i] + b[i]) + c[i])],
      [new L.Multiply(), (i) => f(f(a[i] * b[i]) * c[i])],
      [new L.Average(), (i) => f(f(f(a[i] + b[i]) + c[i]) / 3)],
      [new L.Maximum(), (i) => Math.max(a[i], b[i], c[i])],
      [new L.Minimum(), (i) => Math.min(a[i], b[i], c[i])],
    ];
    for (const [layer, want] of cases) {
      const got = await host(layer.apply(xs));
      expect(got, layer.name).toEqual(a.map((_, i) => want(i)));
    }
    expect(await host(new L.Subtract().apply([xs[0], xs[1]]))).toEqual(a.map((v, i) => f(v - b[i])));
    // The functional forms are the same layers.
    expect(await host(L.add(xs))).toEqual(await host(new L.Add().apply(xs)));
    expect(await host(L.subtract([xs[0], xs[1]]))).toEqual(a.map((v, i) => f(v - b[i])));
  });

  it('broadcast after the batch axis; a lower-rank input is expanded after the batch axis (Keras)', async () => {
    const x = t([2, 3, 4], 4);
    const y = t([2, 4], 5); // -> [2, 1, 4]
    const z = t([2, 3, 1], 6);
    const [hx, hy, hz] = await Promise.all([x, y, z].map(host));
    const out = new L.Add().apply([x, y, z]);
    expect(out.shape).toEqual([2, 3, 4]);
    const want: number[] = [];
    for (let n = 0; n < 2; n++) for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) want.push(f(f(hx[(n * 3 + i) * 4 + j] + hy[n * 4 + j]) + hz[n * 3 + i]));
    expect(await host(out)).toEqual(want);
  });

  it('one input gives a copy of it; the inputs are never disposed', async () => {
    const x = t([2, 2], 7);
    const y = new L.Add().apply([x]);
    expect(y).not.toBe(x);
    expect(await host(y)).toEqual(await host(x));
    y.dispose();
    expect(x.isDisposed).toBe(false);
  });
});

describe('Concatenate and Dot: values', () => {
  it('Concatenate joins along the last axis by default, or along `axis`', async () => {
    const a = t([2, 2, 3], 8);
    const b = t([2, 2, 1], 9);
    const [ha, hb] = await Promise.all([a, b].map(host));
    const out = new L.Concatenate().apply([a, b]);
    expect(out.shape).toEqual([2, 2, 4]);
    const want: number[] = [];
    for (let r = 0; r < 4; r++) want.push(...ha.slice(r * 3, r * 3 + 3), hb[r]);
    expect(await host(out)).toEqual(want);
    const c = t([2, 1, 3], 10);
    expect(new L.Concatenate({ axis: 1 }).apply([a, c]).shape).toEqual([2, 3, 3]);
    expect(L.concatenate([a, b]).shape).toEqual([2, 2, 4]);
  });

  it('Dot: [N, d] . [N, d] over axis 1 is [N, 1]; [N, 3, 5] . [N, 10, 3] over [1, 2] is [N, 5, 10] (float64 reference)', async () => {
    const x = t([2, 3], 11);
    const y = t([2, 3], 12);
    const [hx, hy] = await Promise.all([x, y].map(host));
    const d = new L.Dot(1).apply([x, y]);
    expect(d.shape).toEqual([2, 1]);
    const got = await host(d);
    for (let n = 0; n < 2; n++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += hx[n * 3 + k] * hy[n * 3 + k];
      expect(Math.abs(got[n] - s)).toBeLessThan(1e-6);
    }
    const u = t([2, 3, 5], 13);
    const v = t([2, 10, 3], 14);
    const [hu, hv] = await Promise.all([u, v].map(host));
    const w = new L.Dot([1, 2]).apply([u, v]);
    expect(w.shape).toEqual([2, 5, 10]);
    const gw = await host(w);
    for (let n = 0; n < 2; n++) {
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 10; j++) {
          let s = 0;
          for (let k = 0; k < 3; k++) s += hu[(n * 3 + k) * 5 + i] * hv[(n * 10 + j) * 3 + k];
          expect(Math.abs(gw[(n * 5 + i) * 10 + j] - s)).toBeLessThan(1e-6);
        }
      }
    }
    // negative axes count from the last
    expect(await host(new L.Dot([-2, -1]).apply([u, v]))).toEqual(gw);
  });

  it('Dot with normalize is the cosine similarity', async () => {
    const x = t([3, 4], 15);
    const y = t([3, 4], 16);
    const [hx, hy] = await Promise.all([x, y].map(host));
    const got = await host(L.dot([x, y], 1, { normalize: true }));
    for (let n = 0; n < 3; n++) {
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let k = 0; k < 4; k++) {
        xy += hx[n * 4 + k] * hy[n * 4 + k];
        xx += hx[n * 4 + k] ** 2;
        yy += hy[n * 4 + k] ** 2;
      }
      expect(Math.abs(got[n] - xy / Math.sqrt(xx * yy))).toBeLessThan(1e-6);
    }
  });
});

describe('merge layers: shapes on symbolic tensors', () => {
  it('infer Keras output shapes', () => {
    const a = dt.Input({ shape: [4, 3] });
    const b = dt.Input({ shape: [3] });
    const c = dt.Input({ shape: [4, 1] });
    expect(L.add([a, b, c]).shape).toEqual([null, 4, 3]);
    expect(L.maximum([a, c]).shape).toEqual([null, 4, 3]);
    expect(L.concatenate([a, c]).shape).toEqual([null, 4, 4]);
    expect(L.concatenate([a, a], { axis: 1 }).shape).toEqual([null, 8, 3]);
    expect(L.dot([a, a], [1, 1]).shape).toEqual([null, 3, 3]);
    expect(L.dot([b, b], 1).shape).toEqual([null, 1]);
    const fixedBatch = dt.Input({ shape: [3], batchSize: 5 });
    expect(L.add([fixedBatch, b]).shape).toEqual([5, 3]);
  });
});

describe('merge layers: errors', () => {
  it('refuse the wrong number of inputs', () => {
    const a = dt.Input({ shape: [3] });
    expect(() => new L.Add({ name: 'add0' }).apply([])).toThrow(/^Add 'add0': expected a list of at least 1 input\. Received: 0 inputs$/);
    expect(() => new L.Subtract({ name: 's' }).apply([a, a, a])).toThrow(/^Subtract 's': expected exactly 2 inputs\. Received: 3 inputs$/);
    expect(() => new L.Subtract({ name: 's1' }).apply([a])).toThrow(/expected exactly 2 inputs\. Received: 1 input$/);
    expect(() => new L.Dot(1, { name: 'd' }).apply([a, a, a])).toThrow(/^Dot 'd': expected exactly 2 inputs/);
  });

  it('refuse one tensor where a list is expected, and a list where one tensor is expected', () => {
    const a = dt.Input({ shape: [3] });
    expect(() => new L.Add({ name: 'a1' }).apply(a as never)).toThrow(/^Add 'a1': expected a list of tensors \(the layer merges several inputs\)\. Received: one tensor$/);
    expect(() => new L.Add({ name: 'a2' }).apply(dt.ones([2, 3]) as never)).toThrow(dt.ArgumentError);
    expect(() => new L.Dense(2, { name: 'dd' }).apply([a, a] as never)).toThrow(/^Dense 'dd': expected one tensor\. Received: a list of 2 tensors$/);
  });

  it('refuse shapes that do not broadcast, other batch sizes, and concatenation or dot mismatches', () => {
    const a = dt.Input({ shape: [3] });
    const b = dt.Input({ shape: [4] });
    expect(() => new L.Add({ name: 'x' }).apply([a, b])).toThrow(/^Add 'x': expected inputs whose shapes after the batch axis broadcast .*Received: shapes \[\(None, 3\), \(None, 4\)\]$/);
    expect(() => new L.Add({ name: 'y' }).apply([dt.ones([2, 3]), dt.ones([3, 3])])).toThrow(/^Add 'y': expected inputs with one batch size\. Received: shapes \[\(2, 3\), \(3, 3\)\]$/);
    const m = dt.Input({ shape: [2, 3] });
    expect(() => new L.Concatenate({ name: 'c' }).apply([m, b])).toThrow(/^Concatenate 'c': expected inputs of one rank with matching shapes except for the concatenation axis -1/);
    expect(() => new L.Concatenate({ name: 'c2', axis: 1 }).apply([m, dt.Input({ shape: [2, 4] })])).toThrow(/matching shapes except for the concatenation axis 1/);
    expect(() => new L.Dot(1, { name: 'dt1' }).apply([a, b])).toThrow(/^Dot 'dt1': expected equal sizes on the dot axes: 3 \(axis 1 of the first input\) != 4 \(axis 1 of the second\)/);
    expect(() => new L.Dot(0, { name: 'dt2' }).apply([a, a])).toThrow(/not the batch axis 0/);
    expect(() => new L.Dot('1' as never)).toThrow(/^Dot: expected axes to be an integer or a list of two integers/);
    expect(() => new L.Concatenate({ axis: 1.5 })).toThrow(/^Concatenate: expected an integer axis/);
  });

  it('a built merge layer checks every later call (shapes are compared each time)', () => {
    const layer = new L.Add({ name: 'z' });
    layer.apply([dt.ones([2, 3]), dt.ones([2, 3])]);
    expect(() => layer.apply([dt.ones([2, 3]), dt.ones([2, 4])])).toThrow(dt.ShapeError);
  });
});

const add64 = (...xs: A64[]) => xs.slice(1).reduce((acc, x) => r64.add(acc, x), xs[0]);
/** float64 Dot over axis 1 of [N, d] inputs: [N, 1]. */
function dot64(x: A64, y: A64): A64 {
  const [n, d] = x.shape;
  const out = arr([n, 1]);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out.data[i] += x.data[i * d + k] * y.data[i * d + k];
  return out;
}

describeGradcheck('merge layers: gradients against float64 central differences', [
  { name: 'Add of 3', f: (a, b, c) => new L.Add().apply([a, b, c]), ref: add64, inputs: [uniform([2, 3]), uniform([2, 3]), uniform([2, 3])] },
  { name: 'Add broadcasting [2,3,4] + [2,4]', f: (a, b) => new L.Add().apply([a, b]), ref: (a, b) => r64.add(a, r64.reshape(b, [2, 1, 4])), inputs: [uniform([2, 3, 4]), uniform([2, 4])] },
  { name: 'Subtract', f: (a, b) => new L.Subtract().apply([a, b]), ref: r64.sub, inputs: [uniform([2, 3]), uniform([2, 3])] },
  { name: 'Multiply of 3', f: (a, b, c) => new L.Multiply().apply([a, b, c]), ref: (a, b, c) => r64.mul(r64.mul(a, b), c), inputs: [uniform([2, 3]), uniform([2, 3]), uniform([2, 3])] },
  { name: 'Average of 3', f: (a, b, c) => new L.Average().apply([a, b, c]), ref: (a, b, c) => r64.map(add64(a, b, c), (v) => v / 3), inputs: [uniform([2, 3]), uniform([2, 3]), uniform([2, 3])] },
  // distinct values: no ties, where max/min are not differentiable
  { name: 'Maximum', f: (a, b) => new L.Maximum().apply([a, b]), ref: r64.maximum, inputs: [distinct([2, 3]), distinct([2, 3], 1.05, 3)] },
  { name: 'Minimum', f: (a, b) => new L.Minimum().apply([a, b]), ref: r64.minimum, inputs: [distinct([2, 3], 1.05, 3), distinct([2, 3])] },
  { name: 'Concatenate', f: (a, b) => new L.Concatenate().apply([a, b]), ref: (a, b) => r64.concat([a, b], 1), inputs: [uniform([2, 3]), uniform([2, 2])] },
  { name: 'Dot axes 1', f: (a, b) => new L.Dot(1).apply([a, b]), ref: dot64, inputs: [uniform([3, 4]), uniform([3, 4])] },
]);
