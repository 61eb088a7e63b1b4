// Agreement of shaders/lib/math.wgsl with src/core/math: every WGSL function runs over ~2.7
// million float32 inputs (bit-pattern sweeps + random + edge cases) in one dispatch each, and its
// bits must equal the TypeScript function's bits. Also a preview of the WebGPU backend's startup
// self-test: WGSL `a / b` and `sqrt(x)` must be correctly rounded (equal Math.fround of the
// float64 result) on ~1M random pairs including subnormals.
// The library runs twice: as is, and with EXACT_GUARD (its FMA-contraction guards switched on).
// Skips without a WebGPU adapter (the reason in the test names) unless REQUIRE_WEBGPU=1 (then a
// missing adapter fails); see test/util/webgpu.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exp32, expm1_32, log1p32, log32, sigmoid32, softplus32, tanh32 } from '../../src/core/math/index.ts';
import * as dt from '../../src/index.ts';
import { erf32 } from '../../src/core/math/index.ts';
import { compileCompute, loadWgsl, openRawGpu, runCompute, type RawGpu } from '../util/raw-webgpu.ts';
import { describeWebGpu, webgpuUnavailable } from '../util/webgpu.ts';

const MATH_LIB = loadWgsl('lib/math'); // with lib/float-bits, which it requires

/** TS function and WGSL name, in the order of the shader's switch. */
const FUNCTIONS: [name: string, wgsl: string, ts: (x: number) => number][] = [
  ['exp32', 'dt_exp', exp32],
  ['expm1_32', 'dt_expm1', expm1_32],
  ['log32', 'dt_log', log32],
  ['log1p32', 'dt_log1p', log1p32],
  ['tanh32', 'dt_tanh', tanh32],
  ['sigmoid32', 'dt_sigmoid', sigmoid32],
  ['softplus32', 'dt_softplus', softplus32],
  ['erf32', 'dt_erf', erf32],
];

const WG = 64;
const MAX_GROUPS = 4096; // grid-stride loop inside the shader

const UNARY_SHADER = `${MATH_LIB}
@group(0) @binding(0) var<storage, read> xs: array<u32>;
@group(0) @binding(1) var<storage, read_write> ys: array<u32>;
struct Params { fn_id: u32, n: u32, pad0: u32, pad1: u32 }
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${WG}u;
  for (var i = gid.x; i < params.n; i += stride) {
    let x = bitcast<f32>(xs[i]);
    var y: f32;
    switch params.fn_id {
${FUNCTIONS.map(([, w], i) => `      case ${i}u: { y = ${w}(x); }`).join('\n')}
      default: { y = x; }
    }
    ys[i] = bitcast<u32>(y);
  }
}
`;

// dt_div / dt_sqrt (lib/float-bits: integer arithmetic, what every kernel uses) and, for the
// report only, the driver's own a / b and sqrt (which the WGSL spec lets be inexact).
const DIV_SQRT_SHADER = `${MATH_LIB}
@group(0) @binding(0) var<storage, read> as_: array<u32>;
@group(0) @binding(1) var<storage, read> bs: array<u32>;
@group(0) @binding(2) var<storage, read_write> quot: array<u32>;
@group(0) @binding(3) var<storage, read_write> root: array<u32>;
@group(0) @binding(4) var<storage, read_write> hwQuot: array<u32>;
@group(0) @binding(5) var<storage, read_write> hwRoot: array<u32>;
struct Params { n: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(6) var<uniform> params: Params;

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${WG}u;
  for (var i = gid.x; i < params.n; i += stride) {
    let a = bitcast<f32>(as_[i]);
    let b = bitcast<f32>(bs[i]);
    quot[i] = dt_div_bits(as_[i], bs[i]);
    root[i] = dt_sqrt_bits(as_[i] & 0x7fffffffu);
    hwQuot[i] = bitcast<u32>(a / b);
    hwRoot[i] = bitcast<u32>(sqrt(abs(a)));
  }
}
`;

// dt_add_bits / dt_sub_bits / dt_mul_bits (lib/float-bits): IEEE + - * on any driver, also one
// that flushes subnormals (on an exact adapter their slow paths run wherever a subnormal is involved).
const ADD_MUL_SHADER = `${MATH_LIB}
@group(0) @binding(0) var<storage, read> as_: array<u32>;
@group(0) @binding(1) var<storage, read> bs: array<u32>;
@group(0) @binding(2) var<storage, read_write> sums: array<u32>;
@group(0) @binding(3) var<storage, read_write> diffs: array<u32>;
@group(0) @binding(4) var<storage, read_write> prods: array<u32>;
struct Params { n: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${WG}u;
  for (var i = gid.x; i < params.n; i += stride) {
    sums[i] = dt_add_bits(as_[i], bs[i]);
    diffs[i] = dt_sub_bits(as_[i], bs[i]);
    prods[i] = dt_mul_bits(as_[i], bs[i]);
  }
}
`;

