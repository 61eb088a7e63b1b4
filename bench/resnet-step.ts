/**
 * CPU benchmark of the ResNet example's training step (not part of `npm test`): the model of
 * examples/lib/resnet-model.ts (augmentation, Conv-BatchNormalization-ReLU stem, three residual blocks,
 * GlobalAveragePooling2D, Dense softmax) on uint8 [64, 28, 28] batches, Adam, sparse categorical
 * crossentropy. Reports the median wall time of a step over several rounds of `--steps` steps each (after
 * warm-up steps), the median CPU time of all threads per step, and the load average (the machine may be
 * shared: compare CPU times as well as wall times). --profile adds the per-op time and count per step
 * (CpuBackend.prototype.run patched), sorted by time, and the per-op-name totals.
 * Usage: npx tsx bench/resnet-step.ts [--steps 5] [--rounds 3] [--threads 1] [--profile]
 */
import { loadavg } from 'node:os';
import * as dt from '../src/index.ts';
import { CpuBackend } from '../src/kernels/cpu/index.ts';
import { buildResnet } from '../examples/lib/resnet-model.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const STEPS = Number(opt('steps', '5'));
const ROUNDS = Number(opt('rounds', '3'));
const THREADS = opt('threads', '1').split(',').map(Number);
const PROFILE = args.includes('--profile');
const BATCH = 64;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const opTimes = new Map<string, { ms: number; n: number }>();
let profiling = false;
if (PROFILE) {
  const run = CpuBackend.prototype.run;
  CpuBackend.prototype.run = function (this: CpuBackend, op, inputs, attrs, out) {
    const t = performance.now();
    run.call(this, op, inputs, attrs, out);
    if (!profiling) return;
    const key = `${op} ${inputs.map((i) => `[${i.shape.join(',')}]`).join(' ')}`;
    const e = opTimes.get(key) ?? { ms: 0, n: 0 };
    e.ms += performance.now() - t;
    e.n++;
    opTimes.set(key, e);
  } as typeof run;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

await dt.setBackend('cpu');
console.log(`ditto ResNet step benchmark (CPU, batch ${BATCH}), node ${process.version}, load average ${load()}`);
dt.utils.setRandomSeed(16);
const model = buildResnet();
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
const rnd = lcg(1);
const batches: [dt.Tensor, dt.Tensor][] = [];
for (let i = 0; i < 4; i++) {
  batches.push([
    dt.tensor(Uint8Array.from({ length: BATCH * 28 * 28 }, () => Math.floor(rnd() * 256)), [BATCH, 28, 28], 'uint8'),
    dt.tensor(Int32Array.from({ length: BATCH }, () => Math.floor(rnd() * 10)), [BATCH], 'int32'),
  ]);
}

/** Runs `warm` + `steps` training steps; returns wall and CPU times (ms) of the measured steps. */
async function trainSteps(warm: number, steps: number): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let t0 = 0;
  let c0 = process.cpuUsage();
  let batch = 0;
  class Timer extends dt.Callback {
    override onBatchBegin(): void {
      profiling = PROFILE && batch >= warm;
      t0 = performance.now();
      c0 = process.cpuUsage();
    }
    override onBatchEnd(): void {
      if (batch++ >= warm) {
        wall.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
      profiling = false;
    }
  }
  const source = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < warm + steps; i++) {
        const [x, y] = batches[i % batches.length];
        yield [x.clone(), y.clone()];
      }
    },
  };
  await model.fit(source, { epochs: 1, verbose: 0, callbacks: [new Timer()] });
  return { wall, cpu };
}

for (const threads of THREADS) {
  dt.config.setNumThreads(threads);
  opTimes.clear();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = await trainSteps(r === 0 ? 2 : 1, STEPS);
    wall.push(...t.wall);
    cpu.push(...t.cpu);
    console.log(`  round ${r + 1}: steps ${fmt(t.wall)} ms (CPU ${fmt(t.cpu)} ms), load ${load()}`);
  }
  console.log(`train step, ${threads} thread${threads > 1 ? 's' : ''}: median ${median(wall).toFixed(1)} ms, CPU time median ${median(cpu).toFixed(1)} ms over ${wall.length} steps (load ${load()})`);
  if (PROFILE) {
    const n = wall.length;
    const byName = new Map<string, { ms: number; n: number }>();
    for (const [k, v] of opTimes) {
      const name = k.split(' ')[0];
      const e = byName.get(name) ?? { ms: 0, n: 0 };
      e.ms += v.ms;
      e.n += v.n;
      byName.set(name, e);
    }
    console.log('  per op name (ms per step, calls per step):');
    for (const [k, v] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${(v.ms / n).toFixed(2).padStart(8)} ms  x${(v.n / n).toFixed(0).padEnd(4)} ${k}`);
    console.log('  top ops by shape:');
    for (const [k, v] of [...opTimes.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`  ${(v.ms / n).toFixed(2).padStart(8)} ms  x${(v.n / n).toFixed(0).padEnd(4)} ${k}`);
  }
}
console.log(`load average at the end: ${load()}`);
await dt.shutdown();
