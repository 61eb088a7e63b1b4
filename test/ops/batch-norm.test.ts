/**
 * The fused batch-normalization primitives (src/core/ops/batch-norm.ts): batchNormMoments, batchNormTrain
 * and its gradient (batchNormGradSums, batchNormGradInput), and batchNormInfer (given statistics).
 * - forward: the moments and the output are bit for bit those of the composite they replace
 *   (src/nn/layers/normalization-math.ts moments + normalize), with and without gamma / beta, on shapes
 *   with up to 3 levels of the summation tree (> 256 and > 65536 rows per channel);
 * - gradient: against float64 central differences (test/util/gradcheck.ts, test/reference/norm64.ts) and
 *   against the composite's autograd gradient (measured ulp distances, bounded below);
 * - the bits do not depend on the thread count (1 vs 2 threads, every job split);
 * - CPU vs WebGPU bit for bit (the agreement harness), forward and gradient;
 * - argument errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { ops } from '../../src/core/internal.ts';
import { type BatchNormChunksJob, type BatchNormRowsJob, batchNormChunkSums, batchNormRows } from '../../src/kernels/cpu/batch-norm-tasks.ts';
import { setParallelMinWork } from '../../src/kernels/cpu/thread-pool.ts';
import { bnAvailable } from '../../src/kernels/cpu/wasm-bn.ts';
import { moments, normalize } from '../../src/nn/layers/normalization-math.ts';
import { describeAgreement, input, uni, type AgreementCase } from '../agreement/harness.ts';
import { batchNormInfer64, batchNormTrain64 } from '../reference/norm64.ts';
import { expectBitsEqual, ulpDistance } from '../util/compare.ts';
import { Lcg, describeGradcheck, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const EPS = 1e-3;

type Flags = { gamma: boolean; beta: boolean };

/** The composite (the layer's former training path): moments over all axes but the last, then normalize. */
function composite(x: dt.Tensor, g: dt.Tensor | undefined, b: dt.Tensor | undefined, eps = EPS): { y: dt.Tensor; mean: dt.Tensor; variance: dt.Tensor } {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = moments(x, axes);
  return { y: normalize(x, mean, variance, g, b, eps), mean, variance };
}

/** The fused path, as BatchNormalization uses it. */
function fused(x: dt.Tensor, g: dt.Tensor | undefined, b: dt.Tensor | undefined, eps = EPS): { y: dt.Tensor; m: dt.Tensor } {
  const m = dt.tidy(() => ops.batchNormMoments(x));
  return { y: ops.batchNormTrain(x, m, g, b, eps), m };
}

function rand(rng: Lcg, shape: number[], lo: number, hi: number): dt.Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return dt.tensor(Float32Array.from({ length: n }, () => rng.uniform(lo, hi)), shape);
}

// C % 4 == 0 runs the WebAssembly SIMD loops (wasm-bn.ts; C = 64: a tree chunk spans two copied pieces), other C the plain loops.
const SHAPES: number[][] = [[6, 4], [2, 5, 5, 3], [3, 17, 19, 5], [8, 9, 9, 6], [1, 7], [7], [2, 300, 1], [66000, 2], [3, 17, 19, 8], [2, 20, 20, 64], [4, 100, 4]];

/** Gradients (x, gamma, beta) of sum(y * v). */
function grads(f: (x: dt.Tensor, g: dt.Tensor, b: dt.Tensor) => dt.Tensor, x: dt.Tensor, g: dt.Tensor, b: dt.Tensor, v: dt.Tensor): dt.Tensor[] {
  return dt.grad((a: dt.Tensor, c: dt.Tensor, d: dt.Tensor) => dt.sum(dt.mul(f(a, c, d), v)))(x, g, b);
}

