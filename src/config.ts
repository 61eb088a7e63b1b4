/**
 * Global engine configuration (`dt.config`).
 * Composition-root module: may import any layer.
 */
import { getNumThreads as cpuThreads, setNumThreads as setCpuThreads } from './kernels/cpu/index.ts';
export { DEFAULT_MEMORY_FRACTION, getMemoryLimit, setMemoryLimit } from './core/memory-budget.ts';

let opDeterminism = false;

/**
 * Keras/TensorFlow compatibility (`tf.config.experimental.enable_op_determinism()`): every ditto kernel is
 * deterministic by construction (one fixed reduction order, no atomics), so this only records the request; any
 * future nondeterministic path must check {@link isOpDeterminismEnabled} and throw.
 */
export function enableOpDeterminism(): void {
  opDeterminism = true;
}

/** Whether {@link enableOpDeterminism} was called in this process. */
export function isOpDeterminismEnabled(): boolean {
  return opDeterminism;
}

/**
 * Sets the number of threads the CPU backend uses (the main thread included; default: the
 * DITTO_THREADS environment variable, else the machine's cores). Results are bit-identical for
 * every thread count: threads only share out blocks of outputs. `n` is an integer in [1, 256]; it takes effect on
 * the next op. The workers are Node `worker_threads`, started on the first parallel op.
 * @throws {@link ArgumentError} for any other `n`.
 */
export function setNumThreads(n: number): void {
  setCpuThreads(n);
}

/** The number of threads the CPU backend uses. */
export function getNumThreads(): number {
  return cpuThreads();
}
