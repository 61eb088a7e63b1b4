/**
 * conv2dBiasActMaxPool (src/core/ops/conv2d-bias-act-pool.ts), maxPool2d(conv2dBiasAct(x, w, b)) in one primitive:
 * - on the CPU its output is bit for bit the two ops' over many geometries, both where the convolution's job
 *   pools its blocks (2 x 2 / 2 'valid' pooling: the few-channel and the packed path, one and more row blocks per
 *   image, odd output sizes whose last row or column is not computed) and where it falls back to the two kernels
 *   (other pools, filter counts not in whole tiles, split-K),
 *   with NaN/Inf/-0 inputs (NaN wins a window), on 1, 2 and 3 threads with every job parallel;
 * - its gradients (computed on recomputed convolution outputs) are bit for bit the unfused ops';
 * - errors name the op;
 * - a Sequential model's predict runs it for Conv2D + MaxPooling2D (with the bits of the layers run one by one),
 *   and a call under a tape does not (the backward pass needs the convolution's output); in a functional model
 *   only where the pooling layer alone reads the convolution's output;
 * - CPU vs WebGPU bit for bit (the agreement harness).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { conv2dBiasActMaxPool } from '../../src/core/ops/conv2d-bias-act-pool.ts';
import { lastPooledJob } from '../../src/kernels/cpu/conv2d.ts';
import { setNumThreads } from '../../src/kernels/cpu/thread-pool.ts';
import { setInferenceFusion } from '../../src/nn/inference-fusion.ts';
import { describeAgreement, input, uni, withSpecials, type AgreementCase } from '../agreement/harness.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { logOps } from '../util/op-log.ts';
import { cpuWithEveryJobParallel } from '../util/cpu-every-job-parallel.ts';
import { Lcg } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

interface Case { x: number[]; w: number[]; o: dt.Conv2dOptions; pool?: dt.PoolOptions; pooled: boolean; special?: boolean }

const CASES: Case[] = [
  { x: [3, 32, 32, 1], w: [3, 3, 1, 32], o: {}, pooled: true }, // the reference CNN's first layer (few channels)
  { x: [2, 28, 28, 1], w: [3, 3, 1, 32], o: { padding: 'same' }, pooled: true, special: true },
  { x: [2, 14, 13, 5], w: [3, 3, 5, 16], o: {}, pooled: true }, // packed path, odd output width (its last column unpooled)
  { x: [2, 18, 18, 40], w: [3, 3, 40, 24], o: { padding: 'same' }, pooled: true, special: true }, // zero taps, 2 K-blocks of terms
  { x: [4, 12, 12, 3], w: [2, 2, 3, 8], o: { strides: 2 }, pooled: true },
  { x: [2, 30, 30, 2], w: [5, 5, 2, 8], o: { dilations: 2 }, pooled: true, special: true },
  { x: [1, 64, 70, 1], w: [3, 3, 1, 8], o: {}, pooled: true }, // several row blocks in one image
  { x: [2, 15, 15, 32], w: [3, 3, 32, 32], o: {}, pooled: true }, // the second layer: 13 x 13 outputs, the 12 x 12 the pool reads computed
  { x: [3, 27, 28, 1], w: [3, 3, 1, 16], o: {}, pooled: true, special: true }, // 25 x 26 outputs: the last row in no window
  { x: [2, 12, 12, 3], w: [3, 3, 3, 12], o: {}, pool: { poolSize: 3, strides: 2, padding: 'same' }, pooled: false },
  { x: [2, 12, 12, 3], w: [3, 3, 3, 12], o: {}, pool: { poolSize: 2, strides: 1 }, pooled: false },
  { x: [2, 10, 10, 3], w: [3, 3, 3, 6], o: {}, pooled: false }, // 6 filters: columns not in whole tiles
  { x: [1, 6, 6, 120], w: [3, 3, 120, 8], o: { padding: 'same' }, pooled: false }, // K = 1080: a split-K job
];

function fill(r: Lcg, shape: number[], special: boolean): dt.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const SPECIAL = [NaN, Infinity, -Infinity, -0, 0];
  return dt.tensor(Float32Array.from({ length: n }, (_, i) => (special && i % 11 === 3 ? SPECIAL[i % 5] : r.uniform(-2, 2))), shape);
}

const unfused = (x: dt.Tensor, w: dt.Tensor, b: dt.Tensor, c: Case, activation: adv.FusedActivation): dt.Tensor =>
  dt.maxPool2d(adv.conv2dBiasAct(x, w, b, { ...c.o, activation }), c.pool);

describe('conv2dBiasActMaxPool on the CPU: the bits of conv2dBiasAct and maxPool2d', () => {
  cpuWithEveryJobParallel();

  for (const threads of [1, 2, 3]) {
    it(`forward (pooled jobs and the fallback), ${threads} thread${threads > 1 ? 's' : ''}`, async () => {
      setNumThreads(threads);
      const r = new Lcg(31 + threads);
      for (const c of CASES) {
        const x = fill(r, c.x, c.special === true);
        const w = fill(r, c.w, c.special === true);
        const b = fill(r, [c.w[3]], c.special === true);
        for (const act of ['relu', 'linear'] as const) {
          const name = `x [${c.x}] w [${c.w}] ${JSON.stringify(c.o)} pool ${JSON.stringify(c.pool ?? {})} ${act}`;
          const y = conv2dBiasActMaxPool(x, w, b, { ...c.o, activation: act }, c.pool);
          expect(lastPooledJob(), `${name}: pooled inside the job`).toBe(c.pooled);
          const want = unfused(x, w, b, c, act);
          expect(y.shape, name).toEqual(want.shape);
          expectBitsEqual(await y.data(), await want.data(), name);
          dt.dispose([y, want]);
        }
        dt.dispose([x, w, b]);
      }
    });
  }

  it('NaN wins its window, in the pooled job as in maxPool2d', async () => {
    setNumThreads(2);
    const x = dt.tensor(Float32Array.from({ length: 2 * 10 * 10 }, (_, i) => (i === 37 ? NaN : (i % 13) - 6)), [2, 10, 10, 1]);
    const w = dt.ones([3, 3, 1, 8]);
    const b = dt.zeros([8]);
    const y = conv2dBiasActMaxPool(x, w, b, { activation: 'relu' });
    expect(lastPooledJob()).toBe(true);
    const want = unfused(x, w, b, { x: [], w: [], o: {}, pooled: true }, 'relu');
    const got = (await y.data()) as Float32Array;
    expect(Array.from(got).filter(Number.isNaN).length).toBeGreaterThan(0);
    expectBitsEqual(got, await want.data(), 'NaN window');
    dt.dispose([x, w, b, y, want]);
  });

  it('gradients with respect to x, w and b are the unfused ops\'', async () => {
    setNumThreads(2);
    const r = new Lcg(5);
    for (const c of [CASES[1], CASES[2], CASES[7], CASES[8], CASES[9]]) {
      const x = fill(r, c.x, false);
      const w = fill(r, c.w, false);
      const b = fill(r, [c.w[3]], false);
      for (const act of ['relu', 'linear'] as const) {
        const shape = unfused(x, w, b, c, act);
        const dy = fill(r, [...shape.shape], false);
        const g = dt.grad((p, q, s) => dt.sum(dt.mul(conv2dBiasActMaxPool(p, q, s, { ...c.o, activation: act }, c.pool), dy)))(x, w, b);
        const gw = dt.grad((p, q, s) => dt.sum(dt.mul(unfused(p, q, s, c, act), dy)))(x, w, b);
        for (let i = 0; i < 3; i++) expectBitsEqual(await g[i].data(), await gw[i].data(), `x [${c.x}] ${act} gradient ${['x', 'w', 'b'][i]}`);
        dt.dispose([shape, dy, ...g, ...gw]);
      }
      dt.dispose([x, w, b]);
    }
  });

  it('errors name the op', () => {
    const x = dt.zeros([1, 6, 6, 2]);
    const w = dt.zeros([3, 3, 2, 4]);
    expect(() => conv2dBiasActMaxPool(x, w, dt.zeros([3]))).toThrow(/^conv2dBiasActMaxPool: expected b of shape \[4\]/);
    expect(() => conv2dBiasActMaxPool(x, w, dt.zeros([4]), { activation: 'tanh' as 'relu' })).toThrow(/^conv2dBiasActMaxPool: expected activation 'relu' or 'linear'/);
    expect(() => conv2dBiasActMaxPool(x, w, dt.zeros([4]), {}, { poolSize: 0 })).toThrow(/^conv2dBiasActMaxPool: /);
    expect(() => conv2dBiasActMaxPool(x, w, dt.zeros([4]), {}, { poolSize: 2, bogus: 1 } as dt.PoolOptions)).toThrow(/^conv2dBiasActMaxPool: .*bogus/);
    // the convolution's 4 x 4 output is smaller than a 5 x 5 'valid' window
    expect(() => conv2dBiasActMaxPool(x, w, dt.zeros([4]), {}, { poolSize: 5 })).toThrow(/^conv2dBiasActMaxPool: expected the input height \(4\) to be at least the window height \(5\)/);
    dt.dispose([x, w]);
  });

  it('Sequential: predict runs it for Conv2D + MaxPooling2D with the layer-by-layer bits; a tape does not', async () => {
    setNumThreads(2);
    dt.utils.setRandomSeed(4);
    const model = new dt.Sequential([
      new dt.layers.Conv2D(8, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]),
      new dt.layers.Conv2D(8, [3, 3], { padding: 'same' }), new dt.layers.MaxPooling2D([2, 2]),
      new dt.layers.Conv2D(8, [3, 3], { activation: 'tanh' }), new dt.layers.MaxPooling2D([2, 2]),
      new dt.layers.Flatten(), new dt.layers.Dense(3, { activation: 'softmax' }),
    ]);
    const x = fill(new Lcg(8), [5, 22, 22, 1], false);
    const log = logOps();
    try {
      const fused = await model.predict(x);
      const fusedOps = log.take();
      setInferenceFusion(false);
      const plain = await model.predict(x);
      const plainOps = log.take();
      setInferenceFusion(true);
      expectBitsEqual(await fused.data(), await plain.data(), 'predict');
      // relu and linear Conv2D layers fuse with their pool; the tanh one does not
      expect(fusedOps.filter((op) => op === 'conv2dBiasActMaxPool').length).toBe(2);
      expect(fusedOps.filter((op) => op === 'maxPool2d').length).toBe(1);
      expect(plainOps.filter((op) => op === 'conv2dBiasActMaxPool').length).toBe(0);
      expect(plainOps.filter((op) => op === 'maxPool2d').length).toBe(3);
      // under a tape the layers run one by one (their outputs are kept for the backward pass)
      const g = dt.grad((xx: dt.Tensor) => dt.sum(model.call(xx)))(x);
      const taped = log.take();
      expect(taped.filter((op) => op === 'maxPool2d').length).toBe(3);
      expect(taped.filter((op) => op === 'conv2dBiasActMaxPool').length).toBe(0);
      dt.dispose([fused, plain, ...g]);
    } finally {
      log.restore();
      setInferenceFusion(true);
      x.dispose();
    }
  });

  it('functional models: a Conv2D whose output only a MaxPooling2D reads fuses; a shared or returned output does not', async () => {
    setNumThreads(2);
    dt.utils.setRandomSeed(6);
    const inp = dt.Input({ shape: [20, 20, 2] });
    const a = new dt.layers.Conv2D(8, 3, { activation: 'relu' }).apply(inp); // read by the pool alone: fuses
    const pa = new dt.layers.MaxPooling2D(2).apply(a);
    const b = new dt.layers.Conv2D(8, 3, { activation: 'relu', padding: 'same' }).apply(pa); // also read by a second branch
    const pb = new dt.layers.MaxPooling2D(2).apply(b);
    const side = new dt.layers.GlobalAveragePooling2D().apply(b);
    const c = new dt.layers.Conv2D(8, 1).apply(pb); // also a model output
    const pc = new dt.layers.MaxPooling2D(2).apply(c);
    const model = new dt.Model({ inputs: inp, outputs: [new dt.layers.Flatten().apply(pc), side, c] });
    const x = fill(new Lcg(9), [3, 20, 20, 2], false);
    const log = logOps();
    try {
      const fused = model.call(x) as unknown as dt.Tensor[];
      const fusedOps = log.take();
      setInferenceFusion(false);
      const plain = model.call(x) as unknown as dt.Tensor[];
      setInferenceFusion(true);
      for (let i = 0; i < 3; i++) expectBitsEqual(await fused[i].data(), await plain[i].data(), `output ${i}`);
      expect(fusedOps.filter((op) => op === 'conv2dBiasActMaxPool').length).toBe(1);
      expect(fusedOps.filter((op) => op === 'maxPool2d').length).toBe(2);
      dt.dispose([...fused, ...plain]);
    } finally {
      log.restore();
      setInferenceFusion(true);
      x.dispose();
    }
  });
});

const agreement: AgreementCase[] = [];
for (const act of ['relu', 'linear'] as const) {
  agreement.push({ name: `conv2dBiasActMaxPool ${act} C=1`, inputs: [input([2, 12, 11, 1]), input([3, 3, 1, 16]), input([16])], run: ([x, w, b]) => conv2dBiasActMaxPool(x, w, b, { activation: act }) });
  agreement.push({ name: `conv2dBiasActMaxPool ${act} packed same`, inputs: [input([2, 10, 9, 6], uni(-3, 3)), input([3, 3, 6, 8]), input([8])], run: ([x, w, b]) => conv2dBiasActMaxPool(x, w, b, { activation: act, padding: 'same' }) });
  agreement.push({ name: `conv2dBiasActMaxPool ${act} odd rows, 3x3/2 same pool`, inputs: [input([2, 11, 11, 2]), input([3, 3, 2, 8]), input([8])], run: ([x, w, b]) => conv2dBiasActMaxPool(x, w, b, { activation: act }, { poolSize: 3, strides: 2, padding: 'same' }) });
  agreement.push({ name: `conv2dBiasActMaxPool ${act} specials`, inputs: [input([1, 8, 8, 1], withSpecials()), input([2, 2, 1, 8]), input([8], withSpecials())], run: ([x, w, b]) => conv2dBiasActMaxPool(x, w, b, { activation: act }), nanPayloads: true });
}
describeAgreement('agreement: conv2dBiasActMaxPool (CPU vs WebGPU bits)', unavailable, agreement);