describe('batchNormMoments / batchNormTrain: the bits of the composite (CPU)', () => {
  it('mean, variance and y equal moments + normalize bit for bit, with and without gamma / beta', async () => {
    await dt.setBackend('cpu');
    dt.config.setNumThreads(1);
    const rng = new Lcg(7);
    for (const shape of SHAPES) {
      for (const flags of [{ gamma: true, beta: true }, { gamma: false, beta: false }, { gamma: true, beta: false }, { gamma: false, beta: true }] as Flags[]) {
        dt.tidy(() => {
          const c = shape[shape.length - 1];
          const x = rand(rng, shape, -3, 5);
          const g = flags.gamma ? rand(rng, [c], -2, 2) : undefined;
          const b = flags.beta ? rand(rng, [c], -1, 1) : undefined;
          const want = composite(x, g, b);
          const got = fused(x, g, b);
          const what = `[${shape}] ${JSON.stringify(flags)}`;
          expectBitsEqual(got.m.dataSync().subarray(0, c), want.mean.dataSync(), `mean ${what}`);
          expectBitsEqual(got.m.dataSync().subarray(c), want.variance.dataSync(), `variance ${what}`);
          expectBitsEqual(got.y.dataSync(), want.y.dataSync(), `y ${what}`);
        });
      }
    }
  });

  it('batchNormInfer: y and dx equal normalize with the given statistics (and its autograd dx) bit for bit', () => {
    const rng = new Lcg(10);
    for (const shape of [[6, 4], [3, 17, 19, 5], [2, 20, 20, 64], [7]]) {
      for (const flags of [{ gamma: true, beta: true }, { gamma: false, beta: false }, { gamma: true, beta: false }] as Flags[]) {
        dt.tidy(() => {
          const c = shape[shape.length - 1];
          const x = rand(rng, shape, -3, 5);
          const v = rand(rng, shape, -1, 1);
          const [mm, mv] = [rand(rng, [c], -1, 1), rand(rng, [c], 0.1, 3)];
          const g = flags.gamma ? rand(rng, [c], -2, 2) : undefined;
          const b = flags.beta ? rand(rng, [c], -1, 1) : undefined;
          const stats = dt.stack([mm, mv]);
          const what = `[${shape}] ${JSON.stringify(flags)}`;
          const f = (t: dt.Tensor) => ops.batchNormInfer(t, stats, g, b, EPS);
          const ref = (t: dt.Tensor) => normalize(t, mm, mv, g, b, EPS);
          expectBitsEqual(f(x).dataSync(), ref(x).dataSync(), `y ${what}`);
          const dx = (h: (t: dt.Tensor) => dt.Tensor) => dt.grad((t: dt.Tensor) => dt.sum(dt.mul(h(t), v)))(x)[0].dataSync();
          expectBitsEqual(dx(f), dx(ref), `dx ${what}`);
        });
      }
    }
  });

  it('keeps the bits with a large mean (cancellation in x - mean) and epsilon 1e-5', () => {
    const rng = new Lcg(8);
    dt.tidy(() => {
      const x = rand(rng, [40, 13, 3], 1000, 1001);
      const g = rand(rng, [3], 0.5, 2);
      const b = rand(rng, [3], -1, 1);
      expectBitsEqual(fused(x, g, b, 1e-5).y.dataSync(), composite(x, g, b, 1e-5).y.dataSync(), 'y');
    });
  });
});

describeGradcheck('batchNormTrain gradient (float64 central differences)', [
  {
    name: 'x, gamma, beta [6, 4]',
    f: (x, g, b) => fused(x, g, b).y,
    ref: (x, g, b) => batchNormTrain64(x, g, b, -1, Math.fround(EPS)).y,
    inputs: [uniform([6, 4], -2, 2), uniform([4], 0.5, 2), uniform([4], -1, 1)],
  },
  {
    name: 'x, gamma, beta [2, 3, 5, 3]',
    f: (x, g, b) => fused(x, g, b).y,
    ref: (x, g, b) => batchNormTrain64(x, g, b, -1, Math.fround(EPS)).y,
    inputs: [uniform([2, 3, 5, 3], -2, 2), uniform([3], -2, 2), uniform([3], -1, 1)],
  },
  {
    name: 'batchNormInfer x, gamma, beta [3, 4, 5] (fixed statistics)',
    f: (x, g, b) => ops.batchNormInfer(x, dt.tensor([[0.1, -0.2, 0.3, 0, 0.5], [0.5, 1, 1.5, 2, 0.25]]), g, b, EPS),
    ref: (x, g, b) => batchNormInfer64(x, g, b, { shape: [5], data: Float64Array.from([0.1, -0.2, 0.3, 0, 0.5].map(Math.fround)) }, { shape: [5], data: Float64Array.from([0.5, 1, 1.5, 2, 0.25]) }, -1, Math.fround(EPS)),
    inputs: [uniform([3, 4, 5], -2, 2), uniform([5], -2, 2), uniform([5], -1, 1)],
  },
  {
    name: 'x only (no gamma, no beta) [9, 5]',
    f: (x) => fused(x, undefined, undefined).y,
    ref: (x) => batchNormTrain64(x, null, null, -1, Math.fround(EPS)).y,
    inputs: [uniform([9, 5], -2, 2)],
  },
]);