/** Reproducible 32-bit generator (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Input bit patterns: full-range sweep, dense sweep of [2^-13, 128) both signs, random, edge cases. */
function buildInputs(): Uint32Array {
  const out: number[] = [];
  for (let b = 7; b < 0x100000000; b += 4099) out.push(b); // every 4099th pattern: all exponents, NaN, Inf
  for (let b = 0x39000000; b < 0x43000000; b += 251) out.push(b, (b + 0x80000000) >>> 0);
  const r = rng(12345);
  for (let i = 0; i < 300_000; i++) out.push(r());
  const edges = [
    0x00000000, 0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x7f800000, 0x7fc00000, 0x7f800001, 0x7fffffff,
    0x3f800000, 0x3f3504f3, 0x3fb504f3, 0x3e99999a, 0x41200000, 0x39800000, 0x33000000, 0x33800000, 0x3f000000,
    0x42b17218, 0x42b20000, 0x42cff1b5, 0x42d00000, 0x42aeac50, 0x418aa123, 0x3eb17218, 0x3f317218, 0x40000000,
    0x4b800000, 0x4c000000, 0x41100000, 0x3ed413cd, 0x3e95f61a,
  ];
  for (const e of edges) {
    for (let d = -16; d <= 16; d++) {
      const b = e + d;
      if (b >= 0 && b <= 0x7fffffff) out.push(b, (b + 0x80000000) >>> 0);
    }
  }
  return Uint32Array.from(out);
}

function isFiniteBits(b: number): boolean {
  return (b & 0x7f800000) !== 0x7f800000;
}

function isNaNBits(b: number): boolean {
  return (b & 0x7fffffff) > 0x7f800000;
}

// Availability from the one probe (test/util/webgpu.ts), then the engine's device is closed: this
// file opens its own raw device.
const probed = await webgpuUnavailable();
await dt.shutdown();
let rawFailure: string | null = null;
const gpu: RawGpu | null = probed === null
  ? await openRawGpu().catch((e: unknown) => {
    rawFailure = `the raw WebGPU harness (test/util/raw-webgpu.ts) could not open a device: ${(e as Error).message.split('\n')[0]}`;
    return null;
  })
  : null;
const unavailable = probed ?? (gpu ? null : rawFailure ?? 'the raw WebGPU harness (test/util/raw-webgpu.ts) found no adapter');

afterAll(() => {
  gpu?.destroy();
});

