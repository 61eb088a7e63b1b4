/**
 * Memory-bound CPU kernels of the reference CNN's training step, each alone (not part of `npm test`):
 * maxPool2d, maxPool2dGrad (with relu's mask), dropoutApply (Philox) and conv1's bias-gradient sum,
 * at the step's shapes, called through the CPU kernel table with preallocated tensors. Reports the
 * median CPU time per call (process.cpuUsage, all threads) and, for comparison, a memcpy bound: the
 * median CPU time of Float32Array.set copies that read and write the kernel's bytes once
 * (inputs read, output written).
 * Usage: DITTO_THREADS=1 npx tsx bench/mem-ops.ts [--reps 40] [--only maxPool2d,sum]
 */
import { loadavg } from 'node:os';
import { CPU_KERNELS } from '../src/kernels/cpu/kernels.ts';
import type { CpuInfo } from '../src/kernels/cpu/types.ts';
import { shutdownPool } from '../src/kernels/cpu/thread-pool.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const REPS = Number(opt('reps', '40'));
const ONLY = opt('only', '').split(',').filter((s) => s !== '');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
let seed = 1;
function t(shape: number[], fill = true): CpuInfo {
  const a = new Float32Array(size(shape));
  if (fill) for (let i = 0; i < a.length; i++) a[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return { shape, dtype: 'float32', handle: a } as CpuInfo;
}
/** Median CPU ms of fn over REPS calls (after 3 warm-up calls). */
function cpuMs(fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    xs.push((d.user + d.system) / 1000);
  }
  return median(xs);
}
/** CPU ms of copying the read tensors and writing the output once (a memcpy-rate bound). */
function bound(reads: CpuInfo[], write: CpuInfo): number {
  const dst = reads.map((r) => new Float32Array((r.handle as Float32Array).length));
  const src = new Float32Array((write.handle as Float32Array).length);
  const out = write.handle as Float32Array;
  return cpuMs(() => {
    reads.forEach((r, i) => dst[i].set(r.handle as Float32Array));
    out.set(src);
  });
}

const K = CPU_KERNELS as Record<string, (i: readonly CpuInfo[], a: unknown, o: CpuInfo) => void>;
const pool = { poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
interface Case { name: string; run: () => void; reads: CpuInfo[]; out: CpuInfo }
function cases(): Case[] {
  const x1 = t([64, 30, 30, 32]);
  const p1 = t([64, 15, 15, 32], false);
  const dy1 = t([64, 15, 15, 32]);
  const dx1 = t([64, 30, 30, 32], false);
  const x2 = t([64, 13, 13, 32]);
  const p2 = t([64, 6, 6, 32], false);
  const dy2 = t([64, 6, 6, 32]);
  const dx2 = t([64, 13, 13, 32], false);
  const d = t([64, 15, 15, 32], false);
  const bias = t([32], false);
  const dropout = { algorithm: 'philox', key: [12345, 678], counter: [1000, 0, 0, 0], rate: 0.2 };
  const x1r = { ...x1, shape: [64 * 30 * 30, 32] } as CpuInfo;
  return [
    { name: 'maxPool2d [64,30,30,32]', run: () => K.maxPool2d([x1], pool, p1), reads: [x1], out: p1 },
    { name: 'maxPool2dGrad+relu [64,15,15,32]<-[64,30,30,32]', run: () => K.maxPool2dGrad([dy1, x1], { ...pool, reluMask: true }, dx1), reads: [dy1, x1], out: dx1 },
    { name: 'maxPool2d [64,13,13,32]', run: () => K.maxPool2d([x2], pool, p2), reads: [x2], out: p2 },
    { name: 'maxPool2dGrad+relu [64,6,6,32]<-[64,13,13,32]', run: () => K.maxPool2dGrad([dy2, x2], { ...pool, reluMask: true }, dx2), reads: [dy2, x2], out: dx2 },
    { name: 'dropoutApply philox [64,15,15,32]', run: () => K.dropoutApply([dy1], dropout, d), reads: [dy1], out: d },
    { name: 'sum [57600,32] axis 0', run: () => K.sum([x1r], { axes: [0], keepDims: false }, bias), reads: [x1r], out: bias },
  ].filter((c) => ONLY.length === 0 || ONLY.some((o) => c.name.startsWith(o)));
}

console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; DITTO_THREADS=${process.env.DITTO_THREADS ?? '(default)'}; ${REPS} reps; CPU ms per call (median)`);
for (const c of cases()) {
  const ms = cpuMs(c.run);
  const b = bound(c.reads, c.out);
  console.log(`${c.name.padEnd(52)} ${ms.toFixed(3).padStart(7)} ms   memcpy bound ${b.toFixed(3).padStart(6)} ms   ${(ms / b).toFixed(2)}x`);
}
await shutdownPool();
