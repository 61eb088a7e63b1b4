/**
 * The Philox half of randomUniform (recipe in src/core/ops/random-uniform.ts, TensorFlow's
 * StatelessRandomUniformV2) as a loop over a range of 4-word blocks that any thread can run, and
 * the job of its pool task. Pure 32-bit integer arithmetic and one exact int -> float conversion
 * per element, so every thread and every split gives the same bits. The generator is the
 * WebAssembly SIMD one of wasm-philox.ts (four blocks per step) where available, else the plain
 * scalar one here over philox4x32Into (src/core/random/philox.ts), which is also the oracle the
 * tests compare the SIMD one with (test/unit/cpu/kernels-equivalence.test.ts compares the stream
 * with the v1 kernel's).
 * Part of src/kernels/cpu: imports src/core/random/philox.ts, wasm-builder.ts and wasm-philox.ts.
 */

import { philox4x32Into } from '../../core/random/philox.ts';
import { instantiate, newMemory } from './wasm-builder.ts';
import { PHILOX_OVERRUN, simdPhiloxModule } from './wasm-philox.ts';

/** Blocks generated per call (the heap holds 4 floats per block; the SIMD one PHILOX_OVERRUN bytes more, for a partial step). */
export const GROUPS_PER_CALL = 1 << 14;
/** 2^-23: m * 2^-23 is exact for every 23-bit m. */
const TWO_M23 = 1.1920928955078125e-7;

/**
 * A generator: run(groups, key0, key1, c0, c1, c2, c3) writes 4 * groups uniforms to heap[0..):
 * block g at counter (c0 + g, c1, c2, c3) (the caller guarantees c0 + g does not wrap), word w
 * of Philox4x32-10(counter, key) as f32(w & 0x7FFFFF) * 2^-23.
 */
export interface Generator {
  run(groups: number, key0: number, key1: number, c0: number, c1: number, c2: number, c3: number): void;
  heap: Float32Array;
  /**
   * The WebAssembly one only: as run, but writes dropoutApply's u >= bound ? f32(x * factor) : +0 to heap[0..)
   * from the 4 * groups floats x at heap[src..) (bound and factor as float32 bits; see wasm-philox.ts).
   */
  dropout?(groups: number, key0: number, key1: number, c0: number, c1: number, c2: number, c3: number, boundBits: number, factorBits: number): void;
  /** Float index in heap of the dropout source region (4 * capacity floats). */
  src?: number;
}

/** The plain scalar generator (see Generator): one block at a time through philox4x32Into. */
export function scalarPhilox(capacity = GROUPS_PER_CALL): Generator {
  const heap = new Float32Array(4 * capacity);
  const words = new Uint32Array(4);
  return {
    heap,
    run(groups, key0, key1, c0, c1, c2, c3) {
      for (let g = 0; g < groups; g++) {
        philox4x32Into((c0 + g) | 0, c1, c2, c3, key0, key1, words, 0);
        for (let w = 0; w < 4; w++) heap[4 * g + w] = (words[w] & 0x7fffff) * TWO_M23;
      }
    },
  };
}

/** The WebAssembly SIMD generator (wasm-philox.ts), or null without WebAssembly SIMD. */
export function simdPhilox(capacity = GROUPS_PER_CALL): Generator | null {
  const module = simdPhiloxModule();
  if (!module) return null;
  const src = capacity * 16 + PHILOX_OVERRUN;
  const mem = newMemory(2 * src + PHILOX_OVERRUN);
  const { run, dropout } = instantiate(module, mem, ['run', 'dropout']);
  return {
    run: (groups, key0, key1, c0, c1, c2, c3) => run(0, groups, key0, key1, c0, c1, c2, c3),
    dropout: (groups, key0, key1, c0, c1, c2, c3, boundBits, factorBits) => dropout(0, groups, key0, key1, c0, c1, c2, c3, src, boundBits, factorBits),
    heap: new Float32Array(mem.buffer),
    src: src >> 2,
  };
}

let gen: Generator | null = null;

/** This thread's generator: the WebAssembly SIMD one if available, else the scalar one. */
export function generator(): Generator {
  gen ??= simdPhilox() ?? scalarPhilox();
  return gen;
}

/**
 * out[i] for i in [4*g0, min(n, 4*g1)): word i & 3 of Philox4x32-10(counter + (i >> 2), key),
 * low 23 bits, times 2^-23. counter + g is the 128-bit sum (word 0 least significant), computed
 * with the recipe's carry chain; the generator then steps word 0 by one per block (TF SkipOne),
 * each call stopping before word 0 would wrap (the next call carries).
 */
export function philoxUniformRange(out: Float32Array, n: number, key0: number, key1: number, ctr0: number, ctr1: number, ctr2: number, ctr3: number, g0: number, g1: number): void {
  const gen = generator();
  for (let g = g0; g < g1; ) {
    const c0 = (ctr0 + g) >>> 0;
    let k = c0 < g >>> 0 ? 1 : 0;
    const c1 = (ctr1 + k) >>> 0;
    k = k === 1 && c1 === 0 ? 1 : 0;
    const c2 = (ctr2 + k) >>> 0;
    k = k === 1 && c2 === 0 ? 1 : 0;
    const c3 = (ctr3 + k) >>> 0;
    // blocks g .. g + count - 1 have word 0 = c0 .. c0 + count - 1, without wrapping
    const count = Math.min(GROUPS_PER_CALL, g1 - g, 2 ** 32 - c0);
    gen.run(count, key0 | 0, key1 | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0);
    const i = 4 * g;
    out.set(gen.heap.subarray(0, Math.min(4 * count, n - i)), i);
    g += count;
  }
}

/** Task 'philoxUniform' (split by 4-word blocks): `out` (n uniforms) of the stream at `counter` with `key`. */
export interface PhiloxJob {
  out: Float32Array;
  n: number;
  key: readonly [number, number];
  counter: readonly [number, number, number, number];
  /** ceil(n / 4) */
  groups: number;
}

/** Blocks [i*block, (i+1)*block) of a 'philoxUniform' job. */
export function runPhiloxBlock(j: PhiloxJob, i: number, block: number): void {
  const g0 = i * block;
  philoxUniformRange(j.out, j.n, j.key[0], j.key[1], j.counter[0], j.counter[1], j.counter[2], j.counter[3], g0, Math.min(j.groups, g0 + block));
}
