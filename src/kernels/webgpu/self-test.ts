/**
 * Startup self-test of the adapter's float32 arithmetic (shaders/self-test.wgsl). The WGSL spec
 * allows division to be off by 2.5 ulp and sqrt by more, lets drivers contract a*b+c into an FMA,
 * and lets them flush subnormals to zero. The kernels divide and take roots with lib/float-bits
 * dt_div / dt_sqrt (integer arithmetic, exact on any driver): the test checks those, and the
 * hardware's + - * with separately rounded products and sums, on fixed tricky inputs (exact
 * halfway cases, all-ones mantissas, subnormal operands and results, FMA witnesses) plus seeded
 * pseudo-random ones, against Math.fround of the double result (the correctly rounded float32
 * result for + - * / and sqrt of float32 operands). Mismatches are classified: a check whose
 * operands or exact result are subnormal reveals a driver that flushes subnormals (NVIDIA's
 * Vulkan driver does); FMA witnesses with normal values reveal contraction, which the EXACT_GUARD
 * pipelines undo.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { CommandStream } from './commands.ts';
import type { BufferPool } from './buffer-pool.ts';

const f32 = Math.fround;

export interface SelfTestResult {
  /** Every check passed (with the rounding guard on, when `guard` is set). */
  ok: boolean;
  /**
   * The driver contracts a*b+c into an FMA but the guarded form (lib/float-bits `rounded`) stays
   * separately rounded: kernels whose products feed sums must run with EXACT_GUARD.
   */
  guard: boolean;
  /** Number of (operation, input) pairs compared. */
  checked: number;
  /**
   * Every mismatch involves a subnormal operand or result: the driver flushes subnormals to zero.
   * Results are then bit-exact with the CPU except where a value below 2^-126 in magnitude occurs.
   */
  flushesSubnormals: boolean;
  /** Up to 10 descriptions of mismatches (normal-range ones first). */
  failures: string[];
  /** Number of mismatches per operation. */
  mismatches: Record<string, number>;
}

const OPS = ['div', 'sqrt', 'mul-add', 'add', 'mul', 'sub', 'guarded mul-add'] as const;
const K = OPS.length;

/** float32 from its bits. */
function fromBits(b: number): number {
  const u = new Uint32Array([b >>> 0]);
  return new Float32Array(u.buffer)[0];
}

/** Nonzero with magnitude below 2^-126. */
function isSubnormal(x: number): boolean {
  return x !== 0 && Math.abs(x) < 2 ** -126;
}

function bits(x: number): string {
  return '0x' + (new Uint32Array(new Float32Array([x]).buffer)[0] >>> 0).toString(16).padStart(8, '0');
}

/** The (a, b, c) inputs: fixed tricky cases first, then seeded pseudo-random ones. */
export function selfTestInputs(): { a: Float32Array; b: Float32Array; c: Float32Array } {
  const e = (k: number) => 2 ** k;
  const one12 = 1 + e(-12);
  const fixed: [number, number, number][] = [
    [1, 3, 0], [2, 3, 0], [1, 7, 0], [10, 3, 0], [1, 10, 0], [0.1, 0.3, 0.2],
    [fromBits(0x3fffffff), fromBits(0x3f800001), 0], [fromBits(0x3f800001), fromBits(0x3fffffff), 0],
    [fromBits(0x3f7fffff), fromBits(0x3f7ffffe), 0], [fromBits(0x4b7fffff), fromBits(0x3fffffff), 0],
    // FMA witnesses: fl(fl(a*b) + c) differs from the fused a*b + c
    [one12, one12, -(1 + e(-11))], [1 + e(-23), 1 - e(-24), -1], [3 + e(-21), 3 - e(-21), -9],
    [fromBits(0x3fffffff), fromBits(0x3fffffff), -4],
    // subnormal results and operands
    [e(-126), 3, -e(-126)], [e(-126), 1e10, 0], [1e-38, 7, 0], [3 * e(-149), 2, 0], [e(-149), 2, 0],
    [3 * e(-149), 7 * e(-149), 0], [e(-140), e(-130), 0], [fromBits(0x007fffff), 3, 0],
    [fromBits(0x007fffff), fromBits(0x00000003), 0], [e(-70), e(-70), e(-140)], [3 * e(-75), 5 * e(-75), -e(-148)],
    [e(-126), -1.5 * e(-126), e(-127)], [1.5 * e(-140), 0.75, -e(-141)],
    // large and exact
    [3e38, 3, 1e38], [1e30, 1e-30, 1], [16, 4, 0], [2, 2, 0], [1, 1, -1],
  ];
  const n = fixed.length + 2048;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const c = new Float32Array(n);
  fixed.forEach(([x, y, z], i) => {
    a[i] = x;
    b[i] = y;
    c[i] = z;
  });
  let s = 0x9e3779b9;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const draw = (lo: number, hi: number) => {
    // sign, an exponent in [lo, hi), 23 random mantissa bits
    const m = next() & 0x7fffff;
    const ex = lo + (next() % (hi - lo));
    const sign = next() & 1 ? -1 : 1;
    return f32(sign * (1 + m / 2 ** 23) * 2 ** ex);
  };
  for (let i = fixed.length; i < n; i++) {
    const sub = i % 8 === 0;
    a[i] = sub ? f32(((next() & 0x7fffff) + 1) * 2 ** -149) : draw(-40, 40);
    b[i] = i % 8 === 1 ? f32(((next() & 0x7fffff) + 1) * 2 ** -149) : draw(-40, 40);
    c[i] = draw(-30, 30);
  }
  return { a, b, c };
}

