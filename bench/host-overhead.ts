/**
 * Host (JavaScript) overhead of a training step (not part of `npm test`; issue 15): `fit` on the reference CNN
 * (bench/lib/models.ts, one fixed MNIST batch of 64 yielded again and again by a plain async iterable, verbose 0,
 * no callbacks), with each step's boundaries taken where fit pulls the next batch. Per round it prints medians of:
 *  - cpu backend: the CPU time of the process per step (`process.cpuUsage`: at 1 thread the kernels run on the
 *    main thread), the part of it spent inside `backend.run` (the kernels, CPU time around each call), and the rest
 *    (`host`: tape, tensors, runOp, tidy, optimizer, fit, buffer pools);
 *  - `--null-kernels`: `backend.run` does nothing, so the step's CPU time is host work alone (values are garbage;
 *    nothing on the host path depends on them; ops with non-float32 outputs, small, still run, for the deferred
 *    label checks). The least noisy host number; works on both backends;
 *  - webgpu backend: the main thread's CPU time per step (/proc/self/task/<pid>/stat, 10 ms ticks summed over
 *    the timed steps: JS, dispatch recording, Dawn, and its spinning in waits), the other threads' (lavapipe),
 *    the wall time inside `backend.run` (recording the dispatches) per step, the host work per step (the main
 *    thread's CPU time, from /proc/thread-self/schedstat, less its CPU time inside the command stream's waits: the
 *    JavaScript and Dawn calls that record and submit a step, garbage collection included; robust to lavapipe's
 *    threads taking the cores, unlike wall times), and the bind groups created per step
 *    (mean; a cached one costs nothing) with the wall time spent creating them.
 * Rounds alternate nothing by themselves: to compare two trees, run this script from each, alternating, and
 * compare medians. `--cpu-prof` runs (node --cpu-prof) can be summarised with bench/cpuprof-summary.ts.
 * Usage: npx tsx bench/host-overhead.ts [--backend cpu|webgpu] [--threads 1] [--steps 50] [--warmup 5]
 *        [--rounds 3] [--null-kernels] [--callback] [--sync] [--cpu-profile FILE.cpuprofile]
 * --callback adds a no-op per-batch callback (an onBatchEnd override, as bench/cpu-step.ts's timer): fit then reads
 * the logs after every batch.
 * --sync waits for the device before each step (outside the timed interval), so that a WebGPU step is recorded while
 * lavapipe's threads are idle: its recording time is then the main thread's own work, not the two cores' contention.
 * --cpu-profile writes a V8 CPU profile of the last round's timed steps only (no warm-up, no pipeline compiles).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import * as dt from '../src/index.ts';
import * as adv from '../src/advanced.ts';
import type { Backend } from '../src/core/backend.ts';
import { IMAGE, mnistBatch } from './lib/data.ts';
import { dittoModel } from './lib/models.ts';
import { ownCpuNs, threadCpuMs } from './lib/thread-cpu.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const BACKEND = opt('backend', 'cpu') as 'cpu' | 'webgpu';
const THREADS = Number(opt('threads', '1'));
const STEPS = Number(opt('steps', '50'));
const WARMUP = Number(opt('warmup', '5'));
const ROUNDS = Number(opt('rounds', '3'));
const NULL_KERNELS = args.includes('--null-kernels');
const PROFILE_OUT = opt('cpu-profile', '');
const SYNC = args.includes('--sync');
const CALLBACK = args.includes('--callback');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

await dt.setBackend(BACKEND);
dt.config.setNumThreads(THREADS);
const backend = adv.currentBackend() as unknown as Backend;
const proto = Object.getPrototypeOf(backend) as Backend;
const realRun = proto.run;
/** CPU ms spent inside backend.run since the last reset, and the number of calls. */
let kernelMs = 0;
let kernelCalls = 0;
if (NULL_KERNELS) {
  // Ops with integer or boolean outputs (labels, the deferred label checks' counters: small) still run, so that
  // those checks see real values; float32 outputs are left as the pool handed them out.
  proto.run = function (this: Backend, op, inputs, attrs, out) {
    if (out.dtype !== 'float32') realRun.call(this, op, inputs, attrs, out);
    kernelCalls++;
  } as typeof realRun;
} else if (BACKEND === 'cpu') {
  proto.run = function (this: Backend, op, inputs, attrs, out) {
    const c0 = process.cpuUsage();
    realRun.call(this, op, inputs, attrs, out);
    const c = process.cpuUsage(c0);
    kernelMs += (c.user + c.system) / 1000;
    kernelCalls++;
  } as typeof realRun;
} else {
  // WebGPU: backend.run records dispatches on the main thread; its wall time per step (the main thread's own
  // recording work, unless the thread is preempted: medians) is kernelMs here.
  proto.run = function (this: Backend, op, inputs, attrs, out) {
    const t0 = performance.now();
    realRun.call(this, op, inputs, attrs, out);
    kernelMs += performance.now() - t0;
    kernelCalls++;
  } as typeof realRun;
}
/**
 * WebGPU: the main thread's CPU time inside the command stream's waits (sleeping costs none; Dawn's spin loop does),
 * so that a step's host work is its main-thread CPU time less this: the JavaScript and Dawn calls that record and
 * submit it, garbage collection included.
 */
