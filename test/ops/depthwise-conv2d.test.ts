/**
 * The depthwiseConv2d primitive and its two gradient primitives (src/core/ops/depthwise-conv2d.ts, CPU kernel
 * src/kernels/cpu/depthwise-conv2d.ts, WGSL shaders/depthwise-conv2d.wgsl):
 * - values against float64 references (test/reference/conv64.ts), with reductions longer than one chunk
 *   (K > 256 terms for the input gradient, P > 65536 positions for the filter gradient: three tree levels);
 * - the documented order: bit-identical to a grouped conv2d with one group per channel (conv2d's order per group);
 * - gradients (and the input gradient's own gradient) against float64 central differences;
 * - CPU vs WebGPU bit for bit, over the shader's chunked and one-pass filter-gradient paths;
 * - argument errors; the op table lists the three primitives.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { CPU_KERNELS } from '../../src/kernels/cpu/kernels.ts';
import { WEBGPU_KERNELS } from '../../src/kernels/webgpu/kernels.ts';
import type { A64 } from '../reference/ops64.ts';
import * as R from '../reference/conv64.ts';
import { describeAgreement, input, withFiniteSpecials, type AgreementCase } from '../agreement/harness.ts';
import { expectClose } from '../util/compare.ts';
import { Lcg, describeGradcheck, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
type P2 = [number, number];
const OPS = ['depthwiseConv2d', 'depthwiseConv2dGradInput', 'depthwiseConv2dGradFilter'];

function rand(shape: number[], seed: number): { t: dt.Tensor; a: A64 } {
  const r = new Lcg(seed);
  const f = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1));
  return { t: dt.tensor(f, shape), a: { shape, data: Float64Array.from(f) } };
}
async function close(y: dt.Tensor, want: A64, what: string): Promise<void> {
  expect(y.shape, what).toEqual(want.shape);
  expectClose(await y.data(), Float32Array.from(want.data), { rtol: 2e-5, atol: 2e-5 }, what);
}

interface Case { x: number[]; k: P2; M: number; o: { strides?: P2; padding?: 'same' | 'valid'; dilations?: P2 } }
const CASES: Case[] = [
  { x: [2, 7, 6, 3], k: [3, 3], M: 1, o: { padding: 'same' } },
  { x: [1, 9, 8, 2], k: [3, 2], M: 3, o: { strides: [2, 1] } },
  { x: [2, 9, 9, 4], k: [3, 3], M: 2, o: { dilations: [2, 2], padding: 'same' } },
  { x: [1, 8, 7, 3], k: [2, 3], M: 2, o: { strides: [2, 3], dilations: [2, 1], padding: 'same' } },
  { x: [1, 3, 3, 2], k: [5, 5], M: 1, o: { padding: 'same' } }, // window larger than the input
  { x: [1, 6, 6, 2], k: [5, 5], M: 12, o: { padding: 'same' } }, // input gradient K = 300 > 256
  { x: [3, 20, 20, 2], k: [2, 2], M: 2, o: {} }, // filter gradient P = 1083 > 256
];
const tag = (c: Case) => `x[${c.x}] k[${c.k}] M${c.M} ${JSON.stringify(c.o)}`;
const wShape = (c: Case) => [c.k[0], c.k[1], c.x[3], c.M];

describe('depthwiseConv2d primitives (CPU) against float64', () => {
  it('forward, input gradient, filter gradient', async () => {
    await dt.setBackend('cpu');
    let seed = 1;
    for (const c of CASES) {
      const x = rand(c.x, seed++);
      const w = rand(wShape(c), seed++);
      const y = dt.depthwiseConv2d(x.t, w.t, c.o);
      await close(y, R.depthwiseConv2d(x.a, w.a, c.o), `forward ${tag(c)}`);
      const dy = rand([...y.shape], seed++);
      await close(adv.depthwiseConv2dGradInput(dy.t, w.t, c.x, c.o), R.depthwiseConv2dGradInput(dy.a, w.a, c.x, c.o), `gradInput ${tag(c)}`);
      await close(adv.depthwiseConv2dGradFilter(x.t, dy.t, wShape(c), c.o), R.depthwiseConv2dGradFilter(x.a, dy.a, wShape(c), c.o), `gradFilter ${tag(c)}`);
    }
  });

  it('a filter gradient over P = 80000 > 65536 positions (three tree levels)', async () => {
    await dt.setBackend('cpu');
    const x = rand([2, 200, 200, 1], 50);
    const dy = rand([2, 200, 200, 2], 51);
    await close(adv.depthwiseConv2dGradFilter(x.t, dy.t, [1, 1, 1, 2]), R.depthwiseConv2dGradFilter(x.a, dy.a, [1, 1, 1, 2]), 'gradFilter P=80000');
  });

  it('is bit-identical to a grouped conv2d with one group per channel (the documented order), gradients included', async () => {
    await dt.setBackend('cpu');
    let seed = 200;
    for (const c of CASES) {
      const x = rand(c.x, seed++).t;
      const w = rand(wShape(c), seed++).t;
      const r = rand([...dt.depthwiseConv2d(x, w, c.o).shape], seed++).t;
      const loss = (f: (x: dt.Tensor, w: dt.Tensor) => dt.Tensor) => (xx: dt.Tensor, ww: dt.Tensor) => dt.sum(dt.mul(f(xx, ww), r));
      const prim = (xx: dt.Tensor, ww: dt.Tensor) => dt.depthwiseConv2d(xx, ww, c.o);
      const grouped = (xx: dt.Tensor, ww: dt.Tensor) => adv.groupedConv2d(xx, dt.reshape(ww, [c.k[0], c.k[1], 1, c.x[3] * c.M]), c.x[3], c.o);
      const a = dt.grad(loss(prim))(x, w);
      const b = dt.grad(loss(grouped))(x, w);
      expect(await prim(x, w).data(), tag(c)).toEqual(await grouped(x, w).data());
      for (let i = 0; i < 2; i++) expect(new Uint32Array((await a[i].data()).buffer), `${tag(c)} grad ${i}`).toEqual(new Uint32Array((await b[i].data()).buffer));
    }
  });

  it('refuses bad operands', () => {
    const x = dt.zeros([1, 5, 5, 2]);
    expect(() => dt.depthwiseConv2d(x, dt.zeros([3, 3, 3, 1]))).toThrow(/^depthwiseConv2d: expected x channels \(2\) to equal w input channels/);
    expect(() => dt.depthwiseConv2d(dt.zeros([5, 5, 2]), dt.zeros([3, 3, 2, 1]))).toThrow(/^depthwiseConv2d: expected x of rank 4/);
    expect(() => dt.depthwiseConv2d(dt.zeros([1, 5, 5, 2], 'int32'), dt.zeros([3, 3, 2, 1]))).toThrow(dt.DTypeError);
    expect(() => dt.depthwiseConv2d(x, dt.zeros([3, 3, 2, 1]), { strides: 0 })).toThrow(/^depthwiseConv2d: expected strides/);
    expect(() => dt.depthwiseConv2d(x, dt.zeros([3, 3, 2, 1]), { pad: 'same' } as never)).toThrow(/^depthwiseConv2d: unrecognized options/);
    expect(() => adv.depthwiseConv2dGradInput(dt.zeros([1, 3, 3, 3]), dt.zeros([3, 3, 2, 1]), [1, 5, 5, 2])).toThrow(/^depthwiseConv2dGradInput: expected dy of shape \[1, 3, 3, 2\]/);
    expect(() => adv.depthwiseConv2dGradFilter(x, dt.zeros([1, 3, 3, 3]), [3, 3, 2, 1])).toThrow(/^depthwiseConv2dGradFilter: expected dy of shape \[1, 3, 3, 2\]/);
  });

  it('is in the op table and both kernel tables', () => {
    for (const op of OPS) {
      expect(adv.OP_NAMES).toContain(op);
      expect(CPU_KERNELS).toHaveProperty(op);
      expect(WEBGPU_KERNELS).toHaveProperty(op);
    }
  });
});

describeGradcheck('depthwiseConv2d gradients (float64 central differences)', [
  ...CASES.slice(0, 4).map((c) => ({
    name: `depthwiseConv2d ${tag(c)}`,
    f: (x: dt.Tensor, w: dt.Tensor) => dt.depthwiseConv2d(x, w, c.o),
    ref: (x: A64, w: A64) => R.depthwiseConv2d(x, w, c.o),
    inputs: [uniform(c.x), uniform(wShape(c))],
  })),
  {
    name: 'depthwiseConv2dGradInput (its own gradient) strides 2 same',
    f: (dy: dt.Tensor, w: dt.Tensor) => adv.depthwiseConv2dGradInput(dy, w, [1, 5, 6, 2], { strides: 2, padding: 'same' }),
    ref: (dy: A64, w: A64) => R.depthwiseConv2dGradInput(dy, w, [1, 5, 6, 2], { strides: 2, padding: 'same' }),
    inputs: [uniform([1, 3, 3, 4]), uniform([3, 3, 2, 2])],
  },
]);

const cases: AgreementCase[] = [];
for (const c of CASES) {
  const w = wShape(c);
  const y = dt.tidy(() => [...dt.depthwiseConv2d(dt.zeros(c.x), dt.zeros(w), c.o).shape]);
  cases.push({ name: `depthwiseConv2d ${tag(c)}`, inputs: [input(c.x), input(w)], run: ([x, k]) => dt.depthwiseConv2d(x, k, c.o) });
  cases.push({ name: `depthwiseConv2dGradInput ${tag(c)}`, inputs: [input(y), input(w)], run: ([dy, k]) => adv.depthwiseConv2dGradInput(dy, k, c.x, c.o) });
  cases.push({ name: `depthwiseConv2dGradFilter ${tag(c)}`, inputs: [input(c.x), input(y)], run: ([x, dy]) => adv.depthwiseConv2dGradFilter(x, dy, w, c.o) });
  cases.push({ name: `depthwiseConv2dGradFilter one pass ${tag(c)}`, inputs: [input(c.x), input(y)], run: ([x, dy]) => adv.depthwiseConv2dGradFilter(x, dy, w, c.o), tuning: { convPartialWords: 0 } });
}
cases.push({ name: 'depthwiseConv2d finite specials', inputs: [input([1, 6, 6, 3], withFiniteSpecials()), input([3, 3, 3, 2], withFiniteSpecials())], run: ([x, k]) => dt.depthwiseConv2d(x, k, { padding: 'same' }) });
cases.push({ name: 'depthwiseConv2dGradFilter P = 80000, chunks', inputs: [input([2, 200, 200, 1]), input([2, 200, 200, 2])], run: ([x, dy]) => adv.depthwiseConv2dGradFilter(x, dy, [1, 1, 1, 2]) });
cases.push({ name: 'depthwiseConv2dGradFilter P = 80000, one pass (three levels)', inputs: [input([2, 200, 200, 1]), input([2, 200, 200, 2])], run: ([x, dy]) => adv.depthwiseConv2dGradFilter(x, dy, [1, 1, 1, 2]), tuning: { convPartialWords: 0 } });
cases.push({ name: 'depthwiseConv2d with maxComputeWorkgroupsPerDimension=3', inputs: [input([2, 9, 9, 3]), input([3, 3, 3, 2])], run: ([x, k]) => dt.depthwiseConv2d(x, k, { padding: 'same' }), maxWorkgroupsPerDimension: 3 });
describeAgreement('depthwiseConv2d primitives, CPU vs WebGPU', unavailable, cases);
