/**
 * Optimizers against hand-computed float32 steps: Adam for 3 steps with the Keras 3 update
 * (keras/src/optimizers/adam.py: beta powers in float32, alpha = lr * sqrt(1 - b2^t) / (1 - b1^t),
 * every op rounded to float32), checked bit for bit on the variable and both slots; one fit step
 * equals one hand Adam step on the loss gradient; SGD with and without (Nesterov) momentum; errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectBitsEqual } from '../../util/compare.ts';

const f = Math.fround;

beforeAll(async () => {
  await dt.setBackend('cpu');
});

/** The float32 nearest to x^t for a float32 x in [0.5, 1), from the exact product (BigInt). */
function powF32(x: number, t: number): number {
  // x = m * 2^-24 exactly, so x^t = m^t * 2^(-24 t); keep 24 bits, round half to even.
  const m = BigInt(x * 2 ** 24);
  const n = m ** BigInt(t);
  const len = n.toString(2).length;
  const shift = len - 24;
  if (shift <= 0) return Number(n) * 2 ** (-24 * t);
  let top = n >> BigInt(shift);
  const rem = n - (top << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (top & 1n) === 1n)) top += 1n;
  return Number(top) * 2 ** (shift - 24 * t);
}

/** One Keras Adam step in float32, op by op (defaults lr 0.001, beta1 0.9, beta2 0.999, eps 1e-7). */
function kerasAdamStep(t: number, g: Float32Array, m: Float32Array, v: Float32Array, w: Float32Array): void {
  const lr = f(0.001);
  const b1p = powF32(f(0.9), t);
  const b2p = powF32(f(0.999), t);
  const alpha = f(f(lr * f(Math.sqrt(f(1 - b2p)))) / f(1 - b1p));
  const c1 = f(1 - 0.9); // Python float 1 - beta_1, cast to float32 by the multiply
  const c2 = f(1 - 0.999);
  const eps = f(1e-7);
  for (let i = 0; i < w.length; i++) {
    m[i] = f(m[i] + f(f(g[i] - m[i]) * c1));
    v[i] = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * c2));
    w[i] = f(w[i] - f(f(m[i] * alpha) / f(f(Math.sqrt(v[i])) + eps)));
  }
}

describe('Adam (Keras 3 formula)', () => {
  it('3 steps with hand-picked gradients: variable and slots bit for bit', async () => {
    const w0 = Float32Array.from([1, -1, 0.5, 2, 0, 3e-4, -123.25]);
    const gs = [
      Float32Array.from([0.1, -0.2, 3, 1e-3, 0, -7.5, 1e-6]),
      Float32Array.from([0.05, 0.3, -1, 2e-3, 1e-8, 2.5, -40]),
      Float32Array.from([-0.4, 0.1, 0.5, 0, -1e-4, 1, 0.125]),
    ];
    const opt = new dt.optimizers.Adam();
    const v = dt.variable(dt.tensor(w0), { name: 'w' });
    const w = Float32Array.from(w0);
    const m = new Float32Array(w.length);
    const u = new Float32Array(w.length);
    for (let t = 1; t <= 3; t++) {
      const g = dt.tensor(gs[t - 1]);
      opt.applyGradients([[g, v]]);
      g.dispose();
      kerasAdamStep(t, gs[t - 1], m, u, w);
      expect(opt.iterations).toBe(t);
      expectBitsEqual((await v.data()) as Float32Array, w, `variable after step ${t}`);
      const [mv, uv] = opt.variables();
      expectBitsEqual((await mv.data()) as Float32Array, m, `momentum after step ${t}`);
      expectBitsEqual((await uv.data()) as Float32Array, u, `velocity after step ${t}`);
    }
    // Sanity of the hand computation itself: the first step moves each weight by ~lr against its gradient sign.
    expect(Math.abs(f(w0[0] - 0.001) - (await v.data())[0])).toBeLessThan(0.003);
    expect(opt.countParams()).toBe(14);
    v.dispose();
    opt.dispose();
  });

  it('the float32 beta powers equal the exact products rounded once', () => {
    const opt = new dt.optimizers.Adam();
    for (let t = 1; t <= 6; t++) {
      const c = opt.coefficients(t);
      const alpha = f(f(f(0.001) * f(Math.sqrt(f(1 - powF32(f(0.999), t))))) / f(1 - powF32(f(0.9), t)));
      expect(c.alpha, `alpha at t=${t}`).toBe(alpha);
    }
  });

  it('one fit step applies exactly one Adam step with the gradient of the loss', async () => {
    const model = new dt.Sequential([new dt.layers.Dense(3, { inputShape: [4], kernelInitializer: new dt.initializers.GlorotUniform({ seed: 3 }), biasInitializer: 'ones' })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = dt.tensor(Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)), [5, 4]);
    const y = dt.tensor(Float32Array.from({ length: 15 }, (_, i) => Math.cos(i)), [5, 3]);
    const { grads } = dt.variableGrads(() => dt.losses.get('mse').call(y, model.call(x)), model.trainableWeights);
    const expected = await Promise.all(model.trainableWeights.map(async (wv, i) => {
      const w = Float32Array.from((await wv.data()) as Float32Array);
      kerasAdamStep(1, (await grads[i].data()) as Float32Array, new Float32Array(w.length), new Float32Array(w.length), w);
      return w;
    }));
    dt.dispose(grads);
    await model.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(5), { verbose: 0 });
    for (const [i, wv] of model.trainableWeights.entries()) expectBitsEqual((await wv.data()) as Float32Array, expected[i], wv.name);
    dt.dispose([x, y]);
    model.dispose();
  });
});

