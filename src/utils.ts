/**
 * The `dt.utils` namespace: seeding every source of randomness (Keras `set_random_seed`) and snapshots of the
 * host-side random state for checkpoints.
 * Composition-root module: may import any layer.
 */
import { ArgumentError } from './core/errors.ts';
import type { Tensor } from './core/tensor.ts';
import { digestTensors } from './nn/digest.ts';
import {
  getRandomState as getHostRandomState, setGlobalSeed, setRandomState as setHostRandomState, type RandomLayerState,
} from './core/random/index.ts';

export type { RandomLayerState };

/** SHA-256 hex of every weight's dtype, shape and bytes, in the model's weight order: equal digests = equal bits. */
export function weightsDigest(model: { weights: readonly Tensor[] }): Promise<string> {
  return digestTensors(model.weights);
}

/**
 * keras.utils.set_random_seed(seed), Keras >= 3.13 semantics: reseeds the module-level Python-style MT19937
 * (what unseeded initializers and layers draw their default seeds from, make_default_seed) and discards the
 * global SeedGenerator so it is recreated from the reseeded generator. After the same call, a program that creates
 * unseeded initializers in the same order gets the same values in every run.
 * @param seed an integer in [0, 2^32), as Keras requires (NumPy's seed range)
 * @throws {@link ArgumentError} for a non-integer, a negative seed or one of 2^32 or more.
 */
export function setRandomSeed(seed: number | bigint): void {
  if (!(typeof seed === 'bigint' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
    const shown = typeof seed === 'string' ? JSON.stringify(seed) : String(seed);
    throw new ArgumentError(`setRandomSeed: expected an integer seed. Received: seed=${shown} (of type ${typeof seed})`);
  }
  if (seed < 0 || seed >= 2 ** 32) {
    throw new ArgumentError(`setRandomSeed: expected an integer seed in [0, 2**32) (0 <= seed < 4294967296, as Keras requires). Received: seed=${String(seed)}`);
  }
  setGlobalSeed(seed);
}

/** A JSON-serialisable snapshot of the host-side random state (algorithm, Python MT19937, global SeedGenerator). */
export function getRandomState(): RandomLayerState {
  return getHostRandomState();
}

/** Restores a snapshot taken by getRandomState() (e.g. when resuming from a checkpoint). */
export function setRandomState(state: RandomLayerState): void {
  setHostRandomState(state);
}

/**
 * Registers a custom layer class for Keras configs (Keras's `register_keras_serializable`): see
 * {@link registerKerasSerializable}.
 */
export { registerKerasSerializable, type RegisterOptions, type SerializableLayerClass } from './nn/saving/index.ts';
