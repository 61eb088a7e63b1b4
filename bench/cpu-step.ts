/**
 * CPU backend benchmark (not part of `npm test`): the median time of one training step of the
 * reference CNN (input [64, 32, 32, 1]; Conv2D(32, 3x3, relu) -> MaxPool 2 -> Dropout 0.2 ->
 * Conv2D(32, 3x3, relu) -> MaxPool 2 -> Dropout -> Conv2D(32, 3x3, relu) -> GlobalAveragePooling
 * -> Dense(64, relu) -> Dropout -> Dense(10, softmax); Adam; sparse categorical crossentropy) on
 * 1 and 2 threads, and the GFLOP/s of matmul 512^3 and of the three convolution kernels of the
 * second layer ([64, 15, 15, 32] * [3, 3, 32, 32]). The machine may be shared: the load average
 * is printed, medians are reported, and each step line also gives the median CPU time of all
 * threads per step and the share of parallel blocks the workers ran (on a busy machine the
 * second thread finds no free core: wall time stays near the CPU time). --profile adds the
 * per-op time of each step (CpuBackend.prototype.run patched; wall and CPU time of all threads)
 * and, on 2+ threads, the share of
 * each op's parallel blocks that the workers ran and its blocks per call.
 * The step line also gives the time fit spends between steps (onBatchEnd to the next onBatchBegin; with
 * --profile its ops are listed as '(between steps)') and the main thread's wait for a core (Linux).
 * --trace (with --profile) adds, per op and step, the pool's own account (thread-pool.ts
 * setPoolTrace): time in parallel jobs, in jobs run inline and outside any job; per parallel
 * job, the median time from runJob's call until the worker took the message (wake) and started
 * its first block (late: summed over the step, a job it never joined counting whole), the main
 * thread's wait for the worker's last block (wait) and the worker's idle time at the end (idle).
 * --dump <op> prints each parallel job of the ops named <op...> (us from runJob's call).
 * --spin worker,main[,ungated] sets the pool's spins (us; thread-pool.ts setSpinUs).
 * --ab alternates, step by step, the pool settings before the scaling round and the defaults
 * (--ab-only spin|dynamic|split: that setting alone; gate: gated against ungated spins).
 * Usage: npx tsx bench/cpu-step.ts [--steps 7] [--threads 1,2] [--ab | --ab-only dynamic] [--spin 300,300] [--profile [--trace [--dump conv2dGradInput]]]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as dt from '../src/index.ts';
import * as adv from '../src/advanced.ts';
import { CpuBackend } from '../src/kernels/cpu/index.ts';
import { aloneJobCount, setDynamicThreads } from '../src/kernels/cpu/dynamic-threads.ts';
import { type JobTrace, setPoolTrace, takePoolTrace } from '../src/kernels/cpu/pool-trace.ts';
import { parallelBlockCounts, setSpinUs, setSplitBlocksPerThread } from '../src/kernels/cpu/thread-pool.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const STEPS = Number(opt('steps', '7'));
const THREADS = opt('threads', '1,2').split(',').map(Number);
const PROFILE = args.includes('--profile');
const TRACE = PROFILE && args.includes('--trace');
/** --dump <op>: with --trace, one line per parallel job of the ops whose key starts with <op> (times in us from runJob's call). */
const DUMP = opt('dump', '');
/**
 * --ab: a paired comparison under the same machine load: steps alternate between the pool's
 * settings before the scaling round (no spins, no dynamic threads, 4 blocks per thread in runSplit
 * jobs) and the defaults; prints each side's median and the median of the per-pair differences.
 */
