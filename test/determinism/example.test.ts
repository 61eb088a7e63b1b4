/**
 * Proof for the reference example (examples/reproducibility.ts) on a CI-sized subset of MNIST:
 * two fresh processes with the same options write byte-identical history.json files (History
 * bits and final weight digest); 1 and 2 CPU threads agree; the CPU and WebGPU backends give the
 * same History bits and digest (skipped with the reason without an adapter, failing under
 * REQUIRE_WEBGPU=1); a different seed gives a different digest; and the printed
 * initializer table's Threefry column equals the values printed in the Keras reference.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runTs } from '../util/subprocess.ts';
import { itWebGpu, webgpuUnavailableInChild } from '../util/webgpu.ts';

const SUBSET = ['--train-size', '192', '--test-size', '128', '--epochs', '1', '--quiet'];

function run(backend: string, seed: number, extra: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), 'ditto-example-'));
  return runTs('examples/reproducibility.ts', [...SUBSET, '--backend', backend, '--seed', String(seed), '--out', out, ...extra]).then((r) => {
    expect(r.code, r.stderr).toBe(0);
    return { stdout: r.stdout.toString(), history: readFileSync(join(out, 'history.json')) };
  });
}

/** The eleven values printed by the Keras reference (test/golden/keras-reference-initializers.json). */
function referenceValues(): string[] {
  const golden = JSON.parse(readFileSync(resolve(ROOT, 'test/golden/keras-reference-initializers.json'), 'utf8')) as { values: { printed: string }[] };
  return golden.values.map((v) => v.printed);
}

// Asked in a child process: this file only spawns processes and never starts Dawn itself.
const unavailable = await webgpuUnavailableInChild();

describe('reference example (subset)', () => {
  it('is reproducible across processes and seed-sensitive; prints the reference initializer values', async () => {
    const [a, b, c] = await Promise.all([run('cpu', 812, ['--threads', '1']), run('cpu', 812, ['--threads', '2']), run('cpu', 813)]);
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

  itWebGpu('gives the same History bits and weight digest on WebGPU as on the CPU', unavailable, async () => {
    const [cpu, gpu] = await Promise.all([run('cpu', 812), run('webgpu', 812)]);
    const hc = JSON.parse(cpu.history.toString());
    const hg = JSON.parse(gpu.history.toString());
    expect(hg.backend).toBe('webgpu');
    expect(hg.bits).toEqual(hc.bits);
    expect(hg.weightsDigest).toBe(hc.weightsDigest);
  });
});
