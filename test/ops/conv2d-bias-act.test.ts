/**
 * conv2dBiasAct (src/core/ops/conv2d-bias-act.ts), the fused conv2d + bias + relu/linear primitive:
 * - on the CPU, its output is bit for bit relu(add(conv2d(x, w), b)) (or the add alone) over many
 *   geometries: 1-6 input channels (the few-channel path and the packed one), odd sizes, filter counts
 *   that are not multiples of 8, strides, 'same'/'valid', dilations, a split-K convolution (K = 1080),
 *   NaN/Inf/-0 inputs; with 1, 2 and 3 threads, every job parallel;
 * - its gradients with respect to x, w and b are bit for bit those of the unfused ops;
 * - clear errors for a bad bias shape, dtype or activation;
 * - Conv2D layers with a bias and 'relu'/'linear' run it, with the unfused layer's bits (forward and
 *   gradients);
 * - CPU vs WebGPU bit for bit (the agreement harness), forward and gradients.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { setNumThreads } from '../../src/kernels/cpu/thread-pool.ts';
import { describeAgreement, input, uni, withFiniteSpecials, withSpecials, type AgreementCase } from '../agreement/harness.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { cpuWithEveryJobParallel } from '../util/cpu-every-job-parallel.ts';
import { Lcg } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

interface Case { x: number[]; w: number[]; o: dt.Conv2dOptions; special?: boolean }

function cases(): Case[] {
  const r = new Lcg(2026);
  const out: Case[] = [];
  while (out.length < 24) {
    const C = 1 + r.int(6);
    const x = [1 + r.int(3), 1 + r.int(12), 1 + r.int(12), C];
    const w = [1 + r.int(3), 1 + r.int(3), C, 1 + r.int(19)];
    const padding = r.int(2) ? 'same' : 'valid';
    if (padding === 'valid' && (x[1] < w[0] || x[2] < w[1])) continue;
    out.push({ x, w, o: { strides: [1 + r.int(3), 1 + r.int(3)], padding }, special: out.length % 6 === 5 });
  }
  out.push({ x: [3, 32, 32, 1], w: [3, 3, 1, 32], o: {} }); // the reference CNN's layer 1
  out.push({ x: [2, 15, 15, 32], w: [3, 3, 32, 32], o: {} }); // layer 2
  out.push({ x: [2, 17, 13, 3], w: [3, 3, 3, 10], o: { padding: 'same', dilations: [2, 2] } });
  out.push({ x: [1, 4, 5, 120], w: [3, 3, 120, 3], o: { padding: 'same' } }); // K = 1080: split-K job
  return out;
}

function fill(r: Lcg, shape: number[], special: boolean): dt.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const SPECIAL = [NaN, Infinity, -Infinity, -0, 0];
  return dt.tensor(Float32Array.from({ length: n }, (_, i) => (special && i % 7 === 3 ? SPECIAL[i % 5] : r.uniform(-2, 2))), shape);
}

const unfused = (x: dt.Tensor, w: dt.Tensor, b: dt.Tensor, o: dt.Conv2dOptions, act: adv.FusedActivation): dt.Tensor => {
  const u = dt.add(dt.conv2d(x, w, o), b);
  return act === 'relu' ? dt.relu(u) : u;
};

describe('conv2dBiasAct on the CPU: the bits of conv2d, add and relu', () => {
  cpuWithEveryJobParallel();

  for (const threads of [1, 2, 3]) {
    it(`forward and gradients, ${threads} thread${threads > 1 ? 's' : ''}`, async () => {
      setNumThreads(threads);
      const r = new Lcg(7 + threads);
      for (const c of cases()) {
        const x = fill(r, c.x, c.special === true);
        const w = fill(r, c.w, c.special === true);
        const b = fill(r, [c.w[3]], c.special === true);
        for (const act of ['relu', 'linear'] as const) {
          const name = `x [${c.x}] w [${c.w}] ${JSON.stringify(c.o)} ${act}`;
          const y = adv.conv2dBiasAct(x, w, b, { ...c.o, activation: act });
          const want = unfused(x, w, b, c.o, act);
          expectBitsEqual(await y.data(), await want.data(), name);
          const dy = fill(r, [...y.shape], false);
          const g = dt.grad((p, q, s) => dt.sum(dt.mul(adv.conv2dBiasAct(p, q, s, { ...c.o, activation: act }), dy)))(x, w, b);
          const gw = dt.grad((p, q, s) => dt.sum(dt.mul(unfused(p, q, s, c.o, act), dy)))(x, w, b);
          for (let i = 0; i < 3; i++) expectBitsEqual(await g[i].data(), await gw[i].data(), `${name} gradient ${['x', 'w', 'b'][i]}`);
          dt.dispose([y, want, dy, ...g, ...gw]);
        }
        dt.dispose([x, w, b]);
      }
    });
  }

  it('zero input channels: every output is act(+0 + bias), pooled too (the CPU gave +0 before; WebGPU had it right)', async () => {
    const x = dt.zeros([2, 5, 4, 0]);
    const w = dt.zeros([3, 3, 0, 4]);
    const b = dt.tensor([1.5, -2, Number.NaN, -0]);
    const relu = await adv.conv2dBiasAct(x, w, b, { activation: 'relu' }).data();
    const linear = await adv.conv2dBiasAct(x, w, b).data();
    const pooled = await adv.conv2dBiasActMaxPool(x, w, b, { activation: 'relu' }, { poolSize: 2 }).data();
    expect(relu.length).toBe(2 * 3 * 2 * 4);
    expect(pooled.length).toBe(2 * 1 * 1 * 4);
    for (let i = 0; i < relu.length; i += 4) expectBitsEqual(relu.subarray(i, i + 4), new Float32Array([1.5, 0, Number.NaN, 0]));
    for (let i = 0; i < linear.length; i += 4) expectBitsEqual(linear.subarray(i, i + 4), new Float32Array([1.5, -2, Number.NaN, 0]));
    for (let i = 0; i < pooled.length; i += 4) expectBitsEqual(pooled.subarray(i, i + 4), new Float32Array([1.5, 0, Number.NaN, 0]));
  });

  it('refuses a bad bias, dtype or activation with clear errors', () => {
    const x = dt.zeros([1, 5, 5, 2]);
    const w = dt.zeros([3, 3, 2, 4]);
    expect(() => adv.conv2dBiasAct(x, w, dt.zeros([3]))).toThrow(/^conv2dBiasAct: expected b of shape \[4\] \(one per filter\)\. Received: b\.shape=\[3\]/);
    expect(() => adv.conv2dBiasAct(x, w, dt.zeros([4], 'int32'))).toThrow(dt.DTypeError);
    expect(() => adv.conv2dBiasAct(x, w, dt.zeros([4]), { activation: 'tanh' as 'relu' })).toThrow(/^conv2dBiasAct: expected activation 'relu' or 'linear'\. Received: "tanh"/);
    expect(() => adv.conv2dBiasAct(x, dt.zeros([3, 3, 3, 4]), dt.zeros([4]))).toThrow(dt.ShapeError);
  });

  it('Conv2D layers with a bias and relu/linear run it, with the unfused bits forward and backward', async () => {
    setNumThreads(2);
    const r = new Lcg(99);
    const x = fill(r, [4, 11, 10, 3], false);
    for (const activation of ['relu', 'linear', null]) {
      const layer = new dt.layers.Conv2D(6, [3, 3], { activation, padding: 'same', strides: 2 });
      const y = layer.apply(x) as dt.Tensor;
      const [kernel, bias] = [layer.kernel!, layer.bias!];
      const want = unfused(x, kernel, bias, { padding: 'same', strides: 2 }, activation === 'relu' ? 'relu' : 'linear');
      expectBitsEqual(await y.data(), await want.data(), `Conv2D ${activation}`);
      const dy = fill(r, [...y.shape], false);
      const g = dt.grad((p, q, s) => dt.sum(dt.mul(adv.conv2dBiasAct(p, q, s, { padding: 'same', strides: 2, activation: activation === 'relu' ? 'relu' : 'linear' }), dy)))(x, kernel, bias);
      const gw = dt.grad((p, q, s) => dt.sum(dt.mul(unfused(p, q, s, { padding: 'same', strides: 2 }, activation === 'relu' ? 'relu' : 'linear'), dy)))(x, kernel, bias);
      for (let i = 0; i < 3; i++) expectBitsEqual(await g[i].data(), await gw[i].data(), `Conv2D ${activation} gradient ${i}`);
    }
    const traced: string[] = [];
    const run = adv.currentBackend().run;
    const backend = adv.currentBackend();
    backend.run = function (this: typeof backend, op, ...rest) {
      traced.push(op);
      return run.call(this, op, ...rest);
    } as typeof run;
    try {
      (new dt.layers.Conv2D(4, [3, 3], { activation: 'relu' }).apply(x) as dt.Tensor).dispose();
    } finally {
      backend.run = run;
    }
    expect(traced.filter((op) => op !== 'randomUniform' && op !== 'fill' && op !== 'cast')).toEqual(['conv2dBiasAct']);
  });
});

const agreement: AgreementCase[] = [];
for (const act of ['relu', 'linear'] as const) {
  agreement.push({ name: `conv2dBiasAct ${act} C=1`, inputs: [input([2, 12, 11, 1]), input([3, 3, 1, 9]), input([9])], run: ([x, w, b]) => adv.conv2dBiasAct(x, w, b, { activation: act }) });
  agreement.push({ name: `conv2dBiasAct ${act} same strides`, inputs: [input([2, 9, 10, 5], uni(-3, 3)), input([3, 2, 5, 12]), input([12])], run: ([x, w, b]) => adv.conv2dBiasAct(x, w, b, { activation: act, padding: 'same', strides: [2, 1] }) });
  agreement.push({ name: `conv2dBiasAct ${act} finite specials`, inputs: [input([1, 8, 8, 2], withFiniteSpecials()), input([2, 2, 2, 3]), input([3], withFiniteSpecials())], run: ([x, w, b]) => adv.conv2dBiasAct(x, w, b, { activation: act }) });
  agreement.push({ name: `conv2dBiasAct ${act} specials`, inputs: [input([1, 6, 6, 1], withSpecials()), input([2, 2, 1, 4]), input([4], withSpecials())], run: ([x, w, b]) => adv.conv2dBiasAct(x, w, b, { activation: act }), nanPayloads: true });
  agreement.push({
    name: `conv2dBiasAct ${act} gradients`,
    inputs: [input([2, 9, 9, 2]), input([3, 3, 2, 5]), input([5]), input([2, 7, 7, 5])],
    run: ([x, w, b, dy]) => {
      const g = dt.grad((p, q, s) => dt.sum(dt.mul(adv.conv2dBiasAct(p, q, s, { activation: act }), dy)))(x, w, b);
      return dt.concat([dt.reshape(g[0], [-1]), dt.reshape(g[1], [-1]), g[2]], 0);
    },
  });
}
agreement.push({ name: 'conv2dBiasAct relu, zero input channels', inputs: [input([2, 6, 5, 0]), input([3, 3, 0, 6]), input([6], withFiniteSpecials())], run: ([x, w, b]) => adv.conv2dBiasAct(x, w, b, { activation: 'relu' }) });
describeAgreement('agreement: conv2dBiasAct (CPU vs WebGPU bits)', unavailable, agreement);
