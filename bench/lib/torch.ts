/**
 * The PyTorch (CPU) peer: Debian's python3-torch run by /usr/bin/python3 (or $DITTO_BENCH_PYTHON)
 * on bench/torch_step.py, a child that speaks lib/child.ts's protocol. The batch travels as a file
 * of raw little-endian bytes (the [n, 32, 32, 1] float32 images, then the [n] int32 labels), so
 * torch trains on the very Float32Array the other engines get.
 *
 * Nothing here throws: when python3 or torch is missing, `probeTorch` says why, with the install
 * command, and the bench reports those configurations as `cannot run: <reason>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, type ChildResult } from './child.ts';
import type { Config } from './configs.ts';
import type { Batch } from './data.ts';

export const TORCH_SCRIPT = fileURLToPath(new URL('../torch_step.py', import.meta.url));
export const INSTALL_HINT = 'install it: bash scripts/install-torch.sh (as root: apt-get update && apt-get install -y python3-torch)';

/** The Python the torch peer runs: $DITTO_BENCH_PYTHON, else Debian's /usr/bin/python3 (not a pyenv/venv python3 on PATH). */
export function torchPython(): string {
  return process.env.DITTO_BENCH_PYTHON || '/usr/bin/python3';
}

export interface TorchProbe {
  ok: boolean;
  python: string;
  reason?: string;
  version?: string;
}

/** Whether torch can be imported by the bench's Python (a few seconds: it imports torch once). */
export function probeTorch(env: Record<string, string> = {}, unsetEnv: readonly string[] = []): TorchProbe {
  const python = torchPython();
  if (python.includes('/') && !existsSync(python)) {
    return { ok: false, python, reason: `python3 not found at ${python}${process.env.DITTO_BENCH_PYTHON ? ' (DITTO_BENCH_PYTHON)' : ''}; ${INSTALL_HINT}` };
  }
  const e: Record<string, string | undefined> = { ...process.env, ...env };
  for (const k of unsetEnv) delete e[k];
  const r = spawnSync(python, ['-c', 'import torch, sys; sys.stdout.write(torch.__version__)'], { env: e, encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { ok: false, python, reason: `cannot start ${python} (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); ${INSTALL_HINT}` };
  if (r.status !== 0) {
    const last = (r.stderr ?? '').trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${r.status}`;
    return { ok: false, python, reason: `torch is not importable by ${python} (${last.slice(0, 200)}); ${INSTALL_HINT}` };
  }
  return { ok: true, python, version: r.stdout.trim() };
}

/** Writes the batch for torch_step.py; returns the file and a function that removes it. */
export function writeBatchFile(b: Batch): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ditto-bench-torch-'));
  const path = join(dir, 'batch.bin');
  const xb = Buffer.from(b.x.buffer, b.x.byteOffset, b.x.byteLength);
  const yb = Buffer.from(b.y.buffer, b.y.byteOffset, b.y.byteLength);
  writeFileSync(path, Buffer.concat([xb, yb]));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TorchRunOptions {
  steps: number;
  warmup: number;
  infer: number;
  /** Extra profiled steps (0: none). */
  profile: number;
  dataFile: string;
  batch: number;
  timeoutS: number;
}

/** Runs one torch configuration in its own Python process. */
export function runTorch<T>(cfg: Config, o: TorchRunOptions): Promise<ChildResult<T>> {
  const args = [
    TORCH_SCRIPT, '--config', cfg.name, '--threads', String(cfg.threads ?? 1), '--layout', cfg.layout ?? 'contiguous',
    '--data', o.dataFile, '--n', String(o.batch), '--steps', String(o.steps), '--warmup', String(o.warmup),
    '--infer', String(o.infer), '--profile', String(o.profile),
  ];
  return runProcess<T>(torchPython(), args, { env: cfg.env, unsetEnv: cfg.unsetEnv, timeoutS: o.timeoutS });
}
