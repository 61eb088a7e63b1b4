/**
 * Self-tests of the gradient checker (test/util/gradcheck.ts): it passes a correct gradient and
 * fails a wrong one, also when the forward values agree and only the backward pass is wrong, it
 * notices a 1% error, samples large inputs, and its seeded data is reproducible.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as R from '../reference/ops64.ts';
import { Lcg, distinct, gradcheck, hashString, uniform } from '../util/gradcheck.ts';

const kinds = (r: { failures: { kind: string }[] }) => new Set(r.failures.map((f) => f.kind));

describe('gradcheck self-test', () => {
  it('passes a correct gradient', async () => {
    const r = await gradcheck({ name: 'self: 3x', f: (x) => dt.mul(x, 3), ref: (x) => R.map(x, (v) => 3 * v), inputs: [uniform([2, 3])] });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(6 + 3);
    expect(r.worstNorm).toBeLessThan(1);
  });

  it('fails mul(x, 2) checked against the reference 3x', async () => {
    const r = await gradcheck({ name: 'self: 2x vs 3x', f: (x) => dt.mul(x, 2), ref: (x) => R.map(x, (v) => 3 * v), inputs: [uniform([2, 3])] });
    expect(kinds(r).has('element')).toBe(true);
    expect(kinds(r).has('directional')).toBe(true);
  });

  it('fails a wrong backward pass whose forward value is right (x * stopGradient(x) vs x^2)', async () => {
    const r = await gradcheck({
      name: 'self: stop-gradient square',
      f: (x) => dt.mul(x, dt.noGrad(() => dt.clone(x))),
      ref: R.square,
      inputs: [uniform([4], 0.5, 2)],
    });
    expect(kinds(r).has('forward')).toBe(false);
    expect(kinds(r).has('element')).toBe(true);
    expect(kinds(r).has('directional')).toBe(true);
  });

  it('notices a 1% error in the gradient', async () => {
    const r = await gradcheck({ name: 'self: 1%', f: (x) => dt.mul(x, 1.01), ref: (x) => x, inputs: [uniform([5], -2, 2)], fwdRtol: 0.02 });
    expect(kinds(r)).toEqual(new Set(['element', 'directional']));
  });

  it('samples large inputs and still catches a wrong gradient', async () => {
    const ok = await gradcheck({ name: 'self: large', f: (x) => dt.square(x), ref: R.square, inputs: [uniform([20, 30])] });
    expect(ok.failures).toEqual([]);
    expect(ok.checked).toBe(40 + 3);
    const bad = await gradcheck({ name: 'self: large bad', f: (x) => dt.mul(x, dt.noGrad(() => dt.clone(x))), ref: R.square, inputs: [uniform([20, 30], 0.5, 1)] });
    expect(kinds(bad).has('element')).toBe(true);
  });

  it('checks every input of a multi-input function', async () => {
    const r = await gradcheck({ name: 'self: two inputs', f: (a, b) => dt.mul(a, b), ref: R.mul, inputs: [uniform([3]), uniform([3])] });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(3 + 3 + 3);
  });

  it('draws reproducible data from its LCG', () => {
    const a = new Lcg(hashString('x'));
    const b = new Lcg(hashString('x'));
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
    const d = distinct([50])(new Lcg(1)).data;
    const sorted = [...d].sort((p, q) => p - q);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(2 / 50 / 2 - 1e-12);
  });
});
