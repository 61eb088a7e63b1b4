/**
 * relu's gradient folded into maxPool2dGrad (src/core/ops/relu-mask.ts; issue 15):
 * - the kernel (maxPool2dGrad with reluMask) gives the bits of reluGrad(maxPool2dGrad(dy, x), x) on
 *   the CPU, 1 and 2 threads (every job on the pool), over the SIMD 2x2/2 loop (C % 4 == 0, odd
 *   sizes), the scalar 2x2 and general loops (odd C, 'same' padding, overlapping windows, strides
 *   larger than the pool), with ties, zeros, -0, NaN, Inf and subnormals in x and dy;
 * - in the backward pass: conv2dBiasAct('relu') or relu followed by maxPool2d takes the fused path
 *   (no reluGrad op runs) and gives the bits of the unfused gradients (a reshape between the relu
 *   and the pool turns the fusion off: the reference); when the relu output also feeds another op,
 *   the summed gradient is masked by reluGrad as before, again with the unfused bits;
 * - float64 central-difference checks of conv -> relu -> pool models through the fused path;
 * - WebGPU: the same bits as its own unfused sequence and as the CPU (both shaders: the window
 *   shader for non-overlapping windows, the gather for overlapping ones), kernel and graph.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { type PoolOptions, maxPool2dGradReluMasked } from '../../src/core/ops/pool.ts';
import { setNumThreads } from '../../src/kernels/cpu/thread-pool.ts';
import { describeAgreement, input, ints, quarters, uni, withSpecials, type AgreementCase, type Gen } from '../agreement/harness.ts';
import * as N from '../reference/nn64.ts';
import * as R from '../reference/ops64.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { cpuWithEveryJobParallel } from '../util/cpu-every-job-parallel.ts';
import { type GradCheckSpec, Lcg, describeGradcheck, uniform } from '../util/gradcheck.ts';
import { describeWebGpu, webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

interface Geo { x: number[]; o: PoolOptions }
const GEOS: Geo[] = [
  { x: [2, 8, 8, 4], o: { poolSize: 2 } }, // SIMD 2x2/2
  { x: [3, 30, 30, 32], o: { poolSize: 2 } }, // the reference CNN's first pool (SIMD)
  { x: [2, 13, 13, 32], o: { poolSize: 2 } }, // its second: odd rows and columns outside every window (SIMD)
  { x: [2, 13, 13, 32], o: { poolSize: 2, padding: 'same' } }, // partial windows: scalar 2x2 and general loops
  { x: [2, 7, 9, 3], o: { poolSize: 2 } }, // odd C: scalar 2x2 loop
  { x: [2, 7, 7, 5], o: { poolSize: 3, strides: 1, padding: 'same' } }, // overlapping windows
  { x: [1, 9, 8, 2], o: { poolSize: 3, strides: 2 } }, // overlapping, 'valid'
  { x: [2, 8, 8, 4], o: { poolSize: 2, strides: 1 } }, // overlapping, C % 4 == 0
  { x: [2, 6, 7, 3], o: { poolSize: 2, strides: 3 } }, // gaps between windows
  { x: [1, 5, 7, 6], o: { poolSize: [2, 3], strides: [1, 2], padding: 'same' } },
];

/** x values: many windows whose maximum is 0, -0, negative, tied, NaN, a subnormal or +Inf. */
const X_GENS: [string, Gen][] = [
  ['ints -1..1 (ties, zeros)', ints(-1, 1)],
  ['quarters', quarters],
  ['specials', withSpecials(uni(-2, 2))],
  ['-0 and negatives', (r, n) => Array.from({ length: n }, () => [-0, -0, -1, -(2 ** -149), 0, 2 ** -149, 1][r.int(7)])],
];
const DY_GENS: [string, Gen][] = [
  ['uniform dy', uni(-3, 3)],
  ['special dy', withSpecials(uni(-3, 3))],
];

