/**
 * The fused Adam ops (src/core/ops/adam.ts) give exactly the bits of the elementwise compositions
 * they replace in the optimizer, on random values mixed with zeros, -0, subnormals, huge values,
 * Inf and NaN (NaN compared as NaN); and bad inputs get clear errors. CPU backend; the WebGPU
 * kernels are compared with these in test/agreement/elementwise.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { Lcg } from '../util/gradcheck.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});

const SPECIALS = [0, -0, 2 ** -149, -(2 ** -140), 1e-39, 2 ** -126, 1e-30, 3e38, -3e38, Infinity, -Infinity, NaN];

function values(seed: number, n: number, scale: number, nonNeg = false): Float32Array {
  const r = new Lcg(seed);
  const v = Float32Array.from({ length: n }, () => (nonNeg ? r.uniform(0, 1) : r.uniform(-1, 1)) * scale);
  for (let i = 0; i < n; i += 7) v[i] = SPECIALS[(i / 7) % SPECIALS.length];
  return v;
}

async function sameBits(a: dt.Tensor, b: dt.Tensor): Promise<void> {
  const [x, y] = [(await a.data()) as Float32Array, (await b.data()) as Float32Array];
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) && Number.isNaN(y[i])) continue;
    if (!Object.is(x[i], y[i])) expect.fail(`element ${i}: fused ${x[i]} vs composed ${y[i]}`);
  }
}

describe('fused Adam ops equal their compositions bit for bit', () => {
  for (const [shape, scale] of [[[3, 3, 32, 32], 1e-3], [[64, 10], 2 ** -120], [[1001], 1]] as [number[], number][]) {
    it(`shape [${shape}], values of magnitude ${scale}`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const [m, g, u, v] = [values(1, n, scale), values(2, n, scale), values(3, n, scale, true), values(4, n, 0.5)].map((d) => dt.tensor(d, shape));
      const c1 = 0.1;
      const c2 = 0.001;
      const alpha = 0.000316;
      const eps = 1e-7;
      await sameBits(adv.adamMoment(m, g, c1), dt.add(m, dt.mul(dt.sub(g, m), c1)));
      await sameBits(adv.adamVelocity(u, g, c2), dt.add(u, dt.mul(dt.sub(dt.square(g), u), c2)));
      await sameBits(adv.adamStep(v, m, u, alpha, eps), dt.sub(v, dt.div(dt.mul(m, alpha), dt.add(dt.sqrt(u), eps))));
    });
  }

  it('reject other dtypes, mismatched shapes and non-number scalars', () => {
    const a = dt.zeros([2, 3]);
    expect(() => adv.adamMoment(a, dt.zeros([3, 2]), 0.1)).toThrow(/adamMoment: expected m, g of one shape\. Received: m\.shape=\[2, ?3\], g\.shape=\[3, ?2\]/);
    expect(() => adv.adamVelocity(dt.zeros([2, 3], 'int32'), a, 0.1)).toThrow(/adamVelocity: expected u of dtype float32\. Received: u\.dtype=int32/);
    expect(() => adv.adamStep(a, a, a, Number.NaN, 1e-7)).toThrow(/adamStep: expected alpha to be a number/);
  });
});
