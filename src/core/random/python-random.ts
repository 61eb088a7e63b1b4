/**
 * The module-level Python `random` generator that Keras draws default seeds from (make_default_seed) and that
 * keras.utils.set_random_seed reseeds. One MT19937 per process, created lazily.
 * Part of src/core: imports nothing outside src/core.
 */
import { MT19937, type MT19937State } from './mt19937.ts';

/**
 * Seed of the module-level generator until seedPythonRandom() is called.
 * determinism: CPython seeds from os.urandom when never seeded; we use a fixed seed instead, so unseeded runs
 * are reproducible too (they match Python only after an explicit seed).
 */
export const DEFAULT_PYTHON_RANDOM_SEED = 0;

let global: MT19937 | null = null;

/** The module-level generator (Python's `random._inst`). */
export function pythonRandom(): MT19937 {
  if (global === null) global = new MT19937(DEFAULT_PYTHON_RANDOM_SEED);
  return global;
}

/** Python `random.seed(seed)` on the module-level generator. */
export function seedPythonRandom(seed: number | bigint): void {
  pythonRandom().seed(seed);
}

/** Snapshot of the module-level generator (JSON-serialisable). */
export function getPythonRandomState(): MT19937State {
  return pythonRandom().getState();
}

/** Restores a snapshot taken by getPythonRandomState(). */
export function setPythonRandomState(state: MT19937State): void {
  pythonRandom().setState(state);
}
