/**
 * Types of wasm-gemm.js: the WebAssembly SIMD GEMM micro-kernel.
 * Part of src/kernels/cpu: imports nothing.
 */
export const SIMD_MR: number;
export const SIMD_NV: number;
export const SIMD_NR: number;
export function simdGemmBytes(MR?: number, NV?: number): Uint8Array;
/** The compiled module (exports gemm, packA, packB), or null without WebAssembly SIMD. */
export function simdGemmModule(): WebAssembly.Module | null;
