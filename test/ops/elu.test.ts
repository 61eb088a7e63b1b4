/**
 * elu, the primitive added the new way (definition + attributes in src/core/ops/unary.ts, CPU kernel in
 * src/kernels/cpu/unary.ts, WGSL kernel in src/kernels/webgpu/unary.ts + shaders/unary-math.wgsl):
 * - values against a float64 reference (x > 0 ? x : alpha * expm1(x), NumPy's and Keras's formula) within
 *   2 ulp (expm1_32's error plus one rounding), exact for x > 0, over a dense sweep and special values;
 * - Keras semantics: alpha defaults to 1; NaN stays NaN; errors for a non-float32 x and a non-finite alpha;
 * - the gradient against float64 central differences (test/util/gradcheck.ts);
 * - CPU vs WebGPU bit for bit (the shared agreement harness), with special values and several alphas;
 * - the op table: elu is in OP_NAMES and in both backends' kernel tables, which list exactly OP_NAMES.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { CPU_KERNELS } from '../../src/kernels/cpu/kernels.ts';
import { WEBGPU_KERNELS } from '../../src/kernels/webgpu/kernels.ts';
import type { A64 } from '../reference/ops64.ts';
import { describeAgreement, input, uni, withFiniteSpecials, withSpecials, type AgreementCase } from '../agreement/harness.ts';
import { ulpDistance } from '../util/compare.ts';
import { describeGradcheck, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

/** float64 reference: Keras/NumPy elu. */
function elu64(x: number, alpha: number): number {
  return x > 0 ? x : alpha * Math.expm1(x);
}
const ref = (alpha: number) => (x: A64): A64 => ({ shape: x.shape, data: x.data.map((v) => elu64(v, alpha)) });

describe('elu values (CPU) against a float64 reference', () => {
  it('is within 2 ulp of alpha * expm1(x) below 0 and exact above, alpha 1 by default', async () => {
    dt.config.setNumThreads(1);
    await dt.setBackend('cpu');
    const xs = new Float32Array(200_001);
    for (let i = 0; i < xs.length; i++) xs[i] = Math.fround(-100 + (i * 120) / (xs.length - 1));
    for (const alpha of [1, 0.3, 2.5]) {
      const y = alpha === 1 ? dt.elu(dt.tensor(xs)) : dt.elu(dt.tensor(xs), alpha);
      const got = (await y.data()) as Float32Array;
      let worst = 0;
      for (let i = 0; i < xs.length; i++) {
        const want = Math.fround(elu64(xs[i], Math.fround(alpha)));
        const d = ulpDistance(got[i], want);
        if (xs[i] > 0) expect(got[i]).toBe(xs[i]);
        worst = Math.max(worst, d);
      }
      console.log(`elu alpha=${alpha}: max ${worst} ulp from the float64 reference over ${xs.length} inputs in [-100, 20]`);
      expect(worst).toBeLessThanOrEqual(2);
    }
  });

  it('special values: NaN stays NaN, -0 and subnormals take the negative branch, -Inf gives -alpha', async () => {
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, -20, -1e-8];
    const got = Array.from(await dt.elu(dt.tensor(specials), 0.5).data());
    expect(got[0]).toBeNaN();
    expect(got.slice(1, 5)).toEqual([Infinity, -0.5, 0, -0]);
    expect(Object.is(got[3], 0) && Object.is(got[4], -0)).toBe(true); // +0 -> +0, -0 -> 0.5 * expm1(-0) = -0
    expect(got[5]).toBe(Math.fround(1e-45)); // a positive subnormal is > 0: passed through
    expect(Object.is(got[6], -0)).toBe(true); // 0.5 * -2^-149 rounds (ties to even) to -0
    expect(got[7]).toBe(Math.fround(3.4e38));
    expect(got[8]).toBe(-0.5);
    for (const i of [9, 10]) expect(ulpDistance(got[i], Math.fround(elu64(Math.fround(specials[i]), 0.5)))).toBeLessThanOrEqual(1);
  });

  it('refuses a non-float32 x and a non-finite alpha with clear errors', () => {
    expect(() => dt.elu(dt.tensor([1, 2], undefined, 'int32'))).toThrow(dt.DTypeError);
    expect(() => dt.elu(dt.tensor([1, 2], undefined, 'int32'))).toThrow(/^elu: expected x of dtype float32\. Received: x\.dtype=int32/);
    expect(() => dt.elu(dt.tensor([1]), NaN)).toThrow(/^elu: expected alpha to be a finite number\. Received: alpha=NaN/);
  });
});

describeGradcheck('elu gradient (float64 central differences)', [
  { name: 'elu alpha 1', f: (x) => dt.elu(x), ref: ref(1), inputs: [uniform([2, 3, 4], -3, 2)] },
  { name: 'elu alpha 0.5', f: (x) => dt.elu(x, 0.5), ref: ref(Math.fround(0.5)), inputs: [uniform([17], -2, 2)] },
  { name: 'elu(elu(x))', f: (x) => dt.elu(dt.elu(x, 1.5)), ref: (x) => ref(1)(ref(Math.fround(1.5))(x)), inputs: [uniform([9], -2, 2)] },
]);

const cases: AgreementCase[] = [];
for (const alpha of [1, 0.1, 3]) {
  for (const shape of [[7], [3, 5], [67, 1029]]) cases.push({ name: `elu alpha ${alpha} [${shape}]`, inputs: [input(shape, uni(-30, 10))], run: ([x]) => dt.elu(x, alpha) });
  cases.push({ name: `elu alpha ${alpha} finite specials`, inputs: [input([500], withFiniteSpecials(uni(-100, 100)))], run: ([x]) => dt.elu(x, alpha), nanPayloads: true });
  cases.push({ name: `elu alpha ${alpha} all specials`, inputs: [input([500], withSpecials(uni(-100, 100)))], run: ([x]) => dt.elu(x, alpha), nanPayloads: true });
}
cases.push({ name: 'elu gradient', inputs: [input([300], uni(-5, 5)), input([300], uni(-2, 2))], run: ([x, dy]) => dt.grad((a: dt.Tensor) => dt.sum(dt.mul(dt.elu(a, 0.7), dy)))(x)[0] });
describeAgreement('agreement: elu (CPU vs WebGPU bits)', unavailable, cases);

describe('the op table', () => {
  it('lists elu, and both kernel tables hold exactly the defined primitives', () => {
    expect(adv.OP_NAMES).toContain('elu');
    expect(new Set(adv.OP_NAMES).size).toBe(adv.OP_NAMES.length);
    expect(Object.keys(CPU_KERNELS).sort()).toEqual([...adv.OP_NAMES].sort());
    expect(Object.keys(WEBGPU_KERNELS).sort()).toEqual([...adv.OP_NAMES].sort());
  });
});