const AB = args.includes('--ab') || args.includes('--ab-only');
/** --ab-only spin|dynamic|split: alternate that setting alone; gate: gated spins (before) against ungated ones (after). */
const AB_ONLY = opt('ab-only', '');
/** --spin worker,main[,ungated]: the pool's spins in us (thread-pool.ts setSpinUs); default: the engine's. */
const SPIN = opt('spin', '');
if (SPIN) {
  const [w, m, g] = SPIN.split(',');
  setSpinUs(Number(w), Number(m ?? w), g !== 'ungated');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** Per-op time (ms), parallel blocks and blocks the main thread ran, recorded while `profiling` is on. */
const opTimes = new Map<string, { ms: number; cpu: number; n: number; blocks: number; main: number }>();
/** Per op (--trace), in ms summed over the measured steps, and each parallel job's wake latency (us). */
interface OpTrace { par: number; inline: number; late: number; wait: number; idle: number; jobs: number; wakes: number[]; how: Record<string, number> }
const opTraces = new Map<string, OpTrace>();
if (TRACE) setPoolTrace(true);

/** Start and end (us) of every parallel job while profiling (--trace), for the gaps between them. */
const spans: [number, number][] = [];

function addTrace(key: string, jobs: JobTrace[]): void {
  const e = opTraces.get(key) ?? { par: 0, inline: 0, late: 0, wait: 0, idle: 0, jobs: 0, wakes: [], how: {} };
  for (const j of jobs) {
    const ms = (j.end - j.start) / 1000;
    if (DUMP && key.startsWith(DUMP) && j.parallel) console.log(`dump ${j.task} n=${j.nBlocks} main=${j.mainBlocks} mainFirst=${(j.mainFirst - j.start).toFixed(0)} mainLast=${(j.mainLast - j.start).toFixed(0)} end=${(j.end - j.start).toFixed(0)} ` + j.workers.map((w) => `how=${w.how} wake=${(w.wake - j.start).toFixed(0)} first=${(w.first - j.start).toFixed(0)} last=${(w.last - j.start).toFixed(0)} blocks=${w.blocks}`).join(' '));
    if (!j.parallel) {
      e.inline += ms;
      continue;
    }
    e.par += ms;
    e.jobs++;
    spans.push([j.start, j.end]);
    e.wait += (j.end - (j.mainBlocks ? j.mainLast : j.start)) / 1000;
    for (const w of j.workers) {
      if (w.wake > 0) e.wakes.push(w.wake - j.start);
      const k = w.how === 'bell' ? `bell (spin ${w.spin})` : w.how || 'missed';
      e.how[k] = (e.how[k] ?? 0) + 1;
      e.late += w.blocks ? (w.first - j.start) / 1000 : ms;
      if (w.blocks) e.idle += Math.max(0, j.end - w.last) / 1000;
    }
  }
  opTraces.set(key, e);
}
let profiling = false;
/** Whether the ops now run between two steps (after onBatchEnd, before the next onBatchBegin): keys get a prefix. */
let between = false;
if (PROFILE) {
  const run = CpuBackend.prototype.run;
  CpuBackend.prototype.run = function (this: CpuBackend, op, inputs, attrs, out) {
    if (TRACE) takePoolTrace();
    const b0 = parallelBlockCounts();
    const c0 = profiling ? process.cpuUsage() : null;
    const t = performance.now();
    run.call(this, op, inputs, attrs, out);
    if (!profiling || c0 === null) return;
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    const b1 = parallelBlockCounts();
    const key = `${between ? '(between steps) ' : ''}${op} ${inputs.map((i) => `[${i.shape.join(',')}]`).join(' ')}`;
    const e = opTimes.get(key) ?? { ms: 0, cpu: 0, n: 0, blocks: 0, main: 0 };
    e.ms += ms;
    e.cpu += (c.user + c.system) / 1000;
    e.n++;
    e.blocks += b1.blocks - b0.blocks;
    e.main += b1.main - b0.main;
    opTimes.set(key, e);
    if (TRACE) addTrace(key, takePoolTrace());
  } as typeof run;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

await dt.setBackend('cpu');
console.log(`ditto CPU benchmark, node ${process.version}, load average ${load()}`);

// ------------------------------------------------------------------------------ training step
dt.utils.setRandomSeed(812);
const model = new dt.Sequential([
  new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]), new dt.layers.Dropout(0.2),
  new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.MaxPooling2D([2, 2]), new dt.layers.Dropout(0.2),
  new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }), new dt.layers.GlobalAveragePooling2D(),
  new dt.layers.Dense(64, { activation: 'relu' }), new dt.layers.Dropout(0.2), new dt.layers.Dense(10, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
const rnd = lcg(1);
const batches: [dt.Tensor, dt.Tensor][] = [];
for (let i = 0; i < 4; i++) {
  batches.push([
    dt.tensor(Float32Array.from({ length: 64 * 32 * 32 }, rnd), [64, 32, 32, 1]),
    dt.tensor(Int32Array.from({ length: 64 }, () => Math.floor(rnd() * 10)), [64], 'int32'),
  ]);
}

/** CPU time (ms, all threads of the process) of each measured step of the last trainSteps call. */
let cpuTimes: number[] = [];
/** Time (ms) between the end of a measured step and the next step's onBatchBegin (fit's own work between batches). */
let gaps: number[] = [];
/** The main thread's run-queue wait (ms: runnable, but no core free) in each measured step (Linux; else empty). */
let queueWaits: number[] = [];
const queueWaitMs = (): number => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
};