/** maxPool2d's output shape (TensorFlow's 'valid' / 'same' sizes). */
function poolOut(x: number[], o: PoolOptions): number[] {
  const k = typeof o.poolSize === 'number' ? [o.poolSize, o.poolSize] : o.poolSize ?? [2, 2];
  const s = o.strides === undefined ? k : typeof o.strides === 'number' ? [o.strides, o.strides] : o.strides;
  const size = (n: number, i: number) => (o.padding === 'same' ? Math.ceil(n / s[i]) : Math.floor((n - k[i]) / s[i]) + 1);
  return [x[0], size(x[1], 0), size(x[2], 1), x[3]];
}

function tensorOf(gen: Gen, r: Lcg, shape: number[]): dt.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return dt.tensor(Float32Array.from(gen(r, n)), shape);
}

const unfusedKernel = (dy: dt.Tensor, x: dt.Tensor, o: PoolOptions): dt.Tensor => adv.reluGrad(adv.maxPool2dGrad(dy, x, o), x);

/** Backend ops run by fn (fill/cast/random excluded), with maxPool2dGrad's reluMask marked. */
function opsRun(fn: () => void): string[] {
  const backend = adv.currentBackend();
  const run = backend.run;
  const seen: string[] = [];
  backend.run = function (this: typeof backend, op, inputs, attrs, ...rest) {
    seen.push(op === 'maxPool2dGrad' && (attrs as { reluMask?: boolean }).reluMask === true ? 'maxPool2dGrad+relu' : op);
    return run.call(this, op, inputs, attrs, ...rest);
  } as typeof run;
  try {
    fn();
  } finally {
    backend.run = run;
  }
  return seen;
}

/** A differentiable model and its reference with the fusion turned off (a reshape between relu and pool). */
type Model = (fused: boolean) => (...ts: dt.Tensor[]) => dt.Tensor;
const barrier = (y: dt.Tensor, fused: boolean): dt.Tensor => (fused ? y : dt.reshape(y, [...y.shape]));

interface GraphCase { name: string; shapes: number[][]; model: Model; masked: boolean }

function graphCases(): GraphCase[] {
  const pool: PoolOptions = { poolSize: 2 };
  const over: PoolOptions = { poolSize: 3, strides: 1, padding: 'same' };
  return [
    {
      name: 'conv2dBiasAct relu -> maxPool2d 2x2 (C=8)', shapes: [[2, 9, 9, 3], [3, 3, 3, 8], [8], [2, 3, 3, 8]], masked: true,
      model: (f) => (x, w, b, dy) => dt.sum(dt.mul(dt.maxPool2d(barrier(adv.conv2dBiasAct(x, w, b, { activation: 'relu' }), f), pool), dy)),
    },
    {
      name: 'conv2dBiasAct relu same -> maxPool2d 3x3/1 same (C=5)', shapes: [[2, 7, 6, 2], [3, 3, 2, 5], [5], [2, 7, 6, 5]], masked: true,
      model: (f) => (x, w, b, dy) => dt.sum(dt.mul(dt.maxPool2d(barrier(adv.conv2dBiasAct(x, w, b, { activation: 'relu', padding: 'same' }), f), over), dy)),
    },
    {
      name: 'conv2d -> relu -> maxPool2d 2x2 same (C=4)', shapes: [[2, 8, 7, 2], [2, 2, 2, 4], [2, 4, 4, 4]], masked: true,
      model: (f) => (x, w, dy) => dt.sum(dt.mul(dt.maxPool2d(barrier(dt.relu(dt.conv2d(x, w, { padding: 'same' })), f), { poolSize: 2, padding: 'same' }), dy)),
    },
    {
      // the relu output also feeds a later op: its gradient is a sum (no mark), masked by reluGrad as before
      name: 'conv2dBiasAct relu -> maxPool2d and -> mul (after the pool)', shapes: [[2, 8, 8, 2], [3, 3, 2, 4], [4], [2, 3, 3, 4], [2, 6, 6, 4]], masked: false,
      model: (f) => (x, w, b, dy, e) => {
        const y = adv.conv2dBiasAct(x, w, b, { activation: 'relu' });
        return dt.add(dt.sum(dt.mul(dt.maxPool2d(barrier(y, f), pool), dy)), dt.sum(dt.mul(y, e)));
      },
    },
    {
      // ... and an op recorded before the pool (its gradient arrives after the pool's)
      name: 'relu -> mul (before the pool) and -> maxPool2d 3x3/1', shapes: [[2, 6, 6, 3], [2, 6, 6, 3], [2, 6, 6, 3]], masked: false,
      model: (f) => (x, e, dy) => {
        const y = dt.relu(x);
        const side = dt.sum(dt.mul(y, e));
        return dt.add(side, dt.sum(dt.mul(dt.maxPool2d(barrier(y, f), over), dy)));
      },
    },
    {
      // two pools of one relu output: both gradients masked, their sum carries no mark
      name: 'relu -> two maxPool2d', shapes: [[1, 8, 8, 4], [1, 4, 4, 4], [1, 8, 8, 4]], masked: false,
      model: (f) => (x, d1, d2) => {
        const y = dt.relu(x);
        return dt.add(dt.sum(dt.mul(dt.maxPool2d(barrier(y, f), pool), d1)), dt.sum(dt.mul(dt.maxPool2d(barrier(y, f), over), d2)));
      },
    },
  ];
}

