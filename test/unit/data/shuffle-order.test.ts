/**
 * The shuffle's seed -> order derivation (src/data/shuffle-order.ts): known-answer vectors that pin
 * it (a change in the derivation or in pure-rand's draws fails here), agreement with an independent
 * re-implementation of the documented steps, permutation and buffer-window properties, uniformity.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as adv from '../../../src/advanced.ts';

const { shuffleOrder, shuffleStateWords, SHUFFLE_TAG } = adv;

/** The header's steps 1-5 written out directly (the reference the implementation must match). */
function referenceOrder(seed: number, epoch: number, n: number, bufferSize: number): number[] {
  const lo = ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const w = dt.random.philox4x32([epoch % 2 ** 32, Math.floor(epoch / 2 ** 32), SHUFFLE_TAG, 0], [lo, hi]);
  const rng = xoroshiro128plusFromState(Array.from(w, (v) => v | 0));
  const buf: number[] = [];
  let next = 0;
  while (buf.length < bufferSize && next < n) buf.push(next++);
  const out: number[] = [];
  while (buf.length > 0) {
    const j = uniformInt(rng, 0, buf.length - 1);
    out.push(buf[j]);
    if (next < n) buf[j] = next++;
    else {
      buf[j] = buf[buf.length - 1];
      buf.pop();
    }
  }
  return out;
}

describe('shuffle order derivation', () => {
  it('known-answer vectors (seed 812)', () => {
    expect(shuffleStateWords(812, 0)).toEqual([1625822784, 1570759142, 2080834385, 1921075949]);
    expect(shuffleStateWords(-5, 2 ** 40)).toEqual([2088038682, 1136095568, 1576713995, -1697085517]);
    expect(Array.from(shuffleOrder(812, 0, 16, 16))).toEqual([3, 0, 4, 13, 14, 11, 2, 10, 9, 12, 5, 7, 15, 1, 6, 8]);
    expect(Array.from(shuffleOrder(812, 1, 16, 16))).toEqual([8, 0, 11, 12, 1, 5, 4, 14, 2, 10, 15, 6, 13, 3, 9, 7]);
    expect(Array.from(shuffleOrder(812, 0, 16, 4))).toEqual([3, 2, 0, 1, 6, 5, 9, 7, 10, 12, 11, 4, 15, 14, 13, 8]);
    expect(Array.from(shuffleOrder(812, 0, 60000, 60000).slice(0, 8))).toEqual([51443, 59857, 39424, 9473, 23940, 48055, 5678, 57595]);
  });

  it('state words are Philox4x32-10 of (epoch, tag) under the seed as int64 words', () => {
    for (const [seed, epoch] of [[0, 0], [812, 3], [2 ** 40 + 7, 1], [-1, 5]]) {
      const lo = ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;
      const hi = Math.floor(seed / 2 ** 32) >>> 0;
      const w = dt.random.philox4x32([epoch, 0, SHUFFLE_TAG, 0], [lo, hi]);
      expect(shuffleStateWords(seed, epoch)).toEqual(Array.from(w, (v) => v | 0));
    }
  });

  it('matches the reference implementation of the documented steps', () => {
    for (const [seed, epoch, n, b] of [[1, 0, 100, 100], [1, 1, 100, 7], [99, 4, 37, 1], [123456789, 2, 50, 64], [-3, 0, 1, 1], [5, 0, 0, 3]]) {
      expect(Array.from(shuffleOrder(seed, epoch, n, b)), `seed ${seed} epoch ${epoch} n ${n} buffer ${b}`).toEqual(referenceOrder(seed, epoch, n, b));
    }
  });

  it('is a permutation; each output comes from the buffer window', () => {
    for (const b of [1, 2, 10, 999, 1000, 5000]) {
      const o = shuffleOrder(7, 3, 1000, b);
      expect([...o].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      // Output k was in the buffer, which holds upstream positions < k + bufferSize.
      for (let k = 0; k < o.length; k++) expect(o[k]).toBeLessThan(k + b);
    }
    expect(Array.from(shuffleOrder(7, 3, 10, 1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('differs between seeds and between epochs', () => {
    const a = shuffleOrder(1, 0, 1000, 1000).join();
    expect(shuffleOrder(1, 0, 1000, 1000).join()).toBe(a);
    expect(shuffleOrder(2, 0, 1000, 1000).join()).not.toBe(a);
    expect(shuffleOrder(1, 1, 1000, 1000).join()).not.toBe(a);
  });

  it('is close to uniform over the 24 permutations of 4 elements', () => {
    const counts = new Map<string, number>();
    const trials = 4800;
    for (let s = 0; s < trials; s++) {
      const k = shuffleOrder(s, 0, 4, 4).join();
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const e = trials / 24;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - e) ** 2 / e;
    expect(chi2).toBeLessThan(49.7); // 23 degrees of freedom, p = 0.001
  });

  it('rejects bad seeds and epochs', () => {
    expect(() => shuffleStateWords(1.5, 0)).toThrow(/^shuffle: expected seed to be an integer/);
    expect(() => shuffleStateWords(1, -1)).toThrow(/^shuffle: expected epoch to be a non-negative integer\. Received: epoch=-1/);
  });
});
