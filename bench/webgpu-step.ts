/**
 * WebGPU backend profile (not part of `npm test`): one training step of the reference CNN
 * (bench/lib/models.ts, the fixed MNIST batch of bench/lib/data.ts) timed as the bench does
 * (`fit` with an onBatchEnd callback, so each step completes and its logs are read back), with
 * the backend's counters per step (dispatches, submissions, uploads, readbacks, buffers created,
 * pipelines compiled). --profile then runs --profile-steps more steps and prints the primitive ops
 * per step (--ops: each op with its input shapes) and, with DITTO_WEBGPU_PROFILE=1, the GPU time
 * per op and shader from timestamp queries (one compute pass per dispatch, so the total is a bit
 * above the unprofiled step); --replay then replays each dispatch of one step alone and reports the
 * CPU time of lavapipe's threads per op (robust to the machine's load). The load average is printed:
 * the machine may be shared.
 * Usage: XDG_RUNTIME_DIR=/tmp [DITTO_WEBGPU_PROFILE=1] npx tsx bench/webgpu-step.ts [--steps 8] [--warmup 2] [--profile [--ops] [--profile-steps 2] [--replay [--replay-reps 5]]]
 */
import { loadavg } from 'node:os';
import * as dt from '../src/index.ts';
import * as adv from '../src/advanced.ts';
import { WebGpuBackend } from '../src/kernels/webgpu/index.ts';
import { mnistBatch, IMAGE } from './lib/data.ts';
import { dittoModel } from './lib/models.ts';
import { threadCpuMs } from './lib/thread-cpu.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const STEPS = Number(opt('steps', '8'));
const WARMUP = Number(opt('warmup', '2'));
const PROFILE = args.includes('--profile');
const PROFILE_STEPS = Number(opt('profile-steps', '2'));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await dt.setBackend('webgpu');
const backend = adv.currentBackend() as unknown as WebGpuBackend;
console.log(`ditto WebGPU step profile: ${backend.description}, node ${process.version}, load average ${load()}`);

dt.utils.setRandomSeed(812);
const model = dittoModel();
const b = mnistBatch(64);
const source = (n: number): dt.BatchSource => ({
  cardinality: () => n,
  async *iterate() {
    for (let i = 0; i < n; i++) yield [dt.tensor(b.x, [b.n, IMAGE, IMAGE, 1]), dt.tensor(b.y, [b.n], 'int32')];
  },
});


type Counters = { dispatches: number; submits: number; uploads: number; readbacks: number; created: number; compiled: number };
const counters = (): Counters => {
  const s = backend.stats();
  return { dispatches: s.stream.dispatches, submits: s.stream.submits, uploads: s.stream.uploads, readbacks: s.stream.readbacks, created: s.pool.created, compiled: s.pipelines.compiled };
};
const diff = (a: Counters, b: Counters): Counters => Object.fromEntries(Object.keys(a).map((k) => [k, b[k as keyof Counters] - a[k as keyof Counters]])) as Counters;

