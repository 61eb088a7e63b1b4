/**
 * The same seed gives the same bits in fit: a small CNN trained (shuffle, map, prefetch, dropout,
 * unseeded initializers) in two fresh processes with setRandomSeed(812) prints identical History
 * bits, evaluate values, weight digests and safetensors file hashes; seed 813 gives different ones.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../util/subprocess.ts';

const SCRIPT = 'test/determinism/scripts/fit-history.ts';

interface Run {
  history: { history: Record<string, number[]>; bits: Record<string, string[]>; epoch: number[] };
  evaluate: string[];
  weightsDigest: string;
  fileSha: string;
}

describe('fit determinism across processes (cpu)', () => {
  it('two processes with seed 812 agree bit for bit; seed 813 differs', async () => {
    const [a, b, c] = await Promise.all([runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['812', 'cpu']), runTs(SCRIPT, ['813', 'cpu'])]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const [ra, rc] = [a, c].map((r) => JSON.parse(r.stdout.toString()) as Run);
    expect(Object.keys(ra.history.bits)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(ra.history.epoch).toEqual([0, 1]);
    expect(ra.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
    // the last validation logs are what evaluate returns afterwards
    expect(ra.evaluate).toEqual([ra.history.bits.val_loss[1], ra.history.bits.val_accuracy[1]]);
    // another seed: other initial weights, dropout masks and shuffle order
    expect(rc.weightsDigest).not.toBe(ra.weightsDigest);
    expect(rc.fileSha).not.toBe(ra.fileSha);
    expect(rc.history.bits.loss).not.toEqual(ra.history.bits.loss);
    expect(rc.history.bits.loss[0]).not.toBe(ra.history.bits.loss[0]);
  });
});
