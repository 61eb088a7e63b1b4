/**
 * dt.activations (src/nn/activation-functions.ts) against float64 references of Keras 3's formulas
 * (test/reference/activations64.ts) on golden inputs: negative, zero (both signs), tiny, large, and the kink points
 * (0, ±3, 6, thresholds). The error of each is stated in float32 ulps of max(|reference|, scale(x)): scale is 0
 * (a plain relative bound) except where the formula itself cancels in float32 and Keras's result shares the
 * cancellation (gelu for negative x: 1 + erf(x/sqrt 2); hard_sigmoid near -3: x + 3), where the bound is absolute at
 * the scale of the terms. Also: relu's Keras 3 options, softmax and log_softmax on every axis, `get` and string names
 * in Dense/Conv2D/Activation, and errors for bad options.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { ACT64, relu64, softmax64 } from '../../reference/activations64.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});

const A = dt.activations;

/** The float32 ulp at |v| (2^-149 below the normals). */
function ulpAt(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  if (!Number.isFinite(a)) return Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

const KINKS = [-6, -3, -1, -0.5, 0, 0.5, 1, 3, 6];
/** Golden inputs: a dense sweep of [-12, 12], the kinks and their float32 neighbours, tiny, zero, large. */
function goldenInputs(): Float32Array {
  const xs: number[] = [0, -0, 1e-30, -1e-30, 1e-6, -1e-6, 20, -20, 50, -50, 100, -100, 1e4, -1e4];
  for (let i = 0; i <= 2400; i++) xs.push(-12 + i / 100);
  for (const k of KINKS) {
    const b = new Float32Array([k]);
    const u = new Uint32Array(b.buffer);
    for (let d = -3; d <= 3; d++) {
      const v = new Uint32Array([u[0]! + d]);
      xs.push(new Float32Array(v.buffer)[0]!);
    }
  }
  return Float32Array.from(xs.filter((v) => Number.isFinite(v)));
}

interface Case {
  name: string;
  f: (x: dt.Tensor) => dt.Tensor;
  ref: (x: number) => number;
  /** Bound in ulps of max(|ref|, scale(x)). */
  ulps: number;
  scale?: (x: number) => number;
}

// x * sigmoid(x) and x * tanh(softplus(x)) for x < -87: the second factor is subnormal in float32 (few significant
// bits, in Keras too), so the product is bounded absolutely at |x| * 2^-126.
const subnormalFloor = (x: number) => Math.abs(x) * 2 ** -126;

const CASES: Case[] = [
  { name: 'relu', f: (x) => A.relu(x), ref: ACT64.relu!, ulps: 0 },
  { name: 'relu6', f: A.relu6, ref: ACT64.relu6!, ulps: 0 },
  { name: 'leaky_relu', f: (x) => A.leakyRelu(x), ref: ACT64.leaky_relu!, ulps: 0.5 },
  { name: 'elu', f: (x) => A.elu(x), ref: ACT64.elu!, ulps: 1.5 },
  { name: 'selu', f: A.selu, ref: ACT64.selu!, ulps: 2 },
  { name: 'gelu', f: (x) => A.gelu(x), ref: ACT64.gelu!, ulps: 3, scale: (x) => Math.abs(x) / 2 },
  { name: 'gelu approximate', f: (x) => A.gelu(x, true), ref: ACT64.gelu_approximate!, ulps: 3, scale: (x) => Math.abs(x) / 2 },
  { name: 'silu', f: A.silu, ref: ACT64.silu!, scale: subnormalFloor, ulps: 2 },
  { name: 'swish', f: A.swish, ref: ACT64.swish!, scale: subnormalFloor, ulps: 2 },
  { name: 'softplus', f: A.softplus, ref: ACT64.softplus!, ulps: 1.21 },
  { name: 'softsign', f: A.softsign, ref: ACT64.softsign!, ulps: 1.5 },
  { name: 'hard_sigmoid', f: A.hardSigmoid, ref: ACT64.hard_sigmoid!, ulps: 1, scale: (x) => Math.abs(x) / 6 },
  { name: 'hard_silu', f: A.hardSilu, ref: ACT64.hard_silu!, ulps: 2, scale: (x) => (x * x) / 6 },
  { name: 'hard_swish', f: A.hardSwish, ref: ACT64.hard_swish!, ulps: 2, scale: (x) => (x * x) / 6 },
  { name: 'mish', f: A.mish, ref: ACT64.mish!, scale: subnormalFloor, ulps: 3 },
  { name: 'exponential', f: A.exponential, ref: ACT64.exponential!, ulps: 0.78 },
  { name: 'sigmoid', f: A.sigmoid, ref: ACT64.sigmoid!, ulps: 1 },
  { name: 'tanh', f: A.tanh, ref: ACT64.tanh!, ulps: 0.65 },
  { name: 'linear', f: A.linear, ref: ACT64.linear!, ulps: 0 },
];

describe('dt.activations against float64 references of the Keras formulas', () => {
  const xs = goldenInputs();
  for (const c of CASES) {
    it(`${c.name}: within ${c.ulps} ulp on ${xs.length} golden inputs`, async () => {
      const x = dt.tensor(xs);
      const y = c.f(x);
      const got = await y.data();
      let worst = 0;
      let at = NaN;
      for (let i = 0; i < xs.length; i++) {
        const r = c.ref(xs[i]!);
        const g = got[i]!;
        const e = g === Math.fround(r) ? 0 : Math.abs(g - r) / ulpAt(Math.max(Math.abs(r), c.scale?.(xs[i]!) ?? 0));
        if (!(e <= worst)) {
          worst = e;
          at = xs[i]!;
        }
      }
      console.log(`${c.name}: max ${worst.toFixed(3)} ulp at x=${at}`);
      expect(worst).toBeLessThanOrEqual(c.ulps);
      expect(y.shape).toEqual(x.shape);
      expect(x.isDisposed).toBe(false);
      dt.dispose([x, y]);
    });
  }

  it('relu with Keras 3 options: threshold, maxValue, negativeSlope and their combinations', async () => {
    const xs = Float32Array.from([-10, -3, -2, -1, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 3, 5, 6, 7, 100]);
    const combos: [number, number | null, number][] = [[0, null, 0], [0.1, null, 0], [0, 6, 0], [0, 2.5, 0], [0, null, 1], [0, null, -1],
      [0.3, 4, 0], [0.3, null, 1.5], [0.2, 3, -1], [0, 2, 1], [0.5, 6, 0]];
    for (const [negativeSlope, maxValue, threshold] of combos) {
      const got = await A.relu(dt.tensor(xs), { negativeSlope, maxValue, threshold }).data();
      // zeros compared without their sign (-0 + 0 = +0): the sign of a zero from x * (x > t) and the clip differs among
      // Keras's own backends
      const want = Array.from(xs, (v) => Math.fround(relu64(v, negativeSlope, maxValue, threshold)) + 0);
      expect(Array.from(got, (v) => v + 0), JSON.stringify({ negativeSlope, maxValue, threshold })).toEqual(want);
    }
    // Keras quirk kept: with a negative threshold and no maxValue, values in (threshold, 0) pass unchanged
    expect(Array.from(await A.relu(dt.tensor([-0.5]), { threshold: -1 }).data())).toEqual([-0.5]);
  });

  it('softmax and log_softmax on every axis against float64 (8 ulp of max(|y|, 2^-10) for softmax, of max(|y|, |x|) for log)', async () => {
    const shape = [3, 4, 5];
    const xs = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 6);
    for (const axis of [0, 1, 2, -1, -2, -3]) {
      const sm = await A.softmax(dt.tensor(xs, shape), axis).data();
      const ls = await A.logSoftmax(dt.tensor(xs, shape), axis).data();
      const rs = softmax64(xs, shape, axis);
      const rl = softmax64(xs, shape, axis, true);
      for (let i = 0; i < 60; i++) {
        expect(Math.abs(sm[i]! - rs[i]!)).toBeLessThanOrEqual(8 * ulpAt(Math.max(rs[i]!, 2 ** -10)));
        expect(Math.abs(ls[i]! - rl[i]!)).toBeLessThanOrEqual(8 * ulpAt(Math.max(Math.abs(rl[i]!), Math.abs(xs[i]!))));
      }
    }
    expect(Array.from(await A.softmax(dt.tensor([1, 2, 3])).data())).toEqual(Array.from(await dt.softmax(dt.tensor([1, 2, 3]), -1).data()));
  });

  it('special values: NaN stays NaN, ±Infinity saturate as the formulas say', async () => {
    const x = dt.tensor([NaN, Infinity, -Infinity]);
    for (const c of CASES) {
      if (c.name === 'gelu approximate' || c.name === 'mish' || c.name === 'silu' || c.name === 'swish' || c.name.startsWith('hard_s')) continue; // Inf * 0 forms
      const got = Array.from(await c.f(x).data());
      expect(got[0], c.name).toBeNaN();
      const want = [c.ref(Infinity), c.ref(-Infinity)];
      expect(got.slice(1), c.name).toEqual(want.map((v) => (Number.isNaN(v) ? NaN : Math.fround(v))));
    }
  });
});

