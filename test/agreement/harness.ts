/**
 * Harness of the CPU-vs-WebGPU agreement suites: declares a suite over WebGPU (skipped with the
 * reason when there is no adapter, failing when REQUIRE_WEBGPU=1; see test/util/webgpu.ts), generates
 * seeded inputs (an LCG, never the engine's RNG), runs a case on both backends and compares the
 * result BITS (NaN payloads excepted only where a case says so).
 */
import { afterAll, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { hashString, Lcg } from '../util/gradcheck.ts';
import { expectBitsEqual } from '../util/compare.ts';
import { describeWebGpu } from '../util/webgpu.ts';
import { TUNING } from '../../src/kernels/webgpu/kernel-util.ts';
import type { WebGpuBackend } from '../../src/kernels/webgpu/index.ts';

/**
 * Declares the agreement suite `name` over WebGPU (test/util/webgpu.ts's describeWebGpu: skipped
 * with the reason without an adapter, failing under REQUIRE_WEBGPU=1), prints the file's tally
 * and shuts the device down after the file so the process exits.
 */
export function describeAgreement(name: string, unavailable: string | null, cases: AgreementCase[]): void {
  afterAll(async () => {
    if (TALLY.cases) console.log(`agreement [${name}]: ${TALLY.cases} cases, ${TALLY.elements} elements compared, ${TALLY.differing} differing (NaN results with different NaN bit patterns, accepted in special-value cases: ${TALLY.nanPayloadsDiffering})`);
    await dt.shutdown();
  });
  describeWebGpu(name, unavailable, () => agreementCases(cases));
}

/** Host data of one input. */
export interface HostTensor {
  values: dt.TypedArray;
  shape: number[];
  dtype: dt.DType;
}

export type Gen = (rng: Lcg, n: number) => number[] | dt.TypedArray;

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Uniform floats in [lo, hi). */
export const uni = (lo = -2, hi = 2): Gen => (r, n) => Array.from({ length: n }, () => r.uniform(lo, hi));
/** Small integers in [lo, hi] (ties for max/min/pooling). */
export const ints = (lo: number, hi: number): Gen => (r, n) => Array.from({ length: n }, () => lo + r.int(hi - lo + 1));
/** Floats that are multiples of 0.25 in [-2, 2]: exact ties and exact sums. */
export const quarters: Gen = (r, n) => Array.from({ length: n }, () => (r.int(17) - 8) * 0.25);

/** Special float32 values mixed into uniform data (zeros, -0, subnormals, tiny and huge, ±Inf, NaN). */
export const SPECIAL = [0, -0, 1, -1, 0.5, 2 ** -149, -(2 ** -149), 2 ** -126, 1.5e-39, -3e-40, 1e-30, 3e38, -3e38, 65504, 1e10, Infinity, -Infinity, NaN];
export const withSpecials = (base: Gen = uni(-10, 10)): Gen => (r, n) => {
  const v = Array.from(base(r, n));
  for (let i = 0; i < n; i++) if (i % 3 === 0) v[i] = SPECIAL[(i / 3) % SPECIAL.length];
  return v;
};
/** Finite specials only (no Inf/NaN): zeros, -0, subnormals, extremes. */
export const withFiniteSpecials = (base: Gen = uni(-10, 10)): Gen => (r, n) => {
  const fin = SPECIAL.filter(Number.isFinite);
  const v = Array.from(base(r, n));
  for (let i = 0; i < n; i++) if (i % 3 === 0) v[i] = fin[(i / 3) % fin.length];
  return v;
};

/** An input spec: shape, dtype and generator. */
export function input(shape: number[], gen: Gen = uni(), dtype: dt.DType = 'float32'): { shape: number[]; gen: Gen; dtype: dt.DType } {
  return { shape, gen, dtype };
}

export interface AgreementCase {
  name: string;
  inputs: { shape: number[]; gen: Gen; dtype: dt.DType }[];
  run: (xs: dt.Tensor[]) => dt.Tensor;
  /** Accept differing NaN bit patterns where both results are NaN (special-value cases). */
  nanPayloads?: boolean;
  /** WebGPU strategy knobs for this case (results must not depend on them). */
  tuning?: Partial<typeof TUNING>;
  /** Lowered device limits for this case (to exercise 2-D grids and split dispatches cheaply). */
  maxWorkgroupsPerDimension?: number;
  /** Lowered maxStorageBufferBindingSize (bytes) and raised offset alignment: windowed chunks. */
  maxBindingBytes?: number;
  storageOffsetAlignment?: number;
}

function materialize(c: AgreementCase): HostTensor[] {
  const rng = new Lcg(hashString(c.name));
  return c.inputs.map((s) => {
    const n = sizeOf(s.shape);
    const raw = s.gen(rng, n);
    // a Float32Array generator's words are kept (signalling NaNs included: Float32Array.from would quiet them)
    const values = s.dtype === 'float32' ? (raw instanceof Float32Array ? raw.slice() : Float32Array.from(raw)) : s.dtype === 'int32' ? Int32Array.from(raw) : Uint8Array.from(raw);
    return { values, shape: s.shape, dtype: s.dtype };
  });
}

async function runOn(backend: dt.BackendName, c: AgreementCase, host: HostTensor[]): Promise<{ data: dt.TypedArray; shape: readonly number[]; dtype: dt.DType }> {
  await dt.setBackend(backend);
  const xs = host.map((h) => dt.tensor(h.values, h.shape, h.dtype));
  try {
    const y = c.run(xs);
    const data = await y.data();
    const out = { data, shape: [...y.shape], dtype: y.dtype };
    y.dispose();
    return out;
  } finally {
    dt.dispose(xs);
  }
}

/** Counters for the suite summary. */
export const TALLY = { cases: 0, elements: 0, differing: 0, nanPayloadsDiffering: 0 };

/** Runs `c` on the CPU and on WebGPU and asserts identical bits (and shapes and dtypes). */
export async function expectAgreement(c: AgreementCase): Promise<void> {
  const host = materialize(c);
  const cpu = await runOn('cpu', c, host);
  const saved = { ...TUNING };
  Object.assign(TUNING, c.tuning ?? {});
  await dt.setBackend('webgpu');
  const limits = (adv.currentBackend() as unknown as WebGpuBackend).gpu.limits;
  const savedLimits = { ...limits };
  if (c.maxWorkgroupsPerDimension) limits.maxComputeWorkgroupsPerDimension = c.maxWorkgroupsPerDimension;
  if (c.maxBindingBytes) limits.maxStorageBufferBindingSize = c.maxBindingBytes;
  if (c.storageOffsetAlignment) limits.minStorageBufferOffsetAlignment = c.storageOffsetAlignment;
  let gpu: Awaited<ReturnType<typeof runOn>>;
  try {
    gpu = await runOn('webgpu', c, host);
  } finally {
    Object.assign(TUNING, saved);
    Object.assign(limits, savedLimits);
  }
  TALLY.cases++;
  TALLY.elements += cpu.data.length;
  expect(gpu.shape, `${c.name}: shape`).toEqual(cpu.shape);
  expect(gpu.dtype, `${c.name}: dtype`).toBe(cpu.dtype);
  if (c.nanPayloads && cpu.dtype === 'float32') {
    const a = cpu.data as Float32Array;
    const b = gpu.data as Float32Array;
    const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
    const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
    let diff = 0;
    let first = -1;
    for (let i = 0; i < a.length; i++) {
      if (ua[i] === ub[i]) continue;
      if (Number.isNaN(a[i]) && Number.isNaN(b[i])) {
        TALLY.nanPayloadsDiffering++;
        continue;
      }
      diff++;
      if (first < 0) first = i;
    }
    TALLY.differing += diff;
    if (diff) expect.fail(`${c.name}: ${diff} of ${a.length} elements differ; first at ${first}: cpu ${a[first]} vs webgpu ${b[first]}`);
    return;
  }
  const ba = Buffer.from(cpu.data.buffer, cpu.data.byteOffset, cpu.data.byteLength);
  const bb = Buffer.from(gpu.data.buffer, gpu.data.byteOffset, gpu.data.byteLength);
  if (!ba.equals(bb)) {
    let diff = 0;
    for (let i = 0; i < cpu.data.length; i++) if (!Object.is(cpu.data[i], gpu.data[i])) diff++;
    TALLY.differing += Math.max(diff, 1);
  }
  expectBitsEqual(gpu.data as Float32Array, cpu.data as Float32Array, c.name);
}

/** Registers one `it` per case. */
export function agreementCases(cases: readonly AgreementCase[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate agreement case name: ${c.name}`);
    seen.add(c.name);
    it(c.name, () => expectAgreement(c));
  }
}
