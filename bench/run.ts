/**
 * `npm run bench`: ditto against TensorFlow.js 4.22 on the reference CNN of
 * examples/reproducibility.ts (32x32x1, batch 64, Adam, sparse categorical crossentropy).
 * Never part of `npm test`; always exits 0 (a configuration that cannot run says why).
 *
 *   npm run bench -- [--train] [--kernels] [--memory] [--steps N] [--warmup N] [--rounds N]
 *                    [--only cfg,...] [--quick] [--json] [--out FILE] [--profile [--profile-steps N]]
 *
 * Parts: --train (training step and inference tables), --kernels (matmul and conv GFLOP/s),
 * --memory (peak RSS of a full-MNIST run of the example; minutes). With none named: --train
 * --kernels. Configurations (--only; short names in parentheses): ditto-cpu-1t (cpu1),
 * ditto-cpu-2t (cpu2), ditto-webgpu (webgpu), tfjs-wasm (wasm), tfjs-cpu (tfcpu), and PyTorch's
 * CPU backend: torch-cpu-1t (torch1), torch-cpu-2t (torch2), torch-cl-1t (torchcl1), torch-cl-2t
 * (torchcl2) (channels_last), run by /usr/bin/python3 (or $DITTO_BENCH_PYTHON) on
 * bench/torch_step.py; `cannot run: ...` with the install command when python3 or torch is
 * missing (scripts/install-torch.sh). Each runs in its own child process, alternating over rounds
 * (the order rotates every round) so that the shared machine's noise touches all alike. tfjs-cpu
 * takes 30-90 s per step, so it runs in the first round only, with 1 warm-up and --slow-steps (2)
 * timed steps; --quick leaves it out unless --only names it. --profile: in the last round, each
 * ditto CPU and torch child runs --profile-steps (5) more steps and reports where a step's time
 * goes, per op. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { runChild, type ChildResult } from './lib/child.ts';
import { ALIASES, CONFIGS, PARAMS, selectConfigs, type Config } from './lib/configs.ts';
import { mnistBatch } from './lib/data.ts';
import { probeTorch, runTorch, torchPython, writeBatchFile, type TorchProbe } from './lib/torch.ts';
import { fmt, median, summarize, table } from './lib/stats.ts';
import { formatKernels, rotate, runKernels, type KernelReport } from './kernels.ts';
import { formatMemory, runMemory, type MemoryReport } from './memory.ts';
import type { StepProfile, TrainResult } from './train-worker.ts';

interface Options {
  train: boolean; kernels: boolean; memory: boolean;
  steps: number; warmup: number; rounds: number; infer: number; slowSteps: number;
  only?: string; quick: boolean; json: boolean; out?: string;
  repeats: number; memoryEpochs: number; memoryBackend: 'cpu' | 'webgpu' | 'auto'; memoryThreads?: number;
  timeoutS: number; profile: boolean; profileSteps: number;
}

const USAGE = `usage: npm run bench -- [--train] [--kernels] [--memory] [--steps N] [--warmup N] [--rounds N] [--infer N]
                      [--slow-steps N] [--only ${CONFIGS.map((c) => c.name).join(',')}] [--quick] [--json] [--out FILE]
                      [--repeats N] [--memory-epochs N] [--memory-backend cpu|webgpu|auto] [--memory-threads N] [--timeout S]
                      [--profile] [--profile-steps N]
  --only also takes ${Object.keys(ALIASES).join(', ')}, and torch (all four torch configurations).
  PyTorch runs in ${torchPython()} ($DITTO_BENCH_PYTHON); install it with: bash scripts/install-torch.sh`;

function parse(argv: string[]): Options {
  const o: Options = {
    train: false, kernels: false, memory: false, steps: 20, warmup: 3, rounds: 3, infer: 10, slowSteps: 2,
    quick: false, json: false, repeats: 10, memoryEpochs: 1, memoryBackend: 'cpu', timeoutS: 1200, profile: false, profileSteps: 5,
  };
  const num = (f: string, v: string | undefined, min = 0) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) { process.stderr.write(`bench: expected ${f} to be an integer >= ${min}. Received: ${v}\n${USAGE}\n`); process.exit(0); }
    return n;
  };
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const [f, inline] = argv[i].split('=', 2);
    const v = () => inline ?? argv[++i];
    switch (f) {
      case '--train': o.train = true; break;
      case '--kernels': o.kernels = true; break;
      case '--memory': o.memory = true; break;
      case '--steps': o.steps = num(f, v(), 1); set.add(f); break;
      case '--warmup': o.warmup = num(f, v()); set.add(f); break;
      case '--rounds': o.rounds = num(f, v(), 1); set.add(f); break;
      case '--infer': o.infer = num(f, v(), 1); set.add(f); break;
      case '--slow-steps': o.slowSteps = num(f, v(), 1); set.add(f); break;
      case '--repeats': o.repeats = num(f, v(), 1); set.add(f); break;
      case '--only': o.only = v(); break;
      case '--quick': o.quick = true; break;
      case '--json': o.json = true; break;
      case '--out': o.out = v(); break;
      case '--memory-epochs': o.memoryEpochs = num(f, v(), 1); break;
      case '--memory-threads': o.memoryThreads = num(f, v(), 1); break;
      case '--memory-backend': {
        const b = v();
        if (b !== 'cpu' && b !== 'webgpu' && b !== 'auto') { process.stderr.write(`bench: --memory-backend cpu|webgpu|auto. Received: ${b}\n`); process.exit(0); }
        o.memoryBackend = b;
        break;
      }
      case '--timeout': o.timeoutS = num(f, v(), 1); break;
      case '--profile': o.profile = true; break;
      case '--profile-steps': o.profileSteps = num(f, v(), 1); o.profile = true; break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      default: process.stderr.write(`bench: unknown option ${argv[i]}\n${USAGE}\n`); process.exit(0);
    }
  }
  if (!o.train && !o.kernels && !o.memory) o.train = o.kernels = true;
  if (o.quick) {
    if (!set.has('--steps')) o.steps = 5;
    if (!set.has('--warmup')) o.warmup = 2;
    if (!set.has('--rounds')) o.rounds = 1;
    if (!set.has('--infer')) o.infer = 3;
    if (!set.has('--slow-steps')) o.slowSteps = 1;
    if (!set.has('--repeats')) o.repeats = 3;
  }
  return o;
}

function sh(cmd: string, args: string[]): string {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; }
}

function machine(): Record<string, unknown> {
  const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    date: new Date().toISOString(),
    commit: sh('git', ['rev-parse', '--short', 'HEAD']) + (dirty ? ' (+ uncommitted changes in the working tree)' : ''),
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? '?'} x ${os.cpus().length}`,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

interface TrainRow {
  config: string;
  ok: boolean;
  reason?: string;
  engine?: Record<string, unknown>;
  steps?: number;
  msPerStep?: number; p10?: number; p90?: number; roundMedians?: number[];
  imagesPerS?: number;
  inferMs?: number;
  /** Inference: 10th and 90th percentiles of the calls (ms/batch). */
  inferP10?: number; inferP90?: number; inferCalls?: number;
  pipelinedMsPerStep?: number;
  ratioWasm?: number; ratioCpu?: number;
  /** ms/step / the best torch layout's at the same thread count (torchPeer); none for tfjs-cpu. */
  ratioTorch?: number; torchPeer?: string;
  /** Inference ms/batch / tfjs-wasm's, and / the best torch layout's at the same thread count (inferTorchPeer). */
  inferRatioWasm?: number; inferRatioTorch?: number; inferTorchPeer?: string;
  /** Threads the row's engine computes with (tfjs: 1; WebGPU: none). */
  threads?: number;
  firstLoss?: number; lastLoss?: number;
  maxRssMiB?: number;
  /** --profile (last round): where a step's time goes. */
  profile?: StepProfile;
}