/** float64 gradients (dx, dgamma, dbeta) of sum(v * y) for y = batch normalization of x [R, C] (the analytic formula). */
function gradients64(x: Float32Array, v: Float32Array, g: Float32Array, c: number): Float64Array[] {
  const n = x.length / c;
  const eps = Math.fround(EPS);
  const dx = new Float64Array(x.length);
  const dg = new Float64Array(c);
  const db = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += x[r * c + k];
    mean /= n;
    let vr = 0;
    for (let r = 0; r < n; r++) vr += (x[r * c + k] - mean) ** 2;
    vr /= n;
    const rs = 1 / Math.sqrt(vr + eps);
    let sdy = 0;
    let sdxc = 0;
    for (let r = 0; r < n; r++) {
      sdy += v[r * c + k];
      sdxc += v[r * c + k] * (x[r * c + k] - mean);
    }
    db[k] = sdy;
    dg[k] = sdxc * rs;
    for (let r = 0; r < n; r++) dx[r * c + k] = g[k] * rs * (v[r * c + k] - sdy / n - (x[r * c + k] - mean) * rs * rs * (sdxc / n));
  }
  return [dx, dg, db];
}

describe('batchNormTrain gradient vs the composite autograd gradient and float64 (CPU)', () => {
  /**
   * The two compute the same function in different float32 orders (the composite's dgamma is
   * (S(dy * x) - mean * S(dy)) * r, ours S(dy * (x - mean)) * r; dx cancels in dy - mean(dy) - (x - mean) * k),
   * so each element is compared at the scale of its gradient (max |g| over the channel for dx, over all
   * channels for dgamma and dbeta). Against the float64 gradient both carry the float32 summation error of
   * S(dy) and S(dy * (x - mean)) over up to 969 rows. Measured: fused vs composite dx 2, dgamma 10, dbeta 0 ulp;
   * fused vs float64 dx 4, dgamma 8, dbeta 5 ulp; composite vs float64 dx 3, dgamma 8, dbeta 5 ulp.
   */
  it('fused vs composite: dx within 4 ulp, dbeta 2, dgamma 16 at scale; fused vs float64 within 16 ulp at scale', () => {
    dt.config.setNumThreads(1);
    const rng = new Lcg(9);
    const worst = { dx: 0, dgamma: 0, dbeta: 0, dx64: 0, dgamma64: 0, dbeta64: 0, compositeDx64: 0, compositeDgamma64: 0, compositeDbeta64: 0 };
    const atScale = (a: number, b: number, scale: number) => ulpDistance(Math.fround(scale), Math.fround(scale) + Math.abs(a - b));
    for (const shape of [[6, 4], [2, 5, 5, 3], [3, 17, 19, 5], [8, 9, 9, 6], [2, 300, 1], [3, 17, 19, 8]]) {
      dt.tidy(() => {
        const c = shape[shape.length - 1];
        const x = rand(rng, shape, -3, 5);
        const v = rand(rng, shape, -1, 1);
        const g = rand(rng, [c], -2, 2);
        const b = rand(rng, [c], -1, 1);
        const want = grads((a, p, q) => composite(a, p, q).y, x, g, b, v).map((t) => t.dataSync());
        const got = grads((a, p, q) => fused(a, p, q).y, x, g, b, v).map((t) => t.dataSync());
        const exact = gradients64(x.dataSync() as Float32Array, v.dataSync() as Float32Array, g.dataSync() as Float32Array, c);
        const scale = new Float64Array(c);
        for (let i = 0; i < exact[0].length; i++) scale[i % c] = Math.max(scale[i % c], Math.abs(exact[0][i]));
        for (let i = 0; i < exact[0].length; i++) {
          worst.dx = Math.max(worst.dx, atScale(got[0][i], want[0][i], scale[i % c]));
          worst.dx64 = Math.max(worst.dx64, atScale(got[0][i], exact[0][i], scale[i % c]));
          worst.compositeDx64 = Math.max(worst.compositeDx64, atScale(want[0][i], exact[0][i], scale[i % c]));
        }
        for (const [k, name] of [[1, 'dgamma'], [2, 'dbeta']] as const) {
          const s = Math.max(...exact[k].map(Math.abs));
          for (let i = 0; i < c; i++) {
            worst[name] = Math.max(worst[name], atScale(got[k][i], want[k][i], s));
            worst[`${name}64`] = Math.max(worst[`${name}64`], atScale(got[k][i], exact[k][i], s));
            const cn = k === 1 ? 'compositeDgamma64' : 'compositeDbeta64';
            worst[cn] = Math.max(worst[cn], atScale(want[k][i], exact[k][i], s));
          }
        }
      });
    }
    console.log(`batchNormTrain gradient, ulp at scale: fused vs composite ${JSON.stringify(worst)}`);
    expect(worst.dx).toBeLessThanOrEqual(4);
    expect(worst.dbeta).toBeLessThanOrEqual(2);
    expect(worst.dgamma).toBeLessThanOrEqual(16);
    expect(Math.max(worst.dx64, worst.dgamma64, worst.dbeta64)).toBeLessThanOrEqual(16);
  });
});

