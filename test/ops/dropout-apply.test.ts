/**
 * dropoutApply (src/core/ops/dropout-apply.ts), dropout's mask generation and application in one primitive:
 * - on the CPU, its output is bit for bit the composite where(u >= f32(rate), mul(x, f32(1/(1-rate))), 0)
 *   (philox) / where(u < f32(1-rate), div(x, f32(1-rate)), 0) (threefry) over u = randomUniform, and the host
 *   reference dropoutValues, over many sizes (odd, partial Philox blocks, threaded ones), rates (tiny, subnormal,
 *   near 1), keys and counters (a 128-bit carry), with NaN (payloads), Inf, -0 and subnormal x and dy; with 1, 2
 *   and 3 threads;
 * - its gradient is bit for bit the composite's, and equals the op applied to dy;
 * - the gradient against float64 central differences;
 * - statelessDropout and the Dropout layer run it for a full-size mask, the composite for a broadcast one;
 * - clear errors; CPU vs WebGPU bit for bit (the agreement harness), forward and gradients.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { dropoutScale, dropoutValues } from '../../src/core/random/dropout.ts';
import { setNumThreads } from '../../src/kernels/cpu/thread-pool.ts';
import { describeAgreement, input, uni, withSpecials, type AgreementCase } from '../agreement/harness.ts';
import { arr } from '../reference/ops64.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { cpuWithEveryJobParallel } from '../util/cpu-every-job-parallel.ts';
import { expectGradcheck, Lcg, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const f = Math.fround;

type Algo = 'philox' | 'threefry';
interface Stream { algorithm: Algo; key: [number, number]; counter: [number, number, number, number] }

/** The unfused graph statelessDropout ran before dropoutApply existed. */
function composite(x: dt.Tensor, rate: number, s: Stream): dt.Tensor {
  const u = adv.randomUniform(x.shape, s);
  if (s.algorithm === 'philox') return dt.where(dt.greaterEqual(u, f(rate)), dt.mul(x, f(1 / (1 - rate))), 0);
  return dt.where(dt.less(u, f(1 - rate)), dt.div(x, f(1 - rate)), 0);
}

/** Float32 values with NaNs of several payloads and signs, +-Inf, +-0, subnormals and ordinary values. */
const SPECIAL_BITS = [0x7fc00000, 0xffc00000, 0x7fa00001, 0x7f800001, 0xff812345, 0x7f800000, 0xff800000, 0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00400000, 0x80400001, 0x00800000, 0x7f7fffff, 0xff7fffff];

function fill(r: Lcg, n: number, special: boolean): Float32Array {
  const a = Float32Array.from({ length: n }, () => r.uniform(-3, 3));
  if (special) {
    const bits = new Uint32Array(a.buffer);
    for (let i = 0; i < n; i++) if (i % 3 === 1) bits[i] = SPECIAL_BITS[r.int(SPECIAL_BITS.length)];
  }
  return a;
}

interface Case { shape: number[]; rate: number; s: Stream; special: boolean }