/** Threads a configuration computes with: its own count; tfjs runs 1 (wasm's threaded build is off on Node); WebGPU none. */
function threadsOf(cfg: Config): number | undefined {
  if (cfg.engine === 'tfjs') return 1;
  return cfg.backend === 'webgpu' ? undefined : cfg.threads;
}

async function runTrain(o: Options, configs: Config[], log: (s: string) => void): Promise<{ rows: TrainRow[]; torch?: TorchProbe }> {
  const got = new Map<string, { results: (ChildResult<TrainResult> & { ok: true })[]; reason?: string }>();
  // PyTorch: probe once (is python3 there, does it import torch?), and hand it the batch as a file.
  const torchCfg = configs.find((c) => c.engine === 'torch');
  let torch: TorchProbe | undefined;
  let batchFile: ReturnType<typeof writeBatchFile> | undefined;
  if (torchCfg) {
    log(`train: checking PyTorch (${torchPython()}) ...`);
    torch = probeTorch(torchCfg.env, torchCfg.unsetEnv);
    log(torch.ok ? `train:   torch ${torch.version}` : `train:   torch configurations: cannot run: ${torch.reason}`);
    if (torch.ok) batchFile = writeBatchFile(mnistBatch(64));
  }
  try {
    for (let r = 0; r < o.rounds; r++) {
      for (const cfg of rotate(configs, r)) {
        if (cfg.slow && r > 0) continue;
        const g = got.get(cfg.name) ?? { results: [] };
        got.set(cfg.name, g);
        if (cfg.engine === 'torch' && !torch?.ok) {
          g.reason = torch?.reason;
          continue;
        }
        const steps = cfg.slow ? o.slowSteps : o.steps;
        const warmup = cfg.slow ? Math.min(o.warmup, 1) : o.warmup;
        const infer = cfg.slow ? Math.min(o.infer, 2) : o.infer;
        // --profile: extra steps after the timed ones, in the last round a configuration runs in.
        const profile = o.profile && (r === o.rounds - 1 || cfg.slow) && (cfg.engine === 'torch' || (cfg.engine === 'ditto' && cfg.backend === 'cpu')) ? o.profileSteps : 0;
        log(`train: round ${r + 1}/${o.rounds} ${cfg.name} (${warmup} warm-up + ${steps} steps${profile ? ` + ${profile} profiled` : ''}) ...`);
        let res: ChildResult<TrainResult>;
        if (cfg.engine === 'torch') {
          res = await runTorch<TrainResult>(cfg, { steps, warmup, infer, profile, dataFile: batchFile!.path, batch: 64, timeoutS: o.timeoutS });
        } else {
          const args = ['--config', cfg.name, '--steps', String(steps), '--warmup', String(warmup), '--infer', String(infer)];
          if (cfg.backend === 'webgpu') args.push('--pipelined', String(Math.min(o.steps, 10)));
          if (profile) args.push('--profile', String(profile));
          res = await runChild<TrainResult>(new URL('./train-worker.ts', import.meta.url).pathname, args, { env: cfg.env, timeoutS: o.timeoutS });
        }
        if (res.ok) {
          g.results.push(res);
          log(`train:   ${cfg.name}: median ${fmt(median(res.stepsMs))} ms/step, inference ${fmt(median(res.inferMs))} ms/batch, loss ${fmt(res.firstLoss, 4)} -> ${fmt(res.lastLoss, 4)}`);
        } else {
          g.reason = res.reason;
          log(`train:   ${cfg.name}: cannot run: ${res.reason}`);
        }
      }
    }
  } finally {
    batchFile?.remove();
  }
  const rows: TrainRow[] = configs.map((cfg) => {
    const g = got.get(cfg.name);
    if (!g || g.results.length === 0) return { config: cfg.name, ok: false, reason: g?.reason ?? (o.quick && cfg.slow ? 'skipped' : 'not run') };
    const steps = g.results.flatMap((x) => x.stepsMs);
    const s = summarize(steps);
    const pipe = g.results.map((x) => x.pipelinedMsPerStep).filter((x): x is number => x !== undefined);
    const last = g.results.at(-1)!;
    const inf = summarize(g.results.flatMap((x) => x.inferMs));
    return {
      config: cfg.name, ok: true, engine: last.engine, steps: s.n, msPerStep: s.median, p10: s.p10, p90: s.p90,
      roundMedians: g.results.map((x) => median(x.stepsMs)), imagesPerS: (last.batch * 1000) / s.median,
      inferMs: inf.median, inferP10: inf.p10, inferP90: inf.p90, inferCalls: inf.n, pipelinedMsPerStep: pipe.length ? median(pipe) : undefined,
      threads: threadsOf(cfg),
      firstLoss: g.results[0].firstLoss, lastLoss: last.lastLoss, maxRssMiB: Math.max(...g.results.map((x) => x.maxRssMiB ?? 0)),
      profile: g.results.map((x) => x.profile).filter((p): p is StepProfile => !!p).at(-1),
      ...(g.reason ? { reason: `some rounds failed: ${g.reason}` } : {}),
    };
  });
  const wasm = rows.find((r) => r.config === 'tfjs-wasm' && r.ok);
  const tcpu = rows.find((r) => r.config === 'tfjs-cpu' && r.ok)?.msPerStep;
  const torchRows = rows.filter((r) => r.ok && r.config.startsWith('torch-'));
  /** The fastest torch row (by `key`) at `threads` threads; any thread count when undefined (WebGPU). */
  const bestTorch = (threads: number | undefined, key: 'msPerStep' | 'inferMs') =>
    torchRows.filter((t) => threads === undefined || t.threads === threads).sort((a, b) => a[key]! - b[key]!)[0];
  for (const r of rows) {
    if (!r.ok || r.msPerStep === undefined) continue;
    if (wasm) {
      r.ratioWasm = r.msPerStep / wasm.msPerStep!;
      r.inferRatioWasm = r.inferMs! / wasm.inferMs!;
    }
    if (tcpu) r.ratioCpu = r.msPerStep / tcpu;
    const t = bestTorch(r.threads, 'msPerStep');
    if (t) {
      r.ratioTorch = r.msPerStep / t.msPerStep!;
      r.torchPeer = t.config;
    }
    const ti = bestTorch(r.threads, 'inferMs');
    if (ti) {
      r.inferRatioTorch = r.inferMs! / ti.inferMs!;
      r.inferTorchPeer = ti.config;
    }
  }
  return { rows, torch };
}

