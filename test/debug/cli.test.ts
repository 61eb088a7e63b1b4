/**
 * The `ditto` command line: `ditto diff` on two traces (text and --json), two history.json files (first per-step
 * and per-epoch difference) and two weight files (safetensors and checkpoints: first differing tensor and element);
 * exit status 0/1/2; the package's bin in a child process on traces written through DITTO_TRACE alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { runCli } from '../../src/cli/main.ts';
import { ROOT, runTs } from '../util/subprocess.ts';
import { execFile } from 'node:child_process';

const dir = mkdtempSync(join(tmpdir(), 'ditto-cli-'));
beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(async () => {
  await dt.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli(args, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

/** Trains 2 epochs of 2 steps from `seed`, tracing steps 1-4, saving weights and checkpoints; returns its files. */
async function train(name: string, seed: number): Promise<{ trace: string; history: string; weights: string; ckpt: string }> {
  dt.utils.setRandomSeed(seed);
  const m = new dt.Sequential([dt.layers.Input({ shape: [4] }), new dt.layers.Dense(3, { activation: 'softmax', name: 'out' })], { name: 'm' });
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = dt.tensor(Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) / 11), [8, 4]);
  const y = dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
  const f = { trace: join(dir, `${name}.jsonl`), history: join(dir, `${name}.history.json`), weights: join(dir, `${name}.safetensors`), ckpt: join(dir, `${name}-ckpt`) };
  const h = await m.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(4), {
    epochs: 2, verbose: 0, trace: { path: f.trace, steps: [1, 2, 3, 4] }, checkpoint: { dir: f.ckpt, everyEpoch: true },
  });
  writeFileSync(f.history, JSON.stringify({ ...h.toJSON(), weightsDigest: await dt.utils.weightsDigest(m) }));
  await m.saveWeights(f.weights);
  m.dispose();
  return f;
}

let a: Awaited<ReturnType<typeof train>>;
let a2: Awaited<ReturnType<typeof train>>;
let b: Awaited<ReturnType<typeof train>>;

describe('ditto diff', () => {
  beforeAll(async () => {
    a = await train('a', 1);
    a2 = await train('a2', 1);
    b = await train('b', 2);
  });

  it('traces: agreement exits 0; a difference exits 1 and names the op; --json for machines', async () => {
    const same = await cli('diff', a.trace, a2.trace);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/agree op for op: \d+ ops compared/);
    const d = await cli('diff', a.trace, b.trace, '--json');
    expect(d.code).toBe(1);
    const j = JSON.parse(d.out);
    expect(j.kind).toBe('trace');
    // Different seeds give different initial weights, uploaded from the host: the first op using one sees an input
    // that no traced op produced.
    expect(j.root).toMatchObject({ kind: 'input', step: 1, scope: 'm/out', phase: 'forward' });
  });

  it('history.json: the first differing per-step and per-epoch values with bits and ulps', async () => {
    expect((await cli('diff', a.history, a2.history)).code).toBe(0);
    const { code, out } = await cli('diff', a.history, b.history, '--json');
    expect(code).toBe(1);
    const j = JSON.parse(out);
    const ha = JSON.parse(readFileSync(a.history, 'utf8'));
    expect(j.step).toMatchObject({ axis: 'step', at: 1 });
    expect(['accuracy', 'loss']).toContain(j.step.key);
    expect(j.step.aBits).toBe(ha.steps.bits[j.step.key][0]);
    expect(j.epoch.axis).toBe('epoch');
    expect(j.digest.same).toBe(false);
    const text = (await cli('diff', a.history, b.history)).out;
    expect(text).toContain('first per-step difference');
    expect(text).toContain('The histories differ.');
  });

  it('weights: safetensors files and checkpoints, first differing tensor and element', async () => {
    expect((await cli('diff', a.weights, a2.weights)).code).toBe(0);
    const w = await cli('diff', a.weights, b.weights, '--json');
    expect(w.code).toBe(1);
    const j = JSON.parse(w.out);
    expect(j.first.name).toBe('out/bias');
    expect(j.first.elements.firstIndex).toBe(0);
    expect((await cli('diff', a.ckpt, a2.ckpt)).out).toMatch(/agree bit for bit \(\d+ tensors\)/);
    const c = await cli('diff', a.ckpt, b.ckpt);
    expect(c.code).toBe(1);
    expect(c.out).toContain('first differing tensor');
  });

  it('usage and mixed kinds exit 2', async () => {
    expect((await cli('diff', a.trace)).code).toBe(2);
    expect((await cli('diff', a.trace, a.history)).out).toMatch(/is a trace file and .* a history file/);
    expect((await cli('bogus')).code).toBe(2);
    expect((await cli('diff', join(dir, 'missing'), a.trace)).code).toBe(2);
    writeFileSync(join(dir, 'empty'), '');
    expect((await cli('diff', join(dir, 'empty'), a.trace)).out).toMatch(/is empty/);
  });
});

describe('DITTO_TRACE and the bin', () => {
  it('a program traced through the environment alone; the package bin compares the traces', async () => {
    const run = async (name: string, seed: number): Promise<string> => {
      const path = join(dir, name);
      const r = await runTs('test/debug/scripts/env-trace.ts', [String(seed)], { DITTO_TRACE: path, DITTO_TRACE_STEPS: '2' });
      expect(r.code, r.stderr).toBe(0);
      return path;
    };
    const [p1, p1b, p2] = [await run('env-1.jsonl.gz', 1), await run('env-1b.jsonl.gz', 1), await run('env-2.jsonl.gz', 2)];
    const t = dt.debug.readTrace(p1);
    expect(t.header.steps).toEqual([2]);
    expect(new Set(t.records.map((r) => r.step))).toEqual(new Set([2]));
    const bin = (x: string, y: string): Promise<{ code: number; out: string }> => new Promise((res) => {
      execFile(process.execPath, [join(ROOT, 'bin', 'ditto.mjs'), 'diff', x, y], { cwd: ROOT }, (err, stdout) => res({ code: err ? (err as { code: number }).code : 0, out: stdout }));
    });
    expect(await bin(p1, p1b)).toMatchObject({ code: 0 });
    const diff = await bin(p1, p2);
    expect(diff.code).toBe(1);
    expect(diff.out).toContain('First divergence');
  }, 120_000);
});
