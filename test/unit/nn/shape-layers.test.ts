/**
 * The shape layers (UpSampling2D, ZeroPadding2D, Cropping2D, GlobalMaxPooling2D, GlobalAveragePooling2D keepdims,
 * Reshape, Permute, RepeatVector, Flatten of any rank):
 * - values against plain float64 index math (nearest upsampling repeats; bilinear is TensorFlow 2's resize, the
 *   same bits as dt.image.resize's primitive);
 * - computeOutputShape for each config, with unknown (null) dims;
 * - gradients against float64 central differences (test/util/gradcheck.ts);
 * - config and input errors with clear messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { type A64, arr, ravel, unravel } from '../../reference/ops64.ts';
import { describeGradcheck, distinct, uniform } from '../../util/gradcheck.ts';
import { bilinear64 } from './image-reference.ts';

const L = dt.layers;
beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(() => dt.shutdown());

/** 0, 1, 2, ... as a float32 tensor. */
const iota = (shape: number[]) => dt.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape);

/** Output[i] = x[map(i)] over an output shape: a reference for pure data movement. */
function gather64(x: A64, outShape: number[], map: (o: number[]) => number[] | null): A64 {
  const y = arr(outShape);
  for (let i = 0; i < y.data.length; i++) {
    const src = map(unravel(i, outShape));
    y.data[i] = src === null ? 0 : x.data[ravel(src, x.shape)];
  }
  return y;
}

const upNearest64 = (sh: number, sw: number) => (x: A64) => {
  const [n, h, w, c] = x.shape;
  return gather64(x, [n, h * sh, w * sw, c], ([b, i, j, k]) => [b, Math.floor(i / sh), Math.floor(j / sw), k]);
};
const pad64 = ([[t, b], [l, r]]: number[][]) => (x: A64) => {
  const [n, h, w, c] = x.shape;
  return gather64(x, [n, h + t + b, w + l + r, c], ([q, i, j, k]) => (i < t || i >= t + h || j < l || j >= l + w ? null : [q, i - t, j - l, k]));
};
const crop64 = ([[t, b], [l, r]]: number[][]) => (x: A64) => {
  const [n, h, w, c] = x.shape;
  return gather64(x, [n, h - t - b, w - l - r, c], ([q, i, j, k]) => [q, i + t, j + l, k]);
};
const permute64 = (dims: number[]) => (x: A64) => {
  const out = [x.shape[0], ...dims.map((d) => x.shape[d])];
  return gather64(x, out, (o) => {
    const src = new Array<number>(x.shape.length);
    src[0] = o[0];
    dims.forEach((d, i) => { src[d] = o[i + 1]; });
    return src;
  });
};
const repeat64 = (n: number) => (x: A64) => gather64(x, [x.shape[0], n, x.shape[1]], ([b, , f]) => [b, f]);
const globalMax64 = (keep: boolean) => (x: A64) => {
  const [n, h, w, c] = x.shape;
  const y = arr(keep ? [n, 1, 1, c] : [n, c]);
  for (let b = 0; b < n; b++) for (let k = 0; k < c; k++) {
    let m = -Infinity;
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) m = Math.max(m, x.data[ravel([b, i, j, k], x.shape)]);
    y.data[b * c + k] = m;
  }
  return y;
};