function engineNote(r: TrainRow): string {
  const e = r.engine ?? {};
  if (r.config.startsWith('ditto')) {
    const t = e.threads !== undefined ? `, threads ${e.threads}` : '';
    return `${e.backend} (${e.description}${t})`;
  }
  if (r.config.startsWith('torch')) {
    const conv = Array.isArray(e.convKernels) ? (e.convKernels as string[]).join(', ') : '?';
    const blas = Array.isArray(e.blasLibraries) && e.blasLibraries.length ? (e.blasLibraries as string[]).join(', ') : 'none loaded';
    return `torch ${e.version} (${e.python}), ${e.layout}, threads ${e.threads} (interop ${e.interopThreads}); `
      + `oneDNN (MKLDNN) ${e.onednnUsed ? 'used' : e.mkldnnAvailable ? 'available but not used' : 'not available'} [aten conv ops: ${conv}]`
      + `${onednnNote(e.onednn)}; ATen CPU capability ${e.cpuCapability}; BLAS ${e.blasInfo}: ${blas}`
      + (e.params !== PARAMS ? `; WARNING: ${e.params} parameters, the reference CNN has ${PARAMS}` : '');
  }
  return `${e.version}${e.wasmBinary ? `, binary ${e.wasmBinary}, SIMD ${e.simd}, threads ${e.threads}` : ''}`;
}

