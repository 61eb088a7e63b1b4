/**
 * The optional native addon of the CPU backend (native/addon.c with gemm.c, philox.c, pool.c, colsum.c, conv.c and convfilter.c, built by
 * scripts/build-native.mjs at install into native/build/ditto_native.node): loading it on this thread, and the
 * rule by which each of its kernels is used. A kernel runs only where the addon loads, the CPU has AVX2, the
 * kernel's WebAssembly twin would otherwise run, and the kernel's self-check on this thread gives the twin's bits
 * on every output (native-gemm.ts, native-philox.ts, native-pool.ts, native-colsum.ts, native-conv.ts); anywhere else the WebAssembly kernel runs, with the same bits.
 * A failed self-check also warns. DITTO_CPU_NATIVE=0 turns the addon off; =1 requires every kernel wherever its
 * WebAssembly twin runs (an error naming the reason where it cannot); unset: used where available.
 * Part of src/kernels/cpu: imports nothing of the engine (Node's fs, module and url only).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What the addon exports (the kernels only on a CPU with AVX2: isa 'avx2'). */
export interface NativeAddon {
  isa: string;
  [fn: string]: unknown;
}

/** Where the build puts the addon: native/build at the package root (from src/kernels/cpu or dist/kernels/cpu). */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../../../native/build/ditto_native.node', import.meta.url));

/** DITTO_CPU_NATIVE as a mode (validated: 0, 1 or unset). */
export function nativeMode(): 'off' | 'required' | 'auto' {
  const v = process.env.DITTO_CPU_NATIVE;
  if (v === undefined || v === '') return 'auto';
  if (v === '0') return 'off';
  if (v === '1') return 'required';
  throw new Error(`ditto CPU backend: DITTO_CPU_NATIVE must be 0 or 1, got ${JSON.stringify(v)}`);
}

let addon: NativeAddon | null | undefined;
let addonWhy = '';

/** This thread's addon (loaded once), or null with the reason. */
function loadAddon(): NativeAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (nativeMode() === 'off') addonWhy = 'turned off (DITTO_CPU_NATIVE=0)';
  else if (!existsSync(NATIVE_ADDON_PATH)) addonWhy = `not built (${NATIVE_ADDON_PATH} is missing)`;
  else {
    try {
      const a = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon;
      if (a.isa === 'avx2') addon = a;
      else addonWhy = `this CPU has no AVX2 (addon isa ${a.isa})`;
    } catch (e) {
      addonWhy = `failed to load: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  return addon;
}

/** One native kernel under the rule of the header: get() it (or null), status() says whether it runs and why not. */
export interface CheckedNative<T> {
  get(): T | null;
  status(): { active: boolean; reason: string };
  /** Test and benchmark hook (this thread only): false makes get() null until set true again. */
  enable(on: boolean): void;
}

/**
 * The rule of the header for one kernel: `take` picks its functions from the addon (null if absent), `check` compares
 * them with the WebAssembly twin ('' when every output agrees, else the first difference), `twinRuns` says whether
 * the WebAssembly twin runs on this thread at all (without WebAssembly SIMD the scalar oracle runs instead, and
 * DITTO_CPU_NATIVE=1 asks nothing). Decided once per thread, on first use.
 */
export function checkedNative<T>(name: string, take: (a: NativeAddon) => T | null, check: (k: T) => string, twinRuns: () => boolean): CheckedNative<T> {
  let kernel: T | null | undefined;
  let why = '';
  let fatal: Error | null = null;
  let enabled = true;
  const decide = (): T | null => {
    if (fatal !== null) throw fatal;
    if (kernel !== undefined) return kernel;
    let k: T | null = null;
    if (!twinRuns()) why = 'no WebAssembly SIMD twin to pair it with';
    else {
      const a = loadAddon();
      const found = a === null ? null : take(a);
      if (a === null) why = addonWhy;
      else if (found === null) why = `the addon has no kernel '${name}'`;
      else {
        let bad: string;
        try {
          bad = check(found);
        } catch (e) {
          // a check that throws (a kernel refusing the check's own operands) is a failed check
          bad = `threw ${(e as Error).message}`;
        }
        if (bad === '') k = found;
        else {
          why = `failed its self-check: ${bad}`;
          process.emitWarning(`ditto: the native kernel '${name}' disagrees with its WebAssembly twin (${bad}); using WebAssembly`);
        }
      }
      if (k === null && nativeMode() === 'required') {
        fatal = new Error(`ditto CPU backend: DITTO_CPU_NATIVE=1 requires the native kernel '${name}', which is unavailable: ${why} (build the addon with \`npm run build:native\`)`);
        throw fatal;
      }
    }
    kernel = k;
    return k;
  };
  return {
    get: () => (enabled ? decide() : null),
    enable: (on) => {
      enabled = on;
    },
    status: () => {
      const active = decide() !== null;
      return { active, reason: active ? 'AVX2' : why };
    },
  };
}

/** The special operands of the self-checks: NaN, infinities, -0, subnormals, huge magnitudes. */
const SPECIAL = [Number.NaN, Infinity, -Infinity, -0, 1e-40, -3e38, 3e38, 1.5e-45];

/**
 * Operand slot i of the self-checks (native-gemm.ts, native-philox.ts, native-pool.ts, native-colsum.ts, native-conv.ts): a fixed
 * integer hash mapped to [-2, 2), and every `period`-th slot from `period` / 2 on one of SPECIAL.
 */
export function checkOperand(i: number, period: number): number {
  if (i % period === period >> 1) return SPECIAL[Math.floor(i / period) & 7];
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 8) / (1 << 24)) * 4 - 2;
}

/** A float for the self-checks' messages: -0 as -0 (NaN = NaN in every comparison, so its payload is never the difference). */
function showFloat(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * The self-checks' comparison: n words of want from wo and of got from go must be equal, a NaN matching any NaN (payloads
 * are unspecified everywhere in the engine); returns '' or "<what>: element i is <got> natively, <want> in WebAssembly".
 */
export function wordDifference(what: string, want: Float32Array, wo: number, got: Float32Array, go: number, n: number): string {
  const wi = new Int32Array(want.buffer, want.byteOffset, want.length);
  const gi = new Int32Array(got.buffer, got.byteOffset, got.length);
  for (let i = 0; i < n; i++) {
    if (wi[wo + i] === gi[go + i]) continue;
    const a = want[wo + i];
    const b = got[go + i];
    if (!(a !== a && b !== b)) return `${what}: element ${i} is ${showFloat(b)} natively, ${showFloat(a)} in WebAssembly`;
  }
  return '';
}

/** A load-time check: the first case whose comparison reports a difference (its message), or '' when all agree. */
export function firstDifference<C>(cases: readonly C[], compare: (c: C) => string): string {
  for (const c of cases) {
    const bad = compare(c);
    if (bad !== '') return bad;
  }
  return '';
}
