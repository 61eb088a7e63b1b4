/**
 * Kernel benchmarks: matmul 512x512x512 and the reference CNN's three conv layers at batch 64
 * (forward, gradient w.r.t. the input, gradient w.r.t. the filter), in GFLOP/s per engine and
 * backend. FLOPs count 2 per multiply-add of the defining sum (matmul 2*M*N*K; each conv op
 * 2*N*outH*outW*F*kH*kW*C, the same for its two gradients).
 *
 * Timing: one call per sample; the median of the samples gives GFLOP/s.
 *  - ditto: the public ops `dt.matmul`, `dt.conv2d`, and the gradient primitives `adv.conv2dGradInput`, `adv.conv2dGradFilter`,
 *    each followed by `await dt.sync()`: on WebGPU a sample is the time to completion of the
 *    submitted work (no read-back); on the CPU ops run synchronously and sync() returns at once.
 *  - tfjs: `tf.matMul`, `tf.conv2d`, and the kernels `Conv2DBackpropInput` / `Conv2DBackpropFilter`
 *    through `tf.engine().runKernel` (wasm: the bench's registered Conv2DBackpropFilter, see
 *    lib/tfjs.ts). Both tfjs backends here compute synchronously inside the call.
 *  One warm-up call each; tfjs-cpu calls slower than a third of the per-kernel budget are taken
 *  once, without warm-up (its Conv2DBackpropFilter takes tens of seconds).
 *
 * Standalone: npx tsx bench/kernels.ts [--only ...] [--repeats N] [--json]; normally via run.ts.
 * Worker:     node --import tsx bench/kernels.ts --worker --config <name> [--repeats N] [--budget S]
 */
import { fileURLToPath } from 'node:url';
import type * as DT from '../src/index.ts';
import { emitResult, reasonOf, runChild } from './lib/child.ts';
import { configByName, selectConfigs, type Config } from './lib/configs.ts';
import { fmt, median, table } from './lib/stats.ts';

export interface KernelSpec {
  name: string;
  kind: 'matmul' | 'conv' | 'dx' | 'dw';
  /** matmul: [M, K, N]; conv: x shape, filter shape. */
  x: number[];
  w: number[];
  flops: number;
  note?: string;
}

const CONVS: [string, number[], number[]][] = [
  ['conv1', [64, 32, 32, 1], [3, 3, 1, 32]],
  ['conv2', [64, 15, 15, 32], [3, 3, 32, 32]],
  ['conv3', [64, 6, 6, 32], [3, 3, 32, 32]],
];

export function kernelSpecs(): KernelSpec[] {
  const specs: KernelSpec[] = [{ name: 'matmul 512x512x512', kind: 'matmul', x: [512, 512], w: [512, 512], flops: 2 * 512 ** 3 }];
  for (const [name, x, w] of CONVS) {
    const [n, h, wd] = x;
    const [kh, kw, c, f] = w;
    const flops = 2 * n * (h - kh + 1) * (wd - kw + 1) * f * kh * kw * c;
    const shape = `x[${x.join(',')}] w[${w.join(',')}]`;
    specs.push({ name: `${name} forward`, kind: 'conv', x, w, flops, note: shape });
    specs.push({ name: `${name} grad input`, kind: 'dx', x, w, flops, note: name === 'conv1' ? 'not needed in training (input layer)' : undefined });
    specs.push({ name: `${name} grad filter`, kind: 'dw', x, w, flops });
  }
  return specs;
}

export interface KernelResult {
  config: string;
  engine: Record<string, unknown>;
  /** name -> timed samples in ms. */
  samples: Record<string, number[]>;
  errors: Record<string, string>;
}

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = (s / 2 ** 31) - 1;
  }
  return a;
}
const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const outShape = (x: number[], w: number[]) => [x[0], x[1] - w[0] + 1, x[2] - w[1] + 1, w[3]];

/**
 * One warm-up call (JIT, WebGPU pipeline compilation), then timed calls until `repeats` or the
 * budget is spent (at least one). For a slow configuration (tfjs-cpu) whose first call already
 * took over a third of the budget, that call is the only sample (no warm-up).
 */