interface OnednnTrace {
  isa?: string; runtime?: string; error?: string;
  primitives?: { primitive: string; propKind: string; impl: string; calls: number; ms: number }[];
}

/** torch: the oneDNN primitives one (untimed) training step executed, from oneDNN's verbose mode. */
function onednnNote(t: unknown): string {
  const o = t as OnednnTrace | undefined;
  if (!o) return '';
  if (o.error) return `; oneDNN trace: ${o.error}`;
  const p = o.primitives ?? [];
  const conv = p.filter((x) => x.primitive === 'convolution').map((x) => `${x.propKind} x${x.calls} ${x.impl} ${fmt(x.ms)} ms`);
  const other = new Map<string, { calls: number; ms: number }>();
  for (const x of p.filter((y) => y.primitive !== 'convolution')) {
    const e = other.get(x.primitive) ?? { calls: 0, ms: 0 };
    e.calls += x.calls;
    e.ms += x.ms;
    other.set(x.primitive, e);
  }
  const rest = [...other].map(([k, v]) => `${k} x${v.calls} ${fmt(v.ms)} ms`);
  return `; oneDNN primitives in one step (${o.isa ?? '?'}; ${o.runtime ?? '?'}): convolution ${conv.join(', ') || 'none'}${rest.length ? `; ${rest.join(', ')}` : ''}`;
}

const ratio = (x: number | undefined) => (x !== undefined ? `${fmt(x)}x` : '-');

function formatTrain(rows: TrainRow[]): string {
  const header = ['config', 'ms/step (median)', 'p10-p90', 'images/s', 'vs torch', 'vs tfjs-wasm', 'vs tfjs-cpu', 'steps'];
  const body = rows.map((r) => r.ok
    ? [r.config, fmt(r.msPerStep), `${fmt(r.p10)}-${fmt(r.p90)}`, fmt(r.imagesPerS), ratio(r.ratioTorch), ratio(r.ratioWasm), ratio(r.ratioCpu), String(r.steps)]
    : [r.config, 'cannot run', '-', '-', '-', '-', '-', '-']);
  const notes = rows.map((r) => r.ok
    ? `${r.config}: ${engineNote(r)}; loss ${fmt(r.firstLoss, 4)} -> ${fmt(r.lastLoss, 4)}; per-round medians ${r.roundMedians!.map((x) => fmt(x)).join(', ')} ms`
      + (r.pipelinedMsPerStep !== undefined ? `; pipelined fit (logs read once a second): ${fmt(r.pipelinedMsPerStep)} ms/step` : '')
      + (r.reason ? `; ${r.reason}` : '')
    : `${r.config}: cannot run: ${r.reason}`);
  return table(header, body) + '\n' + RATIO_NOTE + '\n' + notes.join('\n');
}

