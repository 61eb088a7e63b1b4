/**
 * Runs a TypeScript file in a fresh Node process (through tsx) and returns its stdout bytes,
 * for determinism tests that must compare separate processes.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = resolve(ROOT, 'node_modules', '.bin', 'tsx');

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/** Runs `script` (path relative to the repo root) with `args` and extra environment. */
export function runTs(script: string, args: readonly string[] = [], env: Record<string, string> = {}, timeoutMs = 600_000): Promise<RunResult> {
  return new Promise((res, rej) => {
    execFile(TSX, [resolve(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'buffer', maxBuffer: 256 << 20, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err && typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : err ? null : 0;
      if (err && code === null) return rej(new Error(`${script} failed: ${err.message}\n${stderr.toString()}`));
      res({ stdout, stderr: stderr.toString(), code });
    });
  });
}
