/**
 * Types of wasm-philox.js: the WebAssembly SIMD Philox4x32-10 uniforms.
 * Part of src/kernels/cpu: imports nothing.
 */
/** The compiled module (exports run), or null without WebAssembly SIMD. */
export function simdPhiloxModule(): WebAssembly.Module | null;
