/**
 * Global engine configuration (`dt.config`).
 * Composition-root module: may import any layer.
 */

let opDeterminism = false;

/**
 * Keras/TensorFlow compatibility: every ditto kernel is deterministic by construction (one fixed
 * reduction order, no atomics), so this only records the request; any future nondeterministic
 * path must check `isOpDeterminismEnabled()` and throw.
 */
export function enableOpDeterminism(): void {
  opDeterminism = true;
}

export function isOpDeterminismEnabled(): boolean {
  return opDeterminism;
}
