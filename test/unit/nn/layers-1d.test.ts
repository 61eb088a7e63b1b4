/**
 * The 1-D layers (Keras 3, [N, T, C]): Conv1D ('valid', 'same', 'causal'; strides, dilation, groups), MaxPooling1D,
 * AveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling1D, UpSampling1D, ZeroPadding1D, Cropping1D:
 * - output shapes (symbolic = real) and values against float64 references written from Keras's definitions;
 * - weight names/shapes as Keras (Conv1D kernel [k, C / groups, filters]);
 * - gradients against float64 finite differences; config errors;
 * - CPU vs WebGPU bits of forward and training gradients.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import type { Layer } from '../../../src/nn/layer.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import type { A64 } from '../../reference/ops64.ts';
import { describeAgreement, input, type AgreementCase } from '../../agreement/harness.ts';
import { expectClose } from '../../util/compare.ts';
import { Lcg, distinct, expectGradcheck, uniform } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const L = dt.layers;
const I = dt.initializers;
const unavailable = await webgpuUnavailable();

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

function rand(shape: number[], seed: number): dt.Tensor {
  const r = new Lcg(seed);
  return dt.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1)), shape);
}
const a64 = async (t: dt.Tensor): Promise<A64> => ({ shape: [...t.shape], data: Float64Array.from(await t.data()) });

interface Conv1dRef { strides?: number; padding?: 'valid' | 'same' | 'causal'; dilation?: number; groups?: number }

/** Keras's Conv1D in float64: y[n, o, f] = b[f] + S_{k, c} x[n, o*s + k*d - padLeft, g*Cg + c] * w[k, c, f]. */
function conv1dRef(x: A64, w: A64, b: A64 | null, o: Conv1dRef): A64 {
  const [N, T, C] = x.shape;
  const [K, Cg, F] = w.shape;
  const s = o.strides ?? 1;
  const d = o.dilation ?? 1;
  const G = o.groups ?? 1;
  const ext = (K - 1) * d + 1;
  let outT: number;
  let padLeft: number;
  if (o.padding === 'same') {
    outT = Math.ceil(T / s);
    padLeft = Math.floor(Math.max((outT - 1) * s + ext - T, 0) / 2);
  } else if (o.padding === 'causal') {
    padLeft = d * (K - 1);
    outT = Math.floor((T + padLeft - ext) / s) + 1;
  } else {
    padLeft = 0;
    outT = Math.floor((T - ext) / s) + 1;
  }
  const y = new Float64Array(N * outT * F);
  for (let n = 0; n < N; n++) for (let t = 0; t < outT; t++) for (let f = 0; f < F; f++) {
    const g = Math.floor(f / (F / G));
    let acc = b ? b.data[f] : 0;
    for (let k = 0; k < K; k++) {
      const ti = t * s + k * d - padLeft;
      if (ti < 0 || ti >= T) continue;
      for (let c = 0; c < Cg; c++) acc += x.data[(n * T + ti) * C + g * Cg + c] * w.data[(k * Cg + c) * F + f];
    }
    y[(n * outT + t) * F + f] = acc;
  }
  return { shape: [N, outT, F], data: y };
}

/** Pooling in float64 ('same': TensorFlow's padding, averages over the valid elements only). */
function pool1dRef(x: A64, p: number, s: number, padding: 'valid' | 'same', kind: 'max' | 'avg'): A64 {
  const [N, T, C] = x.shape;
  const outT = padding === 'same' ? Math.ceil(T / s) : Math.floor((T - p) / s) + 1;
  const padLeft = padding === 'same' ? Math.floor(Math.max((outT - 1) * s + p - T, 0) / 2) : 0;
  const y = new Float64Array(N * outT * C);
  for (let n = 0; n < N; n++) for (let t = 0; t < outT; t++) for (let c = 0; c < C; c++) {
    const vals: number[] = [];
    for (let k = 0; k < p; k++) {
      const ti = t * s + k - padLeft;
      if (ti >= 0 && ti < T) vals.push(x.data[(n * T + ti) * C + c]);
    }
    y[(n * outT + t) * C + c] = kind === 'max' ? Math.max(...vals) : vals.reduce((a, v) => a + v, 0) / vals.length;
  }
  return { shape: [N, outT, C], data: y };
}

