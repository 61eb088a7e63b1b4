/**
 * The Keras convolution layers beyond plain Conv2D: Conv2D's dilationRate and groups, Conv2DTranspose,
 * DepthwiseConv2D and SeparableConv2D:
 * - output shapes per Keras's rules ('valid'/'same', strides, dilation, outputPadding), equal to the computed ones;
 * - values against float64 references (test/reference/conv64.ts) plus bias and activation;
 * - weight names, shapes and order as in Keras 3;
 * - config errors (unknown keys, groups not dividing, strides > 1 with dilation > 1, outputPadding >= strides);
 * - a training step's gradients, CPU vs WebGPU bit for bit.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import type { Layer } from '../../../src/nn/layer.ts';
import type { A64 } from '../../reference/ops64.ts';
import * as C from '../../reference/conv64.ts';
import { describeAgreement, input, type AgreementCase } from '../../agreement/harness.ts';
import { expectClose } from '../../util/compare.ts';
import { Lcg } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const L = dt.layers;
const I = dt.initializers;
const unavailable = await webgpuUnavailable();

function rand(shape: number[], seed: number): dt.Tensor {
  const r = new Lcg(seed);
  return dt.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1)), shape);
}
const a64 = async (t: dt.Tensor): Promise<A64> => ({ shape: [...t.shape], data: Float64Array.from(await t.data()) });
const addBias = (y: A64, b: A64): A64 => ({ shape: y.shape, data: y.data.map((v, i) => v + b.data[i % b.data.length]) });

interface ShapeCase { name: string; make: () => Layer; x: number[]; out: number[] }
const SHAPES: ShapeCase[] = [
  { name: 'Conv2D dilation 2 valid', make: () => new L.Conv2D(4, 3, { dilationRate: 2 }), x: [2, 9, 10, 3], out: [2, 5, 6, 4] },
  { name: 'Conv2D dilation [2, 3] same', make: () => new L.Conv2D(4, 3, { dilationRate: [2, 3], padding: 'same' }), x: [1, 9, 10, 3], out: [1, 9, 10, 4] },
  { name: 'Conv2D groups 2 strides 2', make: () => new L.Conv2D(6, 3, { groups: 2, strides: 2 }), x: [1, 9, 9, 4], out: [1, 4, 4, 6] },
  { name: 'Conv2DTranspose valid strides 2', make: () => new L.Conv2DTranspose(4, 3, { strides: 2 }), x: [1, 5, 5, 2], out: [1, 11, 11, 4] },
  { name: 'Conv2DTranspose same strides 2', make: () => new L.Conv2DTranspose(4, 3, { strides: 2, padding: 'same' }), x: [1, 5, 6, 2], out: [1, 10, 12, 4] },
  { name: 'Conv2DTranspose valid kernel < strides', make: () => new L.Conv2DTranspose(1, 2, { strides: 3 }), x: [1, 5, 5, 2], out: [1, 15, 15, 1] },
  { name: 'Conv2DTranspose valid outputPadding 1', make: () => new L.Conv2DTranspose(2, 3, { strides: 2, outputPadding: 1 }), x: [1, 5, 5, 2], out: [1, 12, 12, 2] },
  { name: 'Conv2DTranspose same outputPadding [1, 0]', make: () => new L.Conv2DTranspose(2, 3, { strides: 2, padding: 'same', outputPadding: [1, 0] }), x: [1, 5, 5, 2], out: [1, 10, 9, 2] },
  { name: 'Conv2DTranspose dilation 2 valid', make: () => new L.Conv2DTranspose(2, 3, { dilationRate: 2 }), x: [1, 5, 4, 1], out: [1, 9, 8, 2] },
  { name: 'Conv2DTranspose dilation 2 same', make: () => new L.Conv2DTranspose(2, 3, { dilationRate: 2, padding: 'same' }), x: [1, 5, 4, 1], out: [1, 5, 4, 2] },
  { name: 'DepthwiseConv2D M2 valid', make: () => new L.DepthwiseConv2D(3, { depthMultiplier: 2 }), x: [2, 7, 6, 3], out: [2, 5, 4, 6] },
  { name: 'DepthwiseConv2D strides 2 same', make: () => new L.DepthwiseConv2D([3, 2], { strides: 2, padding: 'same' }), x: [1, 7, 6, 3], out: [1, 4, 3, 3] },
  { name: 'DepthwiseConv2D dilation 2 valid', make: () => new L.DepthwiseConv2D(3, { dilationRate: 2 }), x: [1, 7, 6, 2], out: [1, 3, 2, 2] },
  { name: 'SeparableConv2D same M2', make: () => new L.SeparableConv2D(5, 3, { padding: 'same', depthMultiplier: 2 }), x: [1, 6, 6, 3], out: [1, 6, 6, 5] },
  { name: 'SeparableConv2D strides 2 valid', make: () => new L.SeparableConv2D(5, 3, { strides: 2 }), x: [1, 7, 8, 3], out: [1, 3, 3, 5] },
  { name: 'SeparableConv2D dilation 2', make: () => new L.SeparableConv2D(5, 2, { dilationRate: 2 }), x: [1, 7, 8, 3], out: [1, 5, 6, 5] },
];

describe('output shapes follow Keras', () => {
  for (const c of SHAPES) {
    it(c.name, () => {
      const layer = c.make();
      expect(layer.computeOutputShape([null, ...c.x.slice(1)])).toEqual([null, ...c.out.slice(1)]);
      const x = dt.zeros(c.x);
      const y = layer.apply(x);
      expect(y.shape).toEqual(c.out);
      dt.dispose([x, y]);
      layer.dispose();
    });
  }
});

describe('values against float64 references', () => {
  it('Conv2D with dilation and groups', async () => {
    for (const [o, xs, F] of [
      [{ dilationRate: [2, 1], padding: 'same' }, [2, 7, 7, 3], 4],
      [{ groups: 3, padding: 'valid' }, [1, 6, 6, 6], 9],
      [{ groups: 2, dilationRate: 2, padding: 'same' }, [1, 7, 7, 4], 2],
    ] as [dt.layers.Conv2DConfig, number[], number][]) {
      const layer = new L.Conv2D(F, 3, { ...o, kernelInitializer: new I.GlorotUniform({ seed: 3 }), biasInitializer: new I.RandomUniform({ seed: 4 }), activation: 'tanh' });
      const x = rand(xs, 5);
      const y = layer.apply(x);
      const ref = addBias(C.conv2d(await a64(x), await a64(layer.kernel!), { padding: o.padding, dilations: o.dilationRate, groups: o.groups }), await a64(layer.bias!));
      expectClose(await y.data(), Float32Array.from(ref.data.map(Math.tanh)), { rtol: 1e-5, atol: 1e-5 }, JSON.stringify(o));
      layer.dispose();
    }
  });

  it('Conv2DTranspose', async () => {
    for (const [o, xs, F, outHW] of [
      [{ strides: 2 }, [2, 3, 4, 2], 3, [7, 9]],
      [{ strides: 2, padding: 'same', outputPadding: 1 }, [1, 3, 3, 2], 2, [6, 6]],
      [{ strides: [1, 2], padding: 'same' }, [1, 4, 3, 3], 2, [4, 6]],
      [{ dilationRate: 2, padding: 'valid' }, [1, 3, 3, 2], 2, [7, 7]],
    ] as [dt.layers.Conv2DTransposeConfig, number[], number, [number, number]][]) {
      const layer = new L.Conv2DTranspose(F, 3, { ...o, kernelInitializer: new I.GlorotUniform({ seed: 6 }), biasInitializer: new I.RandomUniform({ seed: 7 }) });
      const x = rand(xs, 8);
      const y = layer.apply(x);
      expect(layer.kernel!.shape).toEqual([3, 3, F, xs[3]]);
      const ref = addBias(C.conv2dTranspose(await a64(x), await a64(layer.kernel!), outHW, { strides: o.strides, padding: o.padding, dilations: o.dilationRate }), await a64(layer.bias!));
      expectClose(await y.data(), Float32Array.from(ref.data), { rtol: 1e-5, atol: 1e-5 }, JSON.stringify(o));
      layer.dispose();
    }
  });

  it('DepthwiseConv2D and SeparableConv2D', async () => {
    const dw = new L.DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same', depthwiseInitializer: new I.GlorotUniform({ seed: 9 }), biasInitializer: new I.RandomUniform({ seed: 10 }), activation: 'relu' });
    const x = rand([2, 6, 5, 3], 11);
    const y = dw.apply(x);
    const ref = addBias(C.depthwiseConv2d(await a64(x), await a64(dw.kernel!), { padding: 'same' }), await a64(dw.bias!));
    expectClose(await y.data(), Float32Array.from(ref.data.map((v) => Math.max(v, 0))), { rtol: 1e-5, atol: 1e-5 }, 'DepthwiseConv2D');
    const sep = new L.SeparableConv2D(4, 3, { strides: 2, depthMultiplier: 2, depthwiseInitializer: new I.GlorotUniform({ seed: 12 }), pointwiseInitializer: new I.GlorotUniform({ seed: 13 }), biasInitializer: new I.RandomUniform({ seed: 14 }) });
    const z = sep.apply(x);
    const mid = C.depthwiseConv2d(await a64(x), await a64(sep.depthwiseKernel!), { strides: 2 });
    const ref2 = addBias(C.conv2d(mid, await a64(sep.pointwiseKernel!)), await a64(sep.bias!));
    expectClose(await z.data(), Float32Array.from(ref2.data), { rtol: 1e-5, atol: 1e-5 }, 'SeparableConv2D');
    dw.dispose();
    sep.dispose();
  });
});

describe('weights: names, shapes and order as in Keras 3', () => {
  it('per layer', () => {
    const x = dt.zeros([1, 8, 8, 4]);
    const cases: [Layer, [string, number[]][]][] = [
      [new L.Conv2D(6, [3, 2], { groups: 2, name: 'g' }), [['g/kernel', [3, 2, 2, 6]], ['g/bias', [6]]]],
      [new L.Conv2DTranspose(5, [3, 2], { name: 't' }), [['t/kernel', [3, 2, 5, 4]], ['t/bias', [5]]]],
      [new L.DepthwiseConv2D(3, { depthMultiplier: 3, name: 'd' }), [['d/kernel', [3, 3, 4, 3]], ['d/bias', [12]]]],
      [new L.SeparableConv2D(7, 3, { depthMultiplier: 2, name: 's' }), [['s/depthwise_kernel', [3, 3, 4, 2]], ['s/pointwise_kernel', [1, 1, 8, 7]], ['s/bias', [7]]]],
      [new L.SeparableConv2D(7, 3, { useBias: false, name: 's2' }), [['s2/depthwise_kernel', [3, 3, 4, 1]], ['s2/pointwise_kernel', [1, 1, 4, 7]]]],
    ];
    for (const [layer, want] of cases) {
      layer.apply(x).dispose();
      expect(layer.weights.map((w) => [w.name, [...w.shape]])).toEqual(want);
      layer.dispose();
    }
    expect([new L.Conv2DTranspose(1, 1).name, new L.DepthwiseConv2D(1).name, new L.SeparableConv2D(1, 1).name]).toEqual([
      expect.stringMatching(/^conv2d_transpose(_\d+)?$/), expect.stringMatching(/^depthwise_conv2d(_\d+)?$/), expect.stringMatching(/^separable_conv2d(_\d+)?$/),
    ]);
    x.dispose();
  });

  it('getConfig carries the new options', () => {
    expect(new L.Conv2D(4, 3, { dilationRate: 2, groups: 2 }).getConfig()).toMatchObject({ dilationRate: [2, 2], groups: 2 });
    expect(new L.Conv2DTranspose(4, 3, { strides: 2, outputPadding: 1 }).getConfig()).toMatchObject({ filters: 4, strides: [2, 2], outputPadding: [1, 1], dilationRate: [1, 1] });
    expect(new L.DepthwiseConv2D(3, { depthMultiplier: 2 }).getConfig()).toMatchObject({ kernelSize: [3, 3], depthMultiplier: 2 });
    expect(new L.SeparableConv2D(8, 3).getConfig()).toMatchObject({ filters: 8, depthMultiplier: 1, padding: 'valid' });
  });
});

describe('config errors', () => {
  it('are Keras\'s, with clear messages', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new L.Conv2D(4, 3, { groups: 3 }), /^Conv2D: expected the number of filters to be evenly divisible by the number of groups. Received: groups=3, filters=4/],
      [() => new L.Conv2D(4, 3, { groups: 0 }), /^Conv2D: expected groups to be a positive integer/],
      [() => new L.Conv2D(4, 3, { strides: 2, dilationRate: 2 }), /^Conv2D: expected strides 1 or dilationRate 1/],
      [() => new L.Conv2D(4, 3, { dilationRate: 0 }), /^Conv2D: expected dilationRate to be a positive integer/],
      [() => new L.Conv2D(4, 3, { dilation: 2 } as never), /dilation/],
      [() => new L.Conv2DTranspose(4, 3, { strides: 2, outputPadding: 2 }), /^Conv2DTranspose: expected outputPadding to be less than strides/],
      [() => new L.Conv2DTranspose(4, 3, { outputPadding: -1 }), /^Conv2DTranspose: expected outputPadding to be a non-negative integer/],
      [() => new L.Conv2DTranspose(4, 3, { strides: [1, 2], dilationRate: [2, 1] }), /^Conv2DTranspose: expected strides 1 or dilationRate 1/],
      [() => new L.Conv2DTranspose(0, 3), /^Conv2DTranspose: expected filters to be a positive integer/],
      [() => new L.DepthwiseConv2D(3, { depthMultiplier: 0 }), /^DepthwiseConv2D: expected depthMultiplier to be a positive integer/],
      [() => new L.DepthwiseConv2D(3, { strides: 2, dilationRate: 2 }), /^DepthwiseConv2D: expected strides 1 or dilationRate 1/],
      [() => new L.DepthwiseConv2D(3, { kernelInitializer: 'zeros' } as never), /kernelInitializer/],
      [() => new L.SeparableConv2D(2, 3, { padding: 'full' as 'same' }), /^SeparableConv2D: expected padding 'valid' or 'same'/],
      [() => new L.SeparableConv2D(2, 3, { strides: 2, dilationRate: 2 }), /^SeparableConv2D: expected strides 1 or dilationRate 1/],
    ];
    for (const [f, re] of cases) expect(f).toThrow(re);
  });

  it('groups not dividing the input channels, too-small input and a channel change fail when called', () => {
    const x = dt.zeros([1, 5, 5, 3]);
    expect(() => new L.Conv2D(4, 3, { groups: 2 }).apply(x)).toThrow(/expected the number of input channels to be evenly divisible by the number of groups. Received: groups=2/);
    expect(() => new L.Conv2D(4, 3, { dilationRate: 3 }).apply(x)).toThrow(/at least the window height \(7\)/);
    expect(() => new L.Conv2D(4, 3, { dilationRate: 3 }).computeOutputShape([null, 5, 5, 3])).toThrow(/is too small for kernel \[3, 3\] with dilationRate \[3, 3\]/);
    expect(() => new L.DepthwiseConv2D(3, { dilationRate: 3 }).apply(x)).toThrow(dt.ShapeError);
    expect(() => new L.SeparableConv2D(2, 3, { dilationRate: 3 }).computeOutputShape([null, 5, 5, 3])).toThrow(/is too small for kernel/);
    const d = new L.DepthwiseConv2D(3);
    d.apply(x).dispose();
    expect(() => d.apply(dt.zeros([1, 5, 5, 2]))).toThrow(/expected input with 3 channels/);
    x.dispose();
  });
});

const grads = (make: () => Layer) => ([x]: dt.Tensor[]): dt.Tensor => {
  dt.utils.setRandomSeed(42);
  const layer = make();
  layer.apply(x).dispose();
  const { value, grads: g } = dt.variableGrads(() => dt.sum(dt.square(layer.apply(x))), layer.trainableWeights);
  const flat = dt.concat([dt.reshape(value, [1]), ...g.map((t) => dt.reshape(t, [-1]))], 0);
  layer.dispose();
  return flat;
};
const cases: AgreementCase[] = [
  { name: 'Conv2D groups 2 dilation 2 gradients', inputs: [input([2, 8, 8, 4])], run: grads(() => new L.Conv2D(6, 3, { groups: 2, dilationRate: 2, padding: 'same' })) },
  { name: 'Conv2DTranspose strides 2 gradients', inputs: [input([2, 4, 4, 3])], run: grads(() => new L.Conv2DTranspose(4, 3, { strides: 2, padding: 'same' })) },
  { name: 'DepthwiseConv2D gradients', inputs: [input([2, 6, 6, 3])], run: grads(() => new L.DepthwiseConv2D(3, { depthMultiplier: 2 })) },
  { name: 'SeparableConv2D gradients', inputs: [input([2, 6, 6, 3])], run: grads(() => new L.SeparableConv2D(4, 3, { padding: 'same', activation: 'relu' })) },
];
describeAgreement('conv layers: training gradients, CPU vs WebGPU', unavailable, cases);
