/**
 * The reference example's --resume (examples/reproducibility.ts) on a small MNIST subset: a run
 * killed while writing a checkpoint (DITTO_TEST_CRASH hook) and resumed with --resume writes a
 * history.json byte-identical to an uninterrupted run's; --resume without checkpoints starts fresh
 * and says so; a fresh run refuses a directory that holds checkpoints.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../util/subprocess.ts';

const SUBSET = ['--train-size', '192', '--test-size', '64', '--epochs', '2', '--quiet', '--backend', 'cpu', '--checkpoint-every', '2'];
const root = mkdtempSync(join(tmpdir(), 'ditto-example-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the example in one Node process; resolves with its output and how it ended. */
function example(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/reproducibility.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', rej);
    child.on('close', (code, signal) => res({ stdout, stderr, code, signal }));
  });
}

describe('examples/reproducibility.ts --resume (cpu, subset)', () => {
  it('a run killed during a checkpoint write and resumed ends with the uninterrupted history.json', async () => {
    const [fresh, killed] = [join(root, 'fresh'), join(root, 'killed')];
    // 3 steps per epoch: checkpoints at steps 2, 3 (epoch end), 4, 6; the crash tears ckpt-4.
    const [a, b] = await Promise.all([
      example([...SUBSET, '--out', fresh, '--resume']),
      example([...SUBSET, '--out', killed], { DITTO_TEST_CRASH: 'checkpoint-write:4' }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/--resume: no checkpoint in .*fresh\/checkpoints; starting fresh \(checkpoints every 2 steps and every epoch\)/);
    expect(b.signal).toBe('SIGKILL');
    expect(readdirSync(join(killed, 'checkpoints')).sort()).toEqual([expect.stringMatching(/^\.ckpt-000000004\.tmp-ditto-\d+$/), 'ckpt-000000002', 'ckpt-000000003']);

    const [refused, resumed] = [await example([...SUBSET, '--out', killed]), await example([...SUBSET, '--out', killed, '--resume'])];
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/checkpoints already holds checkpoints; add --resume to continue from them/);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/--resume: continuing from .*killed\/checkpoints\/ckpt-000000003 \(the start of epoch 2\/2; global step 3\)/);
    expect(readFileSync(join(killed, 'history.json')).equals(readFileSync(join(fresh, 'history.json')))).toBe(true);
    expect(readdirSync(join(killed, 'checkpoints')).sort()).toEqual(['ckpt-000000004', 'ckpt-000000006']);
  }, 180_000);
});
