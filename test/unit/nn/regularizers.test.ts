/**
 * Regularizers and constraints (dt.regularizers, dt.constraints) against float64 references of Keras 3's
 * formulas; gradients of the penalties by central differences; their use on Dense and Conv2D in fit (the
 * logged loss is the compiled loss plus the penalties, constraints hold after every update, two runs give the
 * same weightsDigest); option errors; CPU vs WebGPU bits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { describeAgreement, input, uni, type AgreementCase } from '../../agreement/harness.ts';
import { scalar64 } from '../../reference/ops64.ts';
import { Lcg, describeGradcheck, fixed, uniform } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';
import { batches } from './helpers.ts';

const unavailable = await webgpuUnavailable();

beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(async () => {
  await dt.setBackend('cpu');
});

const f32 = Math.fround;
const R = 4;
const K = 3;
const W0 = (() => {
  const r = new Lcg(5);
  return Array.from({ length: R * K }, () => f32(r.uniform(-2, 2)));
})();
const at = (w: ArrayLike<number>, i: number, j: number) => w[i * K + j];
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
const near = (got: number, want: number, rel = 1e-6) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-6));

/** float64 OrthogonalRegularizer (Keras): normalised rows/columns, off-diagonal |Gram| mean times factor / 2. */
function ortho64(w: ArrayLike<number>, rows: number, cols: number, factor: number, mode: 'rows' | 'columns'): number {
  const vecs = mode === 'rows'
    ? Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => w[i * cols + j]))
    : Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => w[i * cols + j]));
  const n = vecs.map((v) => {
    const inv = Math.min(1 / Math.sqrt(sum(v.map((x) => x * x))), f32(1e7));
    return v.map((x) => x * inv);
  });
  let s = 0;
  for (let a = 0; a < n.length; a++) for (let b = 0; b < n.length; b++) if (a !== b) s += Math.abs(sum(n[a].map((x, k) => x * n[b][k])));
  return (factor * 0.5 * s) / ((n.length * (n.length - 1)) / 2);
}

describe('regularizers against float64 references', () => {
  const w = () => dt.tensor(W0, [R, K]);
  const val = (r: dt.regularizers.Regularizer) => {
    const t = w();
    const p = r.apply(t);
    const v = p.dataSync()[0];
    dt.dispose([t, p]);
    return v;
  };
  it('L1, L2 (default 0.01), L1L2 (Keras default 0, 0) and OrthogonalRegularizer rows / columns', () => {
    near(val(new dt.regularizers.L1()), f32(0.01) * sum(W0.map(Math.abs)));
    near(val(new dt.regularizers.L2({ l2: 0.3 })), f32(0.3) * sum(W0.map((x) => x * x)));
    near(val(new dt.regularizers.L2()), f32(0.01) * sum(W0.map((x) => x * x)));
    expect(val(new dt.regularizers.L1L2())).toBe(0);
    near(val(new dt.regularizers.L1L2({ l1: 0.2, l2: 0.05 })), f32(0.2) * sum(W0.map(Math.abs)) + f32(0.05) * sum(W0.map((x) => x * x)));
    near(val(new dt.regularizers.OrthogonalRegularizer()), ortho64(W0, R, K, 0.01, 'rows'), 1e-5);
    near(val(new dt.regularizers.OrthogonalRegularizer({ factor: 0.5, mode: 'columns' })), ortho64(W0, R, K, 0.5, 'columns'), 1e-5);
    expect(dt.regularizers.get('l2')).toBeInstanceOf(dt.regularizers.L2);
    expect(dt.regularizers.get('orthogonal_regularizer')).toBeInstanceOf(dt.regularizers.OrthogonalRegularizer);
  });
});

describeGradcheck('regularizer gradients (float64 central differences)', [
  { name: 'L2', f: (x) => new dt.regularizers.L2({ l2: 0.5 }).apply(x), ref: (x) => scalar64(f32(0.5) * sum(Array.from(x.data).map((v) => v * v))), inputs: [uniform([R, K], -2, 2)] },
  { name: 'L1 (away from 0)', f: (x) => new dt.regularizers.L1({ l1: 0.5 }).apply(x), ref: (x) => scalar64(f32(0.5) * sum(Array.from(x.data).map(Math.abs))), inputs: [fixed([R, K], W0.map((v) => (Math.abs(v) < 0.1 ? v + 0.3 : v)))] },
  { name: 'OrthogonalRegularizer rows', f: (x) => new dt.regularizers.OrthogonalRegularizer({ factor: 1 }).apply(x), ref: (x) => scalar64(ortho64(x.data, R, K, 1, 'rows')), inputs: [fixed([R, K], W0)] },
]);

