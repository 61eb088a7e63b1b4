/**
 * Proof for the reference example (examples/reproducibility.ts) on a CI-sized subset of MNIST:
 * two fresh processes with the same options write byte-identical history.json files (History
 * bits and final weight digest), a different seed gives a different digest, and the printed
 * initializer table's Threefry column equals the values printed in the Keras reference.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runTs } from '../util/subprocess.ts';

const SUBSET = ['--train-size', '192', '--test-size', '128', '--epochs', '1', '--quiet'];

function run(backend: string, seed: number, extraEnv: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'ditto-example-'));
  return runTs('examples/reproducibility.ts', [...SUBSET, '--backend', backend, '--seed', String(seed), '--out', out], extraEnv).then((r) => {
    expect(r.code, r.stderr).toBe(0);
    return { stdout: r.stdout.toString(), history: readFileSync(join(out, 'history.json')) };
  });
}

/** The eleven "Result --> value" lines of the Keras reference, in order. */
function referenceValues(): string[] {
  const text = readFileSync(resolve(ROOT, '../shared/reference/keras-reproducibility-example.txt'), 'utf8');
  return [...text.matchAll(/Iteration --> 0 \/\/ Result --> (\S+)/g)].map((m) => m[1]);
}

describe('reference example (cpu, subset)', () => {
  it('is reproducible across processes and seed-sensitive; prints the reference initializer values', async () => {
    const [a, b, c] = await Promise.all([run('cpu', 812), run('cpu', 812), run('cpu', 813)]);
    expect(a.history.equals(b.history)).toBe(true);
    const ha = JSON.parse(a.history.toString());
    const hc = JSON.parse(c.history.toString());
    expect(ha.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(hc.weightsDigest).not.toBe(ha.weightsDigest);
    expect(Object.keys(ha.history)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);

    const printed = [...a.stdout.matchAll(/Iteration --> 0 \/\/ Result --> (\S+)/g)].map((m) => m[1]);
    const reference = referenceValues();
    expect(reference).toHaveLength(11);
    expect(printed).toEqual(reference);
    expect(a.stdout).toContain('Are the results equal? True\nAre the results equal? False');
  });
});
