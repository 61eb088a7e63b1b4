/**
 * The native column sums (native/colsum.c in the addon of native-addon.ts): the sum op's chunk sums (wasm-ew.ts
 * ewColSum / ewColSumStrip, ew-tasks.ts chunkSums) with 8 columns per AVX2 vector, reading the tensor in place
 * instead of copying its rows through a WebAssembly heap. Each column still starts at +0 and adds its rows in order,
 * one float32 add each: the same bits. ew-tasks.ts calls it where nativeColSum.get() returns it; on first use each
 * thread compares it with the WebAssembly loops (NaN, infinities, -0, subnormals; whole rows, strips, widths that
 * leave 8- and 4-column remainders) and uses it only if every output has the same bits (native-addon.ts has the rule).
 * Part of src/kernels/cpu: imports native-addon.ts and wasm-ew.ts.
 */
import { checkOperand, checkedNative, firstDifference, wordDifference } from './native-addon.ts';
import { ewAvailable, ewColSum, ewColSumStrip } from './wasm-ew.ts';

/** The addon's column sums (native/colsum.c's header): out[o + t] = S_seq(x[r*ld + c0 + t], r in [r0, r1)), t < w. */
export interface NativeColSum {
  colSum(x: Float32Array, out: Float32Array, r0: number, r1: number, ld: number, c0: number, w: number, o: number): void;
}

/** The checked native column sums of this thread: .get() them or null, .status() says why not, .enable() is the test switch. */
export const nativeColSum = checkedNative<NativeColSum>(
  'column sums',
  (a) => (typeof a.colSum === 'function' ? (a as unknown as NativeColSum) : null),
  (k) => colSumSelfCheck(k),
  () => ewAvailable(),
);

/** One comparison: rows [r0, r1) of rows `ld` floats apart, columns [c0, c0 + w) (multiples of 4), operands from `seed`. */
export interface ColSumCase {
  r0: number;
  r1: number;
  ld: number;
  c0: number;
  w: number;
  seed: number;
}

/** The self-check's cases: whole rows of 32 and 12 columns, a strip, one row, a chunk of 256 rows. */
export const COLSUM_CHECK_CASES: readonly ColSumCase[] = [
  { r0: 0, r1: 256, ld: 32, c0: 0, w: 32, seed: 0 },
  { r0: 3, r1: 40, ld: 12, c0: 0, w: 12, seed: 1 },
  { r0: 1, r1: 30, ld: 80, c0: 8, w: 44, seed: 2 },
  { r0: 5, r1: 6, ld: 16, c0: 4, w: 12, seed: 3 },
];

/**
 * Runs `c` with the native and the WebAssembly column sums (ewColSum where the columns are whole rows, else
 * ewColSumStrip) and compares every sum word (NaN = NaN) and the untouched neighbours; returns the first
 * difference, or ''. Exported for the tests.
 */
export function compareColSum(native: NativeColSum, c: ColSumCase): string {
  const x = new Float32Array(c.r1 * c.ld + 4).map((_, i) => checkOperand(i + 613 * c.seed, 29));
  const o = 3;
  const want = new Float32Array(c.w + 2 * o).fill(9);
  const got = new Float32Array(c.w + 2 * o).fill(9);
  if (c.c0 === 0 && c.w === c.ld) ewColSum(x, c.ld, c.r0, c.r1, want, o);
  else ewColSumStrip(x, c.ld, c.c0, c.w, c.r0, c.r1, want, o);
  native.colSum(x, got, c.r0, c.r1, c.ld, c.c0, c.w, o);
  // the sums and the untouched floats on both sides
  return wordDifference(`colSum ${JSON.stringify(c)} (from ${o} floats before the sums)`, want, 0, got, 0, want.length);
}

/** The load-time check: every COLSUM_CHECK_CASES case agrees; returns the first difference, or ''. */
export function colSumSelfCheck(native: NativeColSum): string {
  return firstDifference(COLSUM_CHECK_CASES, (c) => compareColSum(native, c));
}