describe('thread count (CPU)', () => {
  afterAll(() => {
    setParallelMinWork();
    dt.config.setNumThreads(1);
  });

  it('moments, y and the gradients have the same bits on 1 and 2 threads (every job split)', async () => {
    await dt.setBackend('cpu');
    const run = (threads: number): Float32Array[] => {
      dt.config.setNumThreads(threads);
      setParallelMinWork(threads > 1 ? 1 : undefined);
      const rng = new Lcg(11);
      // C = 8: the SIMD loops; C = 5: the plain loops.
      return [[16, 30, 30, 8], [16, 30, 30, 5]].flatMap((shape) => dt.tidy(() => {
        const c = shape[3];
        const x = rand(rng, shape, -3, 5);
        const v = rand(rng, shape, -1, 1);
        const g = rand(rng, [c], -2, 2);
        const b = rand(rng, [c], -1, 1);
        const f = fused(x, g, b);
        return [f.m, f.y, ...grads((a, p, q) => fused(a, p, q).y, x, g, b, v)].map((t) => t.dataSync().slice() as Float32Array);
      }));
    };
    const one = run(1);
    const two = run(2);
    one.forEach((a, i) => expectBitsEqual(two[i], a, `output ${i}`));
  });
});

describe('the WebAssembly SIMD loops (wasm-bn.ts) against the plain loops', () => {
  it('chunk sums (sq, grad) and rows (apply, gradInput) have the plain loops\' bits, C = 4, 16, 64, 1024', () => {
    expect(bnAvailable() || process.env.DITTO_CPU_WASM === '0').toBe(true);
    if (!bnAvailable()) return;
    const rng = new Lcg(12);
    const f = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
    for (const [R, C] of [[700, 4], [700, 16], [600, 64], [300, 1024]]) {
      const x = f(R * C, -3, 5);
      const dy = f(R * C, -1, 1);
      const [mean, a, b, k] = [f(C, 0, 2), f(C, -2, 2), f(C, -1, 1), f(C, -0.5, 0.5)];
      const chunks = Math.ceil(R / 256);
      for (const mode of ['sq', 'grad'] as const) {
        const job = (part: Float32Array): BatchNormChunksJob => ({ mode, x, dy, mean, C, R, chunks, part });
        const [plain, simd] = [new Float32Array(2 * chunks * C), new Float32Array(2 * chunks * C)];
        batchNormChunkSums(job(plain), 0, chunks, false);
        batchNormChunkSums(job(simd), 0, chunks, true);
        expectBitsEqual(simd, plain, `chunk sums ${mode} C=${C}`);
      }
      for (const mode of ['apply', 'gradInput'] as const) {
        const job = (out: Float32Array): BatchNormRowsJob => ({ mode, x, dy, out, a, b, m: mean, k, C, R });
        const [plain, simd] = [new Float32Array(R * C), new Float32Array(R * C)];
        batchNormRows(job(plain), 0, R, false);
        batchNormRows(job(simd), 3, R, true);
        batchNormRows(job(simd), 0, 3, true);
        expectBitsEqual(simd, plain, `rows ${mode} C=${C}`);
      }
    }
  });
});