/** Runs `warm` + `steps` training steps on `threads` threads; returns the measured step times. */
async function trainSteps(threads: number, warm: number, steps: number): Promise<number[]> {
  cpuTimes = [];
  queueWaits = [];
  dt.config.setNumThreads(threads);
  const times: number[] = [];
  let t0 = 0;
  let c0 = process.cpuUsage();
  let q0 = 0;
  let batch = 0;
  let lastEnd = 0;
  gaps = [];
  class Timer extends dt.Callback {
    override onBatchBegin(): void {
      if (batch > warm) gaps.push(performance.now() - lastEnd);
      between = false;
      profiling = PROFILE && batch >= warm;
      if (AB) {
        const before = batch % 2 === 0;
        if (AB_ONLY === '' || AB_ONLY === 'spin') setSpinUs(before ? 0 : undefined, before ? 0 : undefined);
        if (AB_ONLY === '' || AB_ONLY === 'dynamic') setDynamicThreads(before ? false : undefined);
        if (AB_ONLY === '' || AB_ONLY === 'split') setSplitBlocksPerThread(before ? 4 : undefined);
        // gate: both sides spin; before with the spin gate, after without it
        if (AB_ONLY === 'gate') setSpinUs(undefined, undefined, before);
      }
      t0 = performance.now();
      c0 = process.cpuUsage();
      q0 = queueWaitMs();
    }
    override onBatchEnd(): void {
      if (batch++ >= warm) {
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpuTimes.push((c.user + c.system) / 1000);
        const q = queueWaitMs() - q0;
        if (q === q) queueWaits.push(q);
      }
      lastEnd = performance.now();
      between = true;
      profiling = PROFILE && batch > warm;
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
  return times;
}

for (const threads of THREADS) {
  opTimes.clear();
  opTraces.clear();
  spans.length = 0;
  const before = parallelBlockCounts();
  const alone0 = aloneJobCount();
  const times = await trainSteps(threads, 2, STEPS);
  const after = parallelBlockCounts();
  const alone = (aloneJobCount() - alone0) / (STEPS + 2);
  const blocks = after.blocks - before.blocks;
  const share = (blocks ? ` workers ran ${(100 * (1 - (after.main - before.main) / blocks)).toFixed(0)}% of ${blocks} parallel blocks;` : '') + (alone ? ` jobs run alone (cores busy): ${alone.toFixed(1)} a step;` : '');
  if (AB) {
    // steps alternate before/after from the first timed step on (warm-up 2 keeps the parity)
    const bef = times.filter((_, i) => i % 2 === 0);
    const aft = times.filter((_, i) => i % 2 === 1);
    const diffs = aft.map((t, i) => t - bef[i]);
    const qb = queueWaits.filter((_, i) => i % 2 === 0);
    const qa = queueWaits.filter((_, i) => i % 2 === 1);
    console.log(`A/B, ${threads} thread${threads > 1 ? 's' : ''}: before ${median(bef).toFixed(1)} ms, after ${median(aft).toFixed(1)} ms, median pair difference ${median(diffs).toFixed(1)} ms (${diffs.filter((d) => d < 0).length}/${diffs.length} pairs faster); main thread waiting for a core ${qb.length ? median(qb).toFixed(1) : '-'} / ${qa.length ? median(qa).toFixed(1) : '-'} ms`);
  }
  console.log(`train step, ${threads} thread${threads > 1 ? 's' : ''}: median ${median(times).toFixed(1)} ms  (steps: ${fmt(times)}; CPU time of all threads: median ${median(cpuTimes).toFixed(0)} ms;${share}${gaps.length ? ` between steps: median ${median(gaps).toFixed(2)} ms;` : ''}${queueWaits.length ? ` main thread waiting for a core: median ${median(queueWaits).toFixed(2)} ms a step, step less that wait: median ${median(times.map((t, i) => t - queueWaits[i])).toFixed(1)} ms;` : ''} load ${load()})`);
  if (PROFILE) {
    const rows = [...opTimes.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [k, v] of rows) {
      const share = v.blocks ? `workers ${(100 * (1 - v.main / v.blocks)).toFixed(0).padStart(3)}% of ${(v.blocks / v.n).toFixed(0).padStart(4)} blocks` : ' '.repeat(24);
      console.log(`  ${(v.ms / STEPS).toFixed(2).padStart(8)} ms (CPU ${(v.cpu / STEPS).toFixed(2).padStart(5)})  x${(v.n / STEPS).toFixed(0)}  ${threads > 1 ? `${share}  ` : ''}${k}`);
    }
    if (TRACE && threads > 1) {
      console.log('  pool trace, ms per step: par = in parallel jobs, inline = jobs run on the main thread alone, out = outside jobs;');
      console.log('  late = worker not yet running (from runJob), wait = main thread waiting for the worker, idle = worker done before the job; wake = median us to the worker taking the job');
      const all = { par: 0, inline: 0, out: 0, late: 0, wait: 0, idle: 0, jobs: 0 };
      const traced = [...opTraces.entries()].sort((a, b) => (b[1].late + b[1].wait + b[1].idle) - (a[1].late + a[1].wait + a[1].idle));
      for (const [k, t] of traced) {
        const v = opTimes.get(k);
        if (!v) continue;
        const out = v.ms - t.par - t.inline;
        all.par += t.par; all.inline += t.inline; all.out += out; all.late += t.late; all.wait += t.wait; all.idle += t.idle; all.jobs += t.jobs;
        if (t.par + t.inline < 0.05 * STEPS && out < 0.1 * STEPS) continue;
        const wake = t.wakes.length ? median(t.wakes).toFixed(0) : '-';
        const f = (x: number) => (x / STEPS).toFixed(2).padStart(6);
        console.log(`  par ${f(t.par)} inline ${f(t.inline)} out ${f(out)} | jobs ${(t.jobs / STEPS).toFixed(0).padStart(2)} late ${f(t.late)} wait ${f(t.wait)} idle ${f(t.idle)} wake ${wake.padStart(5)}  ${k}`);
      }
      const f = (x: number) => (x / STEPS).toFixed(2);
      const wakes = [...opTraces.values()].flatMap((t) => t.wakes).sort((a, b) => a - b);
      const qw = (p: number) => wakes[Math.min(wakes.length - 1, Math.floor(p * wakes.length))].toFixed(0);
      const missed = all.jobs - wakes.length;
      const how: Record<string, number> = {};
      for (const t of opTraces.values()) for (const [k, n] of Object.entries(t.how)) how[k] = (how[k] ?? 0) + n;
      const hows = Object.entries(how).map(([k, n]) => `${k} ${(n / STEPS).toFixed(1)}`).join(', ');
      if (wakes.length) console.log(`  wake (us from runJob to the worker taking the job): p10 ${qw(0.1)} p25 ${qw(0.25)} median ${qw(0.5)} p75 ${qw(0.75)} p90 ${qw(0.9)}; jobs over before it did: ${(missed / STEPS).toFixed(1)} a step; taken a step: ${hows}`);
      const gaps = spans.slice(1).map(([s0], i) => s0 - spans[i][1]).filter((g) => g < 20_000).sort((a, b) => a - b);
      const q = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))].toFixed(0);
      if (gaps.length) console.log(`  gaps between consecutive parallel jobs of a step (us): p25 ${q(0.25)} median ${q(0.5)} p75 ${q(0.75)} p90 ${q(0.9)}`);
      console.log(`  all ops: par ${f(all.par)} inline ${f(all.inline)} out ${f(all.out)} | ${(all.jobs / STEPS).toFixed(0)} parallel jobs a step, late ${f(all.late)} wait ${f(all.wait)} idle ${f(all.idle)}`);
    }
  }
}

