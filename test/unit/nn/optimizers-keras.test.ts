/**
 * The Keras 3 optimizers (RMSprop, Adam with amsgrad, AdamW, Adamax, Nadam, Adagrad, Adadelta, Lion,
 * SGD): (1) bit for bit against a float32 emulation (Math.fround at every step) of Keras's
 * update_step, quoted from keras/src/optimizers/*.py, for 4 steps on golden inputs, variable and
 * slots; (2) against Keras's own test expectations (keras/src/optimizers/*_test.py single-step and
 * golden values, Keras's tolerance 1e-4 / 5e-4); (3) the base options: weight decay (with
 * exclusions), clipnorm, clipvalue, globalClipnorm, gradient accumulation, EMA; (4) option errors
 * and the Keras names in compile; (5) fit twice gives the same weightsDigest for each optimizer;
 * (6) CPU vs WebGPU bits; (7) 1 vs 2 CPU threads bits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectBitsEqual, expectClose } from '../../util/compare.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { parallelJobCount, setParallelMinWork } from '../../../src/kernels/cpu/thread-pool.ts';

const f = Math.fround;
const unavailable = await webgpuUnavailable();

beforeAll(async () => {
  await dt.setBackend('cpu');
});

/** x^n, exact float64 product (binary exponentiation, as the implementation), rounded to float32. */
const pw = (x: number, n: number): number => {
  let r = 1;
  let b = x;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r *= b;
    b *= b;
  }
  return f(r);
};

type Slots = Float32Array[];
/** One reference step: updates w and the slots in place, element by element; t = step from 1; lr float32. */
type RefStep = (t: number, lr: number, g: Float32Array, w: Float32Array, s: Slots) => void;

const each = (n: number, fn: (i: number) => void): void => { for (let i = 0; i < n; i++) fn(i); };

