/**
 * The native GEMM tiles (native/gemm.c in the addon of native-addon.ts): gemm, dgemm and dgemm3 of the WebAssembly
 * GEMM module (wasm-gemm.ts) with 8-lane AVX2 vectors instead of 4-lane WebAssembly SIMD, over the same WebAssembly
 * memory and operands, with the same float32 operations in the same order per output: the same bits, about twice
 * the speed of the convolutions (docs/performance.md). gemm-tasks.ts swaps these three functions into its kernel
 * where nativeGemm.get() returns them; packing and everything else stays WebAssembly. Trust is checked, not assumed:
 * on first use each thread runs the addon and the WebAssembly module on the same operands (specials, chunk
 * boundaries, partial term ranges, odd tile counts, the epilogue) and uses the addon only if every output has the
 * same bits (native-addon.ts has the rule and DITTO_CPU_NATIVE).
 * Part of src/kernels/cpu: imports native-addon.ts, wasm-builder.ts and wasm-gemm.ts.
 */
import { checkOperand, checkedNative, firstDifference, wordDifference } from './native-addon.ts';
import { type KernelFn, type WasmMemory, instantiate, newMemory } from './wasm-builder.ts';
import { GEMM_EXPORTS, simdGemmModule } from './wasm-gemm.ts';

/** The addon's GEMM functions (offsets in bytes into the bound heap; wasm-gemm.ts's header has their operands). */
export interface NativeGemm {
  /** Binds this thread's heap: the WebAssembly memory's buffer (again after every grow). */
  heap(buffer: ArrayBuffer): void;
  gemm: KernelFn;
  dgemm: KernelFn;
  dgemm3: KernelFn;
}

/** The heap gemm-tasks.ts bound last on this thread (compareKernels binds it again when it is done). */
let bound: ArrayBuffer | null = null;

/** Binds this thread's GEMM heap (gemm-tasks.ts, after creating or growing its memory). */
export function bindNativeHeap(native: NativeGemm, buffer: ArrayBuffer): void {
  bound = buffer;
  native.heap(buffer);
}

/**
 * The checked GEMM tiles of this thread: .get() them or null, .status() says whether they run and why not, .enable() is
 * the test and benchmark switch (gemm-tasks.ts setNativeTiles puts the choice into its kernel).
 */
export const nativeGemm = checkedNative<NativeGemm>(
  'GEMM tiles',
  (a) => (typeof a.heap === 'function' && typeof a.gemm === 'function' && typeof a.dgemm === 'function' && typeof a.dgemm3 === 'function' ? (a as unknown as NativeGemm) : null),
  (k) => selfCheck(k),
  () => simdGemmModule() !== null,
);

/**
 * One call compared: `fn` over mt x nt tiles and kc terms with `store` (gemm: 0 or 1; dgemm, dgemm3: bits 1, 2
 * (+ bias), 4 (relu)), gemm's per-row-panel term ranges [lo, hi) where given, operands and prior totals from `seed`.
 */
export interface KernelCase {
  fn: 'gemm' | 'dgemm' | 'dgemm3';
  mt: number;
  nt: number;
  kc: number;
  store: number;
  ranges?: readonly (readonly [number, number])[];
  seed: number;
}

/** Largest sizes compareKernels takes (its private memory is laid out for them). */
export const CASE_LIMITS = { mt: 8, nt: 8, kc: 1024 } as const;

/** The self-check's calls: two chunks and a partial one, a tile pair and a single tile, stored and added, ranges, the epilogue. */
export const SELF_CHECK_CASES: readonly KernelCase[] = [
  { fn: 'gemm', mt: 3, nt: 3, kc: 300, store: 1, seed: 0 },
  { fn: 'gemm', mt: 3, nt: 3, kc: 300, store: 0, seed: 1 },
  { fn: 'gemm', mt: 3, nt: 3, kc: 300, store: 1, ranges: [[0, 300], [10, 257], [5, 5]], seed: 2 },
  ...(['dgemm', 'dgemm3'] as const).flatMap((fn) => [[9, 7], [9, 3], [300, 1], [9, 0]].map(([kc, store]) => ({ fn, mt: 3, nt: 3, kc, store, seed: kc + store }))),
];

/** One WebAssembly instance of the GEMM module on a private memory per thread, for the comparisons. */
let twin: { mem: WasmMemory; fns: Record<(typeof GEMM_EXPORTS)[number], KernelFn> } | null = null;

