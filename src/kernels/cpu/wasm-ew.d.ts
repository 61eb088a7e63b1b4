/**
 * Types of wasm-ew.js: WebAssembly SIMD elementwise loops and column sums, run in chunks.
 * Part of src/kernels/cpu: imports nothing.
 */
type Arr = Float32Array | Uint8Array;
export const CHUNK: number;
export const MAX_COLS: number;
export const EW_FLOAT_OPS: string[];
export const EW_COMPARE_OPS: string[];
export function ewAvailable(): boolean;
export function ewBinary(op: string, form: 'vv' | 'vs' | 'sv', a: Float32Array, b: Float32Array, d: Arr, o0: number, o1: number): void;
export function ewRow(op: string, a: Float32Array, b: Float32Array, d: Float32Array, C: number, r0: number, r1: number): void;
export function ewWhere(form: 'vv' | 'vs' | 'sv', c: Uint8Array, a: Float32Array, b: Float32Array, d: Float32Array, o0: number, o1: number): void;
export function ewRelu(a: Float32Array, d: Float32Array, o0: number, o1: number): void;
export function ewReluGrad(g: Float32Array, x: Float32Array, d: Float32Array, o0: number, o1: number): void;
export function ewColSum(x: Float32Array, C: number, r0: number, r1: number, out: Float32Array, o: number): void;
export function ewPool2Fits(W: number, C: number): boolean;
export function ewPool2(x: Float32Array, d: Float32Array, H: number, W: number, C: number, n0: number, n1: number): void;
export function ewPool2Grad(x: Float32Array, g: Float32Array, dx: Float32Array, H: number, W: number, C: number, n0: number, n1: number): void;