// ---- Reference update rules: Keras's update_step, one float32 rounding per op, in Keras's order.
const REF: Record<string, { make: () => dt.optimizers.Optimizer; slots: number; init?: number; step: RefStep }> = {
  // rmsprop.py (centered, momentum): velocity = rho*velocity + (1-rho)*square(g); average_grad = rho*avg + (1-rho)*g;
  // denominator = velocity - square(average_grad) + epsilon; increment = lr*g / sqrt(denominator);
  // momentum = momentum*m + increment; variable -= momentum
  'RMSprop centered + momentum': {
    make: () => new dt.optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
    slots: 3,
    step: (_t, lr, g, w, [vel, mom, avg]) => each(w.length, (i) => {
      vel[i] = f(f(f(0.9) * vel[i]) + f(f(1 - 0.9) * f(g[i] * g[i])));
      avg[i] = f(f(f(0.9) * avg[i]) + f(f(1 - 0.9) * g[i]));
      const den = f(f(vel[i] - f(avg[i] * avg[i])) + f(1e-7));
      const inc = f(f(lr * g[i]) / f(Math.sqrt(den)));
      mom[i] = f(f(f(0.5) * mom[i]) + inc);
      w[i] = f(w[i] - mom[i]);
    }),
  },
  // rmsprop.py (plain): denominator = velocity + epsilon; variable -= increment
  RMSprop: {
    make: () => new dt.optimizers.RMSprop(),
    slots: 1,
    step: (_t, lr, g, w, [vel]) => each(w.length, (i) => {
      vel[i] = f(f(f(0.9) * vel[i]) + f(f(1 - 0.9) * f(g[i] * g[i])));
      w[i] = f(w[i] - f(f(lr * g[i]) / f(Math.sqrt(f(vel[i] + f(1e-7))))));
    }),
  },
  // adam.py (amsgrad): m += (g - m)*(1 - beta_1); v += (square(g) - v)*(1 - beta_2); v_hat = maximum(v_hat, v);
  // alpha = lr*sqrt(1 - beta_2_power)/(1 - beta_1_power); variable -= m*alpha / (sqrt(v_hat) + epsilon)
  'Adam amsgrad': {
    make: () => new dt.optimizers.Adam({ learningRate: 0.01, amsgrad: true }),
    slots: 3,
    step: (t, lr, g, w, [m, v, vh]) => {
      const alpha = f(f(lr * f(Math.sqrt(f(1 - pw(f(0.999), t))))) / f(1 - pw(f(0.9), t)));
      each(w.length, (i) => {
        m[i] = f(m[i] + f(f(g[i] - m[i]) * f(1 - 0.9)));
        v[i] = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * f(1 - 0.999)));
        vh[i] = Math.max(vh[i], v[i]);
        w[i] = f(w[i] - f(f(m[i] * alpha) / f(f(Math.sqrt(vh[i])) + f(1e-7))));
      });
    },
  },
  // adamw.py = adam.py after base_optimizer._apply_weight_decay: variable = variable - variable*wd*lr
  AdamW: {
    make: () => new dt.optimizers.AdamW({ learningRate: 0.01 }),
    slots: 2,
    step: (t, lr, g, w, [m, v]) => {
      const alpha = f(f(lr * f(Math.sqrt(f(1 - pw(f(0.999), t))))) / f(1 - pw(f(0.9), t)));
      each(w.length, (i) => {
        w[i] = f(w[i] - f(f(w[i] * f(0.004)) * lr));
        m[i] = f(m[i] + f(f(g[i] - m[i]) * f(1 - 0.9)));
        v[i] = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * f(1 - 0.999)));
        w[i] = f(w[i] - f(f(m[i] * alpha) / f(f(Math.sqrt(v[i])) + f(1e-7))));
      });
    },
  },
  // adamax.py: m += (g - m)*(1 - beta_1); u = maximum(beta_2*u, abs(g));
  // variable -= lr*m / ((1 - beta_1_power)*(u + epsilon))
  Adamax: {
    make: () => new dt.optimizers.Adamax({ learningRate: 0.01 }),
    slots: 2,
    step: (t, lr, g, w, [m, u]) => {
      const b1p = pw(f(0.9), t);
      each(w.length, (i) => {
        m[i] = f(m[i] + f(f(g[i] - m[i]) * f(1 - 0.9)));
        u[i] = Math.max(f(f(0.999) * u[i]), Math.abs(g[i]));
        w[i] = f(w[i] - f(f(lr * m[i]) / f(f(1 - b1p) * f(u[i] + f(1e-7)))));
      });
    },
  },
  // nadam.py: u_product = u_product*beta_1*(1 - 0.5*0.96^t) (before the step); u_t = beta_1*(1 - 0.5*decay^t);
  // u_t_1 = beta_1*(1 - 0.5*decay^(t+1)); u_product_t_1 = u_product_t*u_t_1; m += (g - m)*(1 - beta_1);
  // v += (square(g) - v)*(1 - beta_2); m_hat = u_t_1*m/(1 - u_product_t_1) + (1 - u_t)*g/(1 - u_product_t);
  // v_hat = v/(1 - beta_2_power); variable -= m_hat*lr / (sqrt(v_hat) + epsilon)
  Nadam: {
    make: () => new dt.optimizers.Nadam({ learningRate: 0.01 }),
    slots: 2,
    step: (() => {
      let prod = 1;
      return (t: number, lr: number, g: Float32Array, w: Float32Array, [m, v]: Slots) => {
        if (t === 1) prod = 1;
        const b1 = f(0.9);
        const b2 = f(0.999);
        prod = f(f(prod * b1) * f(1 - f(0.5 * pw(f(0.96), t))));
        const ut = f(b1 * f(1 - f(0.5 * pw(f(0.96), t))));
        const ut1 = f(b1 * f(1 - f(0.5 * pw(f(0.96), t + 1))));
        const prod1 = f(prod * ut1);
        each(w.length, (i) => {
          m[i] = f(m[i] + f(f(g[i] - m[i]) * f(1 - b1)));
          v[i] = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * f(1 - b2)));
          const mHat = f(f(f(ut1 * m[i]) / f(1 - prod1)) + f(f(f(1 - ut) * g[i]) / f(1 - prod)));
          const vHat = f(v[i] / f(1 - pw(b2, t)));
          w[i] = f(w[i] - f(f(mHat * lr) / f(f(Math.sqrt(vHat)) + f(1e-7))));
        });
      };
    })(),
  },
  // adagrad.py: accumulator += square(g); variable -= lr*g / sqrt(accumulator + epsilon)
  Adagrad: {
    make: () => new dt.optimizers.Adagrad({ learningRate: 0.01 }),
    slots: 1,
    init: 0.1,
    step: (_t, lr, g, w, [acc]) => each(w.length, (i) => {
      acc[i] = f(acc[i] + f(g[i] * g[i]));
      w[i] = f(w[i] - f(f(lr * g[i]) / f(Math.sqrt(f(acc[i] + f(1e-7))))));
    }),
  },
  // adadelta.py: acc_g = rho*acc_g + (1-rho)*square(g); delta = -(rms(acc_d)*g / rms(acc_g));
  // acc_d = rho*acc_d + (1-rho)*square(delta); variable += lr*delta; rms(x) = sqrt(x + epsilon)
  Adadelta: {
    make: () => new dt.optimizers.Adadelta({ learningRate: 1 }),
    slots: 2,
    step: (_t, lr, g, w, [ag, ad]) => each(w.length, (i) => {
      const rms = (x: number): number => f(Math.sqrt(f(x + f(1e-7))));
      ag[i] = f(f(f(0.95) * ag[i]) + f(f(1 - 0.95) * f(g[i] * g[i])));
      const d = -f(f(rms(ad[i]) * g[i]) / rms(ag[i]));
      ad[i] = f(f(f(0.95) * ad[i]) + f(f(1 - 0.95) * f(d * d)));
      w[i] = f(w[i] + f(lr * d));
    }),
  },
  // lion.py: variable -= lr*sign(m*beta_1 + g*(1 - beta_1)); m = m*beta_2 + g*(1 - beta_2) (betas cast first)
  Lion: {
    make: () => new dt.optimizers.Lion({ learningRate: 0.01 }),
    slots: 1,
    step: (_t, lr, g, w, [m]) => each(w.length, (i) => {
      const b1 = f(0.9);
      const b2 = f(0.99);
      w[i] = f(w[i] - f(lr * Math.sign(f(f(m[i] * b1) + f(g[i] * f(1 - b1))))));
      m[i] = f(f(m[i] * b2) + f(g[i] * f(1 - b2)));
    }),
  },
  // sgd.py (nesterov): m = m*momentum - g*lr; variable += m*momentum - g*lr
  'SGD nesterov': {
    make: () => new dt.optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    slots: 1,
    step: (_t, lr, g, w, [m]) => each(w.length, (i) => {
      const gl = f(g[i] * lr);
      m[i] = f(f(m[i] * f(0.9)) - gl);
      w[i] = f(w[i] + f(f(m[i] * f(0.9)) - gl));
    }),
  },
};

