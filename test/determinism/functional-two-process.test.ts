/**
 * The same seed gives the same bits for a functional model: the residual CNN (Add skip, Dropout, unseeded
 * initializers, shuffled data) trained in two fresh processes with setRandomSeed(812) prints identical loss bits
 * and weight digests; seed 813 gives different ones.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../util/subprocess.ts';

const SCRIPT = 'test/determinism/scripts/functional-fit.ts';

describe('functional fit determinism across processes (cpu)', () => {
  it('two processes with seed 812 agree bit for bit; seed 813 differs', async () => {
    const [a, b, c] = await Promise.all([runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['813', 'cpu'])]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const [ra, rc] = [a, c].map((r) => JSON.parse(r.stdout.toString()) as { bits: Record<string, string[]>; weightsDigest: string });
    expect(Object.keys(ra.bits)).toEqual(['accuracy', 'loss']);
    expect(ra.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(rc.weightsDigest).not.toBe(ra.weightsDigest);
    expect(rc.bits.loss[0]).not.toBe(ra.bits.loss[0]);
  });
});
