/**
 * The loops of dropoutApply (src/core/ops/dropout-apply.ts has the recipe) that any pool thread can
 * run, and the job of their pool task: each output element is a function of its index, the stream
 * and x[i] only (no reduction), so every thread count and every split gives the same bits.
 *  - philox: 4-word blocks; this thread's Philox generator (random-tasks.ts) applies the keep test
 *    and the scaling in its WebAssembly SIMD loop (wasm-philox.ts 'dropout': f32x4.ge, f32x4.mul,
 *    v128.and) where available, or the native AVX2 form of that loop in place (native-philox.ts) where built
 *    and checked; else the scalar generator's uniforms and a plain loop,
 *    out = u >= f32(rate) ? f32(x * factor) : +0. u is a multiple of 2^-23, so this float test is the
 *    integer rule m >= ceil(f32(rate) * 2^23) exactly; x * factor is exact in float64 and rounded
 *    once by the Float32Array store (the bits of the mul kernel, NaN payloads quieted alike).
 *  - threefry: pairs j < h = ceil(n / 2), as the randomUniform kernel (random-uniform.ts); pair j writes
 *    out[j] from y0 and out[j + h] (when < n) from y1: keep = (w >>> 9) * 2^-23 < f32(1 - rate), then
 *    f32(x / factor) (double rounding of a quotient of float32 values through float64 is innocuous).
 * Part of src/kernels/cpu: imports src/core/random/threefry.ts, native-philox.ts and random-tasks.ts.
 */
import { threefry2x32Into } from '../../core/random/threefry.ts';
import { nativeDropout } from './native-philox.ts';
import { GROUPS_PER_CALL, generator } from './random-tasks.ts';

/** 2^-23: m * 2^-23 is exact for every 23-bit m. */
const TWO_M23 = 1.1920928955078125e-7;
/** Blocks per WebAssembly call: x in and out stay in cache (32 KiB each). */
const DROPOUT_GROUPS = 2048;

/** Task 'dropoutApply' (split by Philox blocks or threefry pairs). */
export interface DropoutJob {
  algorithm: 'philox' | 'threefry';
  x: Float32Array;
  out: Float32Array;
  key: readonly [number, number];
  counter: readonly [number, number, number, number];
  /** philox: f32(rate); threefry: f32(1 - rate) (the uniform's keep bound). */
  bound: number;
  /** philox: f32(1 / (1 - rate)), multiplied; threefry: f32(1 - rate), divided by. */
  factor: number;
  /** bound and factor as float32 bits (for the WebAssembly loop). */
  boundBits: number;
  factorBits: number;
  /** philox: ceil(n / 4) blocks; threefry: ceil(n / 2) pairs. */
  units: number;
}

/**
 * Elements of philox blocks [g0, g1): out[i] = u_i >= bound ? f32(x[i] * factor) : +0, u_i the uniform of
 * random-tasks.ts philoxUniformRange (the same generator calls and carry chain, consumed in place).
 */
export function philoxDropoutRange(j: DropoutJob, g0: number, g1: number): void {
  const native = nativeDropout.get();
  const gen = native === null ? generator() : null;
  const { x, out, bound, factor } = j;
  const n = x.length;
  for (let g = g0; g < g1; ) {
    const c0 = (j.counter[0] + g) >>> 0;
    let k = c0 < g >>> 0 ? 1 : 0;
    const c1 = (j.counter[1] + k) >>> 0;
    k = k === 1 && c1 === 0 ? 1 : 0;
    const c2 = (j.counter[2] + k) >>> 0;
    k = k === 1 && c2 === 0 ? 1 : 0;
    const c3 = (j.counter[3] + k) >>> 0;
    // blocks g .. g + count - 1 have word 0 = c0 .. c0 + count - 1, without wrapping
    const count = Math.min(gen === null ? g1 - g : gen.dropout ? DROPOUT_GROUPS : GROUPS_PER_CALL, g1 - g, 2 ** 32 - c0);
    const i0 = 4 * g;
    const m = Math.min(4 * count, n - i0);
    if (gen === null) {
      // the native stream, in place (native-philox.ts)
      native!.dropout(x, out, i0, m, j.key[0] | 0, j.key[1] | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0, j.boundBits, j.factorBits);
    } else if (gen.dropout) {
      gen.heap.set(x.subarray(i0, i0 + m), gen.src!);
      gen.dropout(count, j.key[0] | 0, j.key[1] | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0, j.boundBits, j.factorBits);
      out.set(gen.heap.subarray(0, m), i0);
    } else {
      gen.run(count, j.key[0] | 0, j.key[1] | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0);
      for (let t = 0; t < m; t++) out[i0 + t] = gen.heap[t] >= bound ? x[i0 + t] * factor : 0;
    }
    g += count;
  }
}

/** Threefry pairs [p0, p1) of n = x.length: out[j] and out[j + h] (see the header). */
export function threefryDropoutRange(j: DropoutJob, p0: number, p1: number): void {
  const { x, out, bound, factor } = j;
  const n = x.length;
  const h = j.units;
  const pair = new Uint32Array(2);
  const k0 = j.key[0];
  const k1 = j.key[1];
  for (let p = p0; p < p1; p++) {
    const hi = p + h;
    threefry2x32Into(k0, k1, p, hi === n ? 0 : hi, pair, 0);
    out[p] = (pair[0] >>> 9) * TWO_M23 < bound ? x[p] / factor : 0;
    if (hi < n) out[hi] = (pair[1] >>> 9) * TWO_M23 < bound ? x[hi] / factor : 0;
  }
}

/** Units [i*block, (i+1)*block) of a 'dropoutApply' job. */
export function runDropoutBlock(j: DropoutJob, i: number, block: number): void {
  const u0 = i * block;
  const u1 = Math.min(j.units, u0 + block);
  if (j.algorithm === 'philox') philoxDropoutRange(j, u0, u1);
  else threefryDropoutRange(j, u0, u1);
}