const W0 = Float32Array.from([1, -1, 0.5, 2, 0, 3e-4, -123.25]);
const GS = [
  [0.1, -0.2, 3, 1e-3, 0, -7.5, 1e-6],
  [0.05, 0.3, -1, 2e-3, 1e-8, 2.5, -40],
  [-0.4, 0.1, 0.5, 0, -1e-4, 1, 0.125],
  [0.2, 0.2, -0.3, 5, 0.25, -0.5, 3],
].map((g) => Float32Array.from(g));

/** Runs `opt` on W0 with GS; returns the variable and slots after each step. */
async function runSteps(opt: dt.optimizers.Optimizer, steps = GS.length): Promise<{ w: Float32Array; slots: Float32Array[] }[]> {
  const v = dt.variable(dt.tensor(W0), { name: 'w' });
  const out: { w: Float32Array; slots: Float32Array[] }[] = [];
  for (let t = 0; t < steps; t++) {
    const g = dt.tensor(GS[t]);
    opt.applyGradients([[g, v]]);
    g.dispose();
    out.push({ w: (await v.data()) as Float32Array, slots: await Promise.all(opt.variables().map(async (s) => (await s.data()) as Float32Array)) });
  }
  v.dispose();
  opt.dispose();
  return out;
}

describe('each optimizer equals a float32 emulation of its Keras update_step, bit for bit', () => {
  for (const [name, r] of Object.entries(REF)) {
    it(`${name}: 4 steps, variable and slots`, async () => {
      const opt = r.make();
      const got = await runSteps(opt);
      const w = Float32Array.from(W0);
      const slots = Array.from({ length: r.slots }, () => new Float32Array(W0.length).fill(f(r.init ?? 0)));
      for (let t = 1; t <= GS.length; t++) {
        r.step(t, opt.currentLearningRate(t - 1), GS[t - 1], w, slots);
        expectBitsEqual(got[t - 1].w, w, `${name} variable after step ${t}`);
        expect(got[t - 1].slots.length).toBe(r.slots);
        slots.forEach((s, k) => expectBitsEqual(got[t - 1].slots[k], s, `${name} slot ${k} after step ${t}`));
      }
      // The update moved the weights (the comparison is not between two unchanged arrays).
      expect(got[GS.length - 1].w.some((x, i) => x !== W0[i])).toBe(true);
    });
  }

  it('slot names follow the variable (<optimizer>/<weight>_<slot>)', () => {
    const v = dt.variable(dt.zeros([2]), { name: 'd/kernel' });
    const names = (o: dt.optimizers.Optimizer): string[] => { o.build([v]); const n = o.variables().map((s) => s.name); o.dispose(); return n; };
    expect(names(new dt.optimizers.RMSprop({ momentum: 0.1, centered: true }))).toEqual(['rmsprop/d/kernel_velocity', 'rmsprop/d/kernel_momentum', 'rmsprop/d/kernel_average_gradient']);
    expect(names(new dt.optimizers.Adam({ amsgrad: true }))).toEqual(['adam/d/kernel_momentum', 'adam/d/kernel_velocity', 'adam/d/kernel_velocity_hat']);
    expect(names(new dt.optimizers.AdamW())).toEqual(['adamw/d/kernel_momentum', 'adamw/d/kernel_velocity']);
    expect(names(new dt.optimizers.Adamax())).toEqual(['adamax/d/kernel_momentum', 'adamax/d/kernel_norm']);
    expect(names(new dt.optimizers.Adagrad())).toEqual(['adagrad/d/kernel_accumulator']);
    expect(names(new dt.optimizers.Adadelta())).toEqual(['adadelta/d/kernel_accumulated_grad', 'adadelta/d/kernel_accumulated_delta_var']);
    expect(names(new dt.optimizers.Lion({ useEma: true, gradientAccumulationSteps: 2 }))).toEqual(['lion/d/kernel_momentum', 'lion/d/kernel_average', 'lion/d/kernel_gradient_accumulator']);
    v.dispose();
  });
});

