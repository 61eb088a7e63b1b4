/**
 * The native dropout stream (native/philox.c in the addon of native-addon.ts): dropoutApply's Philox loop of the
 * WebAssembly module (wasm-philox.ts 'dropout') with 8 blocks per AVX2 vector instead of 4, reading x and writing
 * the output in place in the tensors' own memory instead of copying both through a WebAssembly heap. The same
 * integer rounds, the same exact conversion, the same float32 keep test, multiply and mask: the same bits.
 * dropout-tasks.ts calls it where nativeDropout.get() returns it; on first use each thread compares it with the
 * WebAssembly loop on the same operands (specials, offsets, partial blocks, counters at the top of their range,
 * several rates), and uses it only if every output has the same bits (native-addon.ts has the rule).
 * Part of src/kernels/cpu: imports src/core/math/f32-bits.ts, native-addon.ts, random-tasks.ts and wasm-philox.ts.
 */
import { bitsOfF32 } from '../../core/math/f32-bits.ts';
import { checkOperand, checkedNative, firstDifference, wordDifference } from './native-addon.ts';
import { simdPhilox } from './random-tasks.ts';
import { simdPhiloxModule } from './wasm-philox.ts';

/** The addon's dropout (native/philox.c's header): out[i0 + t] for t < m, blocks from counter (c0, c1, c2, c3); c0 must not wrap. */
export interface NativeDropout {
  dropout(x: Float32Array, out: Float32Array, i0: number, m: number, key0: number, key1: number, c0: number, c1: number, c2: number, c3: number, boundBits: number, factorBits: number): void;
}

/** The checked native dropout of this thread: .get() it or null, .status() says why not, .enable() is the test switch. */
export const nativeDropout = checkedNative<NativeDropout>(
  'Philox dropout',
  (a) => (typeof a.dropout === 'function' ? (a as unknown as NativeDropout) : null),
  (k) => dropoutSelfCheck(k),
  () => simdPhiloxModule() !== null,
);

/** One comparison: n elements from offset i0 of x (operands from `seed`), key, counter, rate (as f32 bound and factor). */
export interface DropoutCase {
  n: number;
  i0: number;
  key: readonly [number, number];
  counter: readonly [number, number, number, number];
  rate: number;
  seed: number;
}

/** The self-check's cases: partial blocks and groups, an offset, word 0 at the top of its range, rates 0, 0.2, 0.5, 0.9. */
export const DROPOUT_CHECK_CASES: readonly DropoutCase[] = [
  { n: 1, i0: 0, key: [1, 2], counter: [0, 0, 0, 0], rate: 0.2, seed: 0 },
  { n: 67, i0: 3, key: [0x12345678, 0x9abcdef0], counter: [5, 6, 7, 8], rate: 0.5, seed: 1 },
  { n: 1000, i0: 0, key: [-1, 7], counter: [0xffffff00 | 0, 1, 0, 0], rate: 0.2, seed: 2 },
  { n: 4099, i0: 17, key: [42, 0], counter: [123456, 0, 9, 0], rate: 0.9, seed: 3 },
  { n: 130, i0: 0, key: [3, 4], counter: [0, 0, 0, 0], rate: 0, seed: 4 },
];

/** Float32 bits as the int32 the kernels take. */
const f32bits = (v: number): number => bitsOfF32(v) | 0;

/**
 * Runs `c` with the native dropout and with the WebAssembly loop and compares every output word (NaN = NaN); returns
 * the first difference, or ''. Exported for the tests.
 */
export function compareDropout(native: NativeDropout, c: DropoutCase): string {
  const gen = simdPhilox(Math.ceil(c.n / 4));
  if (gen === null || gen.dropout === undefined || gen.src === undefined) return 'no WebAssembly SIMD Philox';
  const x = new Float32Array(c.i0 + c.n + 5).map((_, i) => checkOperand(i + 1009 * c.seed, 31));
  const bound = Math.fround(c.rate);
  const factor = Math.fround(1 / (1 - c.rate));
  const [k0, k1] = c.key;
  const [c0, c1, c2, c3] = c.counter;
  gen.heap.set(x.subarray(c.i0, c.i0 + c.n), gen.src);
  gen.dropout(Math.ceil(c.n / 4), k0 | 0, k1 | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0, f32bits(bound), f32bits(factor));
  const want = gen.heap.slice(0, c.n);
  const out = new Float32Array(x.length).fill(7);
  native.dropout(x, out, c.i0, c.n, k0 | 0, k1 | 0, c0 | 0, c1 | 0, c2 | 0, c3 | 0, f32bits(bound), f32bits(factor));
  const bad = wordDifference(`dropout ${JSON.stringify(c)}`, want, 0, out, c.i0, c.n);
  if (bad !== '') return bad;
  for (let i = 0; i < out.length; i++) if ((i < c.i0 || i >= c.i0 + c.n) && out[i] !== 7) return `dropout ${JSON.stringify(c)}: wrote element ${i} outside its range`;
  return '';
}

/** The load-time check: every DROPOUT_CHECK_CASES case agrees; returns the first difference, or ''. */
export function dropoutSelfCheck(native: NativeDropout): string {
  return firstDifference(DROPOUT_CHECK_CASES, (c) => compareDropout(native, c));
}
