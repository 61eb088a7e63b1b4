/**
 * The engine's summation order (src/core/reduction-order.ts): sumTree, its streaming form and
 * an independent reference of the written definition agree bit for bit, and the order really is
 * the documented tree (it differs from a plain left-to-right sum).
 */
import { describe, expect, it } from 'vitest';
import { SUM_CHUNK, TreeAccumulator, sumTree } from '../../src/core/reduction-order.ts';

const f32 = Math.fround;

/** The definition, written independently: recursive chunking of an explicit array. */
function reference(t: number[]): number {
  if (t.length <= SUM_CHUNK) return t.reduce((acc, v) => f32(acc + v), 0);
  const partials: number[] = [];
  for (let j = 0; j < t.length; j += SUM_CHUNK) partials.push(reference(t.slice(j, j + SUM_CHUNK)));
  return reference(partials);
}

function data(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(f32(((s >>> 8) / 16777216 - 0.5) * 2 ** ((s & 15) - 4)));
  }
  return out;
}

describe('summation order', () => {
  for (const n of [0, 1, 2, 255, 256, 257, 1000, 65536, 65537, 140000]) {
    it(`n = ${n}: sumTree, TreeAccumulator and the definition agree`, () => {
      const t = data(n, n + 7);
      const want = reference(t);
      expect(Object.is(sumTree(t, 0, n), want)).toBe(true);
      const acc = new TreeAccumulator(n);
      for (const v of t) acc.add(v);
      expect(Object.is(acc.result(), want)).toBe(true);
    });
  }

  it('strided sumTree reads every stride-th element', () => {
    const t = data(3000, 1);
    const every3 = t.filter((_, i) => i % 3 === 1);
    expect(sumTree(t, 1, every3.length, 3)).toBe(reference(every3));
  });

  it('is not a plain left-to-right sum (the tree changes bits)', () => {
    const t = data(5000, 3);
    const plain = t.reduce((acc, v) => f32(acc + v), 0);
    expect(sumTree(t, 0, t.length)).not.toBe(plain);
  });

  it('never produces -0 from +0 start (skipped zeros are identities)', () => {
    expect(Object.is(sumTree([-0, -0, -0], 0, 3), 0)).toBe(true);
  });
});
