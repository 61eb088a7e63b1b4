/**
 * Threefry2x32-20 block cipher (Salmon et al. 2011), the generator behind JAX's default PRNG, spec §4.1.
 * Pure 32-bit integer code on plain numbers. Part of src/core: imports nothing outside src/core.
 */
import { checkU32Words } from './validate.ts';

/** Threefry key-schedule parity constant. */
export const THREEFRY_PARITY = 0x1bd11bda;

/**
 * Fast, allocation-free Threefry2x32-20: encrypts counter (x0, x1) under key (k0, k1) and writes the two
 * output words to out[offset], out[offset + 1]. All arguments are u32 values.
 * Rotations R0 = [13, 15, 26, 6], R1 = [17, 29, 16, 24]; key injection after every 4 rounds.
 */
export function threefry2x32Into(k0: number, k1: number, x0: number, x1: number, out: Uint32Array, offset: number): void {
  const k2 = k0 ^ k1 ^ THREEFRY_PARITY;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1) | 0;
  // rounds 1-4 (R0)
  x0 = (x0 + x1) | 0; x1 = (x1 << 13) | (x1 >>> 19); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 15) | (x1 >>> 17); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 26) | (x1 >>> 6); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 6) | (x1 >>> 26); x1 ^= x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 1) | 0;
  // rounds 5-8 (R1)
  x0 = (x0 + x1) | 0; x1 = (x1 << 17) | (x1 >>> 15); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 29) | (x1 >>> 3); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 16) | (x1 >>> 16); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 24) | (x1 >>> 8); x1 ^= x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 2) | 0;
  // rounds 9-12 (R0)
  x0 = (x0 + x1) | 0; x1 = (x1 << 13) | (x1 >>> 19); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 15) | (x1 >>> 17); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 26) | (x1 >>> 6); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 6) | (x1 >>> 26); x1 ^= x0;
  x0 = (x0 + k0) | 0; x1 = (x1 + k1 + 3) | 0;
  // rounds 13-16 (R1)
  x0 = (x0 + x1) | 0; x1 = (x1 << 17) | (x1 >>> 15); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 29) | (x1 >>> 3); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 16) | (x1 >>> 16); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 24) | (x1 >>> 8); x1 ^= x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 4) | 0;
  // rounds 17-20 (R0)
  x0 = (x0 + x1) | 0; x1 = (x1 << 13) | (x1 >>> 19); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 15) | (x1 >>> 17); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 26) | (x1 >>> 6); x1 ^= x0;
  x0 = (x0 + x1) | 0; x1 = (x1 << 6) | (x1 >>> 26); x1 ^= x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 5) | 0;
  out[offset] = x0;
  out[offset + 1] = x1;
}

/**
 * Threefry2x32-20 block: key [2] u32, counter [2] u32 -> [2] u32.
 * Example (Random123 KAT): threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3]) -> [0xc4923a9c, 0x483df7a0].
 */
export function threefry2x32(key: ArrayLike<number>, counter: ArrayLike<number>): Uint32Array {
  checkU32Words('threefry2x32', 'key', key, 2);
  checkU32Words('threefry2x32', 'counter', counter, 2);
  const out = new Uint32Array(2);
  threefry2x32Into(key[0], key[1], counter[0], counter[1], out, 0);
  return out;
}