/**
 * Runs `c` with the native function and with its WebAssembly twin on the same operands in a private memory and
 * compares every output word (NaN = NaN: payloads are unspecified everywhere in the engine); returns the first
 * difference, or ''. The thread's bound heap is bound again afterwards (or an empty one, so that nothing points into
 * the private memory after it).
 */
export function compareKernels(native: NativeGemm, c: KernelCase): string {
  const module = simdGemmModule();
  if (module === null) return 'no WebAssembly SIMD module';
  const { fn, mt, nt, kc, store } = c;
  if (mt > CASE_LIMITS.mt || nt > CASE_LIMITS.nt || kc > CASE_LIMITS.kc) throw new Error(`compareKernels: case larger than ${JSON.stringify(CASE_LIMITS)}`);
  if (twin === null) {
    const mem = newMemory(4 << 20);
    twin = { mem, fns: instantiate(module, mem, GEMM_EXPORTS) };
  }
  const { mem, fns } = twin;
  const F = new Float32Array(mem.buffer);
  const I = new Int32Array(mem.buffer);
  // layout (bytes): operands [0, 2M): A (gemm panels, dgemm rows) from 0, B from 1M; bias at 2M; tables at
  // 2M + 4K; totals of WebAssembly at 3M, native at 3.5M
  const B = 1 << 20;
  const BIAS = 2 << 20;
  const TAB = BIAS + 4096;
  const T0 = 3 << 20;
  const T1 = T0 + (512 << 10);
  const MR = fn === 'dgemm3' ? 3 : 4;
  // the operands each call can read: A's panels (or rows and scattered terms), B's panels (or rows), the bias; the
  // specials sparse enough for long reductions (a special every 8*kc floats or more) that most outputs stay finite
  // (with one every 97 floats nearly every 300-term output met a NaN or an infinity and compared as NaN = NaN)
  const period = Math.max(97, 8 * kc + 1);
  const fill = (from: number, bytes: number): void => {
    for (let i = from / 4; i < (from + bytes) / 4; i++) F[i] = checkOperand(i + 7919 * c.seed, period);
  };
  fill(0, fn === 'gemm' ? 16 * mt * kc : 4 * (37 * MR * mt + 4096 + 1));
  fill(B, fn === 'gemm' ? 32 * nt * kc : kc * (32 * nt + 16) + 32 * nt);
  fill(BIAS, 32 * nt);
  const ldt = 32 * nt + 16 * (c.seed % 3);
  const words = MR * mt * (ldt / 4);
  for (let i = 0; i < words; i++) F[T0 / 4 + i] = F[T1 / 4 + i] = checkOperand(7 * i + 3 + c.seed, 97);
  let call: (f: Record<'gemm' | 'dgemm' | 'dgemm3', KernelFn>, pt: number) => void;
  if (fn === 'gemm') {
    let pr = 0;
    if (c.ranges !== undefined) {
      c.ranges.forEach(([lo, hi], i) => I.set([lo, hi], TAB / 4 + 2 * i));
      pr = TAB;
    }
    call = (f, pt) => f.gemm(0, B, pt, ldt, mt, nt, kc, store, pr);
  } else {
    // row bases and term offsets into A's region (rows overlap, terms scattered), B rows ldb apart
    const prow = TAB;
    const pterm = TAB + 4 * MR * mt;
    for (let r = 0; r < MR * mt; r++) I[prow / 4 + r] = 4 * r * 37;
    for (let k = 0; k < kc; k++) I[pterm / 4 + k] = 4 * ((k * 13 + c.seed) % 4096);
    const ldb = 32 * nt + 16 * (c.seed % 2);
    call = (f, pt) => f[fn](prow, pterm, B, ldb, pt, ldt, mt, nt, kc, store, BIAS);
  }
  try {
    call(fns, T0);
    native.heap(mem.buffer);
    call(native, T1);
  } finally {
    // the thread's heap again; before gemm-tasks.ts bound one, an empty buffer (every call then fails its bounds check)
    native.heap(bound ?? new ArrayBuffer(0));
  }
  return wordDifference(`${fn} ${JSON.stringify(c)}`, F, T0 / 4, F, T1 / 4, words);
}

/** The load-time check: every SELF_CHECK_CASES call agrees; returns the first difference, or ''. */
export function selfCheck(native: NativeGemm): string {
  try {
    return firstDifference(SELF_CHECK_CASES, (c) => compareKernels(native, c));
  } finally {
    // the comparison memory (4 MiB) is not kept for the thread's life
    twin = null;
  }
}
