/**
 * erf, a primitive (definition src/core/ops/erf.ts, the float32 function src/core/math/erf.ts and dt_erf in
 * shaders/lib/math.wgsl, kernels src/kernels/{cpu,webgpu}/special-unary.ts):
 * - the float64 reference (test/reference/erf64.ts) against Python's math.erf at fixed points;
 * - values within 1.30 ulp of the float64 reference (the exhaustive maximum of scripts/erf-ulp-sweep.ts is 1.2982)
 *   on a few thousand inputs and the edge cases: ±0, subnormals, ±Inf, NaN, large |x|, the branch points;
 * - oddness, monotonicity around the branch points, ±1 from |x| >= 4;
 * - the gradient against float64 central differences;
 * - CPU vs WebGPU bit for bit (edge cases and a sweep), and the WGSL function against the TypeScript one on
 *   ~2.7 million inputs in test/agreement/math-wgsl.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { erf32, f32FromBits } from '../../src/core/math/index.ts';
import type { A64 } from '../reference/ops64.ts';
import { erf64 } from '../reference/erf64.ts';
import { describeAgreement, input, uni, withSpecials, type AgreementCase } from '../agreement/harness.ts';
import { ulpError } from '../unit/math/ulp.ts';
import { describeGradcheck, uniform } from '../util/gradcheck.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const ERF_MAX_ULP = 1.3;

/** Edge inputs as float32 bit patterns: zeros, subnormals, the smallest normals, branch points (0.625, 4) with
 * neighbours, where erf rounds to 1 (3.9192), large values, ±Inf, NaN. Both signs. */
function edgeInputs(): Float32Array {
  const bits = [0x00000000, 0x00000001, 0x00000002, 0x00000300, 0x007fffff, 0x00800000, 0x00800001, 0x0d000000, 0x30800000,
    0x33000000, 0x39800000, 0x3f1e3b8e, 0x3f200000, 0x3f800000, 0x40000000, 0x407ad445, 0x40800000, 0x41200000,
    0x4b000000, 0x7f7fffff, 0x7f800000, 0x7fc00000];
  const out: number[] = [];
  for (const b of bits) {
    for (let d = -2; d <= 2; d++) {
      const v = b + d;
      if (v < 0 || v > 0x7fc00000 || (v > 0x7f800000 && v !== 0x7fc00000)) continue;
      out.push(f32FromBits(v), f32FromBits((v + 0x80000000) >>> 0));
    }
  }
  return Float32Array.from(out);
}

