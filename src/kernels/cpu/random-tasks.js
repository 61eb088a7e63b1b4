/**
 * The Philox half of randomUniform (recipe in src/core/ops/random-uniform.ts, TensorFlow's
 * StatelessRandomUniformV2) as a loop over a range of 4-word blocks that any thread can run:
 * plain JavaScript (types in random-tasks.d.ts) so that worker threads load it without a
 * TypeScript loader. Pure 32-bit integer arithmetic and one exact int -> float conversion per
 * element, so every thread and every split gives the same bits; the Philox4x32-10 rounds are
 * those of src/core/random/philox.ts (philox4x32Into), in the asm.js module asm-philox.js
 * (test/unit/cpu/kernels-equivalence.test.ts compares the stream with the v1 kernel's).
 */

import { PhiloxKernels } from './asm-philox.js';
import { newMemory } from './wasm-builder.js';
import { simdPhiloxModule } from './wasm-philox.js';

/** Blocks generated per call (the heap holds 4 floats per block; the SIMD one 12 more, for a partial group of 4). */
const GROUPS_PER_CALL = 1 << 14;
let heap = null;
let philox = null;
let simd = null;

/** Links this thread's asm.js Philox module (if not yet) and returns the module function (for validation tests). */
export function linkedPhiloxModule() {
  if (philox === null) {
    const buffer = new ArrayBuffer(GROUPS_PER_CALL * 16); // a valid asm.js heap size (2^18)
    heap = new Float32Array(buffer);
    philox = PhiloxKernels(globalThis, null, buffer);
  }
  return PhiloxKernels;
}

/** This thread's generator: the WebAssembly SIMD one (wasm-philox.js) if available, else asm.js. */
function generator() {
  if (simd === null) {
    const module = simdPhiloxModule();
    if (module) {
      const mem = newMemory(GROUPS_PER_CALL * 16 + 64);
      simd = { run: new WebAssembly.Instance(module, { env: { mem } }).exports.run, heap: new Float32Array(mem.buffer) };
    } else {
      linkedPhiloxModule();
      simd = { run: philox.run, heap };
    }
  }
  return simd;
}

/**
 * out[i] for i in [4*g0, min(n, 4*g1)): word i & 3 of Philox4x32-10(counter + (i >> 2), key),
 * low 23 bits, times 2^-23. counter + g is the 128-bit sum (word 0 least significant), computed
 * with the recipe's carry chain; the generator then steps word 0 by one per block (TF SkipOne),
 * each call stopping before word 0 would wrap (the next call carries).
 */
export function philoxUniformRange(out, n, key0, key1, ctr0, ctr1, ctr2, ctr3, g0, g1) {
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
    gen.run(0, count, key0 | 0, key1 | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0);
    const i = 4 * g;
    out.set(gen.heap.subarray(0, Math.min(4 * count, n - i)), i);
    g += count;
  }
}

/** Task 'philoxUniform': blocks [i*block, (i+1)*block) of job { out, n, key, counter, groups, block }. */
export function runPhiloxBlock(j, i) {
  const g0 = i * j.block;
  philoxUniformRange(j.out, j.n, j.key[0], j.key[1], j.counter[0], j.counter[1], j.counter[2], j.counter[3], g0, Math.min(j.groups, g0 + j.block));
}
