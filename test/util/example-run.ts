/**
 * Runs an example script (examples/*.ts) in fresh Node processes for the determinism tests: each run gets
 * its own --out directory under a temporary root; `history` reads the run's history.json bytes. The examples'
 * shared determinism suite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './subprocess.ts';
import { itWebGpu, webgpuUnavailableInChild } from './webgpu.ts';

/** How one run ended, and where it wrote. */
export interface ExampleRun { stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null; out: string }

/** A runner for `script`: `run(name, args, env)` spawns it with `--out <root>/<name>`; `cleanup()` removes the root. */
export function exampleRunner(script: string): {
  run(name: string, args: string[], env?: Record<string, string>): Promise<ExampleRun>;
  history(r: ExampleRun): Buffer;
  cleanup(): void;
} {
  const root = mkdtempSync(join(tmpdir(), 'ditto-example-run-'));
  return {
    run(name, args, env = {}) {
      const out = join(root, name);
      return new Promise((res, rej) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, ...args, '--out', out], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
        child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
        child.on('error', rej);
        child.on('close', (code, signal) => res({ stdout, stderr, code, signal, out }));
      });
    },
    history: (r) => readFileSync(join(r.out, 'history.json')),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * The determinism suite every MNIST classifier example passes on a subset of 256 training images (2 steps of 128
 * per epoch): fresh processes with 1, 2 and 3 CPU threads write byte-identical history.json files (History bits and
 * weights digest); another seed gives another digest; WebGPU gives the CPU's bits (skipped with the reason without
 * an adapter, failing under REQUIRE_WEBGPU=1); a run killed while writing checkpoint 3 and resumed with --resume
 * (from ckpt-2, the end of epoch 1) ends with the uninterrupted run's history.json. Call it at a test file's top level.
 */
export async function exampleDeterminismSuite(script: string): Promise<void> {
  const SUBSET = ['--train-size', '256', '--test-size', '64', '--epochs', '1', '--quiet'];
  const runner = exampleRunner(script);
  afterAll(() => runner.cleanup());
  const example = runner.run;
  const history = (r: ExampleRun) => runner.history(r);
  // Asked in a child process: this file only spawns processes and never starts Dawn itself.
  const unavailable = await webgpuUnavailableInChild();

  describe(`${script} (subset)`, () => {
    it('gives the same bits with 1, 2 and 3 threads in fresh processes; another seed differs', async () => {
      const [a, b, c, d] = await Promise.all([
        example('t1', [...SUBSET, '--backend', 'cpu', '--threads', '1']),
        example('t2', [...SUBSET, '--backend', 'cpu', '--threads', '2']),
        example('t3', [...SUBSET, '--backend', 'cpu', '--threads', '3']),
        example('s813', [...SUBSET, '--backend', 'cpu', '--seed', '813']),
      ]);
      for (const r of [a, b, c, d]) expect(r.code, r.stderr).toBe(0);
      expect(history(a).equals(history(b))).toBe(true);
      expect(history(a).equals(history(c))).toBe(true);
      const ha = JSON.parse(history(a).toString());
      expect(ha.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(history(d).toString()).weightsDigest).not.toBe(ha.weightsDigest);
      expect(Object.keys(ha.history)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
      expect(a.stdout).toMatch(/Final weights digest \(SHA-256\): [0-9a-f]{64}/);
    }, 300_000);

    itWebGpu('gives the same History bits and weights digest on WebGPU as on the CPU', unavailable, async () => {
      const [cpu, gpu] = await Promise.all([example('cpu', [...SUBSET, '--backend', 'cpu']), example('gpu', [...SUBSET, '--backend', 'webgpu'])]);
      expect(cpu.code, cpu.stderr).toBe(0);
      expect(gpu.code, gpu.stderr).toBe(0);
      const [hc, hg] = [JSON.parse(history(cpu).toString()), JSON.parse(history(gpu).toString())];
      expect(hg.backend).toBe('webgpu');
      expect(hg.bits).toEqual(hc.bits);
      expect(hg.weightsDigest).toBe(hc.weightsDigest);
    }, 300_000);

    it('a run killed during a checkpoint write and resumed ends with the uninterrupted history.json', async () => {
      // 2 steps per epoch, 2 epochs: checkpoints at steps 1, 2 (epoch end), 3...; the crash tears ckpt-3.
      const args = ['--train-size', '256', '--test-size', '64', '--epochs', '2', '--quiet', '--backend', 'cpu', '--checkpoint-every', '1'];
      const [fresh, killed] = await Promise.all([
        example('fresh', args),
        example('killed', args, { DITTO_TEST_CRASH: 'checkpoint-write:3' }),
      ]);
      expect(fresh.code, fresh.stderr).toBe(0);
      expect(killed.signal).toBe('SIGKILL');
      const resumed = await example('killed', [...args, '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/--resume: continuing from .*ckpt-000000002/);
      expect(history(resumed).equals(history(fresh))).toBe(true);
    }, 300_000);
  });
}