const RATIO_NOTE = 'ratio = this row\'s time / the peer\'s (below 1: faster than the peer). vs torch: the faster PyTorch layout (NCHW or '
  + 'channels_last) at the row\'s thread count (tfjs: 1 thread; WebGPU: the fastest torch configuration), named in the JSON as torchPeer.';

function formatInfer(rows: TrainRow[]): string {
  const header = ['config', 'inference ms/batch (median)', 'p10-p90', 'images/s', 'vs torch', 'vs tfjs-wasm', 'calls'];
  const body = rows.map((r) => r.ok
    ? [r.config, fmt(r.inferMs), `${fmt(r.inferP10)}-${fmt(r.inferP90)}`, fmt(64_000 / r.inferMs!), ratio(r.inferRatioTorch), ratio(r.inferRatioWasm), String(r.inferCalls)]
    : [r.config, 'cannot run', '-', '-', '-', '-', '-']);
  return table(header, body);
}

/** --profile: the top ops per step of each profiled configuration. */
function formatProfile(rows: TrainRow[], top = 12): string {
  const out: string[] = [];
  for (const r of rows) {
    const p = r.profile;
    if (!r.ok || !p) continue;
    const total = p.ops.reduce((a, x) => a + x.msPerStep, 0);
    out.push(`${r.config} (${p.steps} profiled steps; ${p.unit}${p.stepMs !== undefined ? `; median profiled step ${fmt(p.stepMs)} ms` : ''}):`);
    const body = p.ops.slice(0, top).map((x) => [x.op, fmt(x.msPerStep), `${fmt((100 * x.msPerStep) / total, 2)}%`, fmt(x.callsPerStep)]);
    if (p.ops.length > top) {
      const rest = p.ops.slice(top).reduce((a, x) => a + x.msPerStep, 0);
      body.push([`(${p.ops.length - top} more ops)`, fmt(rest), `${fmt((100 * rest) / total, 2)}%`, '-']);
    }
    body.push(['total of the ops', fmt(total), '100%', '-']);
    if (p.outsideMs !== undefined) body.push(['outside backend.run', fmt(p.outsideMs), '-', '-']);
    out.push(table(['op', 'ms/step', 'share', 'calls/step'], body));
  }
  const none = rows.filter((r) => r.ok && !r.profile).map((r) => r.config);
  if (none.length) out.push(`not profiled: ${none.join(', ')} (--profile covers ditto's CPU backend and PyTorch; for WebGPU see bench/webgpu-step.ts --profile)`);
  return out.join('\n\n');
}