let waitCpuNs = 0;
if (BACKEND === 'webgpu') {
  const stream = (backend as unknown as { stream: object }).stream;
  const sp = Object.getPrototypeOf(stream) as { wait: (...a: unknown[]) => Promise<unknown> };
  const realWait = sp.wait;
  sp.wait = async function (this: unknown, ...a: unknown[]) {
    const c0 = ownCpuNs();
    try {
      return await realWait.apply(this, a);
    } finally {
      waitCpuNs += ownCpuNs() - c0;
    }
  };
}
/** WebGPU: bind groups created (and the wall ms spent creating them) since the last reset. */
let groupsMade = 0;
let groupsMs = 0;
if (BACKEND === 'webgpu') {
  const dev = Object.getPrototypeOf((backend as unknown as { gpu: { device: GPUDevice } }).gpu.device) as GPUDevice;
  const create = dev.createBindGroup;
  dev.createBindGroup = function (this: GPUDevice, d: GPUBindGroupDescriptor) {
    const t0 = performance.now();
    const g = create.call(this, d);
    groupsMs += performance.now() - t0;
    groupsMade++;
    return g;
  };
}
console.log(`host overhead: ${BACKEND} (${backend.description}), ${THREADS} thread(s), ${NULL_KERNELS ? 'null kernels' : 'real kernels'}, node ${process.version}, load ${load()}`);

dt.utils.setRandomSeed(812);
const model = dittoModel();
const b = mnistBatch(64);
const x = dt.tensor(b.x, [b.n, IMAGE, IMAGE, 1]);
const y = dt.tensor(b.y, [b.n], 'int32');
const session = PROFILE_OUT ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}

for (let round = 0; round < ROUNDS; round++) {
  const cpu: number[] = [];
  const wall: number[] = [];
  const kern: number[] = [];
  const hostCpu: number[] = [];
  let calls = 0;
  let m0 = 0;
  let w0 = 0;
  let c0 = 0;
  let t0 = 0;
  let k0 = 0;
  let th0 = threadCpuMs();
  const source = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < WARMUP + STEPS + 1; i++) {
        if (SYNC) await backend.sync();
        const c = cpuNow();
        const t = performance.now();
        const m = ownCpuNs();
        if (i > WARMUP) {
          hostCpu.push((m - m0 - (waitCpuNs - w0)) / 1e6);
          cpu.push(c - c0);
          wall.push(t - t0);
          kern.push(kernelMs - k0);
        }
        if (i === WARMUP) {
          groupsMade = 0;
          groupsMs = 0;
          if (session && round === ROUNDS - 1) await session.post('Profiler.start');
          th0 = threadCpuMs();
          calls = kernelCalls;
        }
        if (i === WARMUP + STEPS) break;
        c0 = c;
        t0 = t;
        k0 = kernelMs;
        m0 = m;
        w0 = waitCpuNs;
        yield [x, y];
      }
    },
  };
  class NoOp extends dt.Callback {
    override onBatchEnd(): void {}
  }
  await model.fit(source, { epochs: 1, verbose: 0, callbacks: CALLBACK ? [new NoOp()] : [] });
  const th = threadCpuMs();
  if (session && round === ROUNDS - 1) writeFileSync(PROFILE_OUT, JSON.stringify((await session.post('Profiler.stop')).profile));
  const host = cpu.map((c, i) => c - kern[i]);
  const parts = [`step CPU ${median(cpu).toFixed(2)} ms`, `wall ${median(wall).toFixed(2)} ms`];
  if (BACKEND === 'cpu' && !NULL_KERNELS) parts.push(`in kernels ${median(kern).toFixed(2)} ms`, `host ${median(host).toFixed(2)} ms`);
  if (BACKEND === 'webgpu' && !NULL_KERNELS) parts.push(`recording (backend.run, wall) ${median(kern).toFixed(2)} ms`, `host work (main thread CPU outside waits) ${median(hostCpu).toFixed(2)} ms`, `bind groups created ${(groupsMade / STEPS).toFixed(1)} (${(groupsMs / STEPS).toFixed(2)} ms)`);
  parts.push(`main thread ${((th.main - th0.main) / STEPS).toFixed(2)} ms`, `other threads ${((th.other - th0.other) / STEPS).toFixed(2)} ms`);
  parts.push(`${((kernelCalls - calls) / STEPS).toFixed(0)} backend.run calls`);
  console.log(`round ${round + 1}: medians over ${STEPS} steps: ${parts.join(', ')}; load ${load()}`);
}
proto.run = realRun;
model.dispose();
x.dispose();
y.dispose();
await dt.shutdown();
process.exit(0);