interface ShapeCase { name: string; make: () => Layer; x: number[]; out: number[] }
const SHAPES: ShapeCase[] = [
  { name: 'Conv1D valid', make: () => new L.Conv1D(4, 3), x: [2, 10, 3], out: [2, 8, 4] },
  { name: 'Conv1D same strides 3', make: () => new L.Conv1D(4, 3, { padding: 'same', strides: 3 }), x: [2, 10, 3], out: [2, 4, 4] },
  { name: 'Conv1D causal dilation 2', make: () => new L.Conv1D(2, 3, { padding: 'causal', dilationRate: 2 }), x: [1, 7, 3], out: [1, 7, 2] },
  { name: 'Conv1D causal strides 2', make: () => new L.Conv1D(2, 3, { padding: 'causal', strides: 2 }), x: [1, 7, 3], out: [1, 4, 2] },
  { name: 'Conv1D valid dilation 3', make: () => new L.Conv1D(2, 3, { dilationRate: 3 }), x: [1, 9, 2], out: [1, 3, 2] },
  { name: 'MaxPooling1D default', make: () => new L.MaxPooling1D(), x: [2, 7, 3], out: [2, 3, 3] },
  { name: 'AveragePooling1D 3 strides 1 same', make: () => new L.AveragePooling1D(3, { strides: 1, padding: 'same' }), x: [2, 7, 3], out: [2, 7, 3] },
  { name: 'GlobalMaxPooling1D keepdims', make: () => new L.GlobalMaxPooling1D({ keepdims: true }), x: [2, 7, 3], out: [2, 1, 3] },
  { name: 'GlobalAveragePooling1D', make: () => new L.GlobalAveragePooling1D(), x: [2, 7, 3], out: [2, 3] },
  { name: 'UpSampling1D 3', make: () => new L.UpSampling1D(3), x: [2, 4, 3], out: [2, 12, 3] },
  { name: 'ZeroPadding1D [1, 2]', make: () => new L.ZeroPadding1D([1, 2]), x: [2, 4, 3], out: [2, 7, 3] },
  { name: 'Cropping1D [2, 1]', make: () => new L.Cropping1D([2, 1]), x: [2, 6, 3], out: [2, 3, 3] },
];

describe('output shapes follow Keras (symbolic = real)', () => {
  for (const c of SHAPES) {
    it(c.name, () => {
      const layer = c.make();
      const inp = dt.Input({ shape: c.x.slice(1) });
      expect(layer.apply(inp).shape).toEqual([null, ...c.out.slice(1)]);
      const y = layer.apply(dt.zeros(c.x));
      expect(y.shape).toEqual(c.out);
    });
  }
});

describe('values against float64 references', () => {
  it('Conv1D: valid, same, causal, strides, dilation, groups; kernel [k, C / groups, filters]', async () => {
    const cases: [dt.layers.Conv1DConfig, number[], number, number][] = [
      [{}, [2, 9, 3], 4, 3],
      [{ padding: 'same', strides: 2 }, [2, 9, 3], 4, 4],
      [{ padding: 'causal' }, [2, 8, 3], 2, 3],
      [{ padding: 'causal', dilationRate: 3 }, [1, 11, 2], 3, 3],
      [{ padding: 'same', dilationRate: 2 }, [1, 10, 2], 2, 3],
      [{ padding: 'causal', strides: 2 }, [1, 9, 2], 2, 2],
      [{ groups: 2, padding: 'causal', dilationRate: 2 }, [2, 8, 4], 6, 3],
    ];
    for (const [o, xs, F, K] of cases) {
      const layer = new L.Conv1D(F, K, { ...o, kernelInitializer: new I.GlorotUniform({ seed: 3 }), biasInitializer: new I.RandomUniform({ seed: 4 }), activation: 'tanh' });
      const x = rand(xs, 5);
      const y = layer.apply(x);
      expect(layer.kernel!.shape).toEqual([K, xs[2] / (o.groups ?? 1), F]);
      const ref = conv1dRef(await a64(x), await a64(layer.kernel!), await a64(layer.bias!), { strides: o.strides, padding: o.padding, dilation: o.dilationRate, groups: o.groups });
      expect(y.shape).toEqual(ref.shape);
      expectClose(await y.data(), Float32Array.from(ref.data.map(Math.tanh)), { rtol: 1e-5, atol: 1e-6 }, JSON.stringify(o));
    }
  });

  it('causal: output t does not depend on inputs after t', async () => {
    const layer = new L.Conv1D(2, 3, { padding: 'causal', dilationRate: 2 });
    const x = rand([1, 8, 2], 9);
    const y1 = await layer.apply(x).data();
    const x2 = dt.concat([dt.slice(x, [0, 0, 0], [1, 5, 2]), dt.fill([1, 3, 2], 7)], 1);
    const y2 = await layer.apply(x2).data();
    expect([...y2.subarray(0, 10)]).toEqual([...y1.subarray(0, 10)]);
    expect([...y2.subarray(10)]).not.toEqual([...y1.subarray(10)]);
  });

  it('MaxPooling1D and AveragePooling1D, valid and same', async () => {
    const x = rand([2, 7, 3], 12);
    const x64 = await a64(x);
    for (const [p, s, pad] of [[2, 2, 'valid'], [3, 2, 'same'], [3, 1, 'valid'], [2, 3, 'same']] as [number, number, 'valid' | 'same'][]) {
      const mx = await new L.MaxPooling1D(p, { strides: s, padding: pad }).apply(x).data();
      expect([...mx]).toEqual([...Float32Array.from(pool1dRef(x64, p, s, pad, 'max').data)]);
      const av = await new L.AveragePooling1D(p, { strides: s, padding: pad }).apply(x).data();
      expectClose(av, Float32Array.from(pool1dRef(x64, p, s, pad, 'avg').data), { rtol: 1e-6, atol: 1e-7 }, `avg ${p} ${s} ${pad}`);
    }
  });

  it('global pooling, upsampling, padding and cropping', async () => {
    const x = dt.tensor([1, -2, 3, 4, 5, -6, -7, 8, 9, 10, -11, 12], [2, 3, 2]);
    expect([...(await new L.GlobalMaxPooling1D().apply(x).data())]).toEqual([5, 4, 9, 12]);
    expectClose(await new L.GlobalAveragePooling1D().apply(x).data(), Float32Array.from([3, -4 / 3, -3, 30 / 3]), { rtol: 1e-6, atol: 0 });
    expect([...(await new L.UpSampling1D(2).apply(x).data())]).toEqual([1, -2, 1, -2, 3, 4, 3, 4, 5, -6, 5, -6, -7, 8, -7, 8, 9, 10, 9, 10, -11, 12, -11, 12]);
    expect([...(await new L.ZeroPadding1D([1, 0]).apply(x).data())]).toEqual([0, 0, 1, -2, 3, 4, 5, -6, 0, 0, -7, 8, 9, 10, -11, 12]);
    expect([...(await new L.ZeroPadding1D().apply(dt.ones([1, 1, 1])).data())]).toEqual([0, 1, 0]);
    expect([...(await new L.Cropping1D([0, 2]).apply(x).data())]).toEqual([1, -2, -7, 8]);
    expect([...(await new L.Cropping1D(1).apply(x).data())]).toEqual([3, 4, 9, 10]);
  });
});

