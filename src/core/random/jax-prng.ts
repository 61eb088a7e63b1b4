/**
 * JAX's threefry2x32 PRNG in its ORIGINAL (non-partitionable) bit layout, the default up to JAX 0.4.38
 * (jax/_src/prng.py, spec §4.2–4.3): PRNGKey, random bits, split, fold_in.
 * Keys are [2] u32 arrays (raw key data). Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { threefry2x32Into } from './threefry.ts';
import { int64ToWords } from './int64-words.ts';
import { checkCount, checkU32Words, fmtValue } from './validate.ts';

/**
 * jax.random.PRNGKey(seed) = threefry_seed(seed) = (hi32, lo32) of the int64 two's complement.
 * For 0 <= seed < 2^32 this is (0, seed) in every JAX mode; negative seeds follow the jax_enable_x64 semantics.
 */
export function jaxPRNGKey(seed: number | bigint): Uint32Array {
  const [lo, hi] = int64ToWords('jaxPRNGKey', 'seed', seed);
  return Uint32Array.of(hi, lo);
}

/**
 * threefry_2x32(key, count) for count = iota(n) (the original layout): with h = ceil(n/2), the pairs
 * (j, j + h) for j < h (a counter equal to n, present only when n is odd, is replaced by 0) are encrypted;
 * output j = y0 of pair j and output j + h = y1 of pair j. Allocation-free when `out` is given.
 */
export function jaxRandomBits(key: ArrayLike<number>, n: number, out = new Uint32Array(n)): Uint32Array {
  checkU32Words('jaxRandomBits', 'key', key, 2);
  checkCount('jaxRandomBits', 'n', n);
  if (n >= 0xffffffff) {
    throw new ArgumentError(`jaxRandomBits: expected fewer than 2^32 - 1 elements. Received: n=${n}`);
  }
  const k0 = key[0];
  const k1 = key[1];
  const h = Math.ceil(n / 2);
  const pair = new Uint32Array(2);
  for (let j = 0; j < h; j++) {
    const hiCount = j + h === n ? 0 : j + h;
    threefry2x32Into(k0, k1, j, hiCount, pair, 0);
    out[j] = pair[0];
    if (j + h < n) out[j + h] = pair[1];
  }
  return out;
}

/**
 * jax.random.split(key, num) (original layout): threefry_2x32(key, iota(2*num)) reshaped to [num, 2].
 * Example (JAX tests): split(PRNGKey(0), 4)[0] = [2285895361, 1501764800].
 */
export function jaxSplit(key: ArrayLike<number>, num = 2): Uint32Array {
  checkU32Words('jaxSplit', 'key', key, 2);
  checkCount('jaxSplit', 'num', num);
  return jaxRandomBits(key, 2 * num);
}

/**
 * jax.random.fold_in(key, data) for a uint32 data: threefry_2x32(key, threefry_seed(data)) = threefry(key, (0, data)).
 * Example (JAX tests): fold_in(PRNGKey(0), 4) = [2285895361, 433833334].
 */
export function jaxFoldIn(key: ArrayLike<number>, data: number): Uint32Array {
  checkU32Words('jaxFoldIn', 'key', key, 2);
  if (!Number.isInteger(data) || data < 0 || data > 0xffffffff) {
    throw new ArgumentError(`jaxFoldIn: expected data to be a uint32 integer. Received: data=${fmtValue(data)}`);
  }
  const out = new Uint32Array(2);
  threefry2x32Into(key[0], key[1], 0, data, out, 0);
  return out;
}
