/**
 * BackupAndRestore proven by killing (CPU): scripts/backup-train.ts (4 epochs x 3 steps, Dropout, shuffling,
 * validation, ReduceLROnPlateau changing the learning rate, CSVLogger) is SIGKILLed at a marker line and started
 * again with the same callback, as a user would; the restarted run must end with the uninterrupted run's History
 * bytes, weights, learning rate, optimizer step and CSV file, and delete its backup.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../util/subprocess.ts';

const SCRIPT = resolve(ROOT, 'test/resume/scripts/backup-train.ts');
const root = mkdtempSync(join(tmpdir(), 'ditto-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Outcome { lines: string[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }

/** Runs the script in one Node process (SIGKILL reaches the trainer itself); kills it at `PAUSED <pauseAt>`. */
function runChild(args: string[], pauseAt?: string): Promise<Outcome> {
  const full = [...args, ...(pauseAt ? ['--pause-at', pauseAt] : [])];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...full], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`backup-train.ts ${full.join(' ')}: no exit after 100 s\n${lines.join('\n')}\n${stderr}`));
    }, 100_000);
    child.stdout.on('data', (b: Buffer) => {
      pending += b.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (pauseAt && line === `PAUSED ${pauseAt}`) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', rej);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (pending) lines.push(pending);
      res({ lines, code, signal, stderr });
    });
  });
}

function resultOf(o: Outcome): Record<string, unknown> {
  const line = o.lines.find((l) => l.startsWith('RESULT '));
  expect(line, `no RESULT line (code ${o.code}, signal ${o.signal})\n${o.lines.join('\n')}\n${o.stderr}`).toBeDefined();
  return JSON.parse(line!.slice('RESULT '.length));
}

/** Kills at each marker in turn, then runs to the end; returns the last run and the markers each run began at. */
async function chain(name: string, extra: string[], kills: string[]): Promise<{ result: Record<string, unknown>; starts: string[]; steps: string[][] }> {
  const args = ['--backup-dir', join(root, `${name}-backup`), '--csv', join(root, `${name}.csv`), ...extra];
  const starts: string[] = [];
  const steps: string[][] = [];
  for (const k of kills) {
    const o = await runChild(args, k);
    expect(o.signal, `${name}: expected SIGKILL at ${k}\n${o.lines.join('\n')}\n${o.stderr}`).toBe('SIGKILL');
    starts.push(o.lines[0]);
    steps.push(o.lines.filter((l) => l.startsWith('step ')));
  }
  const last = await runChild(args);
  expect(last.code, `${name}: resume failed\n${last.lines.join('\n')}\n${last.stderr}`).toBe(0);
  starts.push(last.lines[0]);
  steps.push(last.lines.filter((l) => l.startsWith('step ')));
  return { result: resultOf(last), starts, steps };
}

describe('BackupAndRestore with kill -9 (cpu)', () => {
  it('a run killed and started again ends bit-identical to an uninterrupted one, and deletes its backup', async () => {
    const [base, epochs, batches] = await Promise.all([
      runChild(['--backup-dir', join(root, 'base-backup'), '--csv', join(root, 'base.csv')]),
      // saveFreq 'epoch': killed mid-epoch 2, then mid-epoch 4.
      chain('epochs', [], ['step 5', 'step 11']),
      // saveFreq 2 batches: killed in step 4's onBatchEnd (before its backup), then between two backups.
      chain('batches', ['--save-freq', '2'], ['step 4', 'step 7']),
    ]);
    expect(base.code, base.stderr).toBe(0);
    const expected = resultOf(base);
    expect(expected.iterations).toBe(12);
    expect(expected.backupDeleted).toBe(true);
    expect(JSON.parse(expected.history as string).history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025].map(Math.fround));
    expect((expected.csv as string).split('\r\n')[0]).toBe('epoch,accuracy,learning_rate,loss,val_accuracy,val_loss');
    expect(epochs.starts).toEqual(['fresh', 'backup found', 'backup found']);
    // Resumed from the backup after epoch 1 (step 3), then after epoch 3 (step 9).
    expect(epochs.steps.map((s) => s[0])).toEqual(['step 1', 'step 4', 'step 10']);
    // Resumed after step 2 (step 4's backup was not written yet), then after step 6.
    expect(batches.steps.map((s) => s[0])).toEqual(['step 1', 'step 3', 'step 7']);
    for (const r of [epochs, batches]) expect(r.result).toEqual(expected);
    expect(existsSync(join(root, 'epochs-backup'))).toBe(false);
  }, 200_000);
});