/** Keras's own expectations, from keras/src/optimizers/<name>_test.py. */
/** Keras `_apply_weight_decay` with lr 1, wd 0.004 (the update itself is zero for zero gradients). */
const f32Decay = (w: number): number => f(w - f(f(w * f(0.004)) * 1));

describe("Keras's test expectations (keras/src/optimizers/*_test.py)", () => {
  const single: [string, () => dt.optimizers.Optimizer, number[]][] = [
    ['RMSprop', () => new dt.optimizers.RMSprop({ learningRate: 0.5 }), [-0.5811, 0.4189, 1.4189, 2.4189]],
    ['AdamW', () => new dt.optimizers.AdamW({ learningRate: 0.5 }), [0.498, 1.496, 2.494, 3.492]],
    ['Adamax', () => new dt.optimizers.Adamax({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
    ['Nadam', () => new dt.optimizers.Nadam({ learningRate: 0.5 }), [0.4686, 1.4686, 2.4686, 3.4686]],
    ['Adagrad', () => new dt.optimizers.Adagrad({ learningRate: 0.5 }), [0.5233, 1.5007, 2.5005, 3.5061]],
    ['Adadelta', () => new dt.optimizers.Adadelta({ learningRate: 0.5 }), [0.9993, 1.9993, 2.9993, 3.9993]],
    ['Lion', () => new dt.optimizers.Lion({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
  ];
  it.each(single)('%s test_single_step (grads [1, 6, 7, 2] on [1, 2, 3, 4])', async (_n, make, want) => {
    const v = dt.variable(dt.tensor([1, 2, 3, 4]));
    const g = dt.tensor([1, 6, 7, 2]);
    const opt = make();
    opt.applyGradients([[g, v]]);
    expectClose((await v.data()) as Float32Array, want, { rtol: 1e-4, atol: 1e-4 });
    dt.dispose([v, g]);
    opt.dispose();
  });

  const tile = (rows: number[]): number[][] => rows.map((r) => Array(10).fill(r));
  const golden: [string, () => dt.optimizers.Optimizer, number[][]][] = [
    ['RMSprop centered', () => new dt.optimizers.RMSprop({ centered: true }), tile([0.9967, 0.9933, 0.9908, 0.9885, 0.9864])],
    ['AdamW', () => new dt.optimizers.AdamW({ learningRate: 1, weightDecay: 0.5, epsilon: 2 }), [
      [0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998],
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159]]],
    ['Adamax', () => new dt.optimizers.Adamax({ learningRate: 0.2, beta1: 0.85, beta2: 0.95, epsilon: 1e-6 }), [
      [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126]]],
    ['Nadam', () => new dt.optimizers.Nadam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5 }), [
      [0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281],
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454]]],
    ['Adagrad', () => new dt.optimizers.Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.3, epsilon: 1e-6 }), [
      [0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963],
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825]]],
    ['Adadelta', () => new dt.optimizers.Adadelta({ learningRate: 1, rho: 0.8, epsilon: 1e-6 }), tile([0.9978, 0.9947, 0.9915, 0.9882, 0.9849])],
    ['Lion', () => new dt.optimizers.Lion(), tile([0.999, 0.998, 0.997, 0.996, 0.995])],
  ];
  it.each(golden)('%s test_correctness_with_golden (first grads 0.01, then arange(0.1, 1.1, 0.1))', async (_n, make, want) => {
    const opt = make();
    const x = dt.variable(dt.ones([10]));
    const first = dt.fill([10], 0.01);
    const grads = dt.tensor(Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1)));
    opt.applyGradients([[first, x]]);
    for (let i = 0; i < 5; i++) {
      expectClose((await x.data()) as Float32Array, want[i], { rtol: 5e-4, atol: 5e-4 }, `row ${i}`);
      opt.applyGradients([[grads, x]]);
    }
    dt.dispose([x, first, grads]);
    opt.dispose();
  });

  it('test_weight_decay: three decays of 2 with lr 1 and wd 0.004 give 1.9760959; excluded variables stay', async () => {
    for (const make of [
      (o: { learningRate: number; weightDecay: number }) => new dt.optimizers.RMSprop(o),
      (o: { learningRate: number; weightDecay: number }) => new dt.optimizers.AdamW(o),
      (o: { learningRate: number; weightDecay: number }) => new dt.optimizers.Nadam(o),
      (o: { learningRate: number; weightDecay: number }) => new dt.optimizers.Lion(o),
      (o: { learningRate: number; weightDecay: number }) => new dt.optimizers.Adagrad(o),
    ]) {
      const zero = dt.zeros([]);
      const [v1, v2, v3] = [dt.variable(dt.scalar(2)), dt.variable(dt.scalar(2), { name: 'exclude' }), dt.variable(dt.scalar(2))];
      const o = { learningRate: 1, weightDecay: 0.004 };
      const o1 = make(o);
      o1.applyGradients([[zero, v1]]);
      const o2 = make(o);
      o2.excludeFromWeightDecay({ varNames: ['exclude'] });
      o2.applyGradients([[zero, v1], [zero, v2]]);
      const o3 = make(o);
      o3.excludeFromWeightDecay({ varList: [v3] });
      o3.applyGradients([[zero, v1], [zero, v3]]);
      expect((await v1.data())[0]).toBeCloseTo(1.9760959, 6);
      expect((await v1.data())[0]).toBe(f32Decay(f32Decay(f32Decay(2))));
      expect((await v2.data())[0]).toBe(2);
      expect((await v3.data())[0]).toBe(2);
      dt.dispose([zero, v1, v2, v3]);
      for (const x of [o1, o2, o3]) x.dispose();
    }
  });
});