describe('argument errors', () => {
  it('rejects a non-float32 x, moments of the wrong shape and gamma of the wrong size', async () => {
    await dt.setBackend('cpu');
    dt.tidy(() => {
      const x = dt.ones([4, 3]);
      expect(() => ops.batchNormMoments(dt.ones([4, 3], 'int32'))).toThrow(/batchNormMoments: expected x of dtype float32/);
      expect(() => ops.batchNormTrain(x, dt.ones([2, 4]), undefined, undefined, EPS)).toThrow(/batchNormTrain: expected moments of shape \[2, ?3\]/);
      expect(() => ops.batchNormTrain(x, dt.ones([2, 3]), dt.ones([4]), undefined, EPS)).toThrow(/batchNormTrain: expected gamma of shape \[3\]/);
      expect(() => ops.batchNormGradSums(x, dt.ones([4, 2]), dt.ones([2, 3]))).toThrow(/batchNormGradSums: expected dy of shape/);
    });
  });
});

const cases: AgreementCase[] = [];
for (const shape of [[6, 4], [3, 17, 19, 5], [2, 300, 1], [66000, 2], [2, 20, 20, 64]]) {
  const c = shape[shape.length - 1];
  cases.push({
    name: `batchNorm forward (moments, y) [${shape}]`,
    inputs: [input(shape, uni(-3, 5)), input([c], uni(-2, 2)), input([c], uni(-1, 1))],
    run: ([x, g, b]) => {
      const f = fused(x, g, b);
      return dt.concat([dt.reshape(f.m, [-1]), dt.reshape(f.y, [-1]), dt.reshape(fused(x, undefined, undefined).y, [-1])], 0);
    },
  });
}
for (const shape of [[6, 4], [8, 9, 9, 6], [2, 300, 1], [3, 17, 19, 8]]) {
  const c = shape[shape.length - 1];
  cases.push({
    name: `batchNorm gradient (dx, dgamma, dbeta; dx without gamma) [${shape}]`,
    inputs: [input(shape, uni(-3, 5)), input(shape, uni(-1, 1)), input([c], uni(-2, 2)), input([c], uni(-1, 1))],
    run: ([x, v, g, b]) => {
      const gs = grads((a, p, q) => fused(a, p, q).y, x, g, b, v);
      const [dx] = dt.grad((a: dt.Tensor) => dt.sum(dt.mul(fused(a, undefined, undefined).y, v)))(x);
      return dt.concat([...gs, dx].map((t) => dt.reshape(t, [-1])), 0);
    },
  });
}
cases.push({
  name: 'batchNormInfer y and gradients [3, 17, 19, 8]',
  inputs: [input([3, 17, 19, 8], uni(-3, 5)), input([3, 17, 19, 8], uni(-1, 1)), input([2, 8], uni(0.1, 2)), input([8], uni(-2, 2)), input([8], uni(-1, 1))],
  run: ([x, v, m, g, b]) => {
    const f = (t: dt.Tensor, p: dt.Tensor, q: dt.Tensor) => ops.batchNormInfer(t, m, p, q, EPS);
    return dt.concat([f(x, g, b), ...grads(f, x, g, b, v)].map((t) => dt.reshape(t, [-1])), 0);
  },
});
// The elementwise passes bind windows of large tensors (the sums, like the sum op's, bind whole tensors).
cases.push({
  name: 'batchNormTrain and batchNormGradInput in windowed chunks (small binding limit)',
  inputs: [input([300, 7], uni(-3, 5)), input([300, 7], uni(-1, 1)), input([2, 7], uni(0.1, 2)), input([2, 7], uni(-20, 20)), input([7], uni(-2, 2)), input([7], uni(-1, 1))],
  run: ([x, dy, m, s, g, b]) => dt.concat([ops.batchNormTrain(x, m, g, b, EPS), ops.batchNormGradInput(x, dy, m, s, g, EPS)].map((t) => dt.reshape(t, [-1])), 0),
  maxBindingBytes: 2048,
  storageOffsetAlignment: 256,
});
describeAgreement('batch norm primitives (CPU vs WebGPU bits)', unavailable, cases);
