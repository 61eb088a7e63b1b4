/**
 * The native 2 x 2 max pooling (native/pool.c in the addon of native-addon.ts): maxPool2d's and maxPool2dGrad's
 * WebAssembly loops (wasm-ew.ts pool2, pool2Grad, pool2GradRelu: the full forms, NaN rules included) with 8
 * channels per AVX2 vector, reading and writing the tensors in place instead of copying them through a WebAssembly
 * heap. The same comparisons, blends, add of +0 and masks: the same bits. ew-tasks.ts calls it where nativePool.get()
 * returns it; on first use each thread compares it with the WebAssembly loops on the same operands (NaN, infinities,
 * -0, ties, odd heights and widths, 4 to 36 channels, with and without the relu mask) and uses it only if every
 * output has the same bits (native-addon.ts has the rule).
 * Part of src/kernels/cpu: imports native-addon.ts and wasm-ew.ts.
 */
import { checkOperand, checkedNative, firstDifference, wordDifference } from './native-addon.ts';
import { ewAvailable, ewPool2, ewPool2Fits, ewPool2Grad } from './wasm-ew.ts';

/** The addon's pooling (native/pool.c's header): images [n0, n1) of [N, H, W, C], C % 4 == 0. */
export interface NativePool {
  maxPool2(x: Float32Array, out: Float32Array, n0: number, n1: number, H: number, W: number, C: number): void;
  maxPool2Grad(x: Float32Array, dy: Float32Array, dx: Float32Array, n0: number, n1: number, H: number, W: number, C: number, relu: boolean): void;
}

/** The checked native pooling of this thread: .get() it or null, .status() says why not, .enable() is the test switch. */
export const nativePool = checkedNative<NativePool>(
  'max pooling',
  (a) => (typeof a.maxPool2 === 'function' && typeof a.maxPool2Grad === 'function' ? (a as unknown as NativePool) : null),
  (k) => poolSelfCheck(k),
  () => ewAvailable(),
);

/** One comparison: N images of H x W x C (operands from `seed`; `ties` quantizes them so that windows tie). */
export interface PoolCase {
  N: number;
  H: number;
  W: number;
  C: number;
  ties: boolean;
  seed: number;
}

/** The self-check's cases: even and odd sizes, one row, 4 to 36 channels, ties. */
export const POOL_CHECK_CASES: readonly PoolCase[] = [
  { N: 2, H: 4, W: 4, C: 4, ties: false, seed: 0 },
  { N: 1, H: 5, W: 7, C: 12, ties: true, seed: 1 },
  { N: 3, H: 6, W: 6, C: 32, ties: false, seed: 2 },
  { N: 1, H: 1, W: 3, C: 8, ties: false, seed: 3 },
  { N: 2, H: 3, W: 2, C: 36, ties: true, seed: 4 },
];

/**
 * Runs `c` (forward, gradient, gradient with the relu mask, over images 1..N-1 of N + 1 so that offsets matter) with
 * the native and the WebAssembly loops and compares every output word (NaN = NaN); returns the first difference, or
 * ''. Exported for the tests.
 */
export function comparePool(native: NativePool, c: PoolCase): string {
  const { N, H, W, C } = c;
  if (!ewPool2Fits(W, C)) return '';
  const total = N + 1;
  const inSize = H * W * C;
  const outSize = (H >> 1) * (W >> 1) * C;
  const val = (i: number, period: number): number => {
    const v = checkOperand(i + 4099 * c.seed, period);
    return c.ties && v === v && Math.abs(v) <= 2 ? Math.round(v * 2) / 2 : v;
  };
  const x = new Float32Array(total * inSize).map((_, i) => val(i, 13));
  const dy = new Float32Array(total * outSize).map((_, i) => val(3 * i + 1, 11));
  const check = (what: string, want: Float32Array, got: Float32Array): string => wordDifference(`${what} ${JSON.stringify(c)}`, want, 0, got, 0, want.length);
  const a = new Float32Array(total * outSize).fill(5);
  const b = new Float32Array(total * outSize).fill(5);
  ewPool2(x, a, H, W, C, 1, total);
  native.maxPool2(x, b, 1, total, H, W, C);
  let bad = check('maxPool2', a, b);
  for (const relu of [false, true]) {
    if (bad !== '') return bad;
    const da = new Float32Array(total * inSize).fill(5);
    const db = new Float32Array(total * inSize).fill(5);
    ewPool2Grad(x, dy, da, H, W, C, 1, total, relu);
    native.maxPool2Grad(x, dy, db, 1, total, H, W, C, relu);
    bad = check(relu ? 'maxPool2Grad relu' : 'maxPool2Grad', da, db);
  }
  return bad;
}

/** The load-time check: every POOL_CHECK_CASES case agrees; returns the first difference, or ''. */
export function poolSelfCheck(native: NativePool): string {
  return firstDifference(POOL_CHECK_CASES, (c) => comparePool(native, c));
}
