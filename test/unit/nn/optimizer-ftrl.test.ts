/**
 * Ftrl (keras/src/optimizers/ftrl.py): (1) bit for bit against a float32 emulation (Math.fround at every step, the
 * engine's exp32/log32 for a non-integer power) of Keras's update_step for 4 steps, variable and both slots, for the
 * default power (sqrt), Keras's golden configuration (power 0.2, l1, l2, shrinkage, beta), power 0, power 1 and a zero
 * initial accumulator; (2) Keras's own expectations (ftrl_test.py: test_single_step, test_correctness_with_golden,
 * Keras's tolerances); (3) the power's accuracy against float64 Math.pow; (4) options, names, compile 'ftrl' and the
 * Keras config round trip; (5) exact resume from a checkpoint; (6) CPU vs WebGPU bits.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { exp32, log32 } from '../../../src/core/math/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { optimizerFromKerasConfig, optimizerToKerasConfig } from '../../../src/nn/saving/index.ts';
import { expectBitsEqual, expectClose, ulpDistance } from '../../util/compare.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';

const f = Math.fround;
const unavailable = await webgpuUnavailable();

beforeAll(async () => {
  await dt.setBackend('cpu');
});

interface Cfg {
  learningRate: number; learningRatePower: number; initialAccumulatorValue: number; l1RegularizationStrength: number;
  l2RegularizationStrength: number; l2ShrinkageRegularizationStrength: number; beta: number;
}
const DEFAULTS: Cfg = {
  learningRate: 0.001, learningRatePower: -0.5, initialAccumulatorValue: 0.1, l1RegularizationStrength: 0,
  l2RegularizationStrength: 0, l2ShrinkageRegularizationStrength: 0, beta: 0,
};

/** x^p in float32 as the implementation documents it: exact for 0, 0.5, 1, 2; else exp32(f32(log32(x) * p)). */
const powRef = (x: number, p: number): number => {
  if (p === 0) return 1;
  if (p === 0.5) return f(Math.sqrt(x));
  if (p === 1) return x;
  if (p === 2) return f(x * x);
  return exp32(f(log32(x) * p));
};

/**
 * Keras's update_step, one float32 rounding per op, in Keras's order:
 *   l2_reg = l2 + beta / (2.0 * lr); grad_to_use = g + 2 * shrinkage * var; new_accum = accum + square(g);
 *   linear += grad_to_use - ((new_accum^-lr_power - accum^-lr_power) / lr) * var;
 *   quadratic = new_accum^-lr_power / lr + 2 * l2_reg; var = (clip(linear, -l1, l1) - linear) / quadratic;
 *   accum = new_accum
 */
function refStep(c: Cfg, lr: number, g: Float32Array, w: Float32Array, acc: Float32Array, lin: Float32Array): void {
  const p = f(-c.learningRatePower);
  const l1 = f(c.l1RegularizationStrength);
  const l2Reg = f(f(c.l2RegularizationStrength) + f(f(c.beta) / f(2 * lr)));
  for (let i = 0; i < w.length; i++) {
    const gs = f(g[i] + f(f(2 * c.l2ShrinkageRegularizationStrength) * w[i]));
    const na = f(acc[i] + f(g[i] * g[i]));
    const sigma = f(f(powRef(na, p) - powRef(acc[i], p)) / lr);
    lin[i] = f(lin[i] + f(gs - f(sigma * w[i])));
    const quadratic = f(f(powRef(na, p) / lr) + f(2 * l2Reg));
    const v = lin[i];
    const clipped = v < -l1 ? f(-l1) : v > l1 ? l1 : v;
    w[i] = f(f(clipped - lin[i]) / quadratic);
    acc[i] = na;
  }
}

const W0 = Float32Array.from([1, -1, 0.5, 2, 0, 3e-4, -123.25]);
const GS = [
  [0.1, -0.2, 3, 1e-3, 0, -7.5, 1e-6],
  [0.05, 0.3, -1, 2e-3, 1e-8, 2.5, -40],
  [-0.4, 0.1, 0.5, 0, -1e-4, 1, 0.125],
  [0.2, 0.2, -0.3, 5, 0.25, -0.5, 3],
].map((g) => Float32Array.from(g));

/** Runs `opt` on W0 with GS; returns the variable and slots after each step. */
async function runSteps(opt: dt.optimizers.Optimizer): Promise<{ w: Float32Array; slots: Float32Array[] }[]> {
  const v = dt.variable(dt.tensor(W0), { name: 'w' });
  const out: { w: Float32Array; slots: Float32Array[] }[] = [];
  for (const gArr of GS) {
    const g = dt.tensor(gArr);
    opt.applyGradients([[g, v]]);
    g.dispose();
    out.push({ w: (await v.data()) as Float32Array, slots: await Promise.all(opt.variables().map(async (s) => (await s.data()) as Float32Array)) });
  }
  v.dispose();
  opt.dispose();
  return out;
}

