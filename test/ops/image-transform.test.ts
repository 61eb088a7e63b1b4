/**
 * imageTransform / image.transform (src/core/ops/image-transform.ts):
 * - against the NumPy reference (test/golden/image-transform.json, test/golden/gen/image_transform_golden.py):
 *   bit for bit for every fill mode x interpolation, on 1 and on 2 CPU threads (every job parallel); the
 *   generator also checks the reference against Keras's NumPy-backend map_coordinates formula in float64;
 * - the wrapper: [H, W, C] images, [8] transforms, integer images, TF.js defaults;
 * - argument errors, and gradients refused with a clear error;
 * - CPU vs WebGPU bit for bit (the agreement harness), with special pixel values and large coordinates.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { IMAGE_TRANSFORM_FILL_MODES } from '../../src/core/ops/image-transform.ts';
import { FILL_CONSTANT, FILL_NEAREST, FILL_REFLECT, FILL_WRAP } from '../../src/kernels/cpu/image-transform-tasks.ts';
import { setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';
import { FILL_MODE } from '../../src/kernels/webgpu/image-transform.ts';
import { describeAgreement, input, uni, withSpecials, type AgreementCase, type Gen } from '../agreement/harness.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { expectNoLeaks } from '../util/leaks.ts';
import { ROOT } from '../util/subprocess.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

interface Case {
  name: string;
  images: { shape: number[]; data: string[] };
  transforms: { shape: number[]; data: string[] };
  outputShape: [number, number];
  fillValue: number;
  expected: Record<string, string[]>;
}
const golden = JSON.parse(readFileSync(resolve(ROOT, 'test/golden/image-transform.json'), 'utf8')) as { source: string; cases: Case[] };
const f32s = (xs: (number | string)[]): Float32Array => Float32Array.from(xs, (v) => Number(v));
const MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
const INTERPS = ['nearest', 'bilinear'] as const;

afterAll(() => {
  dt.config.setNumThreads(1);
  setParallelMinWork();
});

for (const threads of [1, 2]) {
  describe(`imageTransform vs NumPy (${golden.source}), ${threads} CPU thread${threads > 1 ? 's' : ''}`, () => {
    it(`all ${golden.cases.length} cases x 4 fill modes x 2 interpolations, bit for bit`, async () => {
      await dt.setBackend('cpu');
      dt.config.setNumThreads(threads);
      setParallelMinWork(threads > 1 ? 1 : undefined);
      let n = 0;
      for (const c of golden.cases) {
        const x = dt.tensor(f32s(c.images.data), c.images.shape);
        const t = dt.tensor(f32s(c.transforms.data), c.transforms.shape);
        for (const fillMode of MODES) {
          for (const interpolation of INTERPS) {
            const y = dt.imageTransform(x, t, { fillMode, interpolation, fillValue: c.fillValue, outputShape: c.outputShape });
            expect(y.shape).toEqual([c.images.shape[0], ...c.outputShape, c.images.shape[3]]);
            expectBitsEqual((await y.data()) as Float32Array, f32s(c.expected[`${fillMode}/${interpolation}`]), `${c.name} ${fillMode}/${interpolation}`);
            n += y.size;
            y.dispose();
          }
        }
        dt.dispose([x, t]);
      }
      expect(n).toBeGreaterThan(1000);
    });
  });
}

describe('image.transform', () => {
  it('takes [H, W, C] images, [8] transforms and integer images; TF.js defaults (nearest, constant 0); leaks nothing', async () => {
    await dt.setBackend('cpu');
    const img = dt.tensor(new Uint8Array([1, 2, 3, 4, 5, 6]), [2, 3, 1], 'uint8');
    const flip = dt.tensor([-1, 0, 2, 0, 1, 0, 0, 0]);
    const shift = dt.tensor([[1, 0, 1.4, 0, 1, 0, 0, 0]]);
    await expectNoLeaks(async () => {
      const y = dt.image.transform(img, flip);
      expect(y.shape).toEqual([2, 3, 1]);
      expect(y.dtype).toBe('float32');
      expect(Array.from(await y.data())).toEqual([3, 2, 1, 6, 5, 4]);
      // x + 1.4: column 0 reads column 1; columns 1 and 2 map beyond W - 1 = 2: outside, the fill value 0 (TF's
      // kernel tests the coordinate, not the rounded index)
      const z = dt.image.transform(img, shift);
      expect(Array.from(await z.data())).toEqual([2, 0, 0, 5, 0, 0]);
      const w = dt.image.transform(img, shift, { fillMode: 'nearest', interpolation: 'bilinear', outputShape: [1, 2] });
      const f = Math.fround;
      const x14 = f(1.4);
      expect(Array.from(await w.data())).toEqual([f(f(f(2 - x14) * 2) + f(f(x14 - 1) * 3)), 3]);
      dt.dispose([y, z, w]);
    });
    dt.dispose([img, flip, shift]);
  });

  it('rejects bad arguments with the function name, expected and received', () => {
    const x = dt.zeros([2, 3, 3, 1]);
    const t = dt.zeros([2, 8]);
    expect(() => dt.image.transform(dt.zeros([3, 3]), t)).toThrow(/^image\.transform: expected images of rank 4 \[N, H, W, C\] or rank 3/);
    expect(() => dt.imageTransform(x, dt.zeros([3, 8]))).toThrow(/^imageTransform: expected transforms of shape \[2, 8\] or \[1, 8\].*Received: transforms\.shape=\[3, 8\]/);
    expect(() => dt.imageTransform(x, dt.zeros([2, 6]))).toThrow(dt.ShapeError);
    expect(() => dt.imageTransform(x, t, { fillMode: 'mirror' as 'reflect' })).toThrow(/^imageTransform: expected fillMode to be one of 'reflect', 'wrap', 'constant', 'nearest'\. Received: fillMode="mirror"/);
    expect(() => dt.imageTransform(x, t, { interpolation: 'bicubic' as 'nearest' })).toThrow(/^imageTransform: expected interpolation to be one of 'nearest', 'bilinear'/);
    expect(() => dt.imageTransform(x, t, { outputShape: [0, 3] })).toThrow(/^imageTransform: expected outputShape/);
    expect(() => dt.imageTransform(x, t, { fill: 1 } as never)).toThrow(/^imageTransform: .*fill/);
    expect(() => dt.imageTransform(dt.zeros([1, 2, 2, 1], 'int32'), dt.zeros([1, 8]))).toThrow(/^imageTransform: expected images of dtype float32/);
    expect(() => dt.imageTransform(dt.zeros([1, 0, 2, 1]), dt.zeros([1, 8]), { outputShape: [2, 2] })).toThrow(/^imageTransform: expected an image height and width in \[1, /);
    dt.dispose([x, t]);
  });

  it('the fill mode codes agree: TF enum order in the op, the CPU loop and the WGSL constants', () => {
    expect(IMAGE_TRANSFORM_FILL_MODES).toEqual(['reflect', 'wrap', 'constant', 'nearest']);
    expect([FILL_REFLECT, FILL_WRAP, FILL_CONSTANT, FILL_NEAREST]).toEqual([0, 1, 2, 3]);
    expect(IMAGE_TRANSFORM_FILL_MODES.map((m) => FILL_MODE[m])).toEqual([0, 1, 2, 3]);
  });

  it('refuses gradients with a clear error (augmentation sits on the inputs)', () => {
    const x = dt.ones([1, 2, 2, 1]);
    const t = dt.tensor([[1, 0, 0.5, 0, 1, 0, 0, 0]]);
    expect(() => dt.grad((a: dt.Tensor) => dt.sum(dt.imageTransform(a, t, { interpolation: 'bilinear' })))(x)).toThrow(/^imageTransform: gradients through the image transform are not supported/);
    // no gradient needed (the input is not watched): runs as usual
    expect(dt.grad((a: dt.Tensor) => dt.sum(dt.mul(a, 2)))(x)[0].shape).toEqual([1, 2, 2, 1]);
    dt.dispose([x, t]);
  });
});

/** Fixed transform rows (a Gen that ignores the generator). */
const rows = (r: number[][]): Gen => () => r.flat();
const ROT = [[0.87758, -0.47943, 2.1, 0.47943, 0.87758, -1.3, 0, 0], [-1, 0, 8, 0, 1, 0, 0, 0], [1.4, 0, -1.6, 0, 0.7, 1.2, 0, 0]];
const FAR = [[6.5, 0.2, -20.5, -0.3, 5.2, 13, 0, 0], [-7, 0.5, 3, 0.3, -4.5, 40, 0, 0], [0.8, 0.3, -0.5, -0.2, 1.1, 0.7, 0.05, -0.08]];
const cases: AgreementCase[] = [];
for (const fillMode of MODES) {
  for (const interpolation of INTERPS) {
    cases.push({
      name: `${fillMode}/${interpolation} rotations, flips, zooms`, inputs: [input([3, 7, 9, 2], uni(-5, 5)), input([3, 8], rows(ROT))],
      run: ([x, t]) => dt.imageTransform(x, t, { fillMode, interpolation, fillValue: 0.25 }),
    });
    cases.push({
      name: `${fillMode}/${interpolation} far outside, projective, special pixels`, inputs: [input([3, 6, 5, 3], withSpecials(uni(-5, 5))), input([3, 8], rows(FAR))],
      run: ([x, t]) => dt.imageTransform(x, t, { fillMode, interpolation, fillValue: -1.5, outputShape: [8, 7] }), nanPayloads: true,
    });
  }
}
cases.push({
  name: 'random transforms, one row for all images', inputs: [input([4, 11, 13, 1], uni(-2, 2)), input([1, 8], uni(-1.5, 1.5))],
  run: ([x, t]) => dt.imageTransform(x, t, { fillMode: 'reflect', interpolation: 'bilinear' }),
});
describeAgreement('agreement: imageTransform (CPU vs WebGPU bits)', unavailable, cases);