describe('SGD (Keras 3 formula)', () => {
  const run = async (o: dt.optimizers.SGDOptions, steps: Float32Array[], w0: Float32Array): Promise<Float32Array> => {
    const opt = new dt.optimizers.SGD(o);
    const v = dt.variable(dt.tensor(w0));
    for (const gs of steps) {
      const g = dt.tensor(gs);
      opt.applyGradients([[g, v]]);
      g.dispose();
    }
    const out = (await v.data()) as Float32Array;
    v.dispose();
    opt.dispose();
    return out;
  };
  const w0 = Float32Array.from([1, -2, 0.3]);
  const g1 = Float32Array.from([0.5, -0.25, 3]);
  const g2 = Float32Array.from([-1, 0.75, 0.1]);

  it('plain: w -= lr * g', async () => {
    const lr = f(0.01);
    const want = w0.map((w, i) => f(f(w - f(g1[i] * lr)) - f(g2[i] * lr)));
    expectBitsEqual(await run({}, [g1, g2], w0), want);
  });

  it('momentum and Nesterov: m = m * mu - lr * g; w += m (or m * mu - lr * g)', async () => {
    const lr = f(0.1);
    const mu = f(0.9);
    for (const nesterov of [false, true]) {
      const w = Float32Array.from(w0);
      const m = new Float32Array(3);
      for (const g of [g1, g2]) {
        for (let i = 0; i < 3; i++) {
          const lrg = f(g[i] * lr);
          m[i] = f(f(m[i] * mu) - lrg);
          w[i] = f(w[i] + (nesterov ? f(f(m[i] * mu) - lrg) : m[i]));
        }
      }
      expectBitsEqual(await run({ learningRate: 0.1, momentum: 0.9, nesterov }, [g1, g2], w0), w, `nesterov=${nesterov}`);
    }
  });
});

describe('optimizer errors', () => {
  it('bad hyperparameters, names and gradient shapes are clear errors', () => {
    expect(() => new dt.optimizers.Adam({ learningRate: 0 })).toThrow(/^Adam: expected a positive finite learningRate. Received: learningRate=0/);
    expect(() => new dt.optimizers.Adam({ beta1: 1 })).toThrow(/^Adam: expected beta1 in \[0, 1\)/);
    expect(() => new dt.optimizers.Adam({ epsilon: -1 })).toThrow(/^Adam: expected epsilon >= 0/);
    expect(() => new dt.optimizers.SGD({ momentum: 2 })).toThrow(/^SGD: expected momentum in \[0, 1\]/);
    const model = new dt.Sequential([new dt.layers.Dense(1)]);
    expect(() => model.compile({ optimizer: 'adamx', loss: 'mse' })).toThrow(dt.ArgumentError);
    expect(() => model.compile({ optimizer: 'adamx', loss: 'mse' })).toThrow(/^compile: unknown optimizer "adamx"/);
    const opt = new dt.optimizers.Adam();
    const v = dt.variable(dt.zeros([2, 3]), { name: 'k' });
    const g = dt.zeros([3, 2]);
    expect(() => opt.applyGradients([[g, v]])).toThrow(/^Adam.applyGradients: expected a gradient of shape \[2, 3\] for 'k'. Received: \[3, 2\]/);
    expect(opt.iterations).toBe(0);
    dt.dispose([v, g]);
  });
});
