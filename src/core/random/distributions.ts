/**
 * Host-side Keras backend random values (keras.random.uniform / normal / truncated_normal, spec §5.2) for both
 * algorithms: 'philox' = Keras on TensorFlow (stateless ops, §3), 'threefry' = Keras on JAX <= 0.4.38 (§4).
 * Pure functions of (shape, seed pair, options) returning Float32Array. Part of src/core: imports nothing outside src/core.
 *
 * Exact steps of the uniform path (for a WGSL port):
 *   philox:   w = TF stream word i; u = f32(w & 0x7FFFFF) * 2^-23 (exact); lo = f32(minval);
 *             range = f32(f32(maxval) - lo); out = f32(f32(u * range) + lo)  -- two separately rounded f32 ops;
 *             a shader compiler must not contract them into an FMA.
 *   threefry: w = JAX bits i; u = f32(w >> 9) * 2^-23 (exact); out = max(lo, fma32(u, range, lo)) -- ONE rounding;
 *             WGSL's fma() is not guaranteed fused, so a port needs an exact emulation (see fma32.ts for the method).
 *   With the defaults (0, 1) both reduce to u exactly, so plain uniforms are integer-only + one exact conversion.
 */
import { checkAlgorithm, type RandomAlgorithm } from './algorithm.ts';
import { philoxKeyCounterForSeed, threefryKeyForSeed } from './backend-keys.ts';
import { jaxNormal, jaxTruncatedNormal, jaxUniform } from './jax-random.ts';
import { tfNormalRaw, tfTruncatedNormalRaw, tfUniformRaw } from './tf-philox-stream.ts';
import { checkFinite, checkSeedPair, checkShapeSize } from './validate.ts';

export { dropoutKeepMask, dropoutKeepRule, dropoutScale, dropoutValues, type DropoutKeepRule, type DropoutOptions } from './dropout.ts';

const f = Math.fround;

/** Options shared by the value generators. */
export interface RandomValuesOptions {
  algorithm: RandomAlgorithm;
  /**
   * philox only. true (default): apply Keras's TF _cast_seed (floormod 2147483646) to the seed pair, as
   * keras.random.* does on the TF backend. false: feed the pair to TF's GenerateKey unchanged, as a direct
   * tf.random.stateless_* call does. Both agree for 0 <= seed < 2147483646.
   */
  castSeed?: boolean;
}

function checkCommon(fn: string, shape: unknown, seed: unknown, options: RandomValuesOptions): [number, [number, number]] {
  const n = checkShapeSize(fn, shape);
  const s = checkSeedPair(fn, seed);
  checkAlgorithm(fn, options?.algorithm);
  return [n, s];
}

/** f32(f32(z * f32(stddev)) + f32(mean)) in place: TF's `rnd * stddev + mean` and Keras-JAX's `sample * stddev + mean`. */
function scaleShift(z: Float32Array, mean: number, stddev: number): Float32Array {
  const m = f(mean);
  const s = f(stddev);
  for (let i = 0; i < z.length; i++) z[i] = f(f(z[i] * s) + m);
  return z;
}

/**
 * keras.random.uniform(shape, minval, maxval, seed) as float32 values [shape].
 * philox: tf.random.stateless_uniform (low-23-bit unit, f32(f32(u * f32(max - min)) + min), no clamp).
 * threefry: jax.random.uniform with key = seed pair (high-23-bit unit, max(min, fma32(u, range, min))).
 */
export function uniformValues(
  shape: readonly number[], seed: readonly [number, number],
  options: RandomValuesOptions & { minval?: number; maxval?: number },
): Float32Array {
  const [n, s] = checkCommon('uniformValues', shape, seed, options);
  const minval = options.minval ?? 0;
  const maxval = options.maxval ?? 1;
  checkFinite('uniformValues', 'minval', minval);
  checkFinite('uniformValues', 'maxval', maxval);
  if (options.algorithm === 'threefry') return jaxUniform(threefryKeyForSeed(s), n, minval, maxval);
  const out = tfUniformRaw(n, philoxKeyCounterForSeed(s, options.castSeed ?? true));
  const lo = f(minval);
  const range = f(f(maxval) - lo);
  for (let i = 0; i < n; i++) out[i] = f(f(out[i] * range) + lo);
  return out;
}

/**
 * keras.random.normal(shape, mean, stddev, seed) as float32 values [shape].
 * philox: TF Box–Muller (glibc logf/sincosf); threefry: JAX sqrt(2)*erfinv(u). Both then f32(f32(z*stddev)+mean).
 */
export function normalValues(
  shape: readonly number[], seed: readonly [number, number],
  options: RandomValuesOptions & { mean?: number; stddev?: number },
): Float32Array {
  const [n, s] = checkCommon('normalValues', shape, seed, options);
  const mean = options.mean ?? 0;
  const stddev = options.stddev ?? 1;
  checkFinite('normalValues', 'mean', mean);
  checkFinite('normalValues', 'stddev', stddev);
  const z = options.algorithm === 'threefry'
    ? jaxNormal(threefryKeyForSeed(s), n)
    : tfNormalRaw(n, philoxKeyCounterForSeed(s, options.castSeed ?? true));
  return scaleShift(z, mean, stddev);
}

/**
 * keras.random.truncated_normal(shape, mean, stddev, seed) as float32 values [shape] (2-sigma truncation).
 * philox: TF rejection sampling in 256-block groups; threefry: jax.random.truncated_normal(key, -2, 2) (inverse CDF).
 * Both then f32(f32(z*stddev)+mean).
 */
export function truncatedNormalValues(
  shape: readonly number[], seed: readonly [number, number],
  options: RandomValuesOptions & { mean?: number; stddev?: number },
): Float32Array {
  const [n, s] = checkCommon('truncatedNormalValues', shape, seed, options);
  const mean = options.mean ?? 0;
  const stddev = options.stddev ?? 1;
  checkFinite('truncatedNormalValues', 'mean', mean);
  checkFinite('truncatedNormalValues', 'stddev', stddev);
  const z = options.algorithm === 'threefry'
    ? jaxTruncatedNormal(threefryKeyForSeed(s), n, -2, 2)
    : tfTruncatedNormalRaw(n, philoxKeyCounterForSeed(s, options.castSeed ?? true));
  return scaleShift(z, mean, stddev);
}