describe('base options: clipping, weight decay, accumulation, EMA', () => {
  /** One SGD(lr 1) step from zero weights: the weights are minus the processed gradients. */
  async function processed(o: dt.optimizers.SGDOptions, gs: number[][]): Promise<Float32Array[]> {
    const vars = gs.map((g) => dt.variable(dt.zeros([g.length])));
    const gt = gs.map((g) => dt.tensor(g));
    const opt = new dt.optimizers.SGD({ learningRate: 1, ...o });
    opt.applyGradients(gt.map((g, i) => [g, vars[i]] as const));
    const out = await Promise.all(vars.map(async (v) => ((await v.data()) as Float32Array).map((x) => 0 - x)));
    dt.dispose([...vars, ...gt]);
    return out;
  }

  it('clipnorm: g * c / max(norm(g), c) per tensor (Keras test_clip_norm: [100, 100] -> [sqrt(2)/2] * 2)', async () => {
    const [a, b] = await processed({ clipnorm: 1 }, [[100, 100], [0.3, 0.4]]);
    expectClose(a, [Math.SQRT1_2, Math.SQRT1_2], { rtol: 1e-6, atol: 0 });
    const n = f(Math.sqrt(f(f(10000 + 10000))));
    expectBitsEqual(a, Float32Array.from([f(f(100 * 1) / n), f(f(100 * 1) / n)]));
    expectBitsEqual(b, Float32Array.from([0.3, 0.4])); // norm 0.5 < 1: unchanged (g * 1 / 1)
    const [z] = await processed({ clipnorm: 1 }, [[0, 0]]);
    expect([...z]).toEqual([0, 0]); // a zero gradient stays zero (no NaN)
  });

  it('globalClipnorm: all gradients scaled by c / global norm when it exceeds c', async () => {
    const [a, b] = await processed({ globalClipnorm: 2.5 }, [[3, 0], [0, 4]]); // global norm 5
    expectBitsEqual(a, Float32Array.from([f(3 * f(f(1 / 5) * 2.5)), 0]));
    expectBitsEqual(b, Float32Array.from([0, f(4 * f(f(1 / 5) * 2.5))]));
    expectClose(a, [1.5, 0], { rtol: 1e-6, atol: 0 });
    const [c] = await processed({ globalClipnorm: 10 }, [[3, 4]]);
    expectClose(c, [3, 4], { rtol: 1e-6, atol: 0 }); // under the limit: scale clipnorm * min(1/norm, 1/clipnorm) = 1
  });

  it('clipvalue: each element clipped to [-v, v] (Keras test_clip_value)', async () => {
    const [a] = await processed({ clipvalue: 1 }, [[100, -100, 0.5]]);
    expect([...a]).toEqual([1, -1, 0.5]);
  });

  it('weightDecay on any optimizer: var - var * wd * lr before the update', async () => {
    const [a] = await processed({ weightDecay: 0.1 }, [[0, 0]]);
    expect([...a]).toEqual([0, 0]); // zero weights stay zero
    const v = dt.variable(dt.tensor([2, -4]));
    const g = dt.tensor([0.5, 0.5]);
    const opt = new dt.optimizers.SGD({ learningRate: 0.1, weightDecay: 0.2 });
    opt.applyGradients([[g, v]]);
    const lr = f(0.1);
    expectBitsEqual((await v.data()) as Float32Array, Float32Array.from([2, -4].map((w) => f(f(w - f(f(w * f(0.2)) * lr)) - f(0.5 * lr)))));
    dt.dispose([v, g]);
  });

  it('gradientAccumulationSteps: updates every k calls with the mean gradient; iterations and schedules count calls', async () => {
    const v = dt.variable(dt.tensor([1, 1]));
    const opt = new dt.optimizers.Adam({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const ref = new dt.optimizers.Adam({ learningRate: 0.1 });
    const r = dt.variable(dt.tensor([1, 1]));
    const g1 = dt.tensor([0.5, -2]);
    const g2 = dt.tensor([1.5, 1]);
    opt.applyGradients([[g1, v]]);
    expect([...((await v.data()) as Float32Array)]).toEqual([1, 1]);
    expect(opt.iterations).toBe(1);
    expect(opt.updateIterations).toBe(0);
    opt.applyGradients([[g2, v]]);
    const mean = dt.div(dt.add(g2, g1), 2);
    ref.applyGradients([[mean, r]]);
    expectBitsEqual((await v.data()) as Float32Array, (await r.data()) as Float32Array);
    expect([opt.iterations, opt.updateIterations]).toEqual([2, 1]);
    expect([...((await opt.variables()[2].data()) as Float32Array)]).toEqual([0, 0]); // accumulator reset
    // The second update is Adam's step 2 (bias correction by update count), as Keras's.
    opt.applyGradients([[g1, v]]);
    opt.applyGradients([[g1, v]]);
    const m2 = dt.div(dt.add(g1, g1), 2);
    ref.applyGradients([[m2, r]]);
    expectBitsEqual((await v.data()) as Float32Array, (await r.data()) as Float32Array);
    dt.dispose([v, r, g1, g2, mean, m2]);
    opt.dispose();
    ref.dispose();
  });

  it('useEma: avg = m * avg + (1 - m) * var after each call (m = 0 first); overwrite every emaOverwriteFrequency', async () => {
    const v = dt.variable(dt.tensor([1, 2]));
    const g = dt.tensor([1, 1]);
    const opt = new dt.optimizers.SGD({ learningRate: 0.5, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 });
    const w = [1, 2];
    let avg = [0, 0];
    for (let t = 0; t < 3; t++) {
      opt.applyGradients([[g, v]]);
      for (let i = 0; i < 2; i++) w[i] = f(w[i] - f(1 * f(0.5)));
      const m = t === 0 ? 0 : f(0.9);
      avg = avg.map((a, i) => f(f(a * m) + f(w[i] * f(1 - m))));
      if (t < 2) expect([...((await v.data()) as Float32Array)]).toEqual(w);
      expect([...((await opt.variables()[0].data()) as Float32Array)]).toEqual(avg);
    }
    expect([...((await v.data()) as Float32Array)]).toEqual(avg); // third update: overwritten with the average
    const noOverwrite = new dt.optimizers.SGD({ learningRate: 0.5, useEma: true });
    const u = dt.variable(dt.tensor([1, 2]));
    noOverwrite.applyGradients([[g, u]]);
    noOverwrite.applyGradients([[g, u]]);
    expect([...((await u.data()) as Float32Array)]).toEqual([0, 1]);
    noOverwrite.finalizeVariableValues([u]);
    expect([...((await u.data()) as Float32Array)]).toEqual([f(f(0.5 * f(0.99)) + f(0 * f(1 - f(0.99)))), f(f(1.5 * f(0.99)) + f(1 * f(1 - f(0.99))))]);
    dt.dispose([v, g, u]);
    opt.dispose();
    noOverwrite.dispose();
  });
});

describe('option errors and names', () => {
  it('unknown keys, conflicting clips and out-of-range values are clear errors', () => {
    expect(() => new dt.optimizers.RMSprop({ learning_rate: 0.1 } as never)).toThrow(/^RMSprop: .*learning_rate/);
    expect(() => new dt.optimizers.Adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/^Adam: expected only one of clipnorm, clipvalue and globalClipnorm\. Received: clipnorm=1, clipvalue=1/);
    expect(() => new dt.optimizers.RMSprop({ rho: 1.5 })).toThrow(/^RMSprop: expected rho in \[0, 1\]\. Received: rho=1.5/);
    expect(() => new dt.optimizers.RMSprop({ epsilon: -1 })).toThrow(/^RMSprop: expected epsilon >= 0/);
    expect(() => new dt.optimizers.Lion({ beta1: 0 })).toThrow(/^Lion: expected beta1 in \(0, 1\]/);
    expect(() => new dt.optimizers.Nadam({ beta2: 1 })).toThrow(/^Nadam: expected beta2 in \[0, 1\)/);
    expect(() => new dt.optimizers.Adagrad({ initialAccumulatorValue: -0.1 })).toThrow(/^Adagrad: expected initialAccumulatorValue >= 0/);
    expect(() => new dt.optimizers.AdamW({ weightDecay: null as never })).toThrow(/^AdamW: expected weightDecay to be a number\. Received: weightDecay=null/);
    expect(() => new dt.optimizers.SGD({ weightDecay: -1 })).toThrow(/^SGD: expected weightDecay to be a finite number >= 0/);
    expect(() => new dt.optimizers.SGD({ gradientAccumulationSteps: 1 })).toThrow(/^SGD: expected gradientAccumulationSteps to be an integer >= 2\. Received: gradientAccumulationSteps=1/);
    expect(() => new dt.optimizers.SGD({ useEma: true, emaMomentum: 2 })).toThrow(/^SGD: expected emaMomentum in \[0, 1\]/);
    expect(() => new dt.optimizers.SGD({ emaOverwriteFrequency: 0.5 })).toThrow(/^SGD: expected emaOverwriteFrequency to be an integer >= 1/);
    expect(() => new dt.optimizers.Adamax({ learningRate: -1 })).toThrow(/^Adamax: expected a positive finite learningRate\. Received: learningRate=-1/);
    expect(() => new dt.optimizers.Adam({ amsgrad: 1 as never })).toThrow(/^Adam: expected amsgrad to be a boolean/);
  });

  it("compile takes every Keras name ('sgd' ... 'lion'), case-insensitive, with Keras's defaults", () => {
    const want: Record<string, [string, number]> = {
      sgd: ['SGD', 0.01], rmsprop: ['RMSprop', 0.001], adam: ['Adam', 0.001], adamw: ['AdamW', 0.001], adamax: ['Adamax', 0.001],
      nadam: ['Nadam', 0.001], adagrad: ['Adagrad', 0.001], adadelta: ['Adadelta', 0.001], lion: ['Lion', 0.001],
    };
    for (const [id, [name, lr]] of Object.entries(want)) {
      const model = new dt.Sequential([new dt.layers.Dense(1, { inputShape: [2] })]);
      model.compile({ optimizer: id.toUpperCase(), loss: 'mse' });
      const opt = model.compiled!.optimizer;
      expect([opt.name, opt.learningRate]).toEqual([name, lr]);
      model.dispose();
    }
    expect(new dt.optimizers.AdamW().getConfig()).toEqual({ name: 'AdamW', learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(new dt.optimizers.RMSprop({ clipnorm: 1 }).getConfig()).toEqual({ name: 'RMSprop', learningRate: 0.001, clipnorm: 1, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(() => new dt.Sequential([new dt.layers.Dense(1)]).compile({ optimizer: 'ftrlx', loss: 'mse' })).toThrow(/^compile: unknown optimizer "ftrlx"\. Expected one of 'sgd', 'rmsprop', 'adam'/);
  });
});

/** A small model trained by fit with `optimizer`; returns the weights digest. */
async function fitDigest(optimizer: () => dt.optimizers.Optimizer): Promise<string> {
  const model = new dt.Sequential([
    new dt.layers.Dense(6, { inputShape: [4], activation: 'relu', kernelInitializer: new dt.initializers.GlorotUniform({ seed: 5 }) }),
    new dt.layers.Dense(2, { kernelInitializer: new dt.initializers.GlorotUniform({ seed: 6 }) }),
  ]);
  model.compile({ optimizer: optimizer(), loss: 'mse' });
  const x = dt.tensor(Float32Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.7)), [12, 4]);
  const y = dt.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.3)), [12, 2]);
  await model.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(4), { epochs: 2, verbose: 0 });
  const d = await dt.utils.weightsDigest(model);
  dt.dispose([x, y]);
  model.dispose();
  return d;
}