describe('activations by Keras name', () => {
  const NAMES = ['relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'swish', 'softplus', 'softsign', 'hard_sigmoid', 'hard_silu',
    'hard_swish', 'mish', 'softmax', 'log_softmax', 'exponential', 'sigmoid', 'tanh', 'linear'];

  it('get(name) is the function at its defaults; null/undefined give linear; a function is returned as is', async () => {
    const raw = [-4, -1, 0, 0.5, 2, 7];
    const xs = dt.tensor([raw]);
    for (const n of NAMES) {
      const viaGet = await A.get(n)(xs).data();
      const ref = n === 'softmax' || n === 'log_softmax' ? softmax64(await xs.data(), [1, 6], -1, n === 'log_softmax') : Array.from(await xs.data(), ACT64[n]!);
      for (let i = 0; i < 6; i++) expect(Math.abs(viaGet[i]! - ref[i]!), n).toBeLessThanOrEqual(4 * ulpAt(Math.max(Math.abs(ref[i]!), Math.abs(raw[i]!), 1e-3))); // absolute at |x|: gelu cancels for x < 0
    }
    expect(A.get(null)).toBe(A.get(undefined));
    const f = (x: dt.Tensor) => dt.neg(x);
    expect(A.get(f)).toBe(f);
    expect(() => A.get('gelu_fast')).toThrow(/^activations\.get: unknown activation 'gelu_fast'\. Expected one of: .*hard_swish/);
  });

  it('every name works as the activation of Dense, Conv2D and Activation, the same bits as the function', async () => {
    dt.utils.setRandomSeed(7);
    const x2 = dt.tensor(Float32Array.from({ length: 12 }, (_, i) => (i - 6) * 0.7), [3, 4]);
    const x4 = dt.tensor(Float32Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => Math.cos(i) * 3), [2, 4, 4, 2]);
    for (const n of NAMES) {
      const dense = new dt.layers.Dense(5, { activation: n });
      const y = dense.apply(x2);
      const [k, b] = dense.weights;
      const want = A.get(n)(dt.add(dt.matmul(x2, k!), b!));
      const conv = new dt.layers.Conv2D(3, [3, 3], { activation: n });
      const yc = conv.apply(x4);
      const act = new dt.layers.Activation(n);
      const ya = act.apply(x2);
      const direct = A.get(n)(x2);
      expect(y.shape).toEqual([3, 5]);
      expect(Array.from(await y.data()), n).toEqual(Array.from(await want.data()));
      expect(yc.shape).toEqual([2, 2, 2, 3]);
      expect(Array.from(await ya.data()), n).toEqual(Array.from(await direct.data()));
      dt.dispose([y, want, yc, ya, direct]);
      dense.dispose();
      conv.dispose();
    }
    expect(() => new dt.layers.Dense(2, { activation: 'Gelu' })).toThrow(/^Dense: unknown activation 'Gelu'/);
  });
});

