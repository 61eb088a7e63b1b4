/**
 * Running the same ops twice in one process and once in each of two fresh processes gives
 * identical bytes; a different input seed gives different bytes (so the test can fail).
 */
import { describe, expect, it } from 'vitest';
import { runTs } from '../util/subprocess.ts';

const SCRIPT = 'test/determinism/scripts/ops-digest.ts';

describe('op determinism across processes (cpu)', () => {
  it('two fresh processes print identical bytes; another seed differs', async () => {
    const [a, b, c] = await Promise.all([runTs(SCRIPT, ['1', 'cpu']), runTs(SCRIPT, ['1', 'cpu']), runTs(SCRIPT, ['2', 'cpu'])]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const la = a.stdout.toString().trim().split('\n');
    const lc = c.stdout.toString().trim().split('\n');
    expect(la.length).toBe(lc.length);
    for (let i = 0; i < la.length; i++) expect(la[i], la[i].split(' ')[0]).not.toBe(lc[i]);
  });
});