function cases(): Case[] {
  const r = new Lcg(515);
  const shapes = [[1], [3], [4], [5], [7, 3], [2, 3, 5, 7], [64, 6, 6, 3], [40001], [64, 15, 15, 4], [0, 3]];
  const rates = [0.5, 0.25, 0.1, 0.999, 1e-7, 1e-40, 0.75, 1 - 2 ** -24];
  const out: Case[] = [];
  let k = 0;
  for (const shape of shapes) {
    for (const algorithm of ['philox', 'threefry'] as const) {
      for (let j = 0; j < 2; j++, k++) {
        const key: [number, number] = [r.int(2 ** 32), r.int(2 ** 32)];
        const counter: [number, number, number, number] = algorithm === 'threefry' ? [0, 0, 0, 0]
          : k % 3 === 0 ? [0xfffffff0, 0xffffffff, 0xffffffff, 7] : [r.int(2 ** 32), r.int(2 ** 32), 0, 0];
        out.push({ shape, rate: rates[k % rates.length], s: { algorithm, key, counter }, special: k % 2 === 1 });
      }
    }
  }
  return out;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

describe('dropoutApply on the CPU: the bits of randomUniform, the keep test, mul/div and where', () => {
  cpuWithEveryJobParallel();

  for (const threads of [1, 2, 3]) {
    it(`forward and gradient equal the composite's, ${threads} thread${threads > 1 ? 's' : ''}`, async () => {
      setNumThreads(threads);
      const r = new Lcg(31 + threads);
      for (const c of cases()) {
        const name = `${c.s.algorithm} [${c.shape}] rate ${c.rate} key ${c.s.key} counter ${c.s.counter}${c.special ? ' specials' : ''}`;
        const n = size(c.shape);
        const x = dt.tensor(fill(r, n, c.special), c.shape);
        const dy = dt.tensor(fill(r, n, c.special), c.shape);
        const y = adv.dropoutApply(x, c.rate, c.s);
        const want = composite(x, c.rate, c.s);
        expectBitsEqual(await y.data(), await want.data(), name);
        // the gradient: the op on dy, and the composite's backward (where(keep, dy, 0) then the scaling)
        const [g] = dt.grad((t: dt.Tensor) => dt.sum(dt.mul(adv.dropoutApply(t, c.rate, c.s), dy)))(x);
        const [gw] = dt.grad((t: dt.Tensor) => dt.sum(dt.mul(composite(t, c.rate, c.s), dy)))(x);
        expectBitsEqual(await g.data(), await gw.data(), `${name} gradient`);
        // (the sum-of-products graph hands the backward dy * 1: NaN payloads quieted, otherwise dy's bits)
        const dy1 = dt.mul(dy, 1);
        const onDy1 = adv.dropoutApply(dy1, c.rate, c.s);
        expectBitsEqual(await g.data(), await onDy1.data(), `${name} gradient = op(dy)`);
        dt.dispose([x, dy, y, want, g, gw, dy1, onDy1]);
      }
    });
  }

  it('keeps exactly the composite\'s elements at the keep bound (a uniform equal to f32(rate) or f32(1 - rate))', async () => {
    const r = new Lcg(77);
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const algorithm of ['philox', 'threefry'] as const) {
        const s: Stream = { algorithm, key: [r.int(2 ** 32), r.int(2 ** 32)], counter: algorithm === 'philox' ? [r.int(2 ** 32), 0, 0, 0] : [0, 0, 0, 0] };
        const shape = [3, 40003];
        const n = size(shape);
        const ut = adv.randomUniform(shape, s);
        const u = await ut.data();
        ut.dispose();
        const x = dt.tensor(fill(r, n, true), shape);
        for (const k of [0, 1, 2, 3, 4, 17, n >> 1, n - 2, n - 1]) {
          if (!(u[k] > 0)) continue;
          // philox keeps u >= f32(rate): rate = u[k] puts element k on the bound (kept); threefry keeps
          // u < f32(1 - rate): rate = 1 - u[k] (exact) puts it on the bound (dropped)
          const rate = algorithm === 'philox' ? u[k] : 1 - u[k];
          const y = adv.dropoutApply(x, rate, s);
          const want = composite(x, rate, s);
          expectBitsEqual(await y.data(), await want.data(), `${algorithm} bound at element ${k}, ${threads} threads`);
          dt.dispose([y, want]);
        }
        x.dispose();
      }
    }
  });

  it('equals the host reference dropoutValues (a Keras-exact model, no device ops)', async () => {
    const r = new Lcg(9);
    for (const algorithm of ['philox', 'threefry'] as const) {
      for (const [shape, rate, seed] of [[[9, 7], 0.3, [4, 5]], [[3, 4001], 0.5, [1, 2 ** 31 + 7]], [[17], 0.9, [0, 0]]] as const) {
        const host = fill(r, size(shape), false);
        const x = dt.tensor(host, [...shape]);
        const y = dt.random.statelessDropout(x, rate, [seed[0], seed[1]], { algorithm });
        expectBitsEqual(await y.data(), dropoutValues(host, shape, rate, [seed[0], seed[1]], { algorithm }), `${algorithm} [${shape}] ${rate}`);
        dt.dispose([x, y]);
      }
    }
  });

  it('statelessDropout and the Dropout layer run it for a full-size mask, the composite for a broadcast one', async () => {
    const x = dt.tensor(fill(new Lcg(4), 2 * 5 * 6, false), [2, 5, 6]);
    const traced: string[] = [];
    const backend = adv.currentBackend();
    const run = backend.run;
    backend.run = function (this: typeof backend, op, ...rest) {
      traced.push(op);
      return run.call(this, op, ...rest);
    } as typeof run;
    const take = (): string[] => traced.splice(0).filter((op) => op !== 'fill' && op !== 'cast');
    try {
      for (const algorithm of ['philox', 'threefry'] as const) {
        dt.random.statelessDropout(x, 0.4, [3, 4], { algorithm }).dispose();
        expect(take()).toEqual(['dropoutApply']);
        dt.random.statelessDropout(x, 0.4, [3, 4], { algorithm, noiseShape: [2, null, null] }).dispose();
        expect(take()).toEqual(['dropoutApply']);
        dt.random.statelessDropout(x, 0.4, [3, 4], { algorithm, noiseShape: [2, 1, 6] }).dispose();
        expect(take()).toContain('randomUniform');
        expect(take()).not.toContain('dropoutApply');
      }
      (new dt.layers.Dropout(0.5, { seed: 3 }).apply(x, { training: true }) as dt.Tensor).dispose();
      expect(take()).toEqual(['dropoutApply']);
    } finally {
      backend.run = run;
    }
    x.dispose();
  });

  it('refuses a bad rate, dtype, key, counter or algorithm with clear errors', () => {
    const x = dt.zeros([3]);
    const s: Stream = { algorithm: 'philox', key: [1, 2], counter: [0, 0, 0, 0] };
    for (const rate of [0, 1, -0.5, 1.5, NaN]) {
      expect(() => adv.dropoutApply(x, rate, s)).toThrow(/^dropoutApply: expected rate strictly between 0 and 1 .*Received: rate=/);
    }
    expect(() => adv.dropoutApply(dt.zeros([3], 'int32'), 0.5, s)).toThrow(/^dropoutApply: expected x of dtype float32\. Received: x\.dtype=int32/);
    expect(() => adv.dropoutApply(x, 0.5, { ...s, key: [1, -1] })).toThrow(dt.ArgumentError);
    expect(() => adv.dropoutApply(x, 0.5, { ...s, key: [1, 2, 3] as never })).toThrow(dt.ArgumentError);
    expect(() => adv.dropoutApply(x, 0.5, { ...s, algorithm: 'threefry', counter: [1, 0, 0, 0] })).toThrow(/^dropoutApply: expected counter \[0, 0, 0, 0\] for algorithm 'threefry'/);
    expect(() => adv.dropoutApply(x, 0.5, { ...s, algorithm: 'mt' as Algo })).toThrow(dt.ArgumentError);
    x.dispose();
  });

  for (const algorithm of ['philox', 'threefry'] as const) {
    it(`gradient against float64 central differences (${algorithm})`, async () => {
      const s: Stream = { algorithm, key: [77, 3], counter: algorithm === 'philox' ? [5, 0, 0, 0] : [0, 0, 0, 0] };
      const shape = [3, 7, 5];
      const rate = 0.35;
      // the float64 model: the same keep mask (the host reference's words), kept values times 1 / f32(1 - rate)
      // (philox: f32(1 / (1 - rate)), both within float32 rounding of 1 / (1 - rate))
      const keep = await adv.randomUniform(shape, s).data();
      const { op, factor } = dropoutScale(rate, algorithm);
      const scale = op === 'mul' ? factor : 1 / factor;
      await expectGradcheck({
        name: `dropoutApply ${algorithm}`,
        f: (t) => adv.dropoutApply(t, rate, s),
        ref: (a) => {
          const o = arr(a.shape);
          for (let i = 0; i < o.data.length; i++) {
            const kept = algorithm === 'philox' ? keep[i] >= f(rate) : keep[i] < f(1 - rate);
            o.data[i] = kept ? a.data[i] * scale : 0;
          }
          return o;
        },
        inputs: [uniform(shape, -2, 2)],
      });
    });
  }
});