const FIT_CASES: [string, () => dt.optimizers.Optimizer][] = [
  ['SGD', () => new dt.optimizers.SGD({ momentum: 0.9, nesterov: true, clipnorm: 1 })],
  ['RMSprop', () => new dt.optimizers.RMSprop({ centered: true, momentum: 0.1 })],
  ['Adam', () => new dt.optimizers.Adam({ amsgrad: true, globalClipnorm: 1 })],
  ['AdamW', () => new dt.optimizers.AdamW({ learningRate: new dt.optimizers.schedules.CosineDecay({ initialLearningRate: 0.01, decaySteps: 6 }) })],
  ['Adamax', () => new dt.optimizers.Adamax({ clipvalue: 0.1 })],
  ['Nadam', () => new dt.optimizers.Nadam({ gradientAccumulationSteps: 2 })],
  ['Adagrad', () => new dt.optimizers.Adagrad({ learningRate: 0.1, useEma: true })],
  ['Adadelta', () => new dt.optimizers.Adadelta({ learningRate: 1 })],
  ['Lion', () => new dt.optimizers.Lion({ weightDecay: 0.01 })],
];

describe('training a small model through fit twice gives the same weightsDigest', () => {
  it.each(FIT_CASES)('%s', async (_n, make) => {
    const init = await fitDigest(() => new dt.optimizers.SGD({ learningRate: 1e-30 }));
    const a = await fitDigest(make);
    expect(await fitDigest(make)).toBe(a);
    expect(a).not.toBe(init); // the optimizer moved the weights
  });
});

