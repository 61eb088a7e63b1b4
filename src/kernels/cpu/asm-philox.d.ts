/**
 * Types of the asm.js Philox module (asm-philox.js).
 * Part of src/kernels/cpu: imports nothing.
 */
export interface PhiloxKernelExports {
  /** 4 * groups uniforms at byte dst of the heap, blocks at counter (c0..c3), counter + 1, ... */
  run(dst: number, groups: number, key0: number, key1: number, c0: number, c1: number, c2: number, c3: number): void;
}

/** Links the module to a heap (an ArrayBuffer of 2^n bytes, 2^12 <= size <= 2^24). */
export function PhiloxKernels(stdlib: typeof globalThis, foreign: unknown, heap: ArrayBuffer): PhiloxKernelExports;