describeWebGpu('WGSL math library vs TypeScript (bit agreement)', unavailable, () => {
  let g: RawGpu;
  beforeAll(() => {
    if (!gpu) return; // unavailable under REQUIRE_WEBGPU=1: every test fails with the reason
    g = gpu;
    console.log(`adapter: ${g.adapterName}`);
  });

  it('every function gives the same bits as its TypeScript twin', async () => {
    const inputs = buildInputs();
    const n = inputs.length;
    const xs = new Float32Array(inputs.buffer);
    const tsOut = new Float32Array(n);
    const tsBits = new Uint32Array(tsOut.buffer);
    const t0 = performance.now();
    const pipelines = [await compileCompute(g, UNARY_SHADER), await compileCompute(g, UNARY_SHADER, { EXACT_GUARD: 1 })];
    const compileMs = performance.now() - t0;
    const report: Record<string, unknown>[] = [];
    const failures: string[] = [];
    for (let run = 0; run < FUNCTIONS.length * 2; run++) {
      const fi = run >> 1;
      const guard = (run & 1) === 1;
      const [name, wgsl, f] = FUNCTIONS[fi]!;
      const t1 = performance.now();
      const [buf] = await runCompute(g, pipelines[guard ? 1 : 0]!, {
        inputs: [inputs],
        outputBytes: [n * 4],
        uniform: new Uint32Array([fi, n, 0, 0]),
        workgroups: [Math.min(MAX_GROUPS, Math.ceil(n / WG))],
      });
      const gpuMs = performance.now() - t1;
      const gpuBits = new Uint32Array(buf!);
      if (!guard) for (let i = 0; i < n; i++) tsOut[i] = f(xs[i]!);
      let finiteIn = 0;
      let finiteDiff = 0;
      let nanPayloadDiff = 0;
      let nonFiniteIn = 0;
      let nonFiniteDiff = 0;
      let firstDiff = '';
      for (let i = 0; i < n; i++) {
        const a = tsBits[i]!;
        const b = gpuBits[i]!;
        const same = a === b || (isNaNBits(a) && isNaNBits(b));
        if (a !== b && same) nanPayloadDiff++;
        if (isFiniteBits(inputs[i]!)) {
          finiteIn++;
          if (!same) {
            finiteDiff++;
            if (!firstDiff) {
              firstDiff = `x=${xs[i]} (0x${inputs[i]!.toString(16)}): ts 0x${a.toString(16)} (${tsOut[i]}) gpu 0x${b.toString(16)}`;
            }
          }
        } else {
          nonFiniteIn++;
          if (!same) nonFiniteDiff++;
        }
      }
      const label = guard ? `${wgsl} (EXACT_GUARD)` : wgsl;
      report.push({ name, wgsl: label, inputs: n, finiteIn, finiteDiff, nanPayloadDiff, nonFiniteIn, nonFiniteDiff, gpuMs: Math.round(gpuMs) });
      if (finiteDiff > 0) failures.push(`${label}: ${finiteDiff} of ${finiteIn} finite inputs differ; first: ${firstDiff}`);
      if (nonFiniteDiff > 0) failures.push(`${label}: ${nonFiniteDiff} of ${nonFiniteIn} Inf/NaN inputs differ (NaN in -> NaN out counts as equal)`);
    }
    console.log(`pipeline compile ${Math.round(compileMs)} ms`);
    console.table(report);
    expect(failures).toEqual([]);
  });

  it('dt_add_bits, dt_sub_bits and dt_mul_bits give IEEE results, subnormal operands and results included', async () => {
    const n = 1 << 20;
    const a = new Uint32Array(n);
    const b = new Uint32Array(n);
    const r = rng(4242);
    const bitsOf = (sign: number, exp: number, mant: number) => (sign | (exp << 23) | mant) >>> 0;
    for (let i = 0; i < n; i++) {
      const sa = r() & 0x80000000;
      const sb = r() & 0x80000000;
      const kind = i & 7;
      const ea = kind < 2 ? 0 : kind < 4 ? 1 + (r() % 30) : kind === 4 ? 255 * (r() & 1) : r() % 255;
      a[i] = bitsOf(sa, ea, r() & 0x7fffff);
      if (kind === 2) {
        // a nearby value of the other sign: differences that are subnormal or tiny
        b[i] = ((a[i]! ^ 0x80000000) + (r() % 64) - 32) >>> 0;
      } else if (kind === 3 || kind === 5) {
        // products near and below 2^-126: exponents that sum to about -126 - [0, 26)
        const eb = 128 + 126 - 127 - ea - (r() % 26) + 1;
        b[i] = eb >= 1 && eb <= 254 ? bitsOf(sb, eb, r() & 0x7fffff) : bitsOf(sb, 0, r() & 0x7fffff);
      } else if (kind === 1) {
        b[i] = bitsOf(sb, r() % 255, r() & 0x7fffff);
      } else {
        b[i] = bitsOf(sb, r() & 1 ? 0 : r() % 40, (r() & 3) === 0 ? 0 : r() & 0x7fffff);
      }
    }
    const pipeline = await compileCompute(g, ADD_MUL_SHADER);
    const [sBuf, dBuf, pBuf] = await runCompute(g, pipeline, {
      inputs: [a, b],
      outputBytes: [n * 4, n * 4, n * 4],
      uniform: new Uint32Array([n, 0, 0, 0]),
      workgroups: [Math.min(MAX_GROUPS, Math.ceil(n / WG))],
    });
    const got = [new Uint32Array(sBuf!), new Uint32Array(dBuf!), new Uint32Array(pBuf!)];
    const fa = new Float32Array(a.buffer);
    const fb = new Float32Array(b.buffer);
    const ref = new Float32Array(3);
    const refBits = new Uint32Array(ref.buffer);
    const isNanBits = (x: number) => (x & 0x7fffffff) > 0x7f800000;
    const isSub = (x: number) => (x & 0x7f800000) === 0 && (x & 0x7fffff) !== 0;
    const diffs = [0, 0, 0];
    let subnormalCases = 0;
    let firstDiff = '';
    for (let i = 0; i < n; i++) {
      ref[0] = fa[i]! + fb[i]!;
      ref[1] = fa[i]! - fb[i]!;
      ref[2] = fa[i]! * fb[i]!;
      if (isSub(a[i]!) || isSub(b[i]!) || isSub(refBits[0]!) || isSub(refBits[1]!) || isSub(refBits[2]!)) subnormalCases++;
      for (let k = 0; k < 3; k++) {
        const x = refBits[k]!;
        const y = got[k]![i]!;
        if (x === y || (isNanBits(x) && isNanBits(y))) continue;
        diffs[k]!++;
        if (!firstDiff) firstDiff = `${['add', 'sub', 'mul'][k]}(0x${a[i]!.toString(16)}, 0x${b[i]!.toString(16)}): ref 0x${x.toString(16)} gpu 0x${y.toString(16)}`;
      }
    }
    console.log(`add/sub/mul: ${n} pairs, ${subnormalCases} with a subnormal operand or result; differences ${diffs.join(' / ')} ${firstDiff}`);
    expect(subnormalCases).toBeGreaterThan(n / 4);
    expect(diffs).toEqual([0, 0, 0]);
  });

  it('dt_div and dt_sqrt (integer arithmetic) are correctly rounded, subnormals included', async () => {
    const n = 1 << 20;
    const a = new Uint32Array(n);
    const b = new Uint32Array(n);
    const r = rng(777);
    // finite patterns: 1/4 subnormal, 1/4 near 1, 1/2 any finite exponent; random signs
    const pick = (): number => {
      const kind = r() & 3;
      const sign = r() & 0x80000000;
      const mant = r() & 0x7fffff;
      let exp: number;
      if (kind === 0) exp = 0;
      else if (kind === 1) exp = 120 + (r() % 16);
      else exp = r() % 255;
      return (sign | (exp << 23) | mant) >>> 0;
    };
    for (let i = 0; i < n; i++) {
      a[i] = pick();
      do b[i] = pick();
      while ((b[i]! & 0x7fffffff) === 0);
    }
    const pipeline = await compileCompute(g, DIV_SQRT_SHADER);
    const [qBuf, sBuf, hqBuf, hsBuf] = await runCompute(g, pipeline, {
      inputs: [a, b],
      outputBytes: [n * 4, n * 4, n * 4, n * 4],
      uniform: new Uint32Array([n, 0, 0, 0]),
      workgroups: [Math.min(MAX_GROUPS, Math.ceil(n / WG))],
    });
    const q = new Uint32Array(qBuf!);
    const s = new Uint32Array(sBuf!);
    const hq = new Uint32Array(hqBuf!);
    const hs = new Uint32Array(hsBuf!);
    // NaN payloads are outside the contract: a NaN matches any NaN
    const isNanBits = (x: number) => (x & 0x7fffffff) > 0x7f800000;
    const same = (x: number, y: number) => x === y || (isNanBits(x) && isNanBits(y));
    let hwDivDiff = 0;
    let hwSqrtDiff = 0;
    const fa = new Float32Array(a.buffer);
    const fb = new Float32Array(b.buffer);
    const ref = new Float32Array(2);
    const refBits = new Uint32Array(ref.buffer);
    let divDiff = 0;
    let sqrtDiff = 0;
    let subnormalResults = 0;
    let firstDiff = '';
    for (let i = 0; i < n; i++) {
      ref[0] = fa[i]! / fb[i]!;
      ref[1] = Math.sqrt(Math.abs(fa[i]!));
      if ((refBits[0]! & 0x7f800000) === 0 && (refBits[0]! & 0x7fffff) !== 0) subnormalResults++;
      if (!same(refBits[0]!, hq[i]!)) hwDivDiff++;
      if (!same(refBits[1]!, hs[i]!)) hwSqrtDiff++;
      if (!same(refBits[0]!, q[i]!)) {
        divDiff++;
        if (!firstDiff) firstDiff = `${fa[i]} / ${fb[i]}: ref 0x${refBits[0]!.toString(16)} gpu 0x${q[i]!.toString(16)}`;
      }
      if (!same(refBits[1]!, s[i]!)) {
        sqrtDiff++;
        if (!firstDiff) firstDiff = `sqrt(${Math.abs(fa[i]!)}): ref 0x${refBits[1]!.toString(16)} gpu 0x${s[i]!.toString(16)}`;
      }
    }
    console.log(`div/sqrt: ${n} pairs, ${subnormalResults} subnormal quotients, dt_div diffs ${divDiff}, dt_sqrt diffs ${sqrtDiff} ${firstDiff}; the driver's own a / b: ${hwDivDiff} diffs, sqrt: ${hwSqrtDiff} (not used by any kernel)`);
    expect({ divDiff, sqrtDiff }).toEqual({ divDiff: 0, sqrtDiff: 0 });
  });
});
