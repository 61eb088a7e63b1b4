/**
 * One training benchmark configuration in its own process (spawned by bench/run.ts):
 *   node --import tsx bench/train-worker.ts --config <name> [--steps N] [--warmup N] [--infer N] [--pipelined N] [--profile N]
 * Prints one result line (bench/lib/child.ts). What is timed:
 *  - ditto: `model.fit` over a source that yields the same fixed batch (64 MNIST images, fresh
 *    tensors per step since fit disposes each batch), with a Callback timestamping onBatchEnd:
 *    a step is the time between consecutive onBatchEnd calls, i.e. everything fit does per batch
 *    (batch upload, forward, backward, Adam update, loss/accuracy update and their read-back).
 *    A Callback with onBatchEnd makes fit read the logs after every batch on every backend, so
 *    each timed step has completed on the device (on WebGPU too). For WebGPU a second,
 *    un-instrumented fit (no callbacks, verbose 0) over --pipelined steps reports wall time /
 *    steps, where fit reads logs once per second and at epoch end ("pipelined").
 *  - tfjs: `LayersModel.trainOnBatch(x, y)` on the same batch (fresh tensors per step): one Adam
 *    step, loss and accuracy, awaited (it reads the values back), so also complete per step.
 *  - inference: predict on the batch (training=false, batch 64) and await the data, per call.
 *  - --profile N (ditto CPU only): N more steps after the timed ones (the timed numbers are not
 *    touched), with the backend's `run` (from `currentBackend()` of the advanced entry) wrapped in
 *    a timer keyed by op name, in this child only: ms per step spent in each primitive op, and the
 *    rest of the step (outside `backend.run`: op set-up, tape, allocation, fit's bookkeeping).
 *    The CPU backend computes inside `run`, so these times are the op's own; on WebGPU `run` only
 *    records commands, so it is not offered there (bench/webgpu-step.ts --profile times the GPU).
 */
import type * as DT from '../src/index.ts';
import { emitResult, reasonOf } from './lib/child.ts';
import { configByName, type Config } from './lib/configs.ts';
import { mnistBatch, IMAGE, type Batch } from './lib/data.ts';

interface Args { config: string; steps: number; warmup: number; infer: number; pipelined: number; profile: number }

function parseArgs(argv: string[]): Args {
  const a: Args = { config: '', steps: 20, warmup: 3, infer: 10, pipelined: 0, profile: 0 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--config': a.config = v; i++; break;
      case '--steps': a.steps = Number(v); i++; break;
      case '--warmup': a.warmup = Number(v); i++; break;
      case '--infer': a.infer = Number(v); i++; break;
      case '--pipelined': a.pipelined = Number(v); i++; break;
      case '--profile': a.profile = Number(v); i++; break;
      default: throw new Error(`train-worker: unknown argument ${argv[i]}`);
    }
  }
  return a;
}

export interface TrainResult {
  config: string;
  engine: Record<string, unknown>;
  /** Timed training steps in ms (after warm-up). */
  stepsMs: number[];
  warmupMs: number[];
  inferMs: number[];
  /** WebGPU: wall ms per step of an un-instrumented fit. */
  pipelinedMsPerStep?: number;
  firstLoss: number;
  lastLoss: number;
  /** --profile: where a step's time goes (ditto CPU: wall time inside backend.run per op; torch: self time per aten op, torch.profiler). */
  profile?: StepProfile;
  batch: number;
  data: string;
  maxRssMiB: number;
}

export interface StepProfile {
  steps: number;
  unit: string;
  /** Sorted by time, largest first. */
  ops: { op: string; msPerStep: number; callsPerStep: number }[];
  /** ditto: median wall ms of the profiled steps, and the mean ms per step outside backend.run. */
  stepMs?: number;
  outsideMs?: number;
}

const now = () => performance.now();

/** N fit steps with the current backend's `run` wrapped in a timer keyed by op name. */
async function profileDitto(model: DT.Sequential, source: (n: number) => DT.BatchSource, n: number): Promise<StepProfile> {
  const { dt, adv } = await import('./lib/ditto.ts');
  const backend = adv.currentBackend();
  const run = backend.run;
  const ops = new Map<string, { ms: number; n: number }>();
  let on = false;
  backend.run = function (this: typeof backend, op, inputs, attrs, out) {
    if (!on) return run.call(this, op, inputs, attrs, out);
    const t = now();
    try {
      return run.call(this, op, inputs, attrs, out);
    } finally {
      const e = ops.get(op) ?? { ms: 0, n: 0 };
      e.ms += now() - t;
      e.n++;
      ops.set(op, e);
    }
  } as typeof run;
  class StepTimer extends dt.Callback {
    t0 = 0;
    times: number[] = [];
    override onBatchBegin(): void {
      on = true;
      this.t0 = now();
    }
    override onBatchEnd(): void {
      this.times.push(now() - this.t0);
      on = false;
    }
  }
  const timer = new StepTimer();
  try {
    await model.fit(source(n), { epochs: 1, verbose: 0, callbacks: [timer] });
  } finally {
    backend.run = run;
  }
  const sorted = [...ops.entries()].sort((x, y) => y[1].ms - x[1].ms);
  const inRun = sorted.reduce((acc, [, v]) => acc + v.ms, 0);
  const total = timer.times.reduce((acc, t) => acc + t, 0);
  const med = [...timer.times].sort((x, y) => x - y)[timer.times.length >> 1];
  return {
    steps: n,
    unit: 'wall time inside backend.run per op (ditto CPU)',
    ops: sorted.map(([op, v]) => ({ op, msPerStep: v.ms / n, callsPerStep: v.n / n })),
    stepMs: med,
    outsideMs: (total - inRun) / n,
  };
}

