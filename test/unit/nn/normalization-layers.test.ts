/**
 * BatchNormalization, LayerNormalization and GroupNormalization (Keras 3 semantics), one layer at a time:
 * - values against the float64 references of test/reference/norm64.ts (Keras's formulas), every option;
 * - BatchNormalization's modes: batch statistics and a moving-statistics update in training (bit-exact
 *   against the update written with ops, close to the float64 recurrence after several calls), the moving
 *   statistics and no update at inference and when trainable is false;
 * - weights: Keras's names and order, trainable vs non-trainable, shapes, getConfig;
 * - bad configurations and inputs: errors that name the layer and say what was expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import { batchNormInfer64, batchNormTrain64, groupNorm64, layerNorm64 } from '../../reference/norm64.ts';
import { Lcg } from '../../util/gradcheck.ts';

const L = dt.layers;
const EPS = Math.fround(1e-3);

beforeAll(async () => { await dt.setBackend('cpu'); });

function values(n: number, seed: number, lo = -2, hi = 3): Float32Array {
  const r = new Lcg(seed);
  return Float32Array.from({ length: n }, () => r.uniform(lo, hi));
}
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const a64 = (t: { shape: readonly number[] }, data: ArrayLike<number>): A64 => arr(t.shape, Float64Array.from(data));

/** Largest |got - want| / max(1, max |want|); asserts it is at most `tol`. Returns it for the log. */
function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): number {
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  expect(worst, what).toBeLessThanOrEqual(tol);
  return worst;
}

/** Sets a layer's weight to LCG values (so gamma and beta are not the trivial ones). */
function randomize(v: dt.Variable | undefined, seed: number, lo = 0.5, hi = 1.5): Float32Array {
  const data = values(v!.size, seed, lo, hi);
  v!.assign(dt.tensor(data, v!.shape));
  return data;
}

const worstSeen: Record<string, number> = {};
afterAll(() => console.log(`normalization values: worst |ours - float64| / max(1, max|ref|): ${JSON.stringify(worstSeen)}`));
const note = (k: string, v: number) => { worstSeen[k] = Math.max(worstSeen[k] ?? 0, v); };