describe('UpSampling2D', () => {
  it('nearest repeats rows and columns (Keras ops.repeat); bilinear equals dt.image.resize bit for bit', async () => {
    const x = iota([2, 3, 2, 3]);
    const y = new L.UpSampling2D([2, 3]).apply(x);
    expect(y.shape).toEqual([2, 6, 6, 3]);
    const want = upNearest64(2, 3)(arr(x.shape, await x.data()));
    expect(Array.from(await y.data())).toEqual(Array.from(want.data));
    const xr = dt.tensor(Float32Array.from({ length: 2 * 5 * 3 * 2 }, (_, i) => Math.sin(i * 1.7) * 3), [2, 5, 3, 2]);
    for (const size of [2, [3, 2], [1, 4]] as const) {
      const up = new L.UpSampling2D(size as number | [number, number], { interpolation: 'bilinear' });
      const b = up.apply(xr);
      const s = typeof size === 'number' ? [size, size] : size;
      const prim = dt.image.resize(xr, [5 * s[0], 3 * s[1]]);
      expect(b.shape).toEqual(prim.shape);
      expect(Buffer.from((await b.data()).buffer)).toEqual(Buffer.from((await prim.data()).buffer));
      // and within float32 rounding of the float64 TensorFlow formula
      const ref = bilinear64(arr(xr.shape, await xr.data()), [5 * s[0], 3 * s[1]]);
      const got = await b.data();
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - ref.data[i])).toBeLessThan(1e-5);
      dt.dispose([b, prim]);
    }
    dt.dispose([x, y, xr]);
  });

  it('output shapes, null dims, config errors', () => {
    expect(new L.UpSampling2D().computeOutputShape([null, 3, 4, 5])).toEqual([null, 6, 8, 5]);
    expect(new L.UpSampling2D([2, 3]).computeOutputShape([null, null, 4, 5])).toEqual([null, null, 12, 5]);
    expect(new L.UpSampling2D(1).getConfig()).toMatchObject({ size: [1, 1], interpolation: 'nearest' });
    expect(() => new L.UpSampling2D(0)).toThrow(/^UpSampling2D: expected size to be a positive integer/);
    expect(() => new L.UpSampling2D(2, { interpolation: 'bicubic' as 'bilinear' })).toThrow(/^UpSampling2D: expected interpolation 'nearest' or 'bilinear'\. Received: interpolation="bicubic"/);
    expect(() => new L.UpSampling2D(2, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/^UpSampling2D: expected dataFormat 'channels_last'.*Received: dataFormat="channels_first"/);
    expect(() => new L.UpSampling2D(2, { interp: 'nearest' } as object)).toThrow(/unrecognized options \{interp\}/);
    const x = dt.zeros([2, 3, 4]);
    expect(() => new L.UpSampling2D().apply(x)).toThrow(dt.ShapeError);
    x.dispose();
  });
});