const agreement: AgreementCase[] = [];
for (const algorithm of ['philox', 'threefry'] as const) {
  const s: Stream = { algorithm, key: [0x9e3779b9, 12345], counter: algorithm === 'philox' ? [0xfffffffe, 0xffffffff, 0, 0] : [0, 0, 0, 0] };
  for (const [shape, rate] of [[[5], 0.5], [[7, 3], 0.25], [[64, 6, 6, 32], 0.25], [[3, 40001], 0.9], [[2, 5, 5, 4], 1e-40]] as const) {
    agreement.push({ name: `dropoutApply ${algorithm} [${shape}] rate ${rate}`, inputs: [input([...shape], uni(-3, 3))], run: ([x]) => adv.dropoutApply(x, rate, s) });
  }
  // a rate that puts elements 5 and 6 exactly on the keep bound (kept by philox's >=, dropped by threefry's <)
  for (const k of [5, 6]) {
    await dt.setBackend('cpu');
    const ut = adv.randomUniform([9, 11], s);
    const u = (await ut.data())[k];
    ut.dispose();
    const rate = algorithm === 'philox' ? u : 1 - u;
    agreement.push({ name: `dropoutApply ${algorithm} on the bound at element ${k}`, inputs: [input([9, 11], uni(-3, 3))], run: ([x]) => adv.dropoutApply(x, rate, s) });
  }
  agreement.push({ name: `dropoutApply ${algorithm} specials`, inputs: [input([8, 33], withSpecials())], run: ([x]) => adv.dropoutApply(x, 0.3, s) });
  agreement.push({
    name: `dropoutApply ${algorithm} gradient`,
    inputs: [input([4, 9, 9, 3]), input([4, 9, 9, 3], withSpecials())],
    run: ([x, dy]) => dt.grad((t: dt.Tensor) => dt.sum(dt.mul(adv.dropoutApply(t, 0.45, s), dy)))(x)[0],
  });
}
describeAgreement('dropoutApply', unavailable, agreement);
