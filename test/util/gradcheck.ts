/**
 * gradcheck: compares ditto's reverse-mode gradients (float32, through `dt.grad`) with central
 * differences in float64 on an independent reference implementation (test/reference).
 *
 * For L(xs) = sum(v * f(xs)) with a fixed seeded cotangent v of the output's shape it checks
 *  - the forward value of f against the reference (else the comparison would be meaningless),
 *  - one gradient per input, each of its input's shape,
 *  - every gradient element (inputs of <= maxElements elements; else a fixed seeded sample)
 *    against (L64(x + h e_j) - L64(x - h e_j)) / 2h, h = 1e-6 * max(1, |x_j|),
 *  - the directional derivative vᵀJu for a few seeded directions u over all inputs at once,
 *  - that no tensor or buffer is left behind.
 * An element passes when |ours - numeric| <= atol * max(1, scale) + rtol * |numeric|, scale being
 * the largest |numeric| of that input (for vᵀJu: sum |g||u|). All data comes from a small LCG
 * seeded by the case name, so every run checks the same numbers.
 */
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { type A64, arr, sizeOfShape } from '../reference/ops64.ts';

// ------------------------------------------------------------------ deterministic data

/** 32-bit linear congruential generator (Numerical Recipes constants); never Math.random. */
export class Lcg {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
    for (let i = 0; i < 4; i++) this.next();
  }
  /** Uniform in [0, 1) from the generator's high bits. */
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** FNV-1a hash of a string (seeds each case from its name). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A generator of input values drawing from the case's LCG. */
export type Gen = (rng: Lcg) => A64;
/** An input: fixed values, or a generator. */
export type InputGen = A64 | Gen;

function fillWith(shape: readonly number[], draw: () => number): A64 {
  const a = arr(shape);
  for (let i = 0; i < a.data.length; i++) a.data[i] = draw();
  return a;
}

/** Uniform values in [lo, hi). */
export const uniform = (shape: readonly number[], lo = -1, hi = 1): Gen => (r) => fillWith(shape, () => r.uniform(lo, hi));

/** Uniform in [lo, hi), redrawn until at least `margin` away from every kink (relu/abs/clip thresholds). */
export const awayFrom = (shape: readonly number[], kinks: readonly number[], lo = -1, hi = 1, margin = 0.05): Gen => (r) =>
  fillWith(shape, () => {
    for (;;) {
      const v = r.uniform(lo, hi);
      if (kinks.every((k) => Math.abs(v - k) >= margin)) return v;
    }
  });

/** Magnitudes in [lo, hi) with random signs (divisors: away from zero). */
export const nonzero = (shape: readonly number[], lo = 0.5, hi = 2): Gen => (r) =>
  fillWith(shape, () => (r.next() < 0.5 ? -1 : 1) * r.uniform(lo, hi));

/**
 * Pairwise distinct values (no ties for max/min/maxPool): a shuffled ladder over [lo, hi) with
 * steps of (hi - lo) / n and jitter of at most a quarter step, so any two differ by >= step / 2.
 */
export const distinct = (shape: readonly number[], lo = -1, hi = 1): Gen => (r) => {
  const n = sizeOfShape(shape);
  const step = (hi - lo) / n;
  const a = arr(shape);
  for (let i = 0; i < n; i++) a.data[i] = lo + step * (i + 0.5) + r.uniform(-0.25, 0.25) * step;
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [a.data[i], a.data[j]] = [a.data[j], a.data[i]];
  }
  return a;
};

/**
 * Values (k + offset) * step for random integers k in [-kMax, kMax]: two such inputs with offsets
 * differing by 0.5 are never closer than step / 2 (maximum/minimum without near-ties).
 */
export const ladder = (shape: readonly number[], offset: number, step = 0.25, kMax = 4): Gen => (r) =>
  fillWith(shape, () => (r.int(2 * kMax + 1) - kMax + offset) * step);

/** Fixed values. */
export const fixed = (shape: readonly number[], values: ArrayLike<number>): InputGen => arr(shape, values);

// ------------------------------------------------------------------ the check

