/**
 * conv2d's `dilations` attribute (on conv2d, conv2dGradInput and conv2dGradFilter) and the composite variants
 * conv2dTranspose, depthwiseConv2d, separableConv2d and groupedConv2d (src/core/ops/conv-variants.ts):
 * - values against float64 references (test/reference/conv64.ts), long reductions (K > 256, P > 256) included;
 * - dilations 1 gives the undilated op's attributes and bits;
 * - gradients against float64 central differences, for every new attribute and op;
 * - CPU vs WebGPU bit for bit, and 1 vs 2 CPU threads bit for bit;
 * - argument errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { groupedConv2d } from '../../src/core/ops/conv-variants.ts';
import { setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';
import type { A64 } from '../reference/ops64.ts';
import * as R from '../reference/conv64.ts';
import { describeAgreement, input, type AgreementCase } from '../agreement/harness.ts';
import { expectClose } from '../util/compare.ts';
import { Lcg, describeGradcheck, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
type P2 = [number, number];

function rand(shape: number[], seed: number): { t: dt.Tensor; a: A64 } {
  const r = new Lcg(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const f = Float32Array.from({ length: n }, () => r.uniform(-1, 1));
  return { t: dt.tensor(f, shape), a: { shape, data: Float64Array.from(f) } };
}

async function close(y: dt.Tensor, want: A64, what: string): Promise<void> {
  expect(y.shape, what).toEqual(want.shape);
  expectClose(await y.data(), Float32Array.from(want.data), { rtol: 2e-5, atol: 2e-5 }, what);
}

interface DCase { x: number[]; k: P2; f: number; s: P2; d: P2; p: 'same' | 'valid' }
const DCASES: DCase[] = [
  { x: [2, 9, 9, 3], k: [3, 3], f: 4, s: [1, 1], d: [2, 2], p: 'same' },
  { x: [2, 9, 9, 3], k: [3, 3], f: 4, s: [1, 1], d: [2, 2], p: 'valid' },
  { x: [1, 11, 10, 2], k: [2, 3], f: 3, s: [1, 1], d: [3, 2], p: 'same' },
  { x: [1, 11, 10, 2], k: [3, 2], f: 5, s: [2, 1], d: [2, 3], p: 'valid' },
  { x: [2, 8, 8, 1], k: [3, 3], f: 8, s: [1, 1], d: [1, 3], p: 'same' },
  { x: [1, 7, 7, 4], k: [2, 2], f: 2, s: [2, 2], d: [2, 2], p: 'same' },
  { x: [1, 4, 4, 2], k: [3, 3], f: 2, s: [1, 1], d: [4, 4], p: 'same' }, // dilated window larger than the input
  { x: [1, 12, 12, 40], k: [3, 3], f: 9, s: [1, 1], d: [2, 2], p: 'same' }, // K = 360 > 256: two chunks
];
const tag = (c: DCase) => `x[${c.x}] k[${c.k}] f${c.f} s[${c.s}] d[${c.d}] ${c.p}`;

describe('conv2d with dilations (CPU) against float64', () => {
  it('forward, input and filter gradients', async () => {
    await dt.setBackend('cpu');
    let seed = 1;
    for (const c of DCASES) {
      const o = { strides: c.s, padding: c.p, dilations: c.d };
      const x = rand(c.x, seed++);
      const w = rand([c.k[0], c.k[1], c.x[3], c.f], seed++);
      const y = dt.conv2d(x.t, w.t, o);
      await close(y, R.conv2d(x.a, w.a, o), `conv2d ${tag(c)}`);
      const dy = rand([...y.shape], seed++);
      // dx = transposed convolution of dy; dw[kh,kw,c,f] = sum x * dy: both from the float64 definitions
      await close(adv.conv2dGradInput(dy.t, w.t, c.x, o), R.conv2dTranspose(dy.a, w.a, [c.x[1], c.x[2]], o), `conv2dGradInput ${tag(c)}`);
      const dw = adv.conv2dGradFilter(x.t, dy.t, w.t.shape, o);
      const want = new Float64Array(w.a.data.length);
      for (let i = 0; i < want.length; i++) {
        const e = new Float64Array(want.length);
        e[i] = 1;
        const yi = R.conv2d(x.a, { shape: w.a.shape, data: e }, o);
        let s = 0;
        for (let j = 0; j < yi.data.length; j++) s += yi.data[j] * dy.a.data[j];
        want[i] = s;
      }
      await close(dw, { shape: w.a.shape, data: want }, `conv2dGradFilter ${tag(c)}`);
      dt.dispose([x.t, w.t, y, dy.t, dw]);
    }
  });

  it('a long filter-gradient reduction (P = 2*20*20 = 800 > 256 positions)', async () => {
    await dt.setBackend('cpu');
    const o = { padding: 'same' as const, dilations: [2, 3] as P2 };
    const x = rand([2, 20, 20, 3], 11);
    const w = rand([3, 3, 3, 4], 12);
    await close(dt.conv2d(x.t, w.t, o), R.conv2d(x.a, w.a, o), 'conv2d long');
  });

  it('dilations 1 (or [1, 1]) is the undilated op, bit for bit', async () => {
    await dt.setBackend('cpu');
    const x = rand([2, 7, 7, 3], 5).t;
    const w = rand([3, 3, 3, 4], 6).t;
    const base = await dt.conv2d(x, w, { padding: 'same' }).data();
    expect(await dt.conv2d(x, w, { padding: 'same', dilations: 1 }).data()).toEqual(base);
    expect(await dt.conv2d(x, w, { padding: 'same', dilations: [1, 1] }).data()).toEqual(base);
  });

  it('refuses bad dilations and unknown options', () => {
    const x = dt.zeros([1, 5, 5, 1]);
    const w = dt.zeros([3, 3, 1, 1]);
    expect(() => dt.conv2d(x, w, { dilations: 0 })).toThrow(/^conv2d: expected dilations to be a positive integer/);
    expect(() => dt.conv2d(x, w, { dilations: [2, 1.5] as unknown as P2 })).toThrow(/^conv2d: expected dilations/);
    expect(() => dt.conv2d(x, w, { dilation: 2 } as never)).toThrow(/dilation/);
    // a dilated 3x3 window spans 5 (d = 2) or 7 (d = 3) rows: 'valid' needs that much input
    expect(dt.conv2d(x, w, { dilations: 2 }).shape).toEqual([1, 1, 1, 1]);
    expect(() => dt.conv2d(x, w, { dilations: 3 })).toThrow(dt.ShapeError);
  });
});

describe('conv2dTranspose, depthwiseConv2d, separableConv2d, groupedConv2d (CPU) against float64', () => {
  it('values', async () => {
    await dt.setBackend('cpu');
    let seed = 100;
    // conv2dTranspose: filter [kH, kW, outC, inC]
    for (const [xs, k, outC, outHW, o] of [
      [[2, 3, 3, 2], [3, 3], 3, [7, 7], { strides: 2 }],
      [[1, 3, 4, 2], [3, 3], 1, [6, 8], { strides: 2, padding: 'same' }],
      [[1, 4, 4, 3], [2, 3], 2, [6, 8], { dilations: [2, 2] }],
      [[1, 3, 3, 1], [3, 3], 2, [3, 3], { padding: 'same', dilations: 2 }],
      [[1, 2, 3, 2], [3, 2], 2, [6, 9], { strides: [3, 3], padding: 'valid' }],
    ] as [number[], P2, number, P2, dt.Conv2dOptions][]) {
      const x = rand(xs, seed++);
      const w = rand([k[0], k[1], outC, xs[3]], seed++);
      const y = dt.conv2dTranspose(x.t, w.t, [xs[0], outHW[0], outHW[1], outC], o);
      await close(y, R.conv2dTranspose(x.a, w.a, outHW, o as R.Conv64Options), `conv2dTranspose x[${xs}] ${JSON.stringify(o)}`);
      // [H, W, outC] form of outputShape
      expect((await dt.conv2dTranspose(x.t, w.t, [outHW[0], outHW[1], outC], o).data())).toEqual(await y.data());
    }
    for (const [xs, k, M, o] of [
      [[2, 6, 6, 3], [3, 3], 1, { padding: 'same' }],
      [[1, 7, 6, 2], [2, 3], 3, { strides: 2 }],
      [[1, 9, 9, 2], [3, 3], 2, { dilations: 2, padding: 'same' }],
      [[1, 5, 5, 1], [3, 3], 2, {}],
    ] as [number[], P2, number, dt.Conv2dOptions][]) {
      const x = rand(xs, seed++);
      const w = rand([k[0], k[1], xs[3], M], seed++);
      await close(dt.depthwiseConv2d(x.t, w.t, o), R.depthwiseConv2d(x.a, w.a, o as R.Conv64Options), `depthwiseConv2d x[${xs}] M${M} ${JSON.stringify(o)}`);
      const F = 4;
      const pw = rand([1, 1, xs[3] * M, F], seed++);
      await close(dt.separableConv2d(x.t, w.t, pw.t, o), R.conv2d(R.depthwiseConv2d(x.a, w.a, o as R.Conv64Options), pw.a), `separableConv2d x[${xs}] M${M}`);
    }
    for (const [xs, k, F, G, o] of [
      [[2, 6, 6, 4], [3, 3], 6, 2, { padding: 'same' }],
      [[1, 7, 7, 6], [2, 2], 3, 3, { strides: 2, dilations: 1 }],
      [[1, 8, 8, 4], [3, 3], 8, 4, { dilations: 2 }],
    ] as [number[], P2, number, number, dt.Conv2dOptions][]) {
      const x = rand(xs, seed++);
      const w = rand([k[0], k[1], xs[3] / G, F], seed++);
      await close(groupedConv2d(x.t, w.t, G, o), R.conv2d(x.a, w.a, { ...(o as R.Conv64Options), groups: G }), `groupedConv2d x[${xs}] F${F} G${G}`);
    }
  });

  it('errors', () => {
    const x = dt.zeros([1, 3, 3, 2]);
    expect(() => dt.conv2dTranspose(x, dt.zeros([3, 3, 1, 2]), [1, 9, 9, 1], { strides: 2 })).toThrow(/^conv2dTranspose: expected x of shape \[1, 4, 4, 2\]/);
    expect(() => dt.conv2dTranspose(x, dt.zeros([3, 3, 1, 3]), [1, 7, 7, 1], { strides: 2 })).toThrow(/^conv2dTranspose: expected x of shape/);
    expect(() => dt.conv2dTranspose(x, dt.zeros([3, 3, 1, 2]), [7, 7], { strides: 2 })).toThrow(/^conv2dTranspose: expected outputShape/);
    expect(() => dt.depthwiseConv2d(x, dt.zeros([3, 3, 3, 1]))).toThrow(/^depthwiseConv2d: expected x channels \(2\) to equal w input channels/);
    expect(() => dt.separableConv2d(x, dt.zeros([1, 1, 2, 2]), dt.zeros([1, 1, 2, 3]))).toThrow(/^separableConv2d: expected pointwiseFilter of shape \[1, 1, 4, F\]/);
    expect(() => groupedConv2d(dt.zeros([1, 3, 3, 4]), dt.zeros([1, 1, 2, 3]), 2)).toThrow(/^groupedConv2d: expected groups to be a positive integer dividing/);
    expect(() => groupedConv2d(dt.zeros([1, 3, 3, 4]), dt.zeros([1, 1, 1, 4]), 2)).toThrow(/^groupedConv2d: expected w input channels/);
  });
});

describeGradcheck('dilated conv2d and the conv variants: gradients (float64 central differences)', [
  ...DCASES.slice(0, 7).map((c) => ({
    name: `conv2d ${tag(c)}`,
    f: (x: dt.Tensor, w: dt.Tensor) => dt.conv2d(x, w, { strides: c.s, padding: c.p, dilations: c.d }),
    ref: (x: A64, w: A64) => R.conv2d(x, w, { strides: c.s, padding: c.p, dilations: c.d }),
    inputs: [uniform(c.x), uniform([c.k[0], c.k[1], c.x[3], c.f])],
  })),
  {
    name: 'conv2dTranspose strides 2 same', f: (x, w) => dt.conv2dTranspose(x, w, [1, 6, 5, 2], { strides: 2, padding: 'same' }),
    ref: (x, w) => R.conv2dTranspose(x, w, [6, 5], { strides: 2, padding: 'same' }), inputs: [uniform([1, 3, 3, 3]), uniform([3, 2, 2, 3])],
  },
  {
    name: 'conv2dTranspose dilations 2 valid', f: (x, w) => dt.conv2dTranspose(x, w, [2, 6, 6, 1], { dilations: 2 }),
    ref: (x, w) => R.conv2dTranspose(x, w, [6, 6], { dilations: 2 }), inputs: [uniform([2, 2, 2, 2]), uniform([3, 3, 1, 2])],
  },
  {
    name: 'depthwiseConv2d M2 same dilations 2', f: (x, w) => dt.depthwiseConv2d(x, w, { padding: 'same', dilations: 2 }),
    ref: (x, w) => R.depthwiseConv2d(x, w, { padding: 'same', dilations: 2 }), inputs: [uniform([1, 5, 5, 3]), uniform([3, 3, 3, 2])],
  },
  {
    name: 'separableConv2d strides 2', f: (x, d, p) => dt.separableConv2d(x, d, p, { strides: 2 }),
    ref: (x, d, p) => R.conv2d(R.depthwiseConv2d(x, d, { strides: 2 }), p), inputs: [uniform([1, 6, 6, 2]), uniform([2, 2, 2, 2]), uniform([1, 1, 4, 3])],
  },
  {
    name: 'groupedConv2d groups 2', f: (x, w) => groupedConv2d(x, w, 2, { padding: 'same' }),
    ref: (x, w) => R.conv2d(x, w, { padding: 'same', groups: 2 }), inputs: [uniform([1, 4, 4, 4]), uniform([2, 2, 2, 4])],
  },
]);

describe('dilated convolutions: 1 vs 2 CPU threads, bit for bit', () => {
  afterAll(() => {
    setParallelMinWork();
    dt.config.setNumThreads(1);
  });
  it('conv2d and both gradients', async () => {
    await dt.setBackend('cpu');
    setParallelMinWork(1);
    const x = rand([4, 17, 15, 6], 21).t;
    const w = rand([3, 3, 6, 12], 22).t;
    const o = { padding: 'same' as const, dilations: [2, 3] as P2 };
    const run = async () => {
      const y = dt.conv2d(x, w, o);
      return [await y.data(), await adv.conv2dGradInput(y, w, x.shape, o).data(), await adv.conv2dGradFilter(x, y, w.shape, o).data()];
    };
    dt.config.setNumThreads(1);
    const one = await run();
    dt.config.setNumThreads(2);
    const two = await run();
    for (let i = 0; i < 3; i++) expect(new Uint32Array(two[i].buffer)).toEqual(new Uint32Array(one[i].buffer));
  });
});

const cases: AgreementCase[] = [];
for (const c of DCASES) {
  const o = { strides: c.s, padding: c.p, dilations: c.d };
  const w = [c.k[0], c.k[1], c.x[3], c.f];
  const y = dt.tidy(() => [...dt.conv2d(dt.zeros(c.x), dt.zeros(w), o).shape]);
  cases.push({ name: `conv2d ${tag(c)}`, inputs: [input(c.x), input(w)], run: ([x, k]) => dt.conv2d(x, k, o) });
  cases.push({ name: `conv2dGradInput ${tag(c)}`, inputs: [input(y), input(w)], run: ([dy, k]) => adv.conv2dGradInput(dy, k, c.x, o) });
  cases.push({ name: `conv2dGradFilter ${tag(c)}`, inputs: [input(c.x), input(y)], run: ([x, dy]) => adv.conv2dGradFilter(x, dy, w, o) });
}
cases.push({ name: 'conv2dGradFilter dilated, P = 8*30*30 (level-1 chunks)', inputs: [input([8, 34, 34, 2]), input([8, 30, 30, 3])], run: ([x, dy]) => adv.conv2dGradFilter(x, dy, [3, 3, 2, 3], { dilations: 2 }) });
cases.push({ name: 'conv2dTranspose strides 2 same', inputs: [input([2, 5, 5, 3]), input([3, 3, 4, 3])], run: ([x, k]) => dt.conv2dTranspose(x, k, [2, 10, 10, 4], { strides: 2, padding: 'same' }) });
cases.push({ name: 'depthwiseConv2d M2 dilated', inputs: [input([2, 9, 9, 3]), input([3, 3, 3, 2])], run: ([x, k]) => dt.depthwiseConv2d(x, k, { padding: 'same', dilations: 2 }) });
cases.push({ name: 'separableConv2d', inputs: [input([1, 8, 8, 3]), input([3, 3, 3, 2]), input([1, 1, 6, 5])], run: ([x, d, p]) => dt.separableConv2d(x, d, p, { strides: 2, padding: 'same' }) });
cases.push({
  name: 'dilated conv2d gradients end to end', inputs: [input([2, 9, 9, 3]), input([3, 3, 3, 4])],
  run: ([x, k]) => {
    const g = dt.grad((kk: dt.Tensor) => dt.sum(dt.square(dt.conv2d(x, kk, { padding: 'same', dilations: 2 }))));
    return g(k)[0];
  },
});
describeAgreement('dilated conv2d and conv variants, CPU vs WebGPU', unavailable, cases);