/** Gradients of every input of case c, fused or not, as host arrays (with the ops the backward pass ran). */
async function graphGrads(c: GraphCase, ts: dt.Tensor[], fused: boolean): Promise<{ grads: Float32Array[]; ops: string[] }> {
  let g: dt.Tensor[] = [];
  const ops = opsRun(() => {
    g = dt.grad(c.model(fused))(...ts);
  });
  const grads = await Promise.all(g.map(async (t) => (await t.data()) as Float32Array));
  dt.dispose(g);
  return { grads, ops };
}

async function checkGraph(c: GraphCase, seed: number, specials: boolean): Promise<void> {
  const r = new Lcg(seed);
  const ts = c.shapes.map((s) => tensorOf(specials ? withSpecials(quarters) : quarters, r, s));
  const got = await graphGrads(c, ts, true);
  const want = await graphGrads(c, ts, false);
  for (let i = 0; i < ts.length; i++) expectBitsEqual(got.grads[i], want.grads[i], `${c.name}${specials ? ' (specials)' : ''}: gradient ${i}`);
  // the reference runs the unfused sequence; the fused run drops the reluGrad pass where nothing else reaches the relu output
  expect(want.ops).toContain('reluGrad');
  expect(want.ops).not.toContain('maxPool2dGrad+relu');
  expect(got.ops).toContain('maxPool2dGrad+relu');
  expect(got.ops.includes('reluGrad')).toBe(!c.masked);
  dt.dispose(ts);
}

