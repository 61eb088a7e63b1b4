/**
 * fit on arrays shuffles with a seed drawn from the global seed (issue 18): two fresh processes with
 * setRandomSeed(812) print identical History bits and weight digests; seed 813 gives different ones.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../util/subprocess.ts';

const SCRIPT = 'test/determinism/scripts/fit-arrays.ts';

describe('fit on shuffled arrays across processes (cpu)', () => {
  it('two processes with seed 812 agree bit for bit; seed 813 differs', async () => {
    const [a, b, c] = await Promise.all([runTs(SCRIPT, ['812']), runTs(SCRIPT, ['812']), runTs(SCRIPT, ['813'])]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const [ra, rc] = [a, c].map((r) => JSON.parse(r.stdout.toString()) as { history: { bits: Record<string, string[]> }; weightsDigest: string });
    expect(Object.keys(ra.history.bits)).toEqual(['auc', 'loss', 'val_auc', 'val_loss']);
    expect(rc.weightsDigest).not.toBe(ra.weightsDigest);
    expect(rc.history.bits.loss).not.toEqual(ra.history.bits.loss);
  });
});