describe('BatchNormalization', () => {
  it('has Keras defaults, weights gamma, beta, moving_mean, moving_variance in that order', () => {
    const bn = new L.BatchNormalization({ name: 'bn' });
    expect(bn.getConfig()).toEqual({ name: 'bn', trainable: true, axis: -1, momentum: 0.99, epsilon: 1e-3, center: true, scale: true });
    bn.apply(dt.zeros([2, 3, 5]));
    expect(bn.weights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    expect(bn.trainableWeights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name)).toEqual(['bn/moving_mean', 'bn/moving_variance']);
    expect(bn.weights.map((w) => w.shape)).toEqual([[5], [5], [5], [5]]);
    expect([...bn.gamma!.dataSync(), ...bn.movingVariance!.dataSync()]).toEqual(Array(10).fill(1));
    expect([...bn.beta!.dataSync(), ...bn.movingMean!.dataSync()]).toEqual(Array(10).fill(0));
    expect(bn.countParams()).toBe(20);
    const bare = new L.BatchNormalization({ name: 'bare', center: false, scale: false, axis: 1 });
    bare.apply(dt.zeros([2, 3, 5]));
    expect(bare.weights.map((w) => `${w.name}:${w.shape}`)).toEqual(['bare/moving_mean:3', 'bare/moving_variance:3']);
    const frozen = new L.BatchNormalization({ name: 'frozen', trainable: false });
    frozen.apply(dt.zeros([2, 4]));
    expect(frozen.weights.map((w) => w.name)).toEqual(['frozen/gamma', 'frozen/beta', 'frozen/moving_mean', 'frozen/moving_variance']);
    expect(frozen.trainableWeights).toEqual([]);
    for (const l of [bn, bare, frozen]) l.dispose();
  });

  const cases: { name: string; shape: number[]; axis?: number; center?: boolean; scale?: boolean }[] = [
    { name: 'rank 2, axis -1', shape: [7, 5] },
    { name: 'NHWC, axis -1', shape: [3, 4, 5, 6] },
    { name: 'NHWC, axis 1', shape: [3, 4, 5, 6], axis: 1 },
    { name: 'rank 3, axis -2, no center', shape: [4, 3, 2], axis: -2, center: false },
    { name: 'rank 3, axis 2, no scale', shape: [4, 3, 2], axis: 2, scale: false },
    { name: 'more than 256 terms per channel', shape: [9, 40, 3] },
  ];
  for (const c of cases) {
    it(`training uses the batch statistics (${c.name}) and updates the moving ones; inference uses the moving ones`, async () => {
      const bn = new L.BatchNormalization({ axis: c.axis, center: c.center, scale: c.scale, momentum: 0.9 });
      const xd = values(size(c.shape), 11 + c.shape.length);
      const x = dt.tensor(xd, c.shape);
      bn.apply(x); // build (inference: changes nothing)
      const g = bn.gamma ? a64(bn.gamma, randomize(bn.gamma, 3)) : null;
      const b = bn.beta ? a64(bn.beta, randomize(bn.beta, 4, -1, 1)) : null;
      const ref = batchNormTrain64(a64(x, xd), g, b, c.axis ?? -1, EPS);
      const y = bn.apply(x, { training: true });
      note('BatchNormalization training', expectNear(await y.data(), ref.y.data, 3e-6, 'training output'));
      // moving = moving * 0.9 + batch * (1 - 0.9), from zeros and ones
      const m = Float64Array.from(ref.mean, (v) => v * (1 - 0.9));
      const v = Float64Array.from(ref.variance, (s) => 0.9 + s * (1 - 0.9));
      note('moving statistics', expectNear(await bn.movingMean!.data(), m, 1e-6, 'moving mean'));
      note('moving statistics', expectNear(await bn.movingVariance!.data(), v, 1e-6, 'moving variance'));
      const inf = bn.apply(x);
      const ref2 = batchNormInfer64(a64(x, xd), g, b, a64(bn.movingMean!, await bn.movingMean!.data()), a64(bn.movingVariance!, await bn.movingVariance!.data()), c.axis ?? -1, EPS);
      note('BatchNormalization inference', expectNear(await inf.data(), ref2.data, 3e-6, 'inference output'));
      dt.dispose([x, y, inf]);
      bn.dispose();
    });
  }

  it('the moving update is exactly moving * momentum + batch * (1 - momentum) in float32, call after call', async () => {
    const bn = new L.BatchNormalization({ momentum: 0.99 });
    let mean64 = new Float64Array(3);
    let var64 = new Float64Array(3).fill(1);
    for (let step = 0; step < 5; step++) {
      const x = dt.tensor(values(8 * 3, 100 + step), [8, 3]);
      const prevM = dt.clone(bn.built ? bn.movingMean! : dt.zeros([3]));
      const prevV = dt.clone(bn.built ? bn.movingVariance! : dt.ones([3]));
      dt.dispose(bn.apply(x, { training: true }));
      const bm = dt.mean(x, 0);
      const bv = dt.mean(dt.square(dt.sub(x, dt.mean(x, 0, true))), 0);
      const wantM = dt.add(dt.mul(prevM, 0.99), dt.mul(bm, 1 - 0.99));
      const wantV = dt.add(dt.mul(prevV, 0.99), dt.mul(bv, 1 - 0.99));
      expect([...await bn.movingMean!.data()]).toEqual([...await wantM.data()]);
      expect([...await bn.movingVariance!.data()]).toEqual([...await wantV.data()]);
      const ref = batchNormTrain64(a64(x, await x.data()), null, null, -1, EPS);
      mean64 = mean64.map((p, i) => p * 0.99 + ref.mean[i] * (1 - 0.99));
      var64 = var64.map((p, i) => p * 0.99 + ref.variance[i] * (1 - 0.99));
      dt.dispose([x, prevM, prevV, bm, bv, wantM, wantV]);
    }
    note('moving statistics (5 calls)', expectNear(await bn.movingMean!.data(), mean64, 1e-6, 'moving mean after 5 calls'));
    note('moving statistics (5 calls)', expectNear(await bn.movingVariance!.data(), var64, 1e-6, 'moving variance after 5 calls'));
    bn.dispose();
  });

  it('inference and a layer with trainable false change nothing and use the moving statistics', async () => {
    for (const trainable of [true, false]) {
      const bn = new L.BatchNormalization({ trainable });
      const x = dt.tensor(values(12, 5), [4, 3]);
      bn.apply(x);
      const mm = randomize(bn.movingMean, 7, -1, 1);
      const mv = randomize(bn.movingVariance, 8, 0.5, 2);
      const y = trainable ? bn.apply(x) : bn.apply(x, { training: true });
      expect([...await bn.movingMean!.data()]).toEqual([...mm]);
      expect([...await bn.movingVariance!.data()]).toEqual([...mv]);
      const ref = batchNormInfer64(a64(x, await x.data()), null, null, a64(bn.movingMean!, mm), a64(bn.movingVariance!, mv), -1, EPS);
      expectNear(await y.data(), ref.data, 3e-6, `trainable ${trainable}`);
      dt.dispose([x, y]);
      bn.dispose();
    }
  });

  it('a training call, an inference call and their gradients leave no tensor behind', () => {
    const bn = new L.BatchNormalization({ axis: 1 });
    const x = dt.tensor(values(24, 6), [2, 3, 4]);
    dt.dispose(bn.apply(x));
    const before = dt.memory().numTensors;
    dt.dispose([bn.apply(x, { training: true }), bn.apply(x)]);
    dt.dispose(dt.grad((t: dt.Tensor) => dt.sum(bn.apply(t, { training: true })))(x));
    const { grads, value } = dt.variableGrads(() => dt.sum(dt.square(bn.apply(x, { training: true }))), bn.trainableWeights);
    dt.dispose([value, ...grads]);
    expect(dt.memory().numTensors).toBe(before);
    x.dispose();
    bn.dispose();
  });

  it('momentum 1 keeps, momentum 0 replaces the moving statistics', async () => {
    const x = dt.tensor(values(10, 9), [5, 2]);
    const keep = new L.BatchNormalization({ momentum: 1 });
    const swap = new L.BatchNormalization({ momentum: 0 });
    dt.dispose([keep.apply(x, { training: true }), swap.apply(x, { training: true })]);
    expect([...await keep.movingMean!.data(), ...await keep.movingVariance!.data()]).toEqual([0, 0, 1, 1]);
    const bm = dt.mean(x, 0);
    expect([...await swap.movingMean!.data()]).toEqual([...await bm.data()]);
    dt.dispose([x, bm]);
    keep.dispose();
    swap.dispose();
  });
});

