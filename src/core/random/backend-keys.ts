/**
 * How a Keras seed pair [s0, s1] becomes generator input on each backend (spec §3.2, §4.2, §5.1):
 * philox -> optional Keras TF _cast_seed, then TF GenerateKey; threefry -> raw JAX key data (s0 mod 2^32, s1 mod 2^32).
 * Part of src/core: imports nothing outside src/core.
 */
import { tfCastSeed } from './seed-generator.ts';
import { tfGenerateKey, type PhiloxKeyCounter } from './tf-seed.ts';

/**
 * Philox key/counter for a seed pair. castSeed (default true) applies Keras's TF _cast_seed
 * (floormod 2147483646, what keras.random.* does on TF); false feeds the pair to TF's GenerateKey as is
 * (what a direct tf.random.stateless_* call does).
 */
export function philoxKeyCounterForSeed(seed: readonly [number, number], castSeed = true): PhiloxKeyCounter {
  return tfGenerateKey(castSeed ? tfCastSeed(seed) : seed);
}

/**
 * Threefry key for a seed pair, as Keras's JAX backend uses it: the uint32 pair itself is the raw key data
 * (not jax.random.PRNGKey(seed)). Values outside [0, 2^32) are reduced mod 2^32 (Keras would reject them).
 */
export function threefryKeyForSeed(seed: readonly [number, number]): Uint32Array {
  const TWO32 = 4294967296;
  return Uint32Array.of(((seed[0] % TWO32) + TWO32) % TWO32, ((seed[1] % TWO32) + TWO32) % TWO32);
}
