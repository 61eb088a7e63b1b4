/**
 * Exact resume, proven by killing: the training of scripts/train.ts (3 epochs x 5 steps, Dropout,
 * shuffling, validation, EarlyStopping, a stateful callback) is SIGKILLed at deterministic points
 * (the child pauses at a marker line and the parent kills it there; a write is interrupted by the
 * DITTO_TEST_CRASH hook) and resumed in a fresh process; History bytes, weight and optimizer
 * digests, the optimizer step, seed generator counters and the random state must equal those of an
 * uninterrupted run, and every run's final epoch-end checkpoint must be byte-identical.
 * Per backend: CPU always; WebGPU skips (the reason in the test name) without an adapter unless
 * REQUIRE_WEBGPU=1, where a missing adapter fails (test/util/webgpu.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../util/subprocess.ts';
import { describeWebGpu, webgpuUnavailableInChild } from '../util/webgpu.ts';

const SCRIPT = resolve(ROOT, 'test/resume/scripts/train.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Outcome {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the script in one Node process (no tsx wrapper process, so SIGKILL reaches the trainer
 * itself); when it prints `PAUSED <pauseAt>`, SIGKILLs it.
 */
function runChild(args: string[], o: { pauseAt?: string; env?: Record<string, string> } = {}): Promise<Outcome> {
  const full = [...args, ...(o.pauseAt ? ['--pause-at', o.pauseAt] : [])];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...full], { cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`train.ts ${full.join(' ')}: no exit after 110 s\n${lines.join('\n')}\n${stderr}`));
    }, 110_000);
    child.stdout.on('data', (b: Buffer) => {
      pending += b.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (o.pauseAt && line === `PAUSED ${o.pauseAt}`) child.kill('SIGKILL');
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

/** A kill: pause at a marker (parent SIGKILLs), or crash inside a checkpoint write (the hook). */
type Kill = { pauseAt: string } | { crash: string };

interface Scenario {
  name: string;
  checkpoint: string[];
  kills: Kill[];
  /** The checkpoint each run after a kill must start from. */
  resumes: string[];
}

/**
 * Three chains of kills, each ending with a resume that runs to the end: together they kill at the
 * first step, mid-epoch, right after an epoch boundary, during a checkpoint write, after a rename
 * before pruning, and after the last checkpoint, under three checkpoint schedules.
 */
const SCENARIOS: Scenario[] = [
  {
    name: 'every step: first step, mid-epoch, during a write',
    checkpoint: ['--every-steps', '1'],
    kills: [{ pauseAt: 'saved 1' }, { pauseAt: 'step 8' }, { crash: 'checkpoint-write:12' }],
    resumes: ['ckpt-000000001', 'ckpt-000000007', 'ckpt-000000011'],
  },
  {
    name: 'every epoch: right after an epoch boundary, after the last checkpoint',
    checkpoint: ['--every-epoch'],
    kills: [{ pauseAt: 'step 6' }, { pauseAt: 'saved 15' }],
    resumes: ['ckpt-000000005', 'ckpt-000000015'],
  },
  {
    name: 'every 2 steps and every epoch: after a rename before pruning, mid-epoch',
    checkpoint: ['--every-steps', '2', '--every-epoch'],
    kills: [{ crash: 'checkpoint-commit:5' }, { pauseAt: 'step 12' }],
    resumes: ['ckpt-000000005', 'ckpt-000000010'],
  },
];

interface ScenarioRun {
  result: Record<string, unknown>;
  dir: string;
  /** Temporaries found in the checkpoint root after each kill. */
  temporaries: string[][];
  /** Each run's first line: 'fresh: no checkpoint' or 'resuming <name>'. */
  resumedFrom: string[];
  finalStdout: string[];
}

async function runScenario(backend: string, s: Scenario): Promise<ScenarioRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ditto-resume-'));
  dirs.push(dir);
  const base = ['--backend', backend, '--dir', dir, ...s.checkpoint, '--resume'];
  const temporaries: string[][] = [];
  const resumedFrom: string[] = [];
  for (const k of s.kills) {
    const o = 'pauseAt' in k ? await runChild(base, { pauseAt: k.pauseAt }) : await runChild(base, { env: { DITTO_TEST_CRASH: k.crash } });
    expect(o.signal, `${s.name}: expected SIGKILL\n${o.lines.join('\n')}\n${o.stderr}`).toBe('SIGKILL');
    expect(o.lines.some((l) => l.startsWith('RESULT'))).toBe(false);
    resumedFrom.push(o.lines.find((l) => l.startsWith('resuming ') || l.startsWith('fresh'))!);
    temporaries.push(readdirSync(dir).filter((n) => n.includes('.tmp-ditto-')));
  }
  const last = await runChild(base);
  expect(last.code, `${s.name}: resume failed\n${last.lines.join('\n')}\n${last.stderr}`).toBe(0);
  resumedFrom.push(last.lines.find((l) => l.startsWith('resuming ') || l.startsWith('fresh'))!);
  expect(readdirSync(dir).filter((n) => n.includes('.tmp-ditto-'))).toEqual([]);
  return { result: resultOf(last), dir, temporaries, resumedFrom, finalStdout: last.lines };
}

/** Runs `jobs` two at a time (the machine has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  }));
  return out;
}

// WebGPU availability, asked in a child process: this file only spawns processes.
const gpuUnavailable = await webgpuUnavailableInChild();

for (const backend of ['cpu', 'webgpu']) {
  const suite = backend === 'webgpu' ? (name: string, body: () => void) => describeWebGpu(name, gpuUnavailable, body) : describe;
  suite(`kill and resume (${backend})`, () => {
    it('resumed runs end with the uninterrupted run\'s bits, at every kill point', async () => {
      // Longest chains first, the single uninterrupted run last: 6 processes on the critical path.
      const all = await pool<Outcome | ScenarioRun>([
        ...SCENARIOS.map((s) => () => runScenario(backend, s)),
        () => runChild(['--backend', backend]),
      ]);
      const runs = all.slice(0, SCENARIOS.length) as ScenarioRun[];
      const baseline = all[SCENARIOS.length] as Outcome;
      expect(baseline.code, baseline.stderr).toBe(0);
      const expected = resultOf(baseline);
      expect(expected.backend).toBe(backend);
      expect(expected.iterations).toBe(15);
      expect(JSON.parse(expected.history as string).epoch).toEqual([0, 1, 2]);

      runs.forEach((r, i) => {
        const s = SCENARIOS[i];
        expect(r.resumedFrom, s.name).toEqual(['fresh: no checkpoint', ...s.resumes.map((n) => `resuming ${n}`)]);
        // The History JSON bytes, weights, optimizer state, RNG counters: all identical.
        expect(r.result, s.name).toEqual(expected);
      });

      const [everyStep, everyEpoch, mixed] = runs;
      // The write crash left a torn temporary (never a ckpt-12), which the resume removed.
      expect(everyStep.temporaries).toEqual([[], [], [expect.stringMatching(/^\.ckpt-000000012\.tmp-ditto-\d+$/)]]);
      // The commit crash came after the rename: ckpt-5 was complete, and older ones not yet pruned.
      expect(mixed.temporaries[0]).toEqual([]);
      // Resuming from the last checkpoint ran no step.
      expect(everyEpoch.finalStdout.filter((l) => l.startsWith('step '))).toEqual([]);
      // Retention keeps the newest two checkpoints.
      expect(readdirSync(everyStep.dir).sort()).toEqual(['ckpt-000000014', 'ckpt-000000015']);
      expect(readdirSync(everyEpoch.dir).sort()).toEqual(['ckpt-000000010', 'ckpt-000000015']);
      expect(readdirSync(mixed.dir).sort()).toEqual(['ckpt-000000014', 'ckpt-000000015']);
      // Byte-reproducible checkpoints: the same training state gives the same files, whatever the
      // schedule and the interruptions (ckpt-14: mid-epoch; ckpt-15 of the epoch schedules: final).
      const pairs: [ScenarioRun, ScenarioRun, string][] = [[everyStep, mixed, 'ckpt-000000014'], [everyEpoch, mixed, 'ckpt-000000015']];
      for (const [x, y, name] of pairs) {
        for (const file of ['tensors.safetensors', 'state.json', 'manifest.json']) {
          expect(readFileSync(join(x.dir, name, file)).equals(readFileSync(join(y.dir, name, file))), `${name}/${file}`).toBe(true);
        }
      }
    }, 240_000);
  });
}