describe('CPU and WebGPU give the same bits', () => {
  itWebGpu('every optimizer (with base options) for 4 steps: variable and slots', unavailable, async () => {
    const cases: [string, () => dt.optimizers.Optimizer][] = [
      ...Object.entries(REF).map(([n, r]) => [n, r.make] as [string, () => dt.optimizers.Optimizer]),
      ['RMSprop clipnorm + wd', () => new dt.optimizers.RMSprop({ clipnorm: 0.5, weightDecay: 0.1 })],
      ['SGD globalClipnorm + EMA', () => new dt.optimizers.SGD({ globalClipnorm: 0.5, useEma: true, emaOverwriteFrequency: 2 })],
    ];
    const results: Record<string, { w: Float32Array; slots: Float32Array[] }[]> = {};
    for (const backend of ['cpu', 'webgpu'] as const) {
      await dt.setBackend(backend);
      for (const [n, make] of cases) {
        const got = await runSteps(make());
        if (backend === 'cpu') results[n] = got;
        else {
          got.forEach((s, t) => {
            expectBitsEqual(s.w, results[n][t].w, `${n} variable step ${t + 1}`);
            s.slots.forEach((x, k) => expectBitsEqual(x, results[n][t].slots[k], `${n} slot ${k} step ${t + 1}`));
          });
        }
      }
    }
    await dt.setBackend('cpu');
  }, 120_000);
});