describe('ZeroPadding2D and Cropping2D', () => {
  it('pad with zeros and crop in the three Keras forms', async () => {
    const x = iota([2, 4, 5, 2]);
    const x64 = arr(x.shape, await x.data());
    const forms: [dt.layers.SpatialAmounts, number[][]][] = [[1, [[1, 1], [1, 1]]], [[1, 2], [[1, 1], [2, 2]]], [[[0, 2], [1, 0]], [[0, 2], [1, 0]]]];
    for (const [p, full] of forms) {
      const zp = new L.ZeroPadding2D(p);
      expect(zp.padding).toEqual(full);
      const y = zp.apply(x);
      expect(Array.from(await y.data())).toEqual(Array.from(pad64(full)(x64).data));
      expect(zp.computeOutputShape([null, 4, null, 2])).toEqual([null, 4 + full[0][0] + full[0][1], null, 2]);
      const cr = new L.Cropping2D(p);
      const z = cr.apply(x);
      expect(z.shape).toEqual([2, 4 - full[0][0] - full[0][1], 5 - full[1][0] - full[1][1], 2]);
      expect(Array.from(await z.data())).toEqual(Array.from(crop64(full)(x64).data));
      expect(cr.computeOutputShape([null, null, 5, 2])).toEqual([null, null, 5 - full[1][0] - full[1][1], 2]);
      dt.dispose([y, z]);
    }
    expect(new L.ZeroPadding2D().padding).toEqual([[1, 1], [1, 1]]);
    expect(new L.Cropping2D().cropping).toEqual([[0, 0], [0, 0]]);
    x.dispose();
  });

  it('refuse bad amounts and a crop that leaves nothing', () => {
    expect(() => new L.ZeroPadding2D(-1)).toThrow(/^ZeroPadding2D: expected padding to be a non-negative integer, a pair \[h, w\] or a pair of pairs/);
    expect(() => new L.ZeroPadding2D([1, 2, 3] as unknown as number)).toThrow(dt.ArgumentError);
    expect(() => new L.Cropping2D([[1], [2, 3]] as unknown as number)).toThrow(/^Cropping2D: expected cropping/);
    expect(() => new L.Cropping2D(1, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/channels_last/);
    const x = dt.zeros([1, 4, 5, 1]);
    expect(() => new L.Cropping2D([[2, 2], [0, 0]]).apply(x)).toThrow(/^Cropping2D 'cropping2d(_\d+)?': expected a cropping smaller than the input.*Received: cropping=\[\[2,2\],\[0,0\]\], input shape \(None, 4, 5, 1\)/);
    expect(() => new L.Cropping2D([[0, 0], [3, 3]]).computeOutputShape([null, 4, 5, 1])).toThrow(dt.ShapeError);
    x.dispose();
  });
});

describe('global pooling', () => {
  it('GlobalMaxPooling2D and GlobalAveragePooling2D, with and without keepdims', async () => {
    const x = dt.tensor(Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => Math.cos(i * 0.9) * (i % 7)), [2, 3, 4, 5]);
    const x64 = arr(x.shape, await x.data());
    for (const keepdims of [false, true]) {
      const gm = new L.GlobalMaxPooling2D(keepdims ? { keepdims } : {});
      const y = gm.apply(x);
      expect(y.shape).toEqual(keepdims ? [2, 1, 1, 5] : [2, 5]);
      expect(Array.from(await y.data())).toEqual(Array.from(globalMax64(keepdims)(x64).data).map(Math.fround));
      expect(gm.computeOutputShape([null, null, null, 5])).toEqual(keepdims ? [null, 1, 1, 5] : [null, 5]);
      const ga = new L.GlobalAveragePooling2D({ keepdims });
      const a = ga.apply(x);
      const m = dt.mean(x, [1, 2], keepdims);
      expect(a.shape).toEqual(m.shape);
      expect(Array.from(await a.data())).toEqual(Array.from(await m.data()));
      expect(ga.computeOutputShape([null, 3, 4, 5])).toEqual(keepdims ? [null, 1, 1, 5] : [null, 5]);
      dt.dispose([y, a, m]);
    }
    expect(() => new L.GlobalMaxPooling2D({ keepdims: 1 as unknown as boolean })).toThrow(/^GlobalMaxPooling2D: expected keepdims to be a boolean/);
    expect(() => new L.GlobalAveragePooling2D({ keepDims: true } as object)).toThrow(/unrecognized options \{keepDims\}/);
    x.dispose();
  });
});

