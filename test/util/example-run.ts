/**
 * Runs an example script (examples/*.ts) in fresh Node processes for the determinism tests: each run gets
 * its own --out directory under a temporary root; `history` reads the run's history.json bytes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './subprocess.ts';

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