describe('erf values against a float64 reference', () => {
  it('the float64 reference agrees with Python math.erf to 1e-15', () => {
    // math.erf(x) from CPython 3 (libm erf, correctly rounded to ~1 ulp in float64)
    const PY: [number, number][] = [[1e-8, 1.1283791670955126e-8], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465],
      [0.625, 0.623240882188418], [1, 0.8427007929497149], [2, 0.9953222650189527], [3, 0.9999779095030014], [4, 0.9999999845827421]];
    for (const [x, want] of PY) {
      expect(Math.abs(erf64(x) - want) / want).toBeLessThan(1e-15);
      expect(erf64(-x)).toBe(-erf64(x));
    }
  });

  it(`erf32 and dt.erf are within ${ERF_MAX_ULP} ulp on a sweep and the edge cases`, async () => {
    await dt.setBackend('cpu');
    const xs: number[] = [];
    for (let i = 0; i <= 4000; i++) xs.push(-5 + i * 10 / 4000);
    for (let e = -149; e <= 2; e += 0.25) xs.push(2 ** e, -(2 ** e));
    const all = Float32Array.from([...xs, ...edgeInputs(), 1e30, -1e30, 3.4e38, -3.4e38]);
    const got = (await dt.erf(dt.tensor(all)).data()) as Float32Array;
    let worst = 0;
    let at = NaN;
    for (let i = 0; i < all.length; i++) {
      const x = all[i]!;
      expect(Object.is(got[i], erf32(x)) || (Number.isNaN(got[i]!) && Number.isNaN(erf32(x)))).toBe(true); // kernel = erf32
      const e = ulpError(got[i]!, erf64(x));
      if (e > worst || Number.isNaN(e)) {
        worst = e;
        at = x;
      }
    }
    console.log(`erf: max ${worst.toFixed(4)} ulp at x=${at} over ${all.length} inputs`);
    expect(worst).toBeLessThanOrEqual(ERF_MAX_ULP);
  });

  it('special values: ±0 keep their sign, subnormals, ±1 from |x| >= 4 and at ±Inf, NaN stays NaN, odd', () => {
    expect(Object.is(erf32(0), 0)).toBe(true);
    expect(Object.is(erf32(-0), -0)).toBe(true);
    expect(erf32(2 ** -149)).toBe(2 ** -149); // 1.128 * 2^-149 rounds to 2^-149
    expect(erf32(3 * 2 ** -149)).toBe(3 * 2 ** -149); // 3.385 -> 3
    // a*p rounds in the subnormal range below 2^-123, then a + a*p rounds again: within 1 ulp there
    expect(ulpError(erf32(2 ** -126), erf64(2 ** -126))).toBeLessThanOrEqual(1);
    for (const x of [4, 5, 1e30, Infinity]) {
      expect(erf32(x)).toBe(1);
      expect(erf32(-x)).toBe(-1);
    }
    expect(erf32(Math.fround(3.93))).toBe(1);
    expect(erf32(Math.fround(3.91))).toBeLessThan(1);
    expect(erf32(NaN)).toBeNaN();
    for (let i = 0; i < 2000; i++) {
      const x = f32FromBits(0x30000000 + i * 0x9a3b1);
      expect(erf32(-x)).toBe(-erf32(x));
    }
  });

  it('is monotonic across the branch points 0.625 and 4 (1000 float32 steps each side)', () => {
    for (const b of [0x3f200000, 0x40800000]) {
      let prev = erf32(f32FromBits(b - 1000));
      for (let v = b - 999; v <= b + 1000; v++) {
        const y = erf32(f32FromBits(v));
        expect(y).toBeGreaterThanOrEqual(prev);
        prev = y;
      }
    }
  });

  it('refuses a non-float32 x with a clear error', () => {
    expect(() => dt.erf(dt.tensor([1, 2], undefined, 'int32'))).toThrow(/^erf: expected x of dtype float32\. Received: x\.dtype=int32/);
  });
});

const ref = (x: A64): A64 => ({ shape: x.shape, data: x.data.map(erf64) });
describeGradcheck('erf gradient (float64 central differences)', [
  { name: 'erf', f: (x) => dt.erf(x), ref, inputs: [uniform([3, 17], -3, 3)] },
  { name: 'erf(erf(x) * 2)', f: (x) => dt.erf(dt.mul(dt.erf(x), 2)), ref: (x) => ref({ shape: x.shape, data: ref(x).data.map((v) => v * 2) }), inputs: [uniform([11], -2, 2)] },
]);

const edges = edgeInputs();
const cases: AgreementCase[] = [
  { name: 'erf edge cases', inputs: [input([edges.length], () => edges)], run: ([x]) => dt.erf(x), nanPayloads: true },
  { name: 'erf sweep [-5, 5]', inputs: [input([257, 129], uni(-5, 5))], run: ([x]) => dt.erf(x) },
  { name: 'erf small [-0.7, 0.7]', inputs: [input([4099], uni(-0.7, 0.7))], run: ([x]) => dt.erf(x) },
  { name: 'erf specials', inputs: [input([600], withSpecials(uni(-8, 8)))], run: ([x]) => dt.erf(x), nanPayloads: true },
  { name: 'erf gradient', inputs: [input([300], uni(-4, 4)), input([300], uni(-2, 2))], run: ([x, dy]) => dt.grad((a: dt.Tensor) => dt.sum(dt.mul(dt.erf(a), dy)))(x)[0]! },
];
describeAgreement('agreement: erf (CPU vs WebGPU bits)', unavailable, cases);