describe('LayerNormalization', () => {
  const cases: { name: string; shape: number[]; axis?: number | number[]; center?: boolean; scale?: boolean; rmsScaling?: boolean }[] = [
    { name: 'axis -1', shape: [6, 7] },
    { name: 'axis -1 of NHWC', shape: [2, 3, 4, 5] },
    { name: 'axes [1, 2, 3]', shape: [2, 3, 4, 5], axis: [1, 2, 3] },
    { name: 'axes [-1, 1]', shape: [2, 3, 4, 5], axis: [-1, 1] },
    { name: 'axis 1, no center', shape: [3, 6, 2], axis: 1, center: false },
    { name: 'no scale', shape: [3, 300], scale: false },
    { name: 'rmsScaling', shape: [4, 9], rmsScaling: true },
    { name: 'rmsScaling over [1, 2], scale false', shape: [2, 3, 4], axis: [1, 2], rmsScaling: true, scale: false },
  ];
  for (const c of cases) {
    it(`matches Keras's formula (${c.name})`, async () => {
      const ln = new L.LayerNormalization({ axis: c.axis, center: c.center, scale: c.scale, rmsScaling: c.rmsScaling });
      const xd = values(size(c.shape), 21 + size(c.shape));
      const x = dt.tensor(xd, c.shape);
      dt.dispose(ln.apply(x));
      const g = ln.gamma ? a64(ln.gamma, randomize(ln.gamma, 3)) : null;
      const b = ln.beta ? a64(ln.beta, randomize(ln.beta, 4, -1, 1)) : null;
      const axes = c.axis === undefined ? [-1] : typeof c.axis === 'number' ? [c.axis] : c.axis;
      const y = ln.apply(x, { training: true });
      const y2 = ln.apply(x);
      const ref = layerNorm64(a64(x, xd), g, b, axes, EPS, c.rmsScaling);
      note('LayerNormalization', expectNear(await y.data(), ref.data, 3e-6, c.name));
      expect([...await y2.data()]).toEqual([...await y.data()]); // no training behaviour
      dt.dispose([x, y, y2]);
      ln.dispose();
    });
  }

  it('weights: gamma then beta over the normalized axes; rmsScaling has gamma only', () => {
    const ln = new L.LayerNormalization({ name: 'ln', axis: [1, 2] });
    ln.apply(dt.zeros([2, 3, 4, 5]));
    expect(ln.weights.map((w) => `${w.name}:${w.shape}`)).toEqual(['ln/gamma:3,4', 'ln/beta:3,4']);
    const rms = new L.LayerNormalization({ name: 'rms', rmsScaling: true, scale: false });
    rms.apply(dt.zeros([2, 3]));
    expect(rms.weights.map((w) => w.name)).toEqual(['rms/gamma']);
    expect(ln.getConfig()).toEqual({ name: 'ln', trainable: true, axis: [1, 2], epsilon: 1e-3, center: true, scale: true, rmsScaling: false });
    ln.dispose();
    rms.dispose();
  });
});

