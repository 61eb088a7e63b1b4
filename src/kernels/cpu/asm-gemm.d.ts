/**
 * Types of the asm.js GEMM module (asm-gemm.js); see that file for the layout and the order.
 * Part of src/kernels/cpu: imports nothing.
 */
export interface GemmKernelExports {
  /** All mt x nt 5x3 tiles: T += packed A panels (at pa) times packed B panels (at pb) over kc terms. */
  gemm(pa: number, pb: number, pt: number, ldt: number, mt: number, nt: number, kc: number): void;
  /** The same for a single-chunk reduction (kc <= 256) into T that holds nothing yet: T = the chunk sums. */
  gemm1(pa: number, pb: number, pt: number, ldt: number, mt: number, nt: number, kc: number): void;
  /** One 5-lane A panel at dst: lane r < nl of term k = the float at byte I32[lb/4 + r] + I32[tab/4 + k]; other lanes +0. */
  packA(dst: number, lb: number, nl: number, tab: number, kc: number): void;
  /** The same for a 3-lane B panel. */
  packB(dst: number, lb: number, nl: number, tab: number, kc: number): void;
}

/** Links the module to a heap (an ArrayBuffer of 2^n bytes, 2^12 <= size <= 2^24, or a multiple of 2^24). */
export function GemmKernels(stdlib: typeof globalThis, foreign: unknown, heap: ArrayBuffer): GemmKernelExports;