describe('gradients against float64 finite differences', () => {
  it('Conv1D causal dilated grouped (input and kernel)', async () => {
    const o: Conv1dRef = { padding: 'causal', dilation: 2, groups: 2 };
    await expectGradcheck({
      name: 'conv1d causal',
      f: (x, w) => {
        const layer = new L.Conv1D(4, 2, { padding: 'causal', dilationRate: 2, groups: 2, useBias: false });
        layer.apply(x).dispose();
        (layer as unknown as { kernel: dt.Tensor }).kernel = w; // differentiate through the layer's use of its kernel
        const y = layer.apply(x);
        layer.dispose();
        return y;
      },
      ref: (x, w) => conv1dRef(x, w, null, o),
      inputs: [uniform([2, 5, 4]), uniform([2, 2, 4])],
    });
  });

  it('pooling and reshaping layers', async () => {
    const x = distinct([2, 6, 2]);
    const layers: [string, () => Layer, (a: A64) => A64][] = [
      ['MaxPooling1D', () => new L.MaxPooling1D(2), (a) => pool1dRef(a, 2, 2, 'valid', 'max')],
      ['AveragePooling1D same', () => new L.AveragePooling1D(3, { strides: 2, padding: 'same' }), (a) => pool1dRef(a, 3, 2, 'same', 'avg')],
      ['GlobalMaxPooling1D', () => new L.GlobalMaxPooling1D(), (a) => ({ shape: [2, 2], data: Float64Array.from([0, 1, 2, 3], (i) => Math.max(...[0, 1, 2, 3, 4, 5].map((t) => a.data[(Math.floor(i / 2) * 6 + t) * 2 + (i % 2)]))) })],
      ['UpSampling1D', () => new L.UpSampling1D(2), (a) => ({ shape: [2, 12, 2], data: Float64Array.from({ length: 48 }, (_, i) => a.data[(Math.floor(i / 24) * 6 + Math.floor((i % 24) / 4)) * 2 + (i % 2)]) })],
      ['Cropping1D', () => new L.Cropping1D([1, 2]), (a) => ({ shape: [2, 3, 2], data: Float64Array.from({ length: 12 }, (_, i) => a.data[(Math.floor(i / 6) * 6 + 1 + Math.floor((i % 6) / 2)) * 2 + (i % 2)]) })],
    ];
    for (const [name, make, ref] of layers) {
      await expectGradcheck({ name, f: (t) => make().apply(t), ref, inputs: [x] });
    }
  });
});