export interface GradCheckSpec {
  name: string;
  /** The ditto function; every argument is differentiated (constants go in the closure). */
  f: (...xs: dt.Tensor[]) => dt.Tensor;
  /** The float64 reference of f. */
  ref: (...xs: A64[]) => A64;
  inputs: readonly InputGen[];
  rtol?: number;
  atol?: number;
  /** Tolerance of the forward comparison (default rtol 1e-4, atol 1e-5 * max(1, max|y|)). */
  fwdRtol?: number;
  fwdAtol?: number;
  /** Inputs up to this size are checked element by element (default 300), larger ones by sample. */
  maxElements?: number;
  /** Sampled elements per large input (default 40). */
  samples?: number;
  /** Number of random directions for vᵀJu (default 3). */
  directions?: number;
}

export interface GradFailure {
  kind: 'count' | 'shape' | 'forward' | 'element' | 'directional' | 'leak';
  message: string;
}

export interface GradCheckReport {
  failures: GradFailure[];
  /** Largest |ours - numeric| / |numeric| over checked elements with |numeric| >= 1e-3 * max(1, scale). */
  worstRel: number;
  /** Largest |ours - numeric| / allowed over all checks (<= 1 passes). */
  worstNorm: number;
  /** Number of element and directional comparisons made. */
  checked: number;
}