const CASES: [string, Partial<Cfg>][] = [
  ['defaults, lr 0.05 (power 0.5: sqrt)', { learningRate: 0.05 }],
  ["Keras's golden configuration (power 0.2: exp(log(x) * p)), l1, l2, shrinkage, beta", {
    learningRate: 0.05, learningRatePower: -0.2, initialAccumulatorValue: 0.4, l1RegularizationStrength: 0.05,
    l2RegularizationStrength: 0.15, l2ShrinkageRegularizationStrength: 0.01, beta: 0.3,
  }],
  ['power 0 (a fixed learning rate), l2 0.1', { learningRate: 0.1, learningRatePower: 0, l2RegularizationStrength: 0.1 }],
  ['power 1, l1 0.5', { learningRate: 0.1, learningRatePower: -1, l1RegularizationStrength: 0.5 }],
  ['power 0.7, initial accumulator 0 (log(0) = -inf, exp(-inf) = 0), l2 0.1', {
    learningRate: 0.01, learningRatePower: -0.7, initialAccumulatorValue: 0, l2RegularizationStrength: 0.1,
  }],
];

describe('Ftrl equals a float32 emulation of Keras update_step, bit for bit', () => {
  it.each(CASES)('%s: 4 steps, variable and slots', async (_n, o) => {
    const c = { ...DEFAULTS, ...o };
    const opt = new dt.optimizers.Ftrl(o);
    const got = await runSteps(opt);
    const w = Float32Array.from(W0);
    const acc = new Float32Array(W0.length).fill(f(c.initialAccumulatorValue));
    const lin = new Float32Array(W0.length);
    for (let t = 0; t < GS.length; t++) {
      refStep(c, opt.currentLearningRate(t), GS[t], w, acc, lin);
      expectBitsEqual(got[t].w, w, `variable after step ${t + 1}`);
      expect(got[t].slots.length).toBe(2);
      expectBitsEqual(got[t].slots[0], acc, `accumulator after step ${t + 1}`);
      expectBitsEqual(got[t].slots[1], lin, `linear after step ${t + 1}`);
    }
    expect(got[GS.length - 1].w.some((x, i) => x !== W0[i])).toBe(true);
    expect(got[GS.length - 1].w.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('slots ftrl/<weight>_accumulator (initialAccumulatorValue) and ftrl/<weight>_linear (zeros)', async () => {
    const v = dt.variable(dt.zeros([2]), { name: 'd/kernel' });
    const o = new dt.optimizers.Ftrl({ initialAccumulatorValue: 0.3 });
    o.build([v]);
    expect(o.variables().map((s) => s.name)).toEqual(['ftrl/d/kernel_accumulator', 'ftrl/d/kernel_linear']);
    expect(Array.from((await o.variables()[0].data()) as Float32Array)).toEqual([f(0.3), f(0.3)]);
    expect(Array.from((await o.variables()[1].data()) as Float32Array)).toEqual([0, 0]);
    expect(o.slotsPerVariable).toBe(2);
    o.dispose();
    v.dispose();
  });
});

describe("Keras's test expectations (keras/src/optimizers/ftrl_test.py)", () => {
  it('test_single_step: lr 0.5, grads [1, 6, 7, 2] on [1, 2, 3, 4] give [0.2218, 1.3954, 2.3651, 2.8814] (1e-4)', async () => {
    const v = dt.variable(dt.tensor([1, 2, 3, 4]));
    const g = dt.tensor([1, 6, 7, 2]);
    const opt = new dt.optimizers.Ftrl({ learningRate: 0.5 });
    opt.applyGradients([[g, v]]);
    expectClose((await v.data()) as Float32Array, [0.2218, 1.3954, 2.3651, 2.8814], { rtol: 1e-4, atol: 1e-4 });
    dt.dispose([v, g]);
    opt.dispose();
  });

  it('test_correctness_with_golden: 5 steps of the golden configuration (5e-4)', async () => {
    const golden = [
      [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
      [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
      [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
      [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
      [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
    ];
    const opt = new dt.optimizers.Ftrl(CASES[1][1]);
    const x = dt.variable(dt.ones([10]));
    const grads = dt.tensor(Float32Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1)));
    const first = dt.fill([10], 0.01);
    opt.applyGradients([[first, x]]);
    for (let i = 0; i < 5; i++) {
      expectClose((await x.data()) as Float32Array, golden[i], { rtol: 5e-4, atol: 5e-4 }, `step ${i + 1}`);
      opt.applyGradients([[grads, x]]);
    }
    dt.dispose([x, grads, first]);
    opt.dispose();
  });
});

describe('the power of the accumulator against float64 Math.pow', () => {
  it('exp(log(x) * p) is within 1 + 1.5 |p ln x| ulp of f32(x^p) (p 0.2, 0.7, 1.5; x in [1e-3, 1e3]); sqrt (p = 0.5) is exact', async () => {
    const xs = Float32Array.from({ length: 4001 }, (_, i) => f(10 ** (-3 + (6 * i) / 4000)));
    const worst: Record<string, number> = {};
    for (const p of [0.2, 0.5, 0.7, 1.5]) {
      const pf = f(p);
      // One step from a zero accumulator, lr 1, no regularization, var 0: new_accum = g * g = x, linear = g,
      // quadratic = x^p, var = (0 - g) / x^p: the step's var shows the power Ftrl computed.
      const opt = new dt.optimizers.Ftrl({ learningRate: 1, learningRatePower: -p, initialAccumulatorValue: 0 });
      const v = dt.variable(dt.zeros([xs.length]));
      const g = dt.tensor(Float32Array.from(xs, (x) => f(Math.sqrt(x))));
      opt.applyGradients([[g, v]]);
      const acc = (await opt.variables()[0].data()) as Float32Array;
      const w = (await v.data()) as Float32Array;
      const gv = (await g.data()) as Float32Array;
      let m = 0;
      for (let i = 0; i < xs.length; i++) {
        const got = powRef(acc[i], pf);
        expect(Object.is(w[i], f(-gv[i] / got)), `x=${acc[i]} p=${p}`).toBe(true);
        const u = ulpDistance(got, f(Math.pow(acc[i], pf)));
        // log32's error and the product's rounding are multiplied by |p ln x| in the result.
        if (p !== 0.5) expect(u, `x=${acc[i]} p=${p}`).toBeLessThanOrEqual(1 + 1.5 * Math.abs(pf * Math.log(acc[i])));
        m = Math.max(m, u);
      }
      worst[p] = m;
      dt.dispose([v, g]);
      opt.dispose();
    }
    expect(worst[0.5]).toBe(0);
    // Measured: p 0.2: 2 ulp, 0.7: 6, 1.5: 14 (|p ln x| up to 1.4, 4.8, 10.4).
    expect(worst).toEqual({ 0.2: 2, 0.5: 0, 0.7: 6, 1.5: 14 });
  });
});

describe('options, compile name and the Keras config', () => {
  it("Keras's defaults, getConfig, and clear errors for bad values", () => {
    expect(new dt.optimizers.Ftrl().getConfig()).toEqual({
      name: 'Ftrl', learningRate: 0.001, learningRatePower: -0.5, initialAccumulatorValue: 0.1, l1RegularizationStrength: 0,
      l2RegularizationStrength: 0, l2ShrinkageRegularizationStrength: 0, beta: 0,
    });
    expect(() => new dt.optimizers.Ftrl({ learningRatePower: 0.5 })).toThrow(/^Ftrl: expected learningRatePower <= 0\. Received: learningRatePower=0\.5/);
    expect(() => new dt.optimizers.Ftrl({ initialAccumulatorValue: -1 })).toThrow(/^Ftrl: expected initialAccumulatorValue >= 0/);
    expect(() => new dt.optimizers.Ftrl({ l1RegularizationStrength: -1 })).toThrow(/^Ftrl: expected l1RegularizationStrength >= 0/);
    expect(() => new dt.optimizers.Ftrl({ l2RegularizationStrength: -1 })).toThrow(/^Ftrl: expected l2RegularizationStrength >= 0/);
    expect(() => new dt.optimizers.Ftrl({ l2ShrinkageRegularizationStrength: -1 })).toThrow(/^Ftrl: expected l2ShrinkageRegularizationStrength >= 0/);
    expect(() => new dt.optimizers.Ftrl({ beta: Number.NaN })).toThrow(/^Ftrl: expected beta to be a finite number/);
    expect(() => new dt.optimizers.Ftrl({ l1: 0.1 } as never)).toThrow(/^Ftrl: unrecognized options \{l1\}/);
  });

  it("compile takes 'ftrl' (case-insensitive) with Keras's defaults", () => {
    const m = new dt.Sequential([new dt.layers.Dense(1, { inputShape: [2] })]);
    m.compile({ optimizer: 'FTRL', loss: 'mse' });
    expect(m.compiled!.optimizer).toBeInstanceOf(dt.optimizers.Ftrl);
    expect(m.compiled!.optimizer.getConfig()).toEqual(new dt.optimizers.Ftrl().getConfig());
    m.dispose();
  });

  it("round-trips through Keras's config (ftrl_test.py test_config's values) and reads Keras's own", () => {
    const opt = new dt.optimizers.Ftrl({ ...CASES[1][1], clipnorm: 1 });
    const k = optimizerToKerasConfig(opt);
    expect(k.class_name).toBe('Ftrl');
    expect(k.config).toMatchObject({
      name: 'ftrl', learning_rate: f(0.05), learning_rate_power: -0.2, initial_accumulator_value: 0.4, l1_regularization_strength: 0.05,
      l2_regularization_strength: 0.15, l2_shrinkage_regularization_strength: 0.01, beta: 0.3, clipnorm: 1,
    });
    const back = optimizerFromKerasConfig(JSON.parse(JSON.stringify(k)));
    expect(back).toBeInstanceOf(dt.optimizers.Ftrl);
    expect(back.getConfig()).toEqual({ ...opt.getConfig(), learningRate: f(0.05) });
    // As Keras 3 writes it (keras.optimizers.serialize(keras.optimizers.Ftrl())).
    const keras = {
      module: 'keras.optimizers', class_name: 'Ftrl', registered_name: null, config: {
        name: 'ftrl', learning_rate: 0.0010000000474974513, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null,
        use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null,
        learning_rate_power: -0.5, initial_accumulator_value: 0.1, l1_regularization_strength: 0.0, l2_regularization_strength: 0.0,
        l2_shrinkage_regularization_strength: 0.0, beta: 0.0,
      },
    };
    expect(optimizerFromKerasConfig(keras).getConfig()).toEqual({ ...new dt.optimizers.Ftrl().getConfig(), learningRate: 0.0010000000474974513 });
    expect(() => optimizerFromKerasConfig({ ...keras, config: { ...keras.config, learning_rate_power: 0.5 } })).toThrow(/cannot build Ftrl: Ftrl: expected learningRatePower <= 0/);
  });
});

describe('resume restores the accumulators and linears exactly', () => {
  const root = mkdtempSync(join(tmpdir(), 'ditto-ftrl-resume-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const x = dt.tensor(Float32Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.37)), [12, 4]);
  const y = dt.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.21)), [12, 2]);
  const make = () => new dt.optimizers.Ftrl({ learningRate: 0.05, learningRatePower: -0.3, l1RegularizationStrength: 0.001, l2RegularizationStrength: 0.01, beta: 0.1 });
  const program = () => {
    resetNames();
    dt.utils.setRandomSeed(99);
    const model = new dt.Sequential([new dt.layers.Dense(5, { activation: 'tanh' }), new dt.layers.Dense(2)]);
    model.compile({ optimizer: make(), loss: 'mse' });
    const train = dt.data.Dataset.fromTensorSlices([x, y]).batch(4); // 3 steps per epoch
    return { model, fit: (o: Partial<dt.FitOptions> = {}) => model.fit(train, { epochs: 2, verbose: 0, ...o }) };
  };

  it('a fit interrupted after step 3 and resumed ends with the uninterrupted run\'s weights, bit for bit', async () => {
    const a = program();
    await a.fit();
    const expected = { weights: await dt.utils.weightsDigest(a.model), iterations: a.model.compiled!.optimizer.iterations };
    a.model.dispose();

    const dir = join(root, 'ftrl');
    const b = program();
    await b.fit({ checkpoint: { dir, everySteps: 1, keep: 10 } });
    b.model.dispose();
    for (const c of readdirSync(dir)) if (Number(c.slice(5)) > 3) rmSync(join(dir, c), { recursive: true });
    expect(readdirSync(dir).sort().at(-1)).toBe('ckpt-000000003');

    const c = program();
    await c.fit({ resumeFrom: dir });
    expect({ weights: await dt.utils.weightsDigest(c.model), iterations: c.model.compiled!.optimizer.iterations }).toEqual(expected);
    expect(expected.iterations).toBe(6);
    c.model.dispose();
  }, 60_000);
});

describe('CPU and WebGPU give the same bits', () => {
  itWebGpu('every case for 4 steps: variable, accumulator and linear', unavailable, async () => {
    const cpu: { w: Float32Array; slots: Float32Array[] }[][] = [];
    for (const [, o] of CASES) cpu.push(await runSteps(new dt.optimizers.Ftrl(o)));
    await dt.setBackend('webgpu');
    try {
      for (let k = 0; k < CASES.length; k++) {
        const got = await runSteps(new dt.optimizers.Ftrl(CASES[k][1]));
        got.forEach((s, t) => {
          expectBitsEqual(s.w, cpu[k][t].w, `${CASES[k][0]} variable step ${t + 1}`);
          s.slots.forEach((x, j) => expectBitsEqual(x, cpu[k][t].slots[j], `${CASES[k][0]} slot ${j} step ${t + 1}`));
        });
      }
    } finally {
      await dt.setBackend('cpu');
    }
  }, 120_000);
});
