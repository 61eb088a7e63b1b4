/**
 * Peak memory of a training run on full MNIST: runs the reference example
 * (examples/reproducibility.ts: 60,000 training and 10,000 test images, batch 64, validation each
 * epoch, evaluation) with `--epochs N` (default 1) in a child process and reports
 *  - the max of process.memoryUsage().rss sampled every 200 ms inside it (a preloaded sampler,
 *    lib/rss-sampler.ts; the example itself is unchanged),
 *  - the kernel's peak (max RSS) of the child from `/usr/bin/time -v` when available,
 *  - the example's wall time, backend and test accuracy, as it printed them.
 * Slow (minutes): run.ts runs it only with --memory.
 * Standalone: npx tsx bench/memory.ts [--epochs N] [--backend cpu|webgpu|auto] [--threads N] [--json]
 *             [--train-size N --test-size N]  (a subset, only to check the harness quickly)
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './lib/child.ts';
import { fmt } from './lib/stats.ts';

export interface MemoryOptions {
  epochs: number;
  /** 'auto' = what `npm start` picks (WebGPU when an adapter exists, else CPU). */
  backend: 'cpu' | 'webgpu' | 'auto';
  threads?: number;
  /** Extra options for the example (e.g. --train-size 640 for a quick check; the default is full MNIST). */
  exampleArgs?: string[];
  timeoutS: number;
  log: (s: string) => void;
}

export interface MemoryReport {
  ok: boolean;
  reason?: string;
  command: string;
  epochs: number;
  backend?: string;
  threads?: string;
  /** max of sampled process.memoryUsage().rss, MiB */
  sampledMaxRssMiB?: number;
  rssSamples?: number;
  /** /usr/bin/time -v "Maximum resident set size", MiB */
  timeMaxRssMiB?: number;
  wallS: number;
  exampleWallS?: number;
  testAccuracy?: string;
}

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export async function runMemory(o: MemoryOptions): Promise<MemoryReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ditto-bench-mem-'));
  const rssFile = join(dir, 'rss.json');
  const script = join(ROOT, 'examples', 'reproducibility.ts');
  const args = ['--epochs', String(o.epochs), '--out', dir, ...(o.backend === 'auto' ? [] : ['--backend', o.backend]), ...(o.exampleArgs ?? [])];
  const command = `node --import tsx --import bench/lib/rss-sampler.ts examples/reproducibility.ts ${args.join(' ').replace(dir, '<tmp>')}`;
  const lines: string[] = [];
  let lastProgress = 0;
  const env: Record<string, string> = { DITTO_BENCH_RSS_FILE: rssFile, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  if (o.threads) env.DITTO_THREADS = String(o.threads);
  o.log(`memory: ${command}${o.threads ? ` (DITTO_THREADS=${o.threads})` : ''}`);
  // The child is the unchanged example with the RSS sampler preloaded.
  const res = await runChild<Record<string, never>>(script, args, {
    env, timeoutS: o.timeoutS, preloads: [join(ROOT, 'bench', 'lib', 'rss-sampler.ts')],
    onLine: (l) => {
      lines.push(l);
      if (lines.length > 2000) lines.splice(0, 1000);
      const now = Date.now();
      if (!/^\s*\d+\/\d+ /.test(l) || now - lastProgress > 30_000) {
        if (/Backend|Epoch|accuracy|Wall|\d+\/\d+/.test(l)) o.log(`memory:   ${l.replace(/\r/g, '').slice(-160)}`);
        lastProgress = now;
      }
    },
  });
  const out = lines.join('\n');
  const report: MemoryReport = { ok: false, command, epochs: o.epochs, wallS: res.wallS, timeMaxRssMiB: res.maxRssMiB, threads: o.threads ? String(o.threads) : 'default (DITTO_THREADS unset: all cores)' };
  report.backend = /Backend: (.*)/.exec(out)?.[1]?.trim();
  report.testAccuracy = [...out.matchAll(/Model accuracy on test data: ([\d.]+%)/g)].at(-1)?.[1];
  const wall = /Wall time: ([\d.]+) s/.exec(out)?.[1];
  if (wall) report.exampleWallS = Number(wall);
  if (existsSync(rssFile)) {
    const r = JSON.parse(readFileSync(rssFile, 'utf8'));
    report.sampledMaxRssMiB = r.maxRssBytes / 2 ** 20;
    report.rssSamples = r.samples;
  }
  rmSync(dir, { recursive: true, force: true });
  report.ok = !!wall;
  if (!report.ok) report.reason = (!res.ok && res.code !== 0 ? res.reason : undefined) ?? 'the example did not finish (no "Wall time" line)';
  return report;
}

export function formatMemory(m: MemoryReport): string {
  if (!m.ok) return `memory: cannot run: ${m.reason}`;
  return [
    `Training run on MNIST (${m.command}; backend ${m.backend}; threads ${m.threads}):`,
    `  peak RSS, sampled process.memoryUsage().rss: ${fmt(m.sampledMaxRssMiB)} MiB (${m.rssSamples} samples)`,
    `  peak RSS, /usr/bin/time -v max RSS:           ${m.timeMaxRssMiB !== undefined ? fmt(m.timeMaxRssMiB) + ' MiB' : 'n/a (no /usr/bin/time)'}`,
    `  example wall time: ${fmt(m.exampleWallS)} s for ${m.epochs} epoch(s); test accuracy ${m.testAccuracy ?? '?'}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const get = (f: string) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
  const rep = await runMemory({
    epochs: Number(get('--epochs') ?? 1), backend: (get('--backend') ?? 'cpu') as MemoryOptions['backend'],
    threads: get('--threads') ? Number(get('--threads')) : undefined,
    exampleArgs: get('--train-size') ? ['--train-size', get('--train-size')!, '--test-size', get('--test-size') ?? get('--train-size')!] : [],
    timeoutS: Number(get('--timeout') ?? 3600), log: (s) => process.stderr.write(s + '\n'),
  });
  process.stdout.write((argv.includes('--json') ? JSON.stringify(rep, null, 2) : formatMemory(rep)) + '\n');
  process.exit(0);
}