describe('config errors', () => {
  it('are Keras\'s, with clear messages', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new L.Conv1D(0, 3), /^Conv1D: expected filters to be a positive integer/],
      [() => new L.Conv1D(4, 0), /^Conv1D: expected kernelSize to be a positive integer/],
      [() => new L.Conv1D(4, 3, { padding: 'full' as 'same' }), /^Conv1D: expected padding 'valid', 'same' or 'causal'/],
      [() => new L.Conv1D(4, 3, { strides: 2, dilationRate: 2 }), /^Conv1D: expected strides 1 or dilationRate 1/],
      [() => new L.Conv1D(4, 3, { groups: 3 }), /^Conv1D: expected the number of filters to be evenly divisible by the number of groups/],
      [() => new L.Conv1D(4, 3, { dilation: 2 } as never), /dilation/],
      [() => new L.MaxPooling1D(0), /^MaxPooling1D: expected poolSize to be a positive integer/],
      [() => new L.AveragePooling1D(2, { padding: 'causal' as 'same' }), /^AveragePooling1D: expected padding 'valid' or 'same'/],
      [() => new L.GlobalAveragePooling1D({ keepdims: 1 as never }), /^GlobalAveragePooling1D: expected keepdims to be a boolean/],
      [() => new L.GlobalMaxPooling1D({ dataFormat: 'channels_first' as never }), /GlobalMaxPooling1D/],
      [() => new L.UpSampling1D(0), /^UpSampling1D: expected size to be a positive integer/],
      [() => new L.ZeroPadding1D(-1), /^ZeroPadding1D: expected padding to be a non-negative integer or a pair/],
      [() => new L.Cropping1D([1, 2, 3] as never), /^Cropping1D: expected cropping to be a non-negative integer or a pair/],
    ];
    for (const [f, re] of cases) expect(f).toThrow(re);
  });

  it('bad inputs fail when called', () => {
    expect(() => new L.Conv1D(2, 3).apply(dt.zeros([1, 5, 5, 3]))).toThrow(/expected input of rank 3 \[N, T, C\]/);
    expect(() => new L.Conv1D(2, 4, { dilationRate: 2 }).apply(dt.zeros([1, 6, 1]))).toThrow(/too short for kernel 4 with dilationRate 2/);
    expect(() => new L.Conv1D(2, 3, { groups: 2 }).apply(dt.zeros([1, 5, 3]))).toThrow(/evenly divisible by the number of groups/);
    expect(() => new L.MaxPooling1D(4).apply(dt.zeros([1, 3, 2]))).toThrow(dt.ShapeError);
    expect(() => new L.Cropping1D([2, 2]).apply(dt.zeros([1, 4, 2]))).toThrow(/expected input longer than the cropping \[2, 2\]/);
    const c = new L.Conv1D(2, 1);
    c.apply(dt.zeros([1, 3, 2]));
    expect(() => c.apply(dt.zeros([1, 3, 4]))).toThrow(/expected input with 2 channels/);
  });

  it('getConfig', () => {
    expect(new L.Conv1D(4, 3, { padding: 'causal', dilationRate: 2 }).getConfig()).toMatchObject({ filters: 4, kernelSize: [3], strides: [1], padding: 'causal', dilationRate: [2], groups: 1 });
    expect(new L.MaxPooling1D(3).getConfig()).toMatchObject({ poolSize: [3], strides: [3], padding: 'valid' });
    expect(new L.Cropping1D().cropping).toEqual([1, 1]);
  });
});

const train = (make: () => Layer) => ([x]: dt.Tensor[]): dt.Tensor => {
  dt.utils.setRandomSeed(42);
  const layer = make();
  layer.apply(x).dispose();
  const { value, grads: g } = dt.variableGrads(() => dt.sum(dt.square(layer.apply(x))), layer.trainableWeights);
  const flat = dt.concat([dt.reshape(layer.apply(x), [-1]), dt.reshape(value, [1]), ...g.map((t) => dt.reshape(t, [-1]))], 0);
  layer.dispose();
  return flat;
};
const stack = (): Layer => new dt.Sequential([
  new L.ZeroPadding1D([2, 1]), new L.Conv1D(6, 3, { padding: 'causal', dilationRate: 2, activation: 'relu' }), new L.MaxPooling1D(2),
  new L.Conv1D(4, 2, { groups: 2, padding: 'same', strides: 2 }), new L.UpSampling1D(2), new L.AveragePooling1D(3, { strides: 1, padding: 'same' }),
  new L.Cropping1D([1, 0]), new L.GlobalMaxPooling1D(),
]);
const cases: AgreementCase[] = [
  { name: 'Conv1D causal dilated: forward and gradients', inputs: [input([3, 17, 5])], run: train(() => new L.Conv1D(4, 3, { padding: 'causal', dilationRate: 2 })) },
  { name: 'a stack of every 1-D layer: forward and gradients', inputs: [input([2, 16, 3])], run: train(stack) },
];
describeAgreement('1-D layers, CPU vs WebGPU', unavailable, cases);
