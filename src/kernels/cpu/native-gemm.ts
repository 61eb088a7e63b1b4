/**
 * The optional native GEMM tiles (native/ditto_gemm.c, built by scripts/build-native.mjs at install): gemm,
 * dgemm and dgemm3 of the WebAssembly GEMM module (wasm-gemm.ts) with 8-lane AVX2 vectors instead of 4-lane
 * WebAssembly SIMD, over the same WebAssembly memory and operands, with the same float32 operations in the same
 * order per output: the same bits, about 1.6x the speed (docs/performance.md). gemm-tasks.ts swaps these three
 * functions into its kernel where nativeGemm() returns them; packing and everything else stays WebAssembly.
 * Trust is checked, not assumed: on first use each thread runs the addon and the WebAssembly module on the same
 * operands (specials, chunk boundaries, partial term ranges, odd tile counts, the epilogue) and uses the addon
 * only if every output has the same bits. DITTO_CPU_NATIVE=0 turns it off; =1 requires it wherever the WebAssembly
 * GEMM runs (an error where it is unavailable or fails the check). Unset: used when available.
 * Part of src/kernels/cpu: imports wasm-builder.ts and wasm-gemm.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type KernelFn, type WasmMemory, instantiate, newMemory } from './wasm-builder.ts';
import { GEMM_EXPORTS, simdGemmModule } from './wasm-gemm.ts';

/** The addon's functions (offsets in bytes into the bound heap; wasm-gemm.ts's header has their operands). */
export interface NativeGemm {
  /** Binds this thread's heap: the WebAssembly memory's buffer (again after every grow). */
  heap(buffer: ArrayBuffer): void;
  gemm: KernelFn;
  dgemm: KernelFn;
  dgemm3: KernelFn;
}

interface Addon extends Partial<NativeGemm> {
  isa: string;
}

/** Where the build puts the addon: native/build at the package root (from src/kernels/cpu or dist/kernels/cpu). */
export const NATIVE_GEMM_PATH = fileURLToPath(new URL('../../../native/build/ditto_gemm.node', import.meta.url));

let loaded: NativeGemm | null | undefined;
let why = '';
/** The heap gemm-tasks.ts bound last on this thread (selfCheck binds it again when it is done). */
let bound: ArrayBuffer | null = null;

/** Binds this thread's GEMM heap (gemm-tasks.ts, after creating or growing its memory). */
export function bindNativeHeap(native: NativeGemm, buffer: ArrayBuffer): void {
  bound = buffer;
  native.heap(buffer);
}

/** The checked addon of this thread, or null (nativeGemmStatus says why). */
export function nativeGemm(): NativeGemm | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const mode = process.env.DITTO_CPU_NATIVE;
  if (mode !== undefined && mode !== '0' && mode !== '1') throw new Error(`ditto CPU backend: DITTO_CPU_NATIVE must be 0 or 1, got ${JSON.stringify(mode)}`);
  why = load(mode === '0');
  // =1 requires the tiles wherever the WebAssembly GEMM runs (with DITTO_CPU_WASM=0 the scalar oracle runs instead)
  if (mode === '1' && loaded === null && simdGemmModule() !== null) throw new Error(`ditto CPU backend: DITTO_CPU_NATIVE=1 requires the native GEMM, which is unavailable: ${why} (build it with \`npm run build:native\`)`);
  return loaded;
}

/** Whether this thread runs the native tiles, and if not, why. */
export function nativeGemmStatus(): { active: boolean; reason: string } {
  const active = nativeGemm() !== null;
  return { active, reason: active ? 'AVX2' : why };
}

/** Loads and checks the addon (sets `loaded`); returns the reason it is not used, or ''. */
function load(off: boolean): string {
  if (off) return 'turned off (DITTO_CPU_NATIVE=0)';
  if (simdGemmModule() === null) return 'no WebAssembly SIMD GEMM to pair it with';
  if (!existsSync(NATIVE_GEMM_PATH)) return `not built (${NATIVE_GEMM_PATH} is missing)`;
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)(NATIVE_GEMM_PATH) as Addon;
  } catch (e) {
    return `failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
  if (addon.isa !== 'avx2' || !addon.heap || !addon.gemm || !addon.dgemm || !addon.dgemm3) return `this CPU has no AVX2 (addon isa ${addon.isa})`;
  const native = addon as NativeGemm;
  const bad = selfCheck(native);
  if (bad !== '') {
    process.emitWarning(`ditto: the native GEMM disagrees with the WebAssembly kernel (${bad}); using WebAssembly`);
    return `failed its self-check: ${bad}`;
  }
  loaded = native;
  return '';
}

/** A float of operand slot i: a fixed integer hash mapped to [-2, 2), with specials at fixed slots. */
function operand(i: number): number {
  const special = [Number.NaN, Infinity, -Infinity, -0, 1e-40, -3e38, 3e38, 1.5e-45];
  if (i % 97 === 13) return special[Math.floor(i / 97) & 7];
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 8) / (1 << 24)) * 4 - 2;
}

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
 * difference, or ''. The thread's bound heap is bound again afterwards.
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
  for (let i = 0; i < BIAS / 4 + 64; i++) F[i] = operand(i + 7919 * c.seed);
  const MR = fn === 'dgemm3' ? 3 : 4;
  const ldt = 32 * nt + 16 * (c.seed % 3);
  const words = MR * mt * (ldt / 4);
  for (let i = 0; i < words; i++) F[T0 / 4 + i] = F[T1 / 4 + i] = operand(7 * i + 3 + c.seed);
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
    if (bound !== null) native.heap(bound);
  }
  for (let i = 0; i < words; i++) {
    const a = F[T0 / 4 + i];
    const b = F[T1 / 4 + i];
    if (I[T0 / 4 + i] !== I[T1 / 4 + i] && !(a !== a && b !== b)) return `${fn} ${JSON.stringify(c)}: output ${Math.floor(i / (ldt / 4))},${i % (ldt / 4)} is ${b} natively, ${a} in WebAssembly`;
  }
  return '';
}

/** The load-time check: every SELF_CHECK_CASES call agrees; returns the first difference, or ''. */
export function selfCheck(native: NativeGemm): string {
  for (const c of SELF_CHECK_CASES) {
    const bad = compareKernels(native, c);
    if (bad !== '') return bad;
  }
  return '';
}
