/**
 * Types of wasm-builder.js: a tiny WebAssembly assembler for the SIMD kernels.
 * Part of src/kernels/cpu: imports nothing.
 */
export const I32: number;
export const I64: number;
export const F32: number;
export const V128: number;
export class Fn {
  constructor(name: string, params: string[]);
  readonly name: string;
  [method: string]: unknown;
}
export function moduleBytes(fns: Fn[], exported: string[]): Uint8Array;
export function wasmSimdAllowed(): boolean;
export function compileOrNull(key: string, bytes: Uint8Array): WebAssembly.Module | null;
export function compiledModules(): Record<string, WebAssembly.Module>;
export function adoptModules(byName: Record<string, WebAssembly.Module> | undefined): void;
export function newMemory(bytes: number): WebAssembly.Memory;