function targets(rows: TrainRow[], mem?: MemoryReport): string[] {
  const by = (n: string) => rows.find((r) => r.config === n && r.ok);
  const wasm = by('tfjs-wasm'), tcpu = by('tfjs-cpu'), cpu2 = by('ditto-cpu-2t');
  const ditto = rows.filter((r) => r.ok && r.config.startsWith('ditto')).sort((a, b) => a.msPerStep! - b.msPerStep!);
  const out: string[] = ['Targets (reported, never asserted):'];
  const yes = (b: boolean) => (b ? 'met' : 'NOT met');
  if (ditto[0] && wasm) out.push(`  best ditto backend <= 0.5x tfjs-wasm per step: ${ditto[0].config} at ${fmt(ditto[0].ratioWasm)}x -> ${yes(ditto[0].ratioWasm! <= 0.5)}`);
  else out.push('  best ditto backend <= 0.5x tfjs-wasm: not measured');
  if (cpu2 && wasm) out.push(`  ditto CPU 2 threads <= 1.0x tfjs-wasm: ${fmt(cpu2.ratioWasm)}x -> ${yes(cpu2.ratioWasm! <= 1)}`);
  else out.push('  ditto CPU 2 threads <= 1.0x tfjs-wasm: not measured');
  if (cpu2 && tcpu) out.push(`  ditto CPU 2 threads >= 50x faster than tfjs-cpu: ${fmt(1 / cpu2.ratioCpu!)}x faster -> ${yes(1 / cpu2.ratioCpu! >= 50)}`);
  else out.push('  ditto CPU 2 threads >= 50x faster than tfjs-cpu: not measured' + (tcpu ? '' : ' (tfjs-cpu not run)'));
  if (mem?.ok && mem.epochs === 2 && mem.exampleWallS !== undefined) {
    const rss = mem.timeMaxRssMiB ?? mem.sampledMaxRssMiB ?? NaN;
    out.push(`  full example (2 epochs) under 6 minutes: ${fmt(mem.exampleWallS)} s -> ${yes(mem.exampleWallS < 360)}; peak RSS under 1.5 GB: ${fmt(rss)} MiB -> ${yes(rss * 2 ** 20 < 1.5e9)}`);
  } else if (mem?.ok) {
    const rss = mem.timeMaxRssMiB ?? mem.sampledMaxRssMiB ?? NaN;
    out.push(`  peak RSS under 1.5 GB (${mem.epochs} epoch): ${fmt(rss)} MiB -> ${yes(rss * 2 ** 20 < 1.5e9)}; full example (2 epochs) under 6 minutes: not measured (${mem.epochs} epoch took ${fmt(mem.exampleWallS)} s; run --memory --memory-epochs 2)`);
  } else out.push('  full example under 6 minutes with peak RSS under 1.5 GB: not measured (run with --memory --memory-epochs 2)');
  return out;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  let configs = selectConfigs(o.only);
  if (o.quick && !o.only) configs = configs.filter((c) => !c.slow);
  // With --json, stdout carries only the JSON document; progress goes to stderr.
  const log = (s: string) => process.stderr.write(s + '\n');
  const print = (s: string) => { if (!o.json) process.stdout.write(s + '\n'); };
  const report: Record<string, unknown> = { machine: machine(), options: o };
  print(`ditto benchmark, ${(report.machine as { date: string }).date}; commit ${(report.machine as { commit: string }).commit}; ${process.version}; ${(report.machine as { cpu: string }).cpu}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  let rows: TrainRow[] = [];
  let mem: MemoryReport | undefined;
  if (o.train) {
    const t = await runTrain(o, configs, log);
    rows = t.rows;
    report.train = rows;
    if (t.torch) report.torch = t.torch;
    print('\nTraining step of the reference CNN (batch 64, 32x32x1, Adam, sparse categorical crossentropy; one optimizer step per batch, each step completed):');
    print(formatTrain(rows));
    if (o.quick && !o.only) print('tfjs-cpu: skipped by --quick (30-90 s per training step); name it in --only to run it.');
    print('\nInference of the batch of 64 (training=false / model.eval() under torch.inference_mode(); output read back):');
    print(formatInfer(rows));
    print('ratios as above, on inference ms/batch (vs torch: the faster torch layout for inference at the row\'s thread count: inferTorchPeer).');
    if (o.profile) {
      print(`\nWhere a step's time goes (--profile: ${o.profileSteps} more steps after the timed ones, in the last round):`);
      print(formatProfile(rows));
    }
  }
  if (o.kernels && configs.some((c) => c.engine !== 'torch')) {
    if (configs.some((c) => c.engine === 'torch')) log('kernels: the PyTorch configurations are in the training and inference tables only');
    const k: KernelReport = await runKernels({ configs, repeats: o.repeats, rounds: o.quick ? 1 : Math.min(o.rounds, 2), budgetS: o.quick ? 5 : 10, timeoutS: o.timeoutS, log });
    report.kernels = k;
    print('\nKernels, GFLOP/s (batch 64 for the conv layers; WebGPU: time to completion, awaiting dt.sync()):');
    print(formatKernels(k));
  }
  if (o.memory) {
    mem = await runMemory({ epochs: o.memoryEpochs, backend: o.memoryBackend, threads: o.memoryThreads, timeoutS: Math.max(o.timeoutS, 7200), log });
    report.memory = mem;
    print('\n' + formatMemory(mem));
  }
  (report.machine as Record<string, unknown>).loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
  if (o.train || o.memory) {
    const t = targets(rows, mem);
    report.targets = t;
    print('\n' + t.join('\n'));
  }
  print(`\nload average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  if (o.out) writeFileSync(o.out, JSON.stringify(report, null, 2) + '\n');
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(0);
});