describe('constraints against float64 references', () => {
  const apply = (c: dt.constraints.Constraint, shape = [R, K]) => {
    const t = dt.tensor(W0, shape);
    const out = c.apply(t);
    const v = Array.from(out.dataSync());
    dt.dispose([t, out]);
    return v;
  };
  const colNorm = (j: number) => Math.sqrt(sum(Array.from({ length: R }, (_, i) => at(W0, i, j) ** 2)));
  it('MaxNorm (2, axis 0), MinMaxNorm (rate 0.5), UnitNorm, NonNeg; axis lists', () => {
    const scaled = (desired: (n: number) => number, div: boolean) => (v: number[]) =>
      v.forEach((x, k) => {
        const j = k % K;
        const n = colNorm(j);
        near(x, div ? W0[k] / (1e-7 + n) : W0[k] * (desired(n) / (1e-7 + n)), 1e-6);
      });
    scaled((n) => Math.min(Math.max(n, 0), 2), false)(apply(new dt.constraints.MaxNorm()));
    scaled((n) => 0.5 * Math.min(Math.max(n, 1), 2.5) + 0.5 * n, false)(apply(new dt.constraints.MinMaxNorm({ minValue: 1, maxValue: 2.5, rate: 0.5 })));
    scaled(() => 0, true)(apply(new dt.constraints.UnitNorm()));
    expect(apply(new dt.constraints.NonNeg())).toEqual(W0.map((x) => x * (x >= 0 ? 1 : 0))); // -0 for negatives, as Keras's w * 0
    // A conv kernel [kH, kW, C, F] with axis [0, 1, 2]: one norm per filter.
    const v = apply(new dt.constraints.MaxNorm({ maxValue: 1, axis: [0, 1, 2] }), [2, 2, 1, K]);
    for (let j = 0; j < K; j++) {
      const n = colNorm(j);
      for (let i = 0; i < R; i++) near(v[i * K + j], at(W0, i, j) * (Math.min(n, 1) / (1e-7 + n)), 1e-6);
    }
    expect(dt.constraints.get('non_neg')).toBeInstanceOf(dt.constraints.NonNeg);
  });
});