// ------------------------------------------------------------------------------ kernels
function gflops(name: string, flop: number, f: () => dt.Tensor, reps = 7): void {
  for (const threads of THREADS) {
    dt.config.setNumThreads(threads);
    f().dispose();
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      const y = f();
      times.push(performance.now() - t);
      y.dispose();
    }
    const ms = median(times);
    console.log(`${name.padEnd(34)} ${threads} thread${threads > 1 ? 's' : ' '}: ${(flop / ms / 1e6).toFixed(2).padStart(6)} GFLOP/s  (${ms.toFixed(1)} ms)`);
  }
}
const r2 = lcg(2);
const m = dt.tensor(Float32Array.from({ length: 512 * 512 }, () => r2() - 0.5), [512, 512]);
gflops('matmul 512x512x512', 2 * 512 ** 3, () => dt.matmul(m, m));
const x = dt.tensor(Float32Array.from({ length: 64 * 15 * 15 * 32 }, () => r2() - 0.5), [64, 15, 15, 32]);
const w = dt.tensor(Float32Array.from({ length: 3 * 3 * 32 * 32 }, () => r2() - 0.5), [3, 3, 32, 32]);
const dy = dt.tensor(Float32Array.from({ length: 64 * 13 * 13 * 32 }, () => r2() - 0.5), [64, 13, 13, 32]);
const convFlop = 2 * 64 * 13 * 13 * 32 * 3 * 3 * 32;
gflops('conv2d [64,15,15,32]*[3,3,32,32]', convFlop, () => dt.conv2d(x, w));
gflops('conv2dGradInput (same layer)', 2 * 64 * 15 * 15 * 32 * 3 * 3 * 32, () => adv.conv2dGradInput(dy, w, x.shape));
gflops('conv2dGradFilter (same layer)', convFlop, () => adv.conv2dGradFilter(x, dy, w.shape));
console.log(`load average at the end: ${load()}`);
await dt.shutdown();
