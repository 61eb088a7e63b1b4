/**
 * The non-random preprocessing layers Rescaling, Resizing and CenterCrop:
 * - Rescaling: cast(x) * scale + offset with two float32 roundings (as Keras);
 * - Resizing: 'bilinear' equals the resizeBilinear primitive (dt.image.resize) bit for bit and a float64 formula of
 *   TensorFlow's kernel; 'nearest' follows TensorFlow 2's ResizeNearestNeighbor with half-pixel centers (floor of
 *   (i + 0.5) * in / out, checked by hand-computed indices and a float64 reference); cropToAspectRatio cuts Keras's box;
 * - CenterCrop: the centered slice, or (image smaller than the target) Keras's crop-to-aspect-ratio + bilinear resize;
 * - output shapes with null dims, gradients against float64 central differences, config errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { nearestIndices, aspectCropBox } from '../../../src/nn/layers/image-resize.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import { describeGradcheck, uniform } from '../../util/gradcheck.ts';
import { bilinear64, crop64, nearest64 } from './image-reference.ts';

const L = dt.layers;
beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(() => dt.shutdown());

const wave = (shape: number[], k = 1.3) => dt.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * k) * 4), shape);
const bitsOf = async (t: dt.Tensor) => Buffer.from((await t.data()).buffer);

/** Keras's crop box (float32 divisions as in its TensorFlow backend), written here independently. */
function kerasBox(h: number, w: number, th: number, tw: number): [number, number, number, number] {
  const ch = Math.max(Math.min(h, Math.trunc(Math.fround(Math.fround(w * th) / tw))), 1);
  const cw = Math.max(Math.min(w, Math.trunc(Math.fround(Math.fround(h * tw) / th))), 1);
  return [Math.trunc(Math.fround(h - ch) / 2), Math.trunc(Math.fround(w - cw) / 2), ch, cw];
}

describe('Rescaling', () => {
  it('computes f32(f32(x * scale) + offset), casting integers first', async () => {
    const x = dt.tensor([0, 1, 127, 128, 255, 3], [2, 3], 'int32');
    const y = new L.Rescaling(1 / 127.5, { offset: -1 }).apply(x);
    expect(y.dtype).toBe('float32');
    const want = [0, 1, 127, 128, 255, 3].map((v) => Math.fround(Math.fround(v * Math.fround(1 / 127.5)) + -1));
    expect(Array.from(await y.data())).toEqual(want);
    const r = new L.Rescaling(0.5);
    expect(r.offset).toBe(0);
    expect(r.computeOutputShape([null, 4, null])).toEqual([null, 4, null]);
    expect(() => new L.Rescaling(NaN)).toThrow(/^Rescaling: expected scale to be a finite number\. Received: scale=null/);
    expect(() => new L.Rescaling(1, { offset: '1' as unknown as number })).toThrow(/^Rescaling: expected offset to be a finite number/);
    expect(() => new L.Rescaling(1, { bias: 1 } as object)).toThrow(/unrecognized options \{bias\}/);
    dt.dispose([x, y]);
  });
});

describe('Resizing', () => {
  it('nearest source indices are TensorFlow 2 half-pixel floors', () => {
    expect(nearestIndices(2, 4)).toEqual([0, 0, 1, 1]);
    expect(nearestIndices(4, 3)).toEqual([0, 2, 3]); // f32(1.5 * f32(4/3)) = 2 exactly
    expect(nearestIndices(5, 3)).toEqual([0, 2, 4]);
    expect(nearestIndices(3, 7)).toEqual([0, 0, 1, 1, 1, 2, 2]); // (i + 0.5) * 3/7 = 0.21, 0.64, 1.07, 1.5, 1.93, 2.36, 2.79
  });

  it('bilinear equals dt.image.resize bit for bit; nearest equals the reference; both up and down', async () => {
    const x = wave([2, 5, 7, 3]);
    const x64 = arr(x.shape, await x.data());
    for (const [h, w] of [[3, 4], [8, 9], [5, 7], [1, 1], [10, 3]]) {
      const b = new L.Resizing(h, w).apply(x);
      const prim = dt.image.resize(x, [h, w]);
      expect(await bitsOf(b)).toEqual(await bitsOf(prim));
      const ref = bilinear64(x64, [h, w]);
      const got = await b.data();
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - ref.data[i])).toBeLessThan(1e-5);
      const n = new L.Resizing(h, w, { interpolation: 'nearest' }).apply(x);
      expect(Array.from(await n.data())).toEqual(Array.from(nearest64(x64, [h, w]).data).map(Math.fround));
      dt.dispose([b, prim, n]);
    }
    x.dispose();
  });

  it('cropToAspectRatio crops Keras\'s centered box first', async () => {
    const x = wave([1, 6, 10, 2], 0.7);
    const x64 = arr(x.shape, await x.data());
    for (const [th, tw] of [[4, 4], [3, 9], [8, 2]]) {
      const box = kerasBox(6, 10, th, tw);
      expect(aspectCropBox(6, 10, th, tw)).toEqual(box);
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        const y = new L.Resizing(th, tw, { interpolation, cropToAspectRatio: true }).apply(x);
        const c = crop64(x64, ...box);
        const ref = interpolation === 'nearest' ? nearest64(c, [th, tw]) : bilinear64(c, [th, tw]);
        const got = await y.data();
        for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - ref.data[i])).toBeLessThan(1e-5);
        y.dispose();
      }
    }
    expect(kerasBox(6, 10, 4, 4)).toEqual([0, 2, 6, 6]);
    x.dispose();
  });

  it('output shapes and config errors', () => {
    const r = new L.Resizing(3, 5);
    expect(r.computeOutputShape([null, null, null, 3])).toEqual([null, 3, 5, 3]);
    expect(r.getConfig()).toMatchObject({ height: 3, width: 5, interpolation: 'bilinear', cropToAspectRatio: false });
    expect(() => new L.Resizing(0, 3)).toThrow(/^Resizing: expected height to be a positive integer\. Received: height=0/);
    expect(() => new L.Resizing(3, 2.5)).toThrow(/^Resizing: expected width to be a positive integer/);
    expect(() => new L.Resizing(3, 3, { interpolation: 'bicubic' as 'bilinear' })).toThrow(/^Resizing: expected interpolation 'bilinear' or 'nearest'/);
    expect(() => new L.Resizing(3, 3, { cropToAspectRatio: 'yes' as unknown as boolean })).toThrow(/cropToAspectRatio to be a boolean/);
    expect(() => new L.Resizing(3, 3, { padToAspectRatio: true } as object)).toThrow(/unrecognized options \{padToAspectRatio\}/);
    expect(() => new L.Resizing(3, 3, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/channels_first/);
    const x = dt.zeros([4, 4, 3]);
    expect(() => r.apply(x)).toThrow(dt.ShapeError);
    x.dispose();
  });
});