describe('Reshape, Permute, RepeatVector, Flatten', () => {
  it('Reshape keeps the row-major order and infers one -1', async () => {
    const x = iota([2, 3, 4]);
    const y = new L.Reshape([4, -1]).apply(x);
    expect(y.shape).toEqual([2, 4, 3]);
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    expect(new L.Reshape([6, 2]).computeOutputShape([null, 3, 4])).toEqual([null, 6, 2]);
    expect(new L.Reshape([-1, 2]).computeOutputShape([null, 3, 4])).toEqual([null, 6, 2]);
    expect(new L.Reshape([-1, 2]).computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
    expect(() => new L.Reshape([-1, -1])).toThrow(/^Reshape: expected targetShape to be an array of positive integers with at most one -1\. Received: targetShape=\[-1,-1\]/);
    expect(() => new L.Reshape([0, 2])).toThrow(dt.ArgumentError);
    expect(() => new L.Reshape([5]).apply(x)).toThrow(/^Reshape 'reshape(_\d+)?': expected an input whose non-batch size \(12\) fits targetShape \[5\]/);
    expect(() => new L.Reshape([5, -1]).computeOutputShape([null, 3, 4])).toThrow(dt.ShapeError);
    dt.dispose([x, y]);
  });

  it('Permute (1-based dims) and RepeatVector against index math', async () => {
    const x = iota([2, 3, 4, 5]);
    const x64 = arr(x.shape, await x.data());
    for (const dims of [[2, 1, 3], [3, 1, 2], [1, 2, 3]]) {
      const p = new L.Permute(dims);
      const y = p.apply(x);
      expect(Array.from(await y.data())).toEqual(Array.from(permute64(dims)(x64).data));
      expect(p.computeOutputShape([null, 3, null, 5])).toEqual([null, ...dims.map((d) => [null, 3, null, 5][d])]);
      y.dispose();
    }
    expect(() => new L.Permute([0, 1])).toThrow(/^Permute: expected dims to be a permutation of \[1, \.\.\., k\]/);
    expect(() => new L.Permute([1, 1])).toThrow(dt.ArgumentError);
    expect(() => new L.Permute([1, 3])).toThrow(dt.ArgumentError);
    expect(() => new L.Permute([2, 1]).apply(x)).toThrow(dt.ShapeError);
    const v = iota([3, 4]);
    const r = new L.RepeatVector(3).apply(v);
    expect(r.shape).toEqual([3, 3, 4]);
    expect(Array.from(await r.data())).toEqual(Array.from(repeat64(3)(arr(v.shape, await v.data())).data));
    expect(new L.RepeatVector(2).computeOutputShape([null, 7])).toEqual([null, 2, 7]);
    expect(() => new L.RepeatVector(0)).toThrow(/^RepeatVector: expected n to be a positive integer\. Received: n=0/);
    expect(() => new L.RepeatVector(2).apply(x)).toThrow(dt.ShapeError);
    const f = new L.Flatten().apply(x);
    expect(f.shape).toEqual([2, 60]);
    expect(new L.Flatten().computeOutputShape([null, 3, 4, 5, 6])).toEqual([null, 360]);
    dt.dispose([x, v, r, f]);
  });
});

describeGradcheck('shape layers: gradients against float64 central differences', [
  { name: 'UpSampling2D nearest [2, 3]', f: (x) => new L.UpSampling2D([2, 3]).apply(x), ref: upNearest64(2, 3), inputs: [uniform([2, 3, 2, 2])] },
  { name: 'UpSampling2D bilinear 2', f: (x) => new L.UpSampling2D(2, { interpolation: 'bilinear' }).apply(x), ref: (x) => bilinear64(x, [x.shape[1] * 2, x.shape[2] * 2]), inputs: [uniform([1, 3, 4, 2])] },
  { name: 'UpSampling2D bilinear [3, 1]', f: (x) => new L.UpSampling2D([3, 1], { interpolation: 'bilinear' }).apply(x), ref: (x) => bilinear64(x, [x.shape[1] * 3, x.shape[2]]), inputs: [uniform([2, 2, 3, 1])] },
  { name: 'ZeroPadding2D', f: (x) => new L.ZeroPadding2D([[1, 0], [2, 1]]).apply(x), ref: pad64([[1, 0], [2, 1]]), inputs: [uniform([2, 3, 3, 2])] },
  { name: 'Cropping2D', f: (x) => new L.Cropping2D([[1, 0], [2, 1]]).apply(x), ref: crop64([[1, 0], [2, 1]]), inputs: [uniform([2, 4, 5, 2])] },
  { name: 'GlobalMaxPooling2D', f: (x) => new L.GlobalMaxPooling2D().apply(x), ref: globalMax64(false), inputs: [distinct([2, 3, 3, 2])] },
  { name: 'Reshape', f: (x) => new L.Reshape([-1, 3]).apply(x), ref: (x) => ({ shape: [x.shape[0], 4, 3], data: x.data }), inputs: [uniform([2, 3, 4])] },
  { name: 'Permute', f: (x) => new L.Permute([3, 1, 2]).apply(x), ref: permute64([3, 1, 2]), inputs: [uniform([2, 3, 2, 4])] },
  { name: 'RepeatVector', f: (x) => new L.RepeatVector(3).apply(x), ref: repeat64(3), inputs: [uniform([2, 5])] },
]);
