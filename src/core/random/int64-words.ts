/**
 * Two's-complement splitting of int64 values (JS safe-integer numbers or bigints) into (lo32, hi32) u32 words,
 * as TensorFlow and JAX do when a 64-bit seed feeds a 32-bit generator.
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { fmtValue } from './validate.ts';

const TWO32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Splits an int64 (a safe-integer number or a bigint in [-2^63, 2^63)) into its two's-complement
 * (lo32, hi32) words; negative values are sign-extended, as TF widens an int32 seed to 64 bits.
 */
export function int64ToWords(fn: string, name: string, v: number | bigint): [number, number] {
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) {
      throw new ArgumentError(`${fn}: expected ${name} to be an int64. Received: ${name}=${fmtValue(v)}`);
    }
    const u = BigInt.asUintN(64, v);
    return [Number(u & 0xffffffffn), Number(u >> 32n)];
  }
  if (!Number.isSafeInteger(v)) {
    throw new ArgumentError(`${fn}: expected ${name} to be an integer. Received: ${name}=${fmtValue(v)}`);
  }
  const lo = ((v % TWO32) + TWO32) % TWO32;
  const hi = Math.floor(v / TWO32) >>> 0;
  return [lo, hi];
}
