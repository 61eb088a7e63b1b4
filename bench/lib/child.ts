/**
 * One benchmark configuration per child process (a fresh V8 and a clean backend each). A worker
 * prints exactly one result line `RESULT_TAG + JSON` on stdout; everything else it prints is
 * kept only for error reports. Never throws: a child that fails, crashes or times out yields
 * { ok: false, reason }. Node workers run through `runChild`; other programs that speak the same
 * protocol (the PyTorch peer, bench/torch_step.py: it gets the tag in $DITTO_BENCH_RESULT_TAG)
 * through `runProcess`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RESULT_TAG = '@@DITTO_BENCH_RESULT@@ ';

export type ChildResult<T> = ({ ok: true } & T & ChildMeta) | ({ ok: false; reason: string; code?: number | null } & ChildMeta);

export interface ChildMeta {
  /** Max RSS of the child in MiB, from /usr/bin/time -v when available, else from the child itself. */
  maxRssMiB?: number;
  wallS: number;
}

/** Prints the worker's result line (used by the workers). */
export function emitResult(value: unknown): void {
  process.stdout.write('\n' + RESULT_TAG + JSON.stringify(value) + '\n');
}

/** The error message a worker reports for a failure (first line of the message, no stack). */
export function reasonOf(e: unknown): string {
  const msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  return msg.split('\n')[0].slice(0, 400);
}

const TSX = createRequire(import.meta.url).resolve('tsx');
const TIME = '/usr/bin/time';

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Variables removed from the child's environment (this child only). */
  unsetEnv?: readonly string[];
  timeoutS: number;
  /** Called with each line the child prints on stdout (progress), when given. */
  onLine?: (line: string) => void;
  /** Modules to preload with --import (after tsx). */
  preloads?: string[];
}

/** Runs `node --import tsx <script> ...args` and parses its result line. */
export function runChild<T>(script: string, args: readonly string[], o: SpawnOptions): Promise<ChildResult<T>> {
  const nodeArgs = ['--import', TSX, ...(o.preloads ?? []).flatMap((p) => ['--import', p]), script, ...args];
  return runProcess<T>(process.execPath, nodeArgs, o);
}

/** Runs `program ...args` (under `/usr/bin/time -v` when present) and parses its result line. */
export function runProcess<T>(program: string, args: readonly string[], o: Omit<SpawnOptions, 'preloads'>): Promise<ChildResult<T>> {
  const useTime = existsSync(TIME);
  const dir = mkdtempSync(join(tmpdir(), 'ditto-bench-'));
  const timeFile = join(dir, 'time.txt');
  const [cmd, argv] = useTime ? [TIME, ['-v', '-o', timeFile, program, ...args]] : [program, [...args]];
  const env: Record<string, string | undefined> = { ...process.env, ...o.env, DITTO_BENCH_RESULT_TAG: RESULT_TAG };
  for (const k of o.unsetEnv ?? []) delete env[k];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    let partial = '';
    let timedOut = false;
    child.on('error', (e) => {
      // Spawning failed (no such program): 'close' still follows; keep the reason.
      err += `cannot start ${program}: ${e.message}\n`;
    });
    child.stdout.on('data', (d: Buffer) => {
      const s = d.toString();
      out += s;
      if (o.onLine) {
        const lines = (partial + s).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) if (l && !l.startsWith(RESULT_TAG)) o.onLine(l);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 200_000) err = err.slice(-100_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      // The child leads its own process group (detached): end that group only.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, o.timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallS = (performance.now() - t0) / 1000;
      let maxRssMiB: number | undefined;
      if (useTime && existsSync(timeFile)) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
        if (m) maxRssMiB = Number(m[1]) / 1024;
      }
      rmSync(dir, { recursive: true, force: true });
      const line = out.split('\n').find((l) => l.startsWith(RESULT_TAG));
      if (line) {
        const r = JSON.parse(line.slice(RESULT_TAG.length));
        resolve({ ...r, wallS, maxRssMiB: maxRssMiB ?? r.maxRssMiB });
        return;
      }
      const tail = lastMeaningfulLine(err) ?? lastMeaningfulLine(out) ?? '';
      const why = timedOut ? `timed out after ${o.timeoutS} s` : signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve({ ok: false, reason: `${why}${tail ? `: ${tail}` : ''}`, code: timedOut ? null : code, wallS, maxRssMiB });
    });
  });
}

/** The last short line that looks like an error (Emscripten's uncaught-exception hook prints its whole source). */
function lastMeaningfulLine(s: string): string | undefined {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l && l.length < 500 && !/^\^+$/.test(l) && !l.startsWith('at ') && !l.startsWith('Node.js v'));
  const err = [...lines].reverse().find((l) => /error|cannot|not |fail/i.test(l));
  return (err ?? lines.at(-1))?.slice(0, 400);
}