describe('bad options', () => {
  it('are errors with the function name and the received value', () => {
    const x = dt.tensor([1, -1]);
    expect(() => A.relu(x, { maxValue: NaN })).toThrow(/^relu: expected maxValue to be a finite number\. Received: maxValue=NaN/);
    expect(() => A.relu(x, { negativeSlope: '0.1' as unknown as number })).toThrow(/^relu: expected negativeSlope to be a finite number/);
    expect(() => A.relu(x, { max_value: 6 } as never)).toThrow(/^relu: unrecognized options/);
    expect(() => A.leakyRelu(x, Infinity)).toThrow(/^leakyRelu: expected negativeSlope to be a finite number/);
    expect(() => A.elu(x, NaN)).toThrow(/^elu: expected alpha to be a finite number/);
    expect(() => A.gelu(x, 1 as unknown as boolean)).toThrow(/^gelu: expected approximate to be a boolean/);
    expect(() => A.softmax(x, 1)).toThrow(/^softmax: expected an integer axis in \[-1, 0\] for input of rank 1\. Received: axis=1/);
    expect(() => A.logSoftmax(x, 0.5)).toThrow(/^logSoftmax: expected an integer axis/);
    expect(() => A.sigmoid(dt.tensor([1], undefined, 'int32'))).toThrow(dt.DTypeError);
  });
});