describe('maxPool2dGrad with relu\'s mask on the CPU: the bits of reluGrad(maxPool2dGrad(dy, x), x)', () => {
  cpuWithEveryJobParallel();

  for (const threads of [1, 2]) {
    it(`kernel, ${threads} thread${threads > 1 ? 's' : ''}`, async () => {
      setNumThreads(threads);
      const r = new Lcg(31 + threads);
      for (const g of GEOS) {
        for (const [xName, xGen] of X_GENS) {
          for (const [dyName, dyGen] of DY_GENS) {
            const x = tensorOf(xGen, r, g.x);
            const dy = tensorOf(dyGen, r, poolOut(g.x, g.o));
            const name = `x [${g.x}] ${JSON.stringify(g.o)} ${xName}, ${dyName}`;
            const got = maxPool2dGradReluMasked(dy, x, g.o);
            const want = unfusedKernel(dy, x, g.o);
            expectBitsEqual((await got.data()) as Float32Array, (await want.data()) as Float32Array, name);
            dt.dispose([x, dy, got, want]);
          }
        }
      }
    });

    it(`backward pass, ${threads} thread${threads > 1 ? 's' : ''}: fused where exact, the unfused bits`, async () => {
      setNumThreads(threads);
      let seed = 100 * threads;
      for (const c of graphCases()) {
        await checkGraph(c, seed++, false);
        await checkGraph(c, seed++, true);
      }
    });
  }

  it('the mask is real: a masked kernel differs from the plain gradient where a window maximum is not > 0', async () => {
    // windows' first maxima: 0 at 4, 3 at 2, NaN at 12, 0 at 10; only 3 is > 0
    const x = dt.tensor([-1, -2, 3, -4, 0, -0, -1, -1, 2, 1, 0, 0, NaN, 1, 0, 0], [1, 4, 4, 1]);
    const dy = dt.tensor([5, 6, 7, -0], [1, 2, 2, 1]);
    const o = { poolSize: 2 };
    expect(Array.from((await adv.maxPool2dGrad(dy, x, o).data()) as Float32Array)).toEqual([0, 0, 6, 0, 5, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0]);
    const m = (await maxPool2dGradReluMasked(dy, x, o).data()) as Float32Array;
    expect(Array.from(m)).toEqual([0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(m.every((v) => !Object.is(v, -0))).toBe(true);
  });

  it('no fusion where the pool\'s input is not a relu output (a source, a linear conv, an elu)', async () => {
    setNumThreads(2);
    const r = new Lcg(8);
    const x = tensorOf(quarters, r, [2, 6, 6, 4]);
    const w = tensorOf(quarters, r, [3, 3, 4, 4]);
    const b = tensorOf(quarters, r, [4]);
    const dy = tensorOf(uni(-3, 3), r, [2, 3, 3, 4]);
    const dy2 = tensorOf(uni(-3, 3), r, [2, 2, 2, 4]);
    let g: dt.Tensor[] = [];
    let ops = opsRun(() => {
      g = dt.grad((a) => dt.sum(dt.mul(dt.maxPool2d(a, { poolSize: 2 }), dy)))(x);
    });
    expect(ops).not.toContain('maxPool2dGrad+relu');
    const want = adv.maxPool2dGrad(dy, x, { poolSize: 2 });
    expectBitsEqual((await g[0].data()) as Float32Array, (await want.data()) as Float32Array, 'pool of a source');
    dt.dispose([...g, want]);
    for (const act of ['linear', 'elu'] as const) {
      const f = (p: dt.Tensor, q: dt.Tensor, s: dt.Tensor) => {
        const u = adv.conv2dBiasAct(p, q, s, { activation: 'linear' });
        return act === 'elu' ? dt.elu(u) : u;
      };
      const loss = (p: dt.Tensor, q: dt.Tensor, s: dt.Tensor) => dt.sum(dt.mul(dt.maxPool2d(f(p, q, s), { poolSize: 2 }), dy2));
      ops = opsRun(() => {
        g = dt.grad(loss)(x, w, b);
      });
      expect(ops, act).not.toContain('maxPool2dGrad+relu');
      expect(ops, act).toContain('maxPool2dGrad');
      if (act === 'linear') {
        // by hand: dx = conv2dGradInput(maxPool2dGrad(dy2, y), w), nonzero through maxima <= 0 (a mask would drop them)
        const y = f(x, w, b);
        const du = adv.maxPool2dGrad(dy2, y, { poolSize: 2 });
        const dx = adv.conv2dGradInput(du, w, x.shape);
        expectBitsEqual((await g[0].data()) as Float32Array, (await dx.data()) as Float32Array, 'linear conv, pool: dx');
        dt.dispose([y, du, dx]);
      }
      dt.dispose(g);
    }
    dt.dispose([x, w, b, dy, dy2]);
  });

  it('layers: Conv2D(relu) or Conv2D + ReLU, then MaxPooling2D, run the fused gradient', async () => {
    setNumThreads(2);
    const r = new Lcg(5);
    const x = tensorOf(uni(-1, 1), r, [2, 8, 8, 2]);
    const stacks: [string, dt.layers.Layer[]][] = [
      ['Conv2D(relu)', [new dt.layers.Conv2D(4, 3, { activation: 'relu' })]],
      ['Conv2D(useBias false) + ReLU', [new dt.layers.Conv2D(4, 3, { useBias: false }), new dt.layers.ReLU()]],
    ];
    for (const [name, layers] of stacks) {
      const pool = new dt.layers.MaxPooling2D(2);
      const f = (a: dt.Tensor) => dt.sum(pool.apply(layers.reduce((t, l) => l.apply(t) as dt.Tensor, a)) as dt.Tensor);
      let g: dt.Tensor[] = [];
      const ops = opsRun(() => {
        g = dt.grad(f)(x);
      });
      expect(ops, name).toContain('maxPool2dGrad+relu');
      expect(ops, name).not.toContain('reluGrad');
      dt.dispose(g);
    }
    x.dispose();
  });
});

// float64 central differences through the fused path (x pairwise distinct so no window ties)
const gradCases: GradCheckSpec[] = [
  {
    name: 'conv2dBiasAct relu -> maxPool2d 2x2 -> weighted sum, d/d(x, w, b)',
    f: (x, w, b) => dt.sum(dt.mul(dt.maxPool2d(adv.conv2dBiasAct(x, w, b, { activation: 'relu' }), { poolSize: 2 }), dt.tensor(Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => 0.5 + 0.1 * (i % 5)), [2, 2, 2, 3]))),
    ref: (x, w, b) => R.sum(R.mul(N.maxPool2d(R.relu(R.add(N.conv2d(x, w), b)), { poolSize: 2 }), R.arr([2, 2, 2, 3], Array.from({ length: 24 }, (_, i) => 0.5 + 0.1 * (i % 5))))),
    inputs: [uniform([2, 6, 6, 2]), uniform([3, 3, 2, 3], -0.5, 0.5), uniform([3], -0.1, 0.1)],
  },
  {
    name: 'conv2d -> relu -> maxPool2d 3x3/2 same (overlapping) -> sum of squares, d/d(x, w)',
    f: (x, w) => dt.sum(dt.square(dt.maxPool2d(dt.relu(dt.conv2d(x, w, { padding: 'same' })), { poolSize: 3, strides: 2, padding: 'same' }))),
    ref: (x, w) => R.sum(R.square(N.maxPool2d(R.relu(N.conv2d(x, w, { padding: 'same' })), { poolSize: 3, strides: 2, padding: 'same' }))),
    inputs: [uniform([1, 7, 7, 2]), uniform([2, 2, 2, 3], -0.5, 0.5)],
  },
];
describeGradcheck('conv -> relu -> maxPool gradients (fused path)', gradCases);

describeWebGpu('maxPool2dGrad with relu\'s mask on WebGPU: the bits of its unfused sequence', unavailable, () => {
  afterAll(async () => {
    await dt.setBackend('cpu');
  });
  it('kernel and backward pass', async () => {
    await dt.setBackend('webgpu');
    const r = new Lcg(77);
    for (const g of GEOS) {
      for (const [xName, xGen] of X_GENS) {
        const x = tensorOf(xGen, r, g.x);
        const dy = tensorOf(withSpecials(uni(-3, 3)), r, poolOut(g.x, g.o));
        const got = maxPool2dGradReluMasked(dy, x, g.o);
        const want = unfusedKernel(dy, x, g.o);
        expectBitsEqual((await got.data()) as Float32Array, (await want.data()) as Float32Array, `x [${g.x}] ${JSON.stringify(g.o)} ${xName}`);
        dt.dispose([x, dy, got, want]);
      }
    }
    let seed = 900;
    for (const c of graphCases()) await checkGraph(c, seed++, true);
  });
});

const agreement: AgreementCase[] = [];
for (const g of GEOS.filter((_, i) => i !== 1)) {
  for (const [xName, xGen] of X_GENS) {
    const tag = `x [${g.x}] ${JSON.stringify(g.o)} ${xName}`;
    agreement.push({ name: `maxPool2dGrad+relu ${tag}`, inputs: [input(poolOut(g.x, g.o), withSpecials(uni(-3, 3))), input(g.x, xGen)], run: ([dy, x]) => maxPool2dGradReluMasked(dy, x, g.o), nanPayloads: true });
  }
}
for (const c of graphCases()) {
  agreement.push({
    name: `backward pass: ${c.name}`,
    inputs: c.shapes.map((s) => input(s, quarters)),
    run: (ts) => dt.concat(dt.grad(c.model(true))(...ts).map((t) => dt.reshape(t, [-1])), 0),
  });
}
describeAgreement('maxPool2dGrad with relu\'s mask, CPU vs WebGPU', unavailable, agreement);
