/**
 * The Keras 3 activation layers (src/nn/layers/activation-layers.ts): ReLU, LeakyReLU, ELU, PReLU, Softmax.
 * Values against float64 references of Keras's formulas (test/reference/activations64.ts), Keras's defaults
 * (LeakyReLU 0.3, ELU 1, PReLU zeros, Softmax -1), PReLU's weight `alpha` (shape inputShape[1:] with the shared axes
 * set to 1, Keras's layout) and its gradients against the float64 formula, CPU vs WebGPU bits of PReLU's forward and
 * backward, configs, and errors for bad options and inputs.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { relu64, softmax64 } from '../../reference/activations64.ts';
import { describeAgreement, input, uni, type AgreementCase } from '../../agreement/harness.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';
import { batches } from './helpers.ts';

const unavailable = await webgpuUnavailable();
const L = dt.layers;
const fr = Math.fround;

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const XS = [-8, -3, -1.5, -1, -0.25, -0, 0, 0.25, 1, 1.5, 3, 6, 7, 40];
async function values(layer: dt.layers.Layer, xs = XS): Promise<number[]> {
  return Array.from(await layer.apply(dt.tensor([xs])).data());
}

describe('ReLU, LeakyReLU, ELU', () => {
  it('ReLU: Keras defaults (plain relu) and options (maxValue, negativeSlope, threshold)', async () => {
    expect(await values(new L.ReLU())).toEqual(XS.map((v) => relu64(v) + 0));
    const l = new L.ReLU({ maxValue: 5, negativeSlope: 0.1, threshold: 1 });
    expect((await values(l)).map((v) => v + 0)).toEqual(XS.map((v) => fr(relu64(v, 0.1, 5, 1)) + 0));
    expect(l.getConfig()).toMatchObject({ maxValue: 5, negativeSlope: 0.1, threshold: 1 });
    expect(new L.ReLU().getConfig()).toMatchObject({ maxValue: null, negativeSlope: 0, threshold: 0 });
  });

  it('LeakyReLU: negativeSlope 0.3 by default (the layer default; the function defaults to 0.2)', async () => {
    expect(await values(new L.LeakyReLU())).toEqual(XS.map((v) => (v > 0 ? v : fr(fr(0.3) * v))));
    expect(await values(new L.LeakyReLU({ negativeSlope: 0.05 }))).toEqual(XS.map((v) => (v > 0 ? v : fr(fr(0.05) * v))));
    expect(new L.LeakyReLU().getConfig()).toMatchObject({ negativeSlope: 0.3 });
  });

  it('ELU: alpha 1 by default, the elu primitive', async () => {
    expect(await values(new L.ELU())).toEqual(Array.from(await dt.elu(dt.tensor(XS)).data()));
    expect(await values(new L.ELU({ alpha: 0.5 }))).toEqual(Array.from(await dt.elu(dt.tensor(XS), 0.5).data()));
  });

  it('bad options are errors naming the layer and the value', () => {
    expect(() => new L.ReLU({ maxValue: -1 })).toThrow(/^ReLU: expected maxValue to be a finite number >= 0\. Received: maxValue=-1/);
    expect(() => new L.ReLU({ negativeSlope: -0.1 })).toThrow(/^ReLU: expected negativeSlope to be a finite number >= 0/);
    expect(() => new L.ReLU({ threshold: NaN })).toThrow(/^ReLU: expected threshold to be a finite number\. Received: threshold=NaN/);
    expect(() => new L.ReLU({ max_value: 6 } as never)).toThrow(/^ReLU: unrecognized options/);
    expect(() => new L.LeakyReLU({ negativeSlope: -1 })).toThrow(/^LeakyReLU: expected negativeSlope to be a finite number >= 0/);
    expect(() => new L.LeakyReLU({ alpha: 0.1 } as never)).toThrow(/^LeakyReLU: unrecognized options/);
    expect(() => new L.ELU({ alpha: Infinity })).toThrow(/^ELU: expected alpha to be a finite number/);
  });
});

describe('PReLU', () => {
  it('alpha has shape inputShape[1:] with the shared axes set to 1 (Keras layout), zeros by default', () => {
    const shapes: [number | number[] | undefined, number[]][] = [[undefined, [4, 5, 3]], [[1, 2], [1, 1, 3]], [3, [4, 5, 1]], [[2], [4, 1, 3]]];
    for (const [sharedAxes, want] of shapes) {
      const l = new L.PReLU(sharedAxes === undefined ? {} : { sharedAxes });
      const y = l.apply(dt.zeros([2, 4, 5, 3]));
      expect(y.shape).toEqual([2, 4, 5, 3]);
      expect(l.weights.map((w) => [w.name, w.shape])).toEqual([[`${l.name}/alpha`, want]]);
      expect(l.trainableWeights.length).toBe(1);
      expect(Array.from(l.weights[0]!.dataSync()).every((v) => v === 0)).toBe(true);
      expect(l.countParams()).toBe(want.reduce((a, b) => a * b, 1));
    }
    expect(new L.PReLU({ sharedAxes: [2, 1] }).getConfig()).toMatchObject({ alphaInitializer: 'zeros', sharedAxes: [1, 2] });
  });

  it('y = relu(x) - alpha * relu(-x) with alpha broadcast over the shared axes; gradients of x and alpha', async () => {
    const l = new L.PReLU({ sharedAxes: [1], alphaInitializer: new dt.initializers.Constant({ value: 0.25 }) });
    const xs = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.sin(i * 1.3) * 3);
    const x = dt.tensor(xs, [2, 3, 4]);
    const y = await l.apply(x).data();
    // relu(x) + (-0.25) * relu(-x): x above 0, 0.25 * x (exact) below
    for (let i = 0; i < xs.length; i++) expect(y[i]).toBe(xs[i]! > 0 ? xs[i]! : 0.25 * xs[i]!);
    const dys = Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.7));
    const dy = dt.tensor(dys, [2, 3, 4]);
    const alpha = l.weights[0]!;
    expect(alpha.shape).toEqual([1, 4]);
    const { grads } = dt.variableGrads(() => dt.sum(dt.mul(l.apply(x), dy)), [alpha]);
    const ga = await grads[0]!.data();
    const gx = await dt.grad((a: dt.Tensor) => dt.sum(dt.mul(l.apply(a), dy)))(x)[0]!.data();
    for (let c = 0; c < 4; c++) {
      let want = 0; // d/d alpha_c of sum(dy * (relu(x) - alpha * relu(-x))) = -sum over batch and axis 1 of dy * relu(-x)
      for (let n = 0; n < 2; n++) for (let h = 0; h < 3; h++) {
        const i = n * 12 + h * 4 + c;
        want -= dys[i]! * Math.max(-xs[i]!, 0);
      }
      expect(Math.abs(ga[c]! - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
    }
    for (let i = 0; i < 24; i++) if (xs[i] !== 0) expect(Math.abs(gx[i]! - (xs[i]! > 0 ? dys[i]! : 0.25 * dys[i]!))).toBeLessThanOrEqual(1e-6); // away from the kink at 0
  });

  it('bad sharedAxes and inputs are errors', () => {
    expect(() => new L.PReLU({ sharedAxes: 0 })).toThrow(/^PReLU: expected sharedAxes to be an integer >= 1 or a list of them/);
    expect(() => new L.PReLU({ sharedAxes: [1.5] })).toThrow(/^PReLU: expected sharedAxes/);
    expect(() => new L.PReLU({ alphaRegularizer: 'l2' } as never)).toThrow(/^PReLU: unrecognized options/);
    expect(() => new L.PReLU({ sharedAxes: [3] }).apply(dt.zeros([2, 4, 5]))).toThrow(/expected sharedAxes in \[1, 2\] for input of rank 3/);
    const l = new L.PReLU({ sharedAxes: 1 });
    l.apply(dt.zeros([2, 4, 5]));
    // ditto's Layer keeps the built shape (Keras would accept another size on a shared axis)
    expect(() => l.apply(dt.zeros([2, 7, 5]))).toThrow(/expected input of shape \(None, 4, 5\)/);
    expect(() => l.apply(dt.zeros([2, 4, 6]))).toThrow(/expected input shape compatible with alpha of shape \[1, 5\]\. Received: input shape \(None, 4, 6\)/);
  });
});

describe('Softmax', () => {
  it('normalizes along axis -1 by default and along any axis', async () => {
    const xs = Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 2.1) * 4);
    for (const axis of [undefined, 1, 0, -2]) {
      const l = new L.Softmax(axis === undefined ? {} : { axis });
      const got = await l.apply(dt.tensor(xs, [2, 3, 4])).data();
      const want = softmax64(xs, [2, 3, 4], axis ?? -1);
      for (let i = 0; i < 24; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(4e-7);
      expect(l.getConfig()).toMatchObject({ axis: axis ?? -1 });
    }
    expect(() => new L.Softmax({ axis: 3 }).apply(dt.zeros([2, 3, 4]))).toThrow(/^Softmax 'softmax(_\d+)?': expected axis in \[-3, 2\] for input of rank 3\. Received: axis=3/);
    expect(() => new L.Softmax({ axis: 0.5 })).toThrow(/^Softmax: expected an integer axis/);
  });
});

describe('in a model', () => {
  it('Sequential with the activation layers trains one step and predicts', async () => {
    dt.utils.setRandomSeed(3);
    const model = new dt.Sequential([
      new L.Dense(6, { inputShape: [4] }), new L.PReLU(), new L.LeakyReLU(), new L.ELU(), new L.ReLU({ maxValue: 6 }), new L.Dense(3), new L.Softmax(),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = dt.tensor(Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)), [8, 4]);
    const yl = dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
    await model.fit(batches(x, yl, 8), { epochs: 1, verbose: 0 });
    const p = await (await model.predict(x)).data();
    for (let r = 0; r < 8; r++) expect(Math.abs(p[r * 3]! + p[r * 3 + 1]! + p[r * 3 + 2]! - 1)).toBeLessThan(1e-6);
    expect(model.layers[1]!.weights[0]!.shape).toEqual([6]);
  });
});

const prelu: AgreementCase[] = [
  {
    name: 'PReLU forward and gradients',
    inputs: [input([3, 5, 4], uni(-3, 3)), input([1, 4], uni(-0.5, 1)), input([3, 5, 4], uni(-2, 2))],
    run: ([x, a, dy]) => {
      const l = new L.PReLU({ sharedAxes: [1] });
      l.apply(x);
      l.weights[0]!.assign(a!);
      const { value, grads } = dt.variableGrads(() => dt.sum(dt.mul(l.apply(x!), dy!)), [l.weights[0]!]);
      const gx = dt.grad((t: dt.Tensor) => dt.sum(dt.mul(l.apply(t), dy!)))(x!)[0]!;
      const out = dt.concat([dt.reshape(l.apply(x!), [-1]), dt.reshape(value, [1]), dt.reshape(grads[0]!, [-1]), dt.reshape(gx, [-1])], 0);
      l.dispose();
      return out;
    },
  },
];
describeAgreement('agreement: PReLU (CPU vs WebGPU bits)', unavailable, prelu);