describe('GroupNormalization', () => {
  const cases: { name: string; shape: number[]; groups?: number; axis?: number; center?: boolean; scale?: boolean }[] = [
    { name: 'default 32 groups of 64 channels', shape: [2, 3, 64] },
    { name: '4 groups, NHWC', shape: [2, 3, 4, 8], groups: 4 },
    { name: '1 group', shape: [3, 5, 6], groups: 1 },
    { name: 'instance norm (groups -1)', shape: [2, 5, 3], groups: -1 },
    { name: '3 groups along axis 1', shape: [2, 6, 5], groups: 3, axis: 1 },
    { name: '2 groups along axis -2, no center', shape: [2, 3, 4, 2], groups: 2, axis: -2, center: false },
    { name: 'no scale, rank 2', shape: [4, 6], groups: 3, scale: false },
  ];
  for (const c of cases) {
    it(`matches Keras's formula (${c.name})`, async () => {
      const gn = new L.GroupNormalization({ groups: c.groups, axis: c.axis, center: c.center, scale: c.scale });
      const xd = values(size(c.shape), 31 + size(c.shape));
      const x = dt.tensor(xd, c.shape);
      dt.dispose(gn.apply(x));
      const g = gn.gamma ? a64(gn.gamma, randomize(gn.gamma, 3)) : null;
      const b = gn.beta ? a64(gn.beta, randomize(gn.beta, 4, -1, 1)) : null;
      const a = (c.axis ?? -1) < 0 ? (c.axis ?? -1) + c.shape.length : c.axis!;
      const groups = c.groups === -1 ? c.shape[a] : c.groups ?? 32;
      const y = gn.apply(x);
      const ref = groupNorm64(a64(x, xd), g, b, groups, c.axis ?? -1, EPS);
      note('GroupNormalization', expectNear(await y.data(), ref.data, 3e-6, c.name));
      dt.dispose([x, y]);
      gn.dispose();
    });
  }

  it('weights gamma and beta per channel; Keras defaults', () => {
    const gn = new L.GroupNormalization({ name: 'gn', groups: 2 });
    gn.apply(dt.zeros([1, 4]));
    expect(gn.weights.map((w) => `${w.name}:${w.shape}`)).toEqual(['gn/gamma:4', 'gn/beta:4']);
    expect(new L.GroupNormalization({ name: 'g2' }).getConfig()).toEqual({ name: 'g2', trainable: true, groups: 32, axis: -1, epsilon: 1e-3, center: true, scale: true });
    gn.dispose();
  });
});