async function runDitto(cfg: Config, a: Args, b: Batch): Promise<Omit<TrainResult, 'config' | 'batch' | 'data' | 'maxRssMiB'>> {
  const { setupDitto, dt } = await import('./lib/ditto.ts');
  const { dittoModel } = await import('./lib/models.ts');
  const engine = { ...(await setupDitto(cfg.backend as 'cpu' | 'webgpu', cfg.threads)) };
  dt.utils.setRandomSeed(812);
  const model = dittoModel();
  const total = a.warmup + a.steps;
  const source = (n: number): DT.BatchSource => ({
    cardinality: () => n,
    async *iterate() {
      for (let i = 0; i < n; i++) yield [dt.tensor(b.x, [b.n, IMAGE, IMAGE, 1]), dt.tensor(b.y, [b.n], 'int32')];
    },
  });
  class StepTimer extends dt.Callback {
    start = 0;
    ends: number[] = [];
    losses: number[] = [];
    override onBatchBegin(batch: number): void {
      if (batch === 0) this.start = now();
    }
    override onBatchEnd(_batch: number, logs?: Record<string, number>): void {
      this.ends.push(now());
      this.losses.push(logs?.loss ?? NaN);
    }
  }
  const timer = new StepTimer();
  await model.fit(source(total), { epochs: 1, verbose: 0, callbacks: [timer] });
  const all = timer.ends.map((t, i) => t - (i === 0 ? timer.start : timer.ends[i - 1]));
  let pipelinedMsPerStep: number | undefined;
  if (a.pipelined > 0) {
    const t0 = now();
    await model.fit(source(a.pipelined), { epochs: 1, verbose: 0 });
    pipelinedMsPerStep = (now() - t0) / a.pipelined;
  }
  const profile = a.profile > 0 && cfg.backend === 'cpu' ? await profileDitto(model, source, a.profile) : undefined;
  const x = dt.tensor(b.x, [b.n, IMAGE, IMAGE, 1]);
  const inferMs: number[] = [];
  for (let i = 0; i < a.infer + 2; i++) {
    const t0 = now();
    const out = await model.predict(x, { batchSize: b.n });
    await out.data();
    const t = now() - t0;
    out.dispose();
    if (i >= 2) inferMs.push(t);
  }
  x.dispose();
  model.dispose();
  (engine as Record<string, unknown>).liveTensorsAfter = dt.memory().numTensors;
  await dt.shutdown();
  return { engine, stepsMs: all.slice(a.warmup), warmupMs: all.slice(0, a.warmup), inferMs, pipelinedMsPerStep, firstLoss: timer.losses[0], lastLoss: timer.losses.at(-1)!, profile };
}

async function runTfjs(cfg: Config, a: Args, b: Batch): Promise<Omit<TrainResult, 'config' | 'batch' | 'data' | 'maxRssMiB'>> {
  const { setupTfjs, tf } = await import('./lib/tfjs.ts');
  const tfl = await import('@tensorflow/tfjs-layers');
  const { tfjsModel } = await import('./lib/models.ts');
  const engine = { ...(await setupTfjs(cfg.backend as 'wasm' | 'cpu')) };
  const model = tfjsModel(tfl, tf);
  const all: number[] = [];
  const losses: number[] = [];
  for (let i = 0; i < a.warmup + a.steps; i++) {
    const t0 = now();
    const x = tf.tensor4d(b.x, [b.n, IMAGE, IMAGE, 1]);
    const y = tf.tensor1d(b.y, 'float32');
    const r = await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
    all.push(now() - t0);
    losses.push(Array.isArray(r) ? r[0] : r);
  }
  const x = tf.tensor4d(b.x, [b.n, IMAGE, IMAGE, 1]);
  const inferMs: number[] = [];
  for (let i = 0; i < a.infer + 1; i++) {
    const t0 = now();
    const out = model.predict(x, { batchSize: b.n }) as import('@tensorflow/tfjs-core').Tensor;
    await out.data();
    const t = now() - t0;
    out.dispose();
    if (i >= 1) inferMs.push(t);
  }
  x.dispose();
  model.dispose();
  return { engine, stepsMs: all.slice(a.warmup), warmupMs: all.slice(0, a.warmup), inferMs, firstLoss: losses[0], lastLoss: losses.at(-1)! };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  try {
    const cfg = configByName(a.config);
    const b = mnistBatch(64);
    if (cfg.engine === 'torch') throw new Error(`${cfg.name} runs in Python (bench/torch_step.py through bench/lib/torch.ts), not in this worker`);
    const r = cfg.engine === 'ditto' ? await runDitto(cfg, a, b) : await runTfjs(cfg, a, b);
    emitResult({ ok: true, config: cfg.name, batch: b.n, data: b.source, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...r });
  } catch (e) {
    emitResult({ ok: false, reason: reasonOf(e) });
  }
  process.exit(0);
}

await main();
