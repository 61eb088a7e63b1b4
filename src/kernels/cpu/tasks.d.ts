/**
 * Types of tasks.js: the named block tasks the CPU pool threads run.
 * Part of src/kernels/cpu: imports nothing.
 */
export type BlockTask = (job: any, index: number) => void;
export const TASKS: Record<string, BlockTask>;
export function setThreadIndex(i: number): void;
