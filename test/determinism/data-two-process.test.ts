/**
 * The reference program's input pipeline on real MNIST gives the same order and the same prepared
 * bytes in separate processes: twice with the same seed (identical output), once with
 * numParallelCalls 1 and no prefetch (identical: neither changes the data), once with another seed
 * (different order; its first 3 batches suffice).
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../util/subprocess.ts';

const SCRIPT = 'test/determinism/scripts/data-order.ts';

describe('data pipeline determinism across processes (cpu, real MNIST)', () => {
  it('same seed: same bytes in every process, whatever the parallelism; another seed differs', async () => {
    const [a, b] = await Promise.all([runTs(SCRIPT, ['812', '2']), runTs(SCRIPT, ['812', '2'])]);
    const [c, d] = await Promise.all([runTs(SCRIPT, ['812', '1', '1', '0']), runTs(SCRIPT, ['813', '1', '-1', '-1', '3'])]);
    for (const r of [a, b, c, d]) expect(r.code, r.stderr).toBe(0);
    const lines = (r: { stdout: Buffer }): string[] => r.stdout.toString().trim().split('\n');
    const la = lines(a);
    expect(la).toHaveLength(7);
    expect(la[0]).toMatch(/^epoch 0 batches 938 first 64x32x32x1 [0-9a-f]{128}$/);
    expect(la[6]).toBe('live tensors 0');
    expect(a.stdout.equals(b.stdout)).toBe(true);
    // epoch 0 without parallel map or prefetch: the same bytes
    expect(lines(c).slice(0, 3)).toEqual(la.slice(0, 3));
    // epochs differ from each other; another seed differs from both
    expect(la[1].split(' ')[3]).not.toBe(la[4].split(' ')[3]);
    const ld = lines(d);
    expect(ld[0]).toMatch(/^epoch 0 batches 3 first 64x32x32x1 [0-9a-f]{128}$/);
    expect(ld[0].split(' ')[6]).not.toBe(la[0].split(' ')[6]);
  }, 180_000);
});