describe('CenterCrop', () => {
  it('slices the center when the image is large enough (start int((H - h) / 2))', async () => {
    const x = wave([2, 7, 6, 2]);
    const x64 = arr(x.shape, await x.data());
    const y = new L.CenterCrop(4, 3).apply(x);
    expect(Array.from(await y.data())).toEqual(Array.from(crop64(x64, 1, 1, 4, 3).data).map(Math.fround));
    const same = new L.CenterCrop(7, 6).apply(x);
    expect(await bitsOf(same)).toEqual(await bitsOf(x));
    dt.dispose([x, y, same]);
  });

  it('resizes (Keras smart_resize: aspect crop then bilinear) when the image is smaller in an axis', async () => {
    const x = wave([1, 10, 4, 1], 0.9);
    const x64 = arr(x.shape, await x.data());
    for (const [th, tw] of [[6, 6], [12, 3], [3, 5]]) {
      const y = new L.CenterCrop(th, tw).apply(x);
      expect(y.shape).toEqual([1, th, tw, 1]);
      const ref = bilinear64(crop64(x64, ...kerasBox(10, 4, th, tw)), [th, tw]);
      const got = await y.data();
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - ref.data[i])).toBeLessThan(1e-5);
      y.dispose();
    }
    expect(new L.CenterCrop(2, 3).computeOutputShape([null, null, 9, 4])).toEqual([null, 2, 3, 4]);
    expect(() => new L.CenterCrop(-1, 3)).toThrow(/^CenterCrop: expected height to be a positive integer/);
    x.dispose();
  });
});

const cc64 = (th: number, tw: number) => (x: A64): A64 => {
  const [, h, w] = x.shape;
  if (h >= th && w >= tw) return crop64(x, Math.trunc((h - th) / 2), Math.trunc((w - tw) / 2), th, tw);
  return bilinear64(crop64(x, ...kerasBox(h, w, th, tw)), [th, tw]);
};

describeGradcheck('preprocessing layers: gradients against float64 central differences', [
  { name: 'Rescaling', f: (x) => new L.Rescaling(0.25, { offset: 3 }).apply(x), ref: (x) => ({ shape: x.shape, data: x.data.map((v) => v * 0.25 + 3) }), inputs: [uniform([2, 3, 4])] },
  { name: 'Resizing bilinear down', f: (x) => new L.Resizing(2, 3).apply(x), ref: (x) => bilinear64(x, [2, 3]), inputs: [uniform([2, 5, 4, 2])] },
  { name: 'Resizing bilinear up, crop to aspect', f: (x) => new L.Resizing(5, 3, { cropToAspectRatio: true }).apply(x), ref: (x) => bilinear64(crop64(x, ...kerasBox(4, 4, 5, 3)), [5, 3]), inputs: [uniform([1, 4, 4, 2])] },
  { name: 'Resizing nearest', f: (x) => new L.Resizing(5, 2, { interpolation: 'nearest' }).apply(x), ref: (x) => nearest64(x, [5, 2]), inputs: [uniform([2, 3, 4, 1])] },
  { name: 'CenterCrop slice', f: (x) => new L.CenterCrop(2, 3).apply(x), ref: cc64(2, 3), inputs: [uniform([2, 5, 4, 2])] },
  { name: 'CenterCrop resize', f: (x) => new L.CenterCrop(5, 4).apply(x), ref: cc64(5, 4), inputs: [uniform([1, 4, 6, 2])] },
]);