/** The CPU's (correctly rounded) results, in the shader's output layout. */
export function selfTestExpected(a: Float32Array, b: Float32Array, c: Float32Array): Float32Array {
  const out = new Float32Array(a.length * K);
  for (let i = 0; i < a.length; i++) {
    out[K * i] = f32(a[i] / b[i]);
    out[K * i + 1] = f32(Math.sqrt(Math.abs(a[i])));
    out[K * i + 2] = f32(f32(a[i] * b[i]) + c[i]);
    out[K * i + 3] = f32(a[i] + b[i]);
    out[K * i + 4] = f32(a[i] * b[i]);
    out[K * i + 5] = f32(a[i] - c[i]);
    out[K * i + 6] = out[K * i + 2];
  }
  return out;
}

/**
 * Runs the self-test shader twice (plain, and with EXACT_GUARD) and compares bits with the CPU
 * (finite expected results only). a*b+c may fail only in the plain run: then `guard` is set.
 */
export async function runSelfTest(stream: CommandStream, pool: BufferPool, tamper?: (expected: Float32Array) => void): Promise<SelfTestResult> {
  const { a, b, c } = selfTestInputs();
  const n = a.length;
  const want = selfTestExpected(a, b, c);
  tamper?.(want);
  const bufs = [a, b, c].map((arr) => {
    const buf = pool.acquire(arr.byteLength);
    stream.upload(buf, 0, new Uint8Array(arr.buffer));
    return buf;
  });
  const outs = [pool.acquire(n * K * 4), pool.acquire(n * K * 4), pool.acquire(n * K * 4)];
  const params = new Uint32Array([n, 0, 0, 0]);
  const ins = [{ buffer: bufs[0] }, { buffer: bufs[1] }, { buffer: bufs[2] }];
  stream.dispatch('self-test', [...ins, { buffer: outs[0] }], params, [Math.ceil(n / 64), 1, 1]);
  stream.dispatch('self-test', [...ins, { buffer: outs[1] }], params, [Math.ceil(n / 64), 1, 1], { constants: { EXACT_GUARD: 1 } });
  stream.dispatch('self-test', [...ins, { buffer: outs[2] }], params, [Math.ceil(n / 64), 1, 1], { constants: { MULADD_ONLY: 1 } });
  let plain: Float32Array;
  let guarded: Float32Array;
  let mulAddOnly: Float32Array;
  try {
    plain = new Float32Array(await stream.readback(outs[0], n * K * 4, 'the WebGPU self-test'));
    guarded = new Float32Array(await stream.readback(outs[1], n * K * 4, 'the WebGPU self-test'));
    mulAddOnly = new Float32Array(await stream.readback(outs[2], n * K * 4, 'the WebGPU self-test'));
  } finally {
    for (const buf of [...bufs, ...outs]) pool.release(buf);
  }
  const wantBits = new Uint32Array(want.buffer);
  const failures: string[] = [];
  const subnormalFailures: string[] = [];
  const mismatches: Record<string, number> = {};
  let checked = 0;
  // Whether check (i, k) involves a subnormal: an operand, the exact result, or a*b for mul-add.
  const involvesSubnormal = (i: number, k: number): boolean => {
    const j = K * i + k;
    const ab = f32(a[i] * b[i]);
    return isSubnormal(a[i]) || isSubnormal(b[i]) || isSubnormal(c[i]) || isSubnormal(want[j]) || ((k === 2 || k === 6) && isSubnormal(ab));
  };
  // Counts mismatches of operation k over the normal-range checks or the subnormal ones.
  const compare = (got: Float32Array, k: number, subnormal: boolean, record: boolean): number => {
    const gotBits = new Uint32Array(got.buffer);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const j = K * i + k;
      if (!Number.isFinite(want[j]) || involvesSubnormal(i, k) !== subnormal) continue;
      if (record) checked++;
      if (gotBits[j] === wantBits[j]) continue;
      bad++;
      if (record) {
        const key = subnormal ? `${OPS[k]} (subnormal)` : OPS[k];
        mismatches[key] = (mismatches[key] ?? 0) + 1;
        const list = subnormal ? subnormalFailures : failures;
        if (list.length < 10) {
          list.push(`${OPS[k]}(a=${a[i]} ${bits(a[i])}, b=${b[i]} ${bits(b[i])}, c=${c[i]}): got ${got[j]} ${bits(got[j])}, expected ${want[j]} ${bits(want[j])}`);
        }
      }
    }
    return bad;
  };
  // a*b+c: exact as written, or exact through the guard (then kernels run with EXACT_GUARD);
  // decided on normal-range values, so that a driver that also flushes subnormals gets the guard
  // (NVIDIA's driver fuses a product used once: seen only in the MULADD_ONLY run, where x * y
  // has no other use; the full run shares x * y with out[7i+4])
  const contractedAlone = compare(mulAddOnly, 2, false, false) > 0;
  const contracted = contractedAlone || compare(plain, 2, false, false) > 0;
  const guard = contracted && compare(guarded, 6, false, false) === 0;
  const mulAdd = guard ? 6 : 2;
  const mulAddOut = guard ? guarded : contractedAlone ? mulAddOnly : plain;
  for (const subnormal of [false, true]) {
    for (const k of [0, 1, 3, 4, 5]) compare(plain, k, subnormal, true);
    compare(mulAddOut, mulAdd, subnormal, true);
  }
  const flushesSubnormals = failures.length === 0 && subnormalFailures.length > 0;
  return { ok: failures.length === 0 && subnormalFailures.length === 0, guard, checked, flushesSubnormals, failures: [...failures, ...subnormalFailures].slice(0, 10), mismatches };
}
