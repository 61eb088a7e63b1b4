/**
 * softplus, a primitive (src/core/ops/softplus.ts over softplus32 of src/core/math, whose accuracy is measured in
 * test/unit/math/softplus.test.ts): the op gives softplus32's bits, within 1.21 ulp of the float64 reference
 * log1p(e^x) (stable form), no overflow at large x and no loss of e^x at very negative x (the reason it is a
 * primitive), the gradient sigmoid(x) against float64 central differences, and CPU vs WebGPU bits.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { softplus32 } from '../../src/core/math/index.ts';
import type { A64 } from '../reference/ops64.ts';
import { describeAgreement, input, uni, withSpecials, type AgreementCase } from '../agreement/harness.ts';
import { REF, ulpError } from '../unit/math/ulp.ts';
import { describeGradcheck, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

describe('softplus values against a float64 reference', () => {
  it('is softplus32, within 1.21 ulp, exact tails', async () => {
    await dt.setBackend('cpu');
    const xs: number[] = [];
    for (let i = 0; i <= 3000; i++) xs.push(-110 + i * 220 / 3000);
    xs.push(0, -0, 1e-30, -1e-30, 3e38, -3e38, Infinity, -Infinity, NaN);
    const x32 = Float32Array.from(xs);
    const got = (await dt.softplus(dt.tensor(x32)).data()) as Float32Array;
    let worst = 0;
    for (let i = 0; i < x32.length; i++) {
      const x = x32[i]!;
      expect(Object.is(got[i], softplus32(x)) || (Number.isNaN(got[i]!) && Number.isNaN(x))).toBe(true);
      if (Number.isFinite(x)) worst = Math.max(worst, ulpError(got[i]!, REF.softplus(x)));
    }
    expect(worst).toBeLessThanOrEqual(1.21);
    const tails = Array.from(await dt.softplus(dt.tensor([100, -30, Infinity, -Infinity])).data());
    expect(tails[0]).toBe(100); // log(1 + exp(100)) would overflow
    expect(ulpError(tails[1]!, Math.exp(-30))).toBeLessThanOrEqual(1); // log(1 + e^-30) would round to 0
    expect(tails.slice(2)).toEqual([Infinity, 0]);
    expect(() => dt.softplus(dt.tensor([1], undefined, 'int32'))).toThrow(/^softplus: expected x of dtype float32\. Received: x\.dtype=int32/);
  });
});

const ref = (x: A64): A64 => ({ shape: x.shape, data: x.data.map(REF.softplus) });
describeGradcheck('softplus gradient (float64 central differences)', [
  { name: 'softplus', f: (x) => dt.softplus(x), ref, inputs: [uniform([4, 9], -6, 6)] },
]);

const cases: AgreementCase[] = [
  { name: 'softplus sweep', inputs: [input([129, 65], uni(-120, 120))], run: ([x]) => dt.softplus(x) },
  { name: 'softplus specials', inputs: [input([500], withSpecials(uni(-20, 20)))], run: ([x]) => dt.softplus(x), nanPayloads: true },
  { name: 'softplus gradient', inputs: [input([200], uni(-8, 8)), input([200], uni(-2, 2))], run: ([x, dy]) => dt.grad((a: dt.Tensor) => dt.sum(dt.mul(dt.softplus(a), dy)))(x)[0]! },
];
describeAgreement('agreement: softplus (CPU vs WebGPU bits)', unavailable, cases);
