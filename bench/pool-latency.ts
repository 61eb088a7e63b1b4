/**
 * CPU worker-pool dispatch latency (not part of `npm test`): how long an almost empty parallel job
 * takes, on 2 threads (the main thread + 1 worker), from runJob's call to
 *   - post:   the main thread starting its own first block (the cost of handing the job out),
 *   - claim:  the worker starting its first block (waking it),
 *   - return: runJob returning (the round trip),
 * as medians and 90th percentiles in microseconds over many jobs. A job is the 'test.stamp' task
 * (tasks.ts): 2 blocks, of which the main thread takes one and waits (up to 5 ms) for the worker
 * to take the other (a worker that wakes before the main thread claims takes both); 'workers only' jobs have 1 block that the worker runs. The gap between jobs (main-thread
 * work, as between the ops of a training step) varies: 0, 0.2 ms and 2 ms of spinning, and 30 ms of
 * sleeping (the worker has gone idle). 'conv-like' jobs carry the fields of a convolution job (4
 * shared typed arrays, 20 numbers) instead of none. Each line also gives the process's CPU time per
 * job (all threads), which shows a worker that spins.
 * Usage: npx tsx bench/pool-latency.ts [--jobs 400] [--threads 2]
 */
import { loadavg } from 'node:os';
import { runJob, setNumThreads, shutdownPool } from '../src/kernels/cpu/thread-pool.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const JOBS = Number(opt('jobs', '400'));
setNumThreads(Number(opt('threads', '2')));

const now = () => Number(process.hrtime.bigint());
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const us = (ns: number) => (ns / 1000).toFixed(1).padStart(7);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const sab = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
const convPayload = {
  kind: 'conv2d', x: sab(64 * 32 * 32), w: sab(288), bias: sab(32), out: sab(64 * 30 * 30 * 32), relu: true, direct: true,
  C: 1, F: 32, inH: 32, inW: 32, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, outH: 30, outW: 30, padTop: 0, padLeft: 0,
  Kc: 9, Mb: 256, Nb: 32, mBlocks: 225, nBlocks: 1, chunks: 1, splitK: false, blocks: 225, seq: 1, M: 57600, N: 32, K: 9,
};
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function gap(kind: string): void {
  if (kind === 'sleep 30 ms') Atomics.wait(sleeper, 0, 0, 30);
  else {
    const ms = kind === 'spin 2 ms' ? 2 : kind === 'spin 0.2 ms' ? 0.2 : 0;
    const until = now() + ms * 1e6;
    while (now() < until);
  }
}

function measure(workersOnly: boolean, payload: unknown, gapKind: string, jobs: number): void {
  const nBlocks = workersOnly ? 1 : 2;
  const post: number[] = [];
  const claim: number[] = [];
  const ret: number[] = [];
  let workerNone = 0;
  let mainNone = 0;
  const c0 = process.cpuUsage();
  for (let j = 0; j < jobs; j++) {
    gap(gapKind);
    const t = new Float64Array(new SharedArrayBuffer(8 * nBlocks));
    const who = new Int32Array(new SharedArrayBuffer(4 * nBlocks));
    const out = new Int32Array(new SharedArrayBuffer(4));
    const t0 = now();
    runJob('test.stamp', { t, who, waitMs: 5, payload }, nBlocks, { work: 1e9, out, workersOnly });
    ret.push(now() - t0);
    for (let i = 0; i < nBlocks; i++) {
      if (who[i] === 1) post.push(t[i] - t0);
      else claim.push(t[i] - t0);
    }
    if (!workersOnly && who[0] === who[1]) {
      if (who[0] === 1) workerNone++;
      else mainNone++;
    }
  }
  const c = process.cpuUsage(c0);
  const cpu = (1000 * (c.user + c.system)) / jobs;
  const part = (name: string, xs: number[]) => (xs.length ? `${name} ${us(q(xs, 0.5))} (p90 ${us(q(xs, 0.9))})` : `${name} ${'-'.padStart(7)}${' '.repeat(14)}`);
  const label = `${workersOnly ? 'workers only' : '2 blocks    '}  ${payload ? 'conv-like' : 'empty    '}  gap ${gapKind.padEnd(11)}`;
  const miss = workersOnly ? '' : `  blocks: main none ${mainNone}/${jobs}, worker none ${workerNone}/${jobs}`;
  console.log(`${label} ${part('post', post)}  ${part('claim', claim)}  ${part('return', ret)}  CPU/job ${us(cpu)}${miss}`);
}

console.log(`CPU pool dispatch latency, microseconds (median, p90), node ${process.version}, load average ${load()}`);
// start the workers (from TypeScript sources they take a few hundred ms to load) and warm up
runJob('test.stamp', { t: new Float64Array(new SharedArrayBuffer(8)), who: new Int32Array(new SharedArrayBuffer(4)), waitMs: 0 }, 1, { work: 1e9, out: new Int32Array(new SharedArrayBuffer(4)), workersOnly: true });
measure(false, convPayload, 'none', 200);
for (const gapKind of ['none', 'spin 0.2 ms', 'spin 2 ms', 'sleep 30 ms']) {
  const jobs = gapKind === 'sleep 30 ms' ? Math.max(20, Math.round(JOBS / 10)) : JOBS;
  for (const workersOnly of [true, false]) {
    for (const payload of [undefined, convPayload]) measure(workersOnly, payload, gapKind, jobs);
  }
}
console.log(`load average at the end: ${load()}`);
await shutdownPool();