describe('regularizers and constraints in training (Dense, Conv2D)', () => {
  const data = () => {
    const r = new Lcg(9);
    const x = dt.tensor(Array.from({ length: 16 * 6 * 6 }, () => f32(r.uniform(-1, 1))), [16, 6, 6, 1]);
    const y = dt.tensor(Array.from({ length: 16 }, (_, i) => i % 3), [16], 'int32');
    return [x, y] as const;
  };
  const model = (seed: number) => {
    const I = dt.initializers;
    return new dt.Sequential([
      new dt.layers.Conv2D(2, 3, { inputShape: [6, 6, 1], activation: 'relu', kernelInitializer: new I.GlorotUniform({ seed }), kernelRegularizer: 'l2', biasConstraint: 'non_neg', activityRegularizer: new dt.regularizers.L1({ l1: 1e-3 }) }),
      new dt.layers.Flatten(),
      new dt.layers.Dense(3, { activation: 'softmax', kernelInitializer: new I.GlorotUniform({ seed: seed + 1 }), kernelRegularizer: new dt.regularizers.L2({ l2: 0.05 }), kernelConstraint: new dt.constraints.MaxNorm({ maxValue: 0.5 }), biasRegularizer: 'l1' }),
    ]);
  };

  it('the logged loss of a step is the compiled loss plus the penalties, summed in order', async () => {
    const [x, y] = data();
    const m = model(3);
    m.compile({ optimizer: new dt.optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    m.build([null, 6, 6, 1]);
    // Expected before the step: [loss, activity(conv out), L2(conv kernel), L2(dense kernel), L1(dense bias)].
    const want = dt.tidy(() => {
      const conv = m.layers[0] as dt.layers.Conv2D;
      const dense = m.layers[2] as dt.layers.Dense;
      const h = conv.apply(x, { training: true });
      const out = dense.apply(m.layers[1].apply(h));
      const parts = [
        new dt.losses.SparseCategoricalCrossentropy().call(y, out),
        new dt.regularizers.L1({ l1: 1e-3 }).apply(h),
        new dt.regularizers.L2().apply(conv.kernel!),
        new dt.regularizers.L2({ l2: 0.05 }).apply(dense.kernel!),
        new dt.regularizers.L1().apply(dense.bias!),
      ];
      return dt.sum(dt.stack(parts)).dataSync()[0];
    });
    const h = await m.fit(batches(x, y, 16), { epochs: 1, verbose: 0 });
    expect(h.history.loss[0]).toBe(want);
    // After the step the constraints hold.
    const k = (m.layers[2] as dt.layers.Dense).kernel!.dataSync();
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let i = 0; i < k.length / 3; i++) s += k[i * 3 + j] ** 2;
      expect(Math.sqrt(s)).toBeLessThanOrEqual(0.5 + 1e-6);
    }
    expect(Array.from((m.layers[0] as dt.layers.Conv2D).bias!.dataSync()).every((v) => v >= 0)).toBe(true);
    dt.dispose([x, y]);
    m.dispose();
  });

  it('two identical runs give the same weightsDigest (and it differs from a run without regularization)', async () => {
    const digest = async (plain = false) => {
      const [x, y] = data();
      const m = plain
        ? new dt.Sequential([new dt.layers.Conv2D(2, 3, { inputShape: [6, 6, 1], kernelInitializer: new dt.initializers.GlorotUniform({ seed: 3 }) }), new dt.layers.Flatten(), new dt.layers.Dense(3, { activation: 'softmax', kernelInitializer: new dt.initializers.GlorotUniform({ seed: 4 }) })])
        : model(3);
      m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      await m.fit(batches(x, y, 4), { epochs: 2, verbose: 0 });
      const d = await dt.utils.weightsDigest(m);
      dt.dispose([x, y]);
      m.dispose();
      return d;
    };
    const a = await digest();
    expect(await digest()).toBe(a);
    expect(await digest(true)).not.toBe(a);
  });

  it('refuses bad options with clear errors', () => {
    expect(() => new dt.regularizers.L2({ l2: -1 })).toThrow(/^L2: expected l2 a finite number >= 0/);
    expect(() => new dt.regularizers.L1({ l2: 1 } as never)).toThrow(/^L1: unrecognized option/);
    expect(() => new dt.regularizers.OrthogonalRegularizer({ mode: 'cols' as never })).toThrow(/^OrthogonalRegularizer: expected mode 'rows' or 'columns'/);
    expect(() => new dt.constraints.MinMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(/^MinMaxNorm: expected minValue <= maxValue/);
    expect(() => new dt.constraints.UnitNorm({ axis: 0.5 })).toThrow(/^UnitNorm: expected axis an integer or a list of integers/);
    expect(() => new dt.layers.Dense(2, { kernelRegularizer: 'l3' as never })).toThrow(/^Dense: unknown regularizer 'l3'/);
    expect(() => new dt.layers.Conv2D(2, 3, { kernelConstraint: 'maxnorm' as never })).toThrow(/^Conv2D: unknown constraint 'maxnorm'/);
    expect(() => dt.regularizers.get('x' as never)).toThrow(/^regularizers\.get: unknown regularizer 'x'/);
    const t = dt.ones([2, 2, 2]);
    expect(() => new dt.regularizers.OrthogonalRegularizer().apply(t)).toThrow(/^OrthogonalRegularizer: expected a weight of rank 2/);
    t.dispose();
  });
});

const agreement: AgreementCase[] = [
  { name: 'L1L2', inputs: [input([33, 17], uni(-3, 3))], run: ([w]) => new dt.regularizers.L1L2({ l1: 0.01, l2: 0.02 }).apply(w) },
  { name: 'OrthogonalRegularizer rows', inputs: [input([9, 21], uni(-3, 3))], run: ([w]) => new dt.regularizers.OrthogonalRegularizer().apply(w) },
  { name: 'OrthogonalRegularizer columns', inputs: [input([21, 9], uni(-3, 3))], run: ([w]) => new dt.regularizers.OrthogonalRegularizer({ mode: 'columns' }).apply(w) },
  { name: 'MaxNorm', inputs: [input([3, 3, 4, 5], uni(-3, 3))], run: ([w]) => new dt.constraints.MaxNorm({ axis: [0, 1, 2] }).apply(w) },
  { name: 'MinMaxNorm', inputs: [input([40, 7], uni(-1, 1))], run: ([w]) => new dt.constraints.MinMaxNorm({ minValue: 0.5, maxValue: 1.5, rate: 0.3 }).apply(w) },
  { name: 'UnitNorm', inputs: [input([40, 7], uni(-1, 1))], run: ([w]) => new dt.constraints.UnitNorm().apply(w) },
  { name: 'NonNeg', inputs: [input([40, 7], uni(-1, 1))], run: ([w]) => new dt.constraints.NonNeg().apply(w) },
];
describeAgreement('regularizers and constraints: CPU vs WebGPU bits', unavailable, agreement);