async function sample(fn: () => Promise<void> | void, repeats: number, budgetMs: number, slow: boolean): Promise<number[]> {
  const first = performance.now();
  await fn();
  const t0 = performance.now() - first;
  if (slow && t0 > budgetMs / 3) return [t0];
  const out: number[] = [];
  const start = performance.now();
  for (let i = 0; i < repeats && (i < 1 || performance.now() - start < budgetMs); i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function workerDitto(cfg: Config, repeats: number, budgetMs: number): Promise<KernelResult> {
  const { setupDitto, dt, adv } = await import('./lib/ditto.ts');
  const engine = { ...(await setupDitto(cfg.backend as 'cpu' | 'webgpu', cfg.threads)) };
  const samples: Record<string, number[]> = {};
  const errors: Record<string, string> = {};
  for (const k of kernelSpecs()) {
    const t = (s: number[], seed: number) => dt.tensor(values(size(s), seed), s);
    let inputs: DT.Tensor[] = [];
    try {
      let op: () => DT.Tensor;
      if (k.kind === 'matmul') {
        inputs = [t(k.x, 1), t(k.w, 2)];
        op = () => dt.matmul(inputs[0], inputs[1]);
      } else if (k.kind === 'conv') {
        inputs = [t(k.x, 1), t(k.w, 2)];
        op = () => dt.conv2d(inputs[0], inputs[1]);
      } else if (k.kind === 'dx') {
        inputs = [t(outShape(k.x, k.w), 3), t(k.w, 2)];
        op = () => adv.conv2dGradInput(inputs[0], inputs[1], k.x);
      } else {
        inputs = [t(k.x, 1), t(outShape(k.x, k.w), 3)];
        op = () => adv.conv2dGradFilter(inputs[0], inputs[1], k.w);
      }
      await dt.sync();
      samples[k.name] = await sample(async () => {
        const y = op();
        await dt.sync();
        y.dispose();
      }, repeats, budgetMs, false);
    } catch (e) {
      errors[k.name] = reasonOf(e);
    } finally {
      dt.dispose(inputs);
    }
  }
  await dt.shutdown();
  return { config: cfg.name, engine, samples, errors };
}

async function workerTfjs(cfg: Config, repeats: number, budgetMs: number): Promise<KernelResult> {
  const { setupTfjs, tf } = await import('./lib/tfjs.ts');
  const engine = { ...(await setupTfjs(cfg.backend as 'wasm' | 'cpu')) };
  const samples: Record<string, number[]> = {};
  const errors: Record<string, string> = {};
  for (const k of kernelSpecs()) {
    const t = (s: number[], seed: number) => tf.tensor(values(size(s), seed), s);
    let inputs: import('@tensorflow/tfjs-core').Tensor[] = [];
    try {
      let op: () => import('@tensorflow/tfjs-core').Tensor;
      const conv = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined };
      if (k.kind === 'matmul') {
        inputs = [t(k.x, 1), t(k.w, 2)];
        op = () => tf.matMul(inputs[0] as import('@tensorflow/tfjs-core').Tensor2D, inputs[1] as import('@tensorflow/tfjs-core').Tensor2D);
      } else if (k.kind === 'conv') {
        inputs = [t(k.x, 1), t(k.w, 2)];
        op = () => tf.conv2d(inputs[0] as import('@tensorflow/tfjs-core').Tensor4D, inputs[1] as import('@tensorflow/tfjs-core').Tensor4D, 1, 'valid');
      } else if (k.kind === 'dx') {
        inputs = [t(outShape(k.x, k.w), 3), t(k.w, 2)];
        op = () => tf.engine().runKernel('Conv2DBackpropInput', { dy: inputs[0], filter: inputs[1] }, { ...conv, inputShape: k.x } as never) as import('@tensorflow/tfjs-core').Tensor;
      } else {
        inputs = [t(k.x, 1), t(outShape(k.x, k.w), 3)];
        op = () => tf.engine().runKernel('Conv2DBackpropFilter', { x: inputs[0], dy: inputs[1] }, { ...conv, filterShape: k.w } as never) as import('@tensorflow/tfjs-core').Tensor;
      }
      samples[k.name] = await sample(() => {
        op().dispose();
      }, repeats, budgetMs, !!cfg.slow);
    } catch (e) {
      errors[k.name] = reasonOf(e);
    } finally {
      tf.dispose(inputs);
    }
  }
  return { config: cfg.name, engine, samples, errors };
}

export interface KernelOptions {
  configs: Config[];
  repeats: number;
  rounds: number;
  budgetS: number;
  timeoutS: number;
  log: (s: string) => void;
}

export interface KernelReport {
  specs: KernelSpec[];
  configs: string[];
  /** config -> kernel -> { ms (median), gflops, samples } or a reason. */
  results: Record<string, { ok: boolean; reason?: string; engine?: Record<string, unknown>; kernels: Record<string, { ms: number; gflops: number; samples: number } | { error: string }> }>;
}

/** Runs every configuration's kernel worker (alternating over rounds; slow configs in round 1 only). */
export async function runKernels(o: KernelOptions): Promise<KernelReport> {
  // The PyTorch peer is measured in the training and inference tables only.
  o = { ...o, configs: o.configs.filter((c) => c.engine !== 'torch') };
  const specs = kernelSpecs();
  const collected: Record<string, { samples: Record<string, number[]>; errors: Record<string, string>; engine?: Record<string, unknown>; reason?: string }> = {};
  const script = fileURLToPath(import.meta.url);
  for (let r = 0; r < o.rounds; r++) {
    const order = rotate(o.configs, r);
    for (const cfg of order) {
      if (cfg.slow && r > 0) continue;
      o.log(`kernels: round ${r + 1}/${o.rounds} ${cfg.name} ...`);
      const res = await runChild<KernelResult>(script, ['--worker', '--config', cfg.name, '--repeats', String(cfg.slow ? Math.min(3, o.repeats) : o.repeats), '--budget', String(o.budgetS)], { env: cfg.env, timeoutS: o.timeoutS });
      const c = (collected[cfg.name] ??= { samples: {}, errors: {} });
      if (!res.ok) {
        c.reason = res.reason;
        o.log(`kernels: ${cfg.name} cannot run: ${res.reason}`);
        continue;
      }
      c.engine = res.engine;
      for (const [k, v] of Object.entries(res.samples)) (c.samples[k] ??= []).push(...v);
      Object.assign(c.errors, res.errors);
    }
  }
  const report: KernelReport = { specs, configs: o.configs.map((c) => c.name), results: {} };
  for (const cfg of o.configs) {
    const c = collected[cfg.name];
    const kernels: KernelReport['results'][string]['kernels'] = {};
    const ok = !!c && Object.keys(c.samples).length > 0;
    for (const k of specs) {
      const s = c?.samples[k.name];
      if (s?.length) {
        const ms = median(s);
        kernels[k.name] = { ms, gflops: k.flops / (ms * 1e6), samples: s.length };
      } else kernels[k.name] = { error: c?.errors[k.name] ?? c?.reason ?? 'not run' };
    }
    report.results[cfg.name] = { ok, reason: ok ? undefined : c?.reason ?? 'not run', engine: c?.engine, kernels };
  }
  return report;
}

export function rotate<T>(list: readonly T[], r: number): T[] {
  const k = list.length ? r % list.length : 0;
  return [...list.slice(k), ...list.slice(0, k)];
}

export function formatKernels(rep: KernelReport): string {
  const header = ['kernel', 'MFLOP', ...rep.configs];
  const rows = rep.specs.map((k) => [
    k.name + (k.note && k.kind !== 'conv' ? ' *' : ''),
    fmt(k.flops / 1e6),
    ...rep.configs.map((c) => {
      const v = rep.results[c]?.kernels[k.name];
      return v && 'gflops' in v ? `${fmt(v.gflops)} (${fmt(v.ms)} ms)` : 'n/a';
    }),
  ]);
  const notes = [
    'GFLOP/s (median ms per call); * conv1 grad input is not needed in training (its input is the data).',
    ...rep.configs.flatMap((c) => {
      const r = rep.results[c];
      if (!r) return [];
      if (!r.ok) return [`${c}: cannot run: ${r.reason}`];
      const errs = Object.entries(r.kernels).filter(([, v]) => 'error' in v).map(([k, v]) => `${k}: ${(v as { error: string }).error}`);
      return errs.length ? [`${c}: ${errs.join('; ')}`] : [];
    }),
  ];
  return table(header, rows) + '\n' + notes.join('\n');
}

async function workerMain(argv: string[]): Promise<void> {
  let config = '';
  let repeats = 10;
  let budget = 10;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') config = argv[++i];
    else if (argv[i] === '--repeats') repeats = Number(argv[++i]);
    else if (argv[i] === '--budget') budget = Number(argv[++i]);
  }
  try {
    const cfg = configByName(config);
    const r = cfg.engine === 'ditto' ? await workerDitto(cfg, repeats, budget * 1000) : await workerTfjs(cfg, repeats, budget * 1000);
    emitResult({ ok: true, ...r, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
  } catch (e) {
    emitResult({ ok: false, reason: reasonOf(e) });
  }
  process.exit(0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  if (argv.includes('--worker')) await workerMain(argv);
  else {
    const get = (f: string) => { const i = argv.indexOf(f); return i >= 0 ? argv[i + 1] : undefined; };
    const json = argv.includes('--json');
    const rep = await runKernels({
      configs: selectConfigs(get('--only')), repeats: Number(get('--repeats') ?? 10), rounds: Number(get('--rounds') ?? 1),
      budgetS: Number(get('--budget') ?? 10), timeoutS: 900, log: (s) => process.stderr.write(s + '\n'),
    });
    process.stdout.write((json ? JSON.stringify(rep, null, 2) : formatKernels(rep)) + '\n');
    process.exit(0);
  }
}
