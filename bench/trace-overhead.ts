/**
 * The cost of op tracing (dt.debug.trace): the reference CNN of examples/reproducibility.ts trained on a synthetic
 * batch of 64 images 32x32x1, the same steps timed without a trace, with a trace of every op (plain JSON lines and
 * gzip), and with values; prints the median step time of each, the ratio to untraced, and the trace bytes per step.
 * Not part of npm test. Usage: npx tsx bench/trace-overhead.ts [--steps 8] [--rounds 3] [--values]
 * [--backend cpu|webgpu] [--threads N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dt from '../src/index.ts';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const steps = Number(arg('steps', '8'));
const threads = process.argv.includes('--threads') ? Number(arg('threads', '2')) : undefined;
if (threads) dt.config.setNumThreads(threads);
await dt.setBackend(arg('backend', 'cpu') as 'cpu' | 'webgpu');
const dir = mkdtempSync(join(tmpdir(), 'ditto-trace-bench-'));

function model(): dt.Sequential {
  const m = new dt.Sequential([
    dt.layers.Input({ shape: [32, 32, 1] }),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]), new dt.layers.Dropout(0.2),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]), new dt.layers.Dropout(0.2),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.GlobalAveragePooling2D(),
    new dt.layers.Dense(64, { activation: 'relu' }), new dt.layers.Dropout(0.2), new dt.layers.Dense(10, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const x = dt.tensor(Array.from({ length: 64 * 32 * 32 }, (_, i) => ((i * 2654435761) >>> 24) / 255), [64, 32, 32, 1]);
const y = dt.tensor(Array.from({ length: 64 }, (_, i) => i % 10), [64], 'int32');

/** Median seconds per step over `steps` steps (after 2 warm-up steps), tracing with `trace` if given. */
async function time(trace?: dt.debug.TraceOptions): Promise<{ step: number; bytes: number }> {
  dt.utils.setRandomSeed(1);
  const m = model();
  const batches = Array.from({ length: steps + 2 }, () => [x, y]);
  const times: number[] = [];
  let t = 0;
  const timer = new (class extends dt.Callback {
    override onBatchBegin(): void { t = performance.now(); }
    override async onBatchEnd(): Promise<void> {
      await dt.sync();
      times.push(performance.now() - t);
    }
  })();
  const data = { async *[Symbol.asyncIterator]() { yield* batches; } };
  await m.fit(data, { epochs: 1, verbose: 0, callbacks: [timer], ...(trace ? { trace } : {}) });
  m.dispose();
  const sorted = times.slice(2).sort((a, b) => a - b);
  const { statSync } = await import('node:fs');
  return { step: sorted[Math.floor(sorted.length / 2)] / 1000, bytes: trace ? statSync(trace.path).size / (steps + 2) : 0 };
}

// Configurations interleaved, `rounds` times; the fastest median of each is kept (the machine may be shared).
const rounds = Number(arg('rounds', '3'));
const configs: [string, (() => dt.debug.TraceOptions) | null][] = [
  ['no trace', null],
  ['trace, JSON lines', () => ({ path: join(dir, 'a.jsonl') })],
  ['trace, gzip', () => ({ path: join(dir, 'a.jsonl.gz') })],
];
if (process.argv.includes('--values')) configs.push(['trace with values, gzip', () => ({ path: join(dir, 'v.jsonl.gz'), values: true })]);
const best = new Map<string, { step: number; bytes: number }>();
for (let r = 0; r < rounds; r++) {
  for (const [name, opts] of configs) {
    const t = await time(opts ? opts() : undefined);
    const b = best.get(name);
    if (!b || t.step < b.step) best.set(name, t);
  }
}
const base = best.get('no trace')!;
const rows = [...best.entries()];
console.log(`backend ${dt.getBackend()} (${dt.getBackendInfo().description}), ${steps} timed steps x ${rounds} rounds, batch 64x32x32x1`);
for (const [name, r] of rows) {
  console.log(`${name.padEnd(26)} ${(r.step * 1000).toFixed(1).padStart(8)} ms/step  x${(r.step / base.step).toFixed(2)}  ${r.bytes ? `${(r.bytes / 1024).toFixed(1)} KiB/step` : ''}`);
}
rmSync(dir, { recursive: true, force: true });
await dt.shutdown();
