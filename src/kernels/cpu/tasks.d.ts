/**
 * Types of tasks.js: the named block tasks the CPU pool threads run.
 * Part of src/kernels/cpu: imports nothing.
 */
export type BlockTask = (job: any, index: number) => void;
export const TASKS: Record<string, BlockTask>;
export function setThreadIndex(i: number): void;
/** Compiles the WebAssembly SIMD modules (where available) and returns them by name, for the workers. */
export function wasmModulesForWorkers(): Record<string, WebAssembly.Module>;
