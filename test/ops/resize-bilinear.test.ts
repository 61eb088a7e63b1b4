/**
 * resizeBilinear / image.resize against the NumPy reference (test/golden/resize.json, produced by
 * test/golden/gen/resize_golden.py): bit-exact against the documented float32 operation sequence,
 * and within a few ulp of the float64 evaluation of TensorFlow's formula. Plus shapes, dtypes,
 * rank-3 input, and argument errors.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { expectBitsEqual, ulpDistance } from '../util/compare.ts';
import { expectNoLeaks } from '../util/leaks.ts';
import { ROOT } from '../util/subprocess.ts';

interface Case {
  name: string;
  input: { shape: number[]; dtype: 'float32' | 'uint8'; data: (number | string)[] };
  size: [number, number];
  expected_f32: string[];
  expected_f64: string[];
}

const golden = JSON.parse(readFileSync(resolve(ROOT, 'test/golden/resize.json'), 'utf8')) as { op: string; source: string; cases: Case[] };
const f32s = (xs: (number | string)[]): Float32Array => Float32Array.from(xs, (v) => Number(v));

/** Largest error allowed against the float64 reference: 4 ulp of the result, or 2^-22 of the input's magnitude. */
const ULP = 4;

describe(`resizeBilinear vs NumPy (${golden.source})`, () => {
  let maxUlp = 0;
  let maxInputUlps = 0;
  for (const c of golden.cases) {
    it(c.name, async () => {
      const x = c.input.dtype === 'uint8'
        ? dt.tensor(Uint8Array.from(c.input.data as number[]), c.input.shape, 'uint8')
        : dt.tensor(f32s(c.input.data), c.input.shape, 'float32');
      const y = dt.image.resize(x, c.size);
      expect(y.shape).toEqual([c.input.shape[0], c.size[0], c.size[1], c.input.shape[3]]);
      expect(y.dtype).toBe('float32');
      const got = (await y.data()) as Float32Array;
      expectBitsEqual(got, f32s(c.expected_f32), `${c.name} (float32 sequence)`);
      const ref = f32s(c.expected_f64);
      const xs = await x.data();
      let scale = 0;
      for (const v of xs) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < got.length; i++) {
        const u = ulpDistance(got[i], ref[i]);
        maxUlp = Math.max(maxUlp, u);
        maxInputUlps = Math.max(maxInputUlps, Math.abs(got[i] - ref[i]) / (scale * 2 ** -23));
        if (u > ULP && Math.abs(got[i] - ref[i]) > scale * 2 ** -22) {
          expect.fail(`${c.name}: element ${i}: ${got[i]} vs float64 reference ${ref[i]} (${u} ulp)`);
        }
      }
      dt.dispose([x, y]);
    });
  }
  it('reports the largest ulp distance to the float64 reference', () => {
    console.log(`resizeBilinear vs float64 reference: max ${maxUlp} ulp of the result; max error ${maxInputUlps.toFixed(3)} x 2^-23 * max|input|`);
    expect(maxUlp).toBeLessThan(1000);
  });
});

describe('image.resize', () => {
  it('accepts [H, W, C] and integer images, returns float32, leaks nothing', async () => {
    const img = dt.tensor(new Uint8Array([0, 255, 255, 0]), [2, 2, 1], 'uint8');
    await expectNoLeaks(async () => {
      const y = dt.image.resize(img, [3, 3]);
      expect(y.shape).toEqual([3, 3, 1]);
      expect(y.dtype).toBe('float32');
      expect(Array.from(await y.data())).toEqual([0, 127.5, 255, 127.5, 127.5, 127.5, 255, 127.5, 0]);
      const i32 = dt.cast(img, 'int32');
      const z = dt.image.resize(i32, [3, 3]);
      expect(Array.from(await z.data())).toEqual(Array.from(await y.data()));
      dt.dispose([y, i32, z]);
    });
    img.dispose();
  });

  it('is not differentiable (the op has no gradient)', () => {
    const x = dt.ones([1, 2, 2, 1]);
    const [g] = dt.grad((a: dt.Tensor) => dt.sum(dt.resizeBilinear(a, [3, 3])))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0]);
    dt.dispose([x, g]);
  });

  it('rejects bad arguments with the function name, expected and received', () => {
    const x = dt.zeros([2, 3]);
    expect(() => dt.image.resize(x, [4, 4])).toThrow(/^image\.resize: expected images of rank 4 \[N, H, W, C\] or rank 3 \[H, W, C\]\. Received: images\.shape=\[2, 3\]/);
    const y = dt.zeros([1, 2, 2, 1]);
    expect(() => dt.image.resize(y, [0, 4])).toThrow(/^image\.resize: expected size to be \[height, width\].*Received: size=\[0,4\]/);
    expect(() => dt.image.resize(y, [2, 2.5] as [number, number])).toThrow(dt.ArgumentError);
    expect(() => dt.image.resize(y, [2, 2], { method: 'nearest' as 'bilinear' })).toThrow(/^image\.resize: expected method 'bilinear'/);
    const i = dt.zeros([1, 2, 2, 1], 'int32');
    expect(() => dt.resizeBilinear(i, [2, 2])).toThrow(/^resizeBilinear: expected x of dtype float32/);
    dt.dispose([x, y, i]);
  });
});