class StepTimer extends dt.Callback {
  t = 0;
  ms: number[] = [];
  c: Counters[] = [];
  last = counters();
  override onBatchBegin(batch: number): void {
    if (batch === 0) {
      this.t = performance.now();
      this.last = counters();
    }
  }
  override onBatchEnd(): void {
    const t = performance.now();
    this.ms.push(t - this.t);
    this.t = t;
    const c = counters();
    this.c.push(diff(this.last, c));
    this.last = c;
  }
}
const timer = new StepTimer();
let cpuAtTimed = threadCpuMs();
class CpuMark extends dt.Callback {
  override onBatchEnd(batch: number): void {
    if (batch === WARMUP - 1) cpuAtTimed = threadCpuMs();
  }
}
await model.fit(source(WARMUP + STEPS), { epochs: 1, verbose: 0, callbacks: [timer, new CpuMark()] });
const cpuEnd = threadCpuMs();
const timed = timer.ms.slice(WARMUP);
console.log(`steps (ms): warm-up ${timer.ms.slice(0, WARMUP).map((x) => x.toFixed(0)).join(' ')} | timed ${timed.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`median ${median(timed).toFixed(1)} ms/step, load average ${load()}`);
console.log(`per step (last): ${JSON.stringify(timer.c.at(-1))}`);
{
  const ps = backend.stats().pipelines;
  console.log(`pipelines compiled: ${ps.compiled} (${ps.compileMs.toFixed(0)} ms in createComputePipeline; lavapipe compiles lazily, so first use costs more)`);
}
console.log(`CPU per timed step: main thread ${((cpuEnd.main - cpuAtTimed.main) / STEPS).toFixed(0)} ms (JS, recording, Dawn's busy-wait), other threads ${((cpuEnd.other - cpuAtTimed.other) / STEPS).toFixed(0)} ms (lavapipe)`);

const t0 = performance.now();
await model.fit(source(STEPS), { epochs: 1, verbose: 0 });
console.log(`pipelined fit (logs read once a second): ${((performance.now() - t0) / STEPS).toFixed(1)} ms/step, load average ${load()}`);

if (PROFILE) {
  // Ops of one step, and (with DITTO_WEBGPU_PROFILE=1) GPU time per op/shader from timestamps.
  const keys: string[] = [];
  const run = WebGpuBackend.prototype.run;
  WebGpuBackend.prototype.run = function (this: WebGpuBackend, op, inputs, attrs, out) {
    run.call(this, op, inputs, attrs, out);
    keys.push(`${op} ${inputs.map((i) => `[${i.shape.join(',')}]`).join(' ')}`);
  } as typeof run;
  await backend.profile();
  backend.takeRecordedDispatches();
  await model.fit(source(PROFILE_STEPS), { epochs: 1, verbose: 0 });
  WebGpuBackend.prototype.run = run;
  const report = await backend.profile();
  const recorded = backend.takeRecordedDispatches();
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  console.log(`ops per step: ${keys.length / PROFILE_STEPS}, distinct (op, shapes): ${counts.size}`);
  if (args.includes('--ops')) for (const [k, n] of counts) console.log(`${String(n / PROFILE_STEPS).padStart(5)}  ${k}`);
  if (report.size === 0) console.log('(no GPU timestamps: run with DITTO_WEBGPU_PROFILE=1 on an adapter with timestamp-query)');
  else {
    const rows = [...report].sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((s, [, e]) => s + e.ms, 0);
    console.log(`GPU time per step (timestamps, one pass per dispatch): ${(total / PROFILE_STEPS).toFixed(1)} ms in ${rows.reduce((s, [, e]) => s + e.n, 0) / PROFILE_STEPS} dispatches`);
    for (const [k, e] of rows) console.log(`${(e.ms / PROFILE_STEPS).toFixed(2).padStart(9)} ms ${String(e.n / PROFILE_STEPS).padStart(5)}x  ${k}`);
  }
  if (args.includes('--replay') && recorded.length) {
    // Each dispatch of one step replayed alone, REPLAY times in one submission: CPU time of the
    // threads other than the main one (lavapipe's workers) per dispatch, less sensitive to the
    // machine's load than wall time. Buffer contents are whatever they hold by then.
    const REPLAY = Number(opt('replay-reps', '5'));
    const device = backend.gpu.device;
    const one = recorded.slice(0, recorded.length / PROFILE_STEPS);
    const cpu = new Map<string, { ms: number; n: number }>();
    let total = 0;
    for (const d of one) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.group, [0]);
      for (let i = 0; i < REPLAY; i++) pass.dispatchWorkgroups(...d.groups);
      pass.end();
      const c0 = threadCpuMs().other;
      const t0 = performance.now();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      const ms = (threadCpuMs().other - c0) / REPLAY;
      if (args.includes('--replay-verbose')) console.log(`${d.label}: ${ms.toFixed(1)} ms cpu, ${((performance.now() - t0) / REPLAY).toFixed(1)} ms wall`);
      total += ms;
      const e = cpu.get(d.label) ?? { ms: 0, n: 0 };
      e.ms += ms;
      e.n++;
      cpu.set(d.label, e);
    }
    console.log(`replayed dispatches of one step, ${REPLAY}x each: ${total.toFixed(0)} ms CPU of lavapipe's threads per step (10 ms clock ticks: small kernels read 0 or 10/${REPLAY})`);
    for (const [k, e] of [...cpu].sort((a, b) => b[1].ms - a[1].ms)) if (e.ms > 0) console.log(`${e.ms.toFixed(1).padStart(9)} ms ${String(e.n).padStart(5)}x  ${k}`);
  }
}

model.dispose();
await dt.shutdown();
process.exit(0);