describe('1 and 2 CPU threads give the same bits', () => {
  it('every optimizer with clipping (sums over 2^17 elements) and every job forced parallel', async () => {
    const n = 1 << 17;
    const w0 = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37));
    const gs = [1, 2, 3].map((k) => Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11 * k) * k));
    const cases: (() => dt.optimizers.Optimizer)[] = [
      ...Object.values(REF).map((r) => r.make),
      () => new dt.optimizers.RMSprop({ clipnorm: 0.5, weightDecay: 0.1 }),
      () => new dt.optimizers.Adam({ globalClipnorm: 0.5, useEma: true }),
    ];
    const run = async (threads: number): Promise<string[]> => {
      dt.config.setNumThreads(threads);
      const out: string[] = [];
      for (const make of cases) {
        const opt = make();
        const v = dt.variable(dt.tensor(w0));
        for (const g of gs) {
          const gt = dt.tensor(g);
          opt.applyGradients([[gt, v]]);
          gt.dispose();
        }
        for (const t of [v, ...opt.variables()]) out.push(Buffer.from(((await t.data()) as Float32Array).buffer).toString('hex'));
        v.dispose();
        opt.dispose();
      }
      return out;
    };
    const before = dt.config.getNumThreads();
    setParallelMinWork(1);
    try {
      const one = await run(1);
      const jobs = parallelJobCount();
      const two = await run(2);
      expect(parallelJobCount()).toBeGreaterThan(jobs); // the 2-thread run did run jobs in parallel
      expect(two).toEqual(one);
    } finally {
      setParallelMinWork();
      dt.config.setNumThreads(before);
    }
  }, 60_000);
});