describe('bad configurations and inputs', () => {
  it('refuses unknown keys, naming the layer and its options', () => {
    expect(() => new L.BatchNormalization({ momentm: 0.9 } as never)).toThrow(/^BatchNormalization: unrecognized options \{momentm\}\. Expected one of: name, inputShape, trainable, axis, momentum, movingMeanInitializer, movingVarianceInitializer, epsilon, center, scale, betaInitializer, gammaInitializer$/);
    expect(() => new L.BatchNormalization({ betaRegularizer: 'l2' } as never)).toThrow(/unrecognized options \{betaRegularizer\}/);
    expect(() => new L.LayerNormalization({ rms_scaling: true } as never)).toThrow(/^LayerNormalization: unrecognized options \{rms_scaling\}/);
    expect(() => new L.GroupNormalization({ group: 4 } as never)).toThrow(/^GroupNormalization: unrecognized options \{group\}/);
  });

  it('refuses bad momentum, epsilon, axis, center, scale and groups', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new L.BatchNormalization({ momentum: 1.5 }), /^BatchNormalization: expected momentum in \[0, 1\]\. Received: momentum=1\.5$/],
      [() => new L.BatchNormalization({ momentum: -0.1 }), /momentum in \[0, 1\]\. Received: momentum=-0\.1/],
      [() => new L.BatchNormalization({ momentum: NaN }), /momentum in \[0, 1\]\. Received: momentum=NaN/],
      [() => new L.BatchNormalization({ momentum: '0.9' as never }), /momentum in \[0, 1\]\. Received: momentum=0\.9/],
      [() => new L.BatchNormalization({ epsilon: 0 }), /^BatchNormalization: expected epsilon to be a finite number > 0\. Received: epsilon=0$/],
      [() => new L.LayerNormalization({ epsilon: -1e-3 }), /^LayerNormalization: expected epsilon to be a finite number > 0\. Received: epsilon=-0\.001$/],
      [() => new L.GroupNormalization({ epsilon: Infinity }), /^GroupNormalization: expected epsilon .* Received: epsilon=Infinity$/],
      [() => new L.BatchNormalization({ axis: 1.5 }), /^BatchNormalization: expected axis to be an integer\. Received: axis=1\.5$/],
      [() => new L.BatchNormalization({ axis: [1] as never }), /^BatchNormalization: expected axis to be an integer\. Received: axis=\[1\]$/],
      [() => new L.GroupNormalization({ axis: '1' as never }), /^GroupNormalization: expected axis to be an integer\. Received: axis="1"$/],
      [() => new L.LayerNormalization({ axis: [] }), /^LayerNormalization: expected axis to be an integer or a non-empty list of integers\. Received: axis=\[\]$/],
      [() => new L.LayerNormalization({ axis: [1, 0.5] }), /Received: axis=\[1,0\.5\]$/],
      [() => new L.BatchNormalization({ center: 1 as never }), /^BatchNormalization: expected center to be a boolean\. Received: center=1$/],
      [() => new L.LayerNormalization({ rmsScaling: 'yes' as never }), /^LayerNormalization: expected rmsScaling to be a boolean\. Received: rmsScaling="yes"$/],
      [() => new L.GroupNormalization({ scale: null as never }), /^GroupNormalization: expected scale to be a boolean\. Received: scale=null$/],
      [() => new L.GroupNormalization({ groups: 0 }), /^GroupNormalization: expected groups to be a positive integer or -1 \(one group per channel\)\. Received: groups=0$/],
      [() => new L.GroupNormalization({ groups: 2.5 }), /Received: groups=2\.5$/],
      [() => new L.GroupNormalization({ groups: -2 }), /Received: groups=-2$/],
      [() => new L.BatchNormalization({ gammaInitializer: 'onez' }), /^BatchNormalization: /],
    ];
    for (const [f, msg] of bad) {
      expect(f).toThrow(dt.ArgumentError);
      expect(f).toThrow(msg);
    }
  });

  it('refuses inputs without the axis, with an unknown size along it, or channels that do not split into groups', () => {
    const x = dt.zeros([2, 6]);
    const shapeErr = (f: () => unknown, msg: RegExp) => { expect(f).toThrow(dt.ShapeError); expect(f).toThrow(msg); };
    shapeErr(() => new L.BatchNormalization({ name: 'b1', axis: 2 }).apply(x), /^BatchNormalization 'b1': expected input with an axis 2 \(rank > 2\)\. Received: input shape \(None, 6\)$/);
    shapeErr(() => new L.BatchNormalization({ name: 'b2', axis: -3 }).apply(x), /^BatchNormalization 'b2': expected input with an axis -3 \(rank > 2\)/);
    shapeErr(() => new L.BatchNormalization({ name: 'b3', axis: 0 }).apply(x), /^BatchNormalization 'b3': expected a known dimension along axis 0 \(not the batch axis\)\. Received: input shape \(None, 6\)$/);
    shapeErr(() => new L.LayerNormalization({ name: 'l1', axis: [1, -1] }).apply(x), /^LayerNormalization 'l1': expected distinct axes\. Received: axis=\[1,-1\] for input shape \(None, 6\)$/);
    shapeErr(() => new L.LayerNormalization({ name: 'l2', axis: [0, 1] }).apply(x), /^LayerNormalization 'l2': expected a known dimension along axis 0/);
    shapeErr(() => new L.GroupNormalization({ name: 'g1', groups: 4 }).apply(x), /^GroupNormalization 'g1': expected the number of channels along axis -1 to be a multiple of groups \(4\)\. Received: 6 channels, input shape \(None, 6\)$/);
    shapeErr(() => new L.GroupNormalization({ name: 'g2' }).apply(x), /^GroupNormalization 'g2': expected at least as many channels as groups \(32\) along axis -1\. Received: 6 channels/);
    const bn = new L.BatchNormalization({ name: 'b4' });
    dt.dispose(bn.apply(x));
    shapeErr(() => bn.apply(dt.zeros([2, 5])), /^BatchNormalization 'b4': expected input of shape \(None, 6\) \(the shape it was built with\)\. Received: \(None, 5\)$/);
    expect(() => bn.apply(dt.zeros([2, 6], 'int32'))).toThrow(/^BatchNormalization 'b4': expected float32 input\. Received: dtype int32$/);
    bn.dispose();
    x.dispose();
  });
});