const DEFAULT_RTOL = 2e-3;
const DEFAULT_ATOL = 1e-4;

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Runs the gradient check and returns what failed (nothing asserted; see expectGradcheck). */
export async function gradcheck(spec: GradCheckSpec): Promise<GradCheckReport> {
  const rtol = spec.rtol ?? DEFAULT_RTOL;
  const atol = spec.atol ?? DEFAULT_ATOL;
  const rng = new Lcg(hashString(spec.name));
  // The engine sees float32 values; the reference is evaluated at exactly those values.
  const xs = spec.inputs.map((g) => {
    const a = typeof g === 'function' ? g(rng) : g;
    return arr(a.shape, Float32Array.from(a.data));
  });
  const y64 = spec.ref(...xs);
  const v = fillWith(y64.shape, () => rng.uniform(-1, 1)).data;
  const loss64 = (at: readonly A64[]): number => {
    const y = spec.ref(...at);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += v[i] * y.data[i];
    return s;
  };

  const failures: GradFailure[] = [];
  const report: GradCheckReport = { failures, worstRel: 0, worstNorm: 0, checked: 0 };
  const fail = (kind: GradFailure['kind'], message: string) => failures.push({ kind, message: `${spec.name}: ${message}` });

  const before = dt.memory();
  const tx = xs.map((x) => dt.tensor(Float32Array.from(x.data), x.shape));
  const tv = dt.tensor(Float32Array.from(v), y64.shape);

  // Forward value.
  const y = dt.tidy(() => spec.f(...tx));
  if (y.shape.length !== y64.shape.length || y.shape.some((d, i) => d !== y64.shape[i])) {
    fail('shape', `output shape [${y.shape}] differs from the reference's [${y64.shape}]`);
  } else {
    const got = await y.data();
    const fr = spec.fwdRtol ?? 1e-4;
    const fa = (spec.fwdAtol ?? 1e-5) * Math.max(1, maxAbs(y64.data));
    for (let i = 0; i < got.length; i++) {
      if (!(Math.abs(got[i] - y64.data[i]) <= fa + fr * Math.abs(y64.data[i]))) {
        fail('forward', `output element ${i}: ${got[i]} vs reference ${y64.data[i]}`);
        break;
      }
    }
  }
  y.dispose();

  // Gradients of sum(v * f(xs)).
  const grads = dt.grad((...ts) => dt.sum(dt.mul(spec.f(...ts), tv)))(...tx);
  const g64: Float64Array[] = [];
  if (grads.length !== tx.length) fail('count', `${grads.length} gradients for ${tx.length} inputs`);
  for (let i = 0; i < Math.min(grads.length, tx.length); i++) {
    if (grads[i].shape.length !== xs[i].shape.length || grads[i].shape.some((d, k) => d !== xs[i].shape[k])) {
      fail('shape', `gradient ${i} has shape [${grads[i].shape}], its input [${xs[i].shape}]`);
    }
    g64.push(Float64Array.from(await grads[i].data()));
  }
  const uniqueGrads = [...new Set(grads)];
  dt.dispose([...tx, tv, ...uniqueGrads]);
  const after = dt.memory();
  if (after.numTensors !== before.numTensors || after.numBuffers !== before.numBuffers) {
    fail('leak', `live tensors ${before.numTensors} -> ${after.numTensors}, buffers ${before.numBuffers} -> ${after.numBuffers}`);
  }
  if (failures.some((f) => f.kind === 'count' || f.kind === 'shape')) return report;

  const judge = (ours: number, num: number, allowed: number, relFloor: number): number => {
    const err = Math.abs(ours - num);
    report.checked++;
    report.worstNorm = Math.max(report.worstNorm, err / allowed);
    if (Math.abs(num) >= relFloor) report.worstRel = Math.max(report.worstRel, err / Math.abs(num));
    return err <= allowed ? 0 : err;
  };

  // Element by element (or a fixed sample of elements).
  const maxElements = spec.maxElements ?? 300;
  for (let i = 0; i < xs.length; i++) {
    const n = xs[i].data.length;
    let idx = Array.from({ length: n }, (_, k) => k);
    if (n > maxElements) {
      const pick = new Set<number>();
      const want = Math.min(spec.samples ?? 40, n);
      while (pick.size < want) pick.add(rng.int(n));
      idx = [...pick].sort((a, b) => a - b);
    }
    const nums = idx.map((j) => {
      const x0 = xs[i].data[j];
      const h = 1e-6 * Math.max(1, Math.abs(x0));
      const at = xs.map((x, k) => (k === i ? arr(x.shape, x.data) : x));
      at[i].data[j] = x0 + h;
      const lp = loss64(at);
      at[i].data[j] = x0 - h;
      const lm = loss64(at);
      return (lp - lm) / (2 * h);
    });
    const scale = Math.max(1, maxAbs(nums), maxAbs(g64[i]));
    let reported = 0;
    idx.forEach((j, k) => {
      const allowed = atol * scale + rtol * Math.abs(nums[k]);
      if (judge(g64[i][j], nums[k], allowed, 1e-3 * scale) && reported++ < 5) {
        fail('element', `d/dx${i}[${j}]: ours ${g64[i][j]}, numeric ${nums[k]} (allowed ±${allowed.toExponential(2)})`);
      }
    });
  }

  // Directional derivatives vᵀJu.
  const hx = 1e-6 * Math.max(1, ...xs.map((x) => maxAbs(x.data)));
  for (let d = 0; d < (spec.directions ?? 3); d++) {
    const us = xs.map((x) => fillWith(x.shape, () => rng.uniform(-1, 1)).data);
    const shifted = (sgn: number) => xs.map((x, i) => arr(x.shape, x.data.map((e, k) => e + sgn * hx * us[i][k])));
    const num = (loss64(shifted(1)) - loss64(shifted(-1))) / (2 * hx);
    let ours = 0;
    let mag = 0;
    xs.forEach((_, i) => g64[i].forEach((g, k) => {
      ours += g * us[i][k];
      mag += Math.abs(g * us[i][k]);
    }));
    const allowed = atol * Math.max(1, mag) + rtol * Math.abs(num);
    if (judge(ours, num, allowed, 1e-3 * Math.max(1, mag))) {
      fail('directional', `direction ${d}: vᵀJu ours ${ours}, numeric ${num} (allowed ±${allowed.toExponential(2)})`);
    }
  }
  if (process.env.GRADCHECK_REPORT) {
    appendFileSync(process.env.GRADCHECK_REPORT, `${spec.name}\t${report.worstRel.toExponential(2)}\t${report.worstNorm.toFixed(3)}\t${report.checked}\n`);
  }
  return report;
}

/** Runs gradcheck and fails the test with the first few problems if anything disagrees. */
export async function expectGradcheck(spec: GradCheckSpec): Promise<GradCheckReport> {
  const report = await gradcheck(spec);
  if (report.failures.length) {
    expect.fail(report.failures.slice(0, 8).map((f) => `[${f.kind}] ${f.message}`).join('\n'));
  }
  expect(report.checked).toBeGreaterThan(0);
  return report;
}

/** A table of gradient checks: one `it` per entry. */
export function describeGradcheck(title: string, cases: readonly GradCheckSpec[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, async () => { await expectGradcheck(c); });
  });
}
