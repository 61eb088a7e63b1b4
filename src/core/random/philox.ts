/**
 * Philox4x32-R counter-based generator (Salmon et al. 2011; TensorFlow's PhiloxRandom), spec §2,
 * plus TensorFlow's 128-bit counter arithmetic (SkipOne / Skip).
 * Pure integer code on plain numbers and Uint32Arrays. Part of src/core: imports nothing outside src/core.
 */
import { checkCount, checkU32Words } from './validate.ts';
import { ArgumentError } from '../errors.ts';

/** Philox multiplier applied to counter word 0. */
export const PHILOX_M0 = 0xd2511f53;
/** Philox multiplier applied to counter word 2. */
export const PHILOX_M1 = 0xcd9e8d57;
/** Key bump added to key word 0 between rounds (golden ratio). */
export const PHILOX_W0 = 0x9e3779b9;
/** Key bump added to key word 1 between rounds (sqrt(3) - 1). */
export const PHILOX_W1 = 0xbb67ae85;

const M0_HI = PHILOX_M0 >>> 16;
const M0_LO = PHILOX_M0 & 0xffff;
const M1_HI = PHILOX_M1 >>> 16;
const M1_LO = PHILOX_M1 & 0xffff;
const W0_I32 = PHILOX_W0 | 0;
const W1_I32 = PHILOX_W1 | 0;

/**
 * Fast, allocation-free Philox4x32-R: encrypts counter (c0..c3) under key (k0, k1) and writes the 4 output
 * words to out[offset..offset+3]. All arguments are u32 values (numbers in [0, 2^32)); internally they are
 * held as int32 bit patterns so every step stays in 32-bit integer arithmetic.
 *
 * mullo(M, c) = Math.imul(M, c). mulhi(M, c) from 16-bit halves, M = mh*2^16 + ml, c = ch*2^16 + cl:
 *   ll = ml*cl, lh = ml*ch, hl = mh*cl (each < 2^32, as Math.imul bit patterns)
 *   carry = ((ll >>> 16) + (lh & 0xffff) + (hl & 0xffff)) >>> 16
 *   hi = mh*ch + (lh >>> 16) + (hl >>> 16) + carry   (the true value is < 2^32, so mod-2^32 arithmetic is exact)
 */
export function philox4x32Into(
  c0: number, c1: number, c2: number, c3: number,
  k0: number, k1: number,
  out: Uint32Array, offset: number, rounds = 10,
): void {
  c0 |= 0; c1 |= 0; c2 |= 0; c3 |= 0; k0 |= 0; k1 |= 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + W0_I32) | 0;
      k1 = (k1 + W1_I32) | 0;
    }
    const a0h = c0 >>> 16;
    const a0l = c0 & 0xffff;
    const lo0 = Math.imul(PHILOX_M0, c0);
    const lh0 = Math.imul(M0_LO, a0h);
    const hl0 = Math.imul(M0_HI, a0l);
    const carry0 = ((Math.imul(M0_LO, a0l) >>> 16) + (lh0 & 0xffff) + (hl0 & 0xffff)) >>> 16;
    const hi0 = (Math.imul(M0_HI, a0h) + (lh0 >>> 16) + (hl0 >>> 16) + carry0) | 0;
    const a2h = c2 >>> 16;
    const a2l = c2 & 0xffff;
    const lo1 = Math.imul(PHILOX_M1, c2);
    const lh1 = Math.imul(M1_LO, a2h);
    const hl1 = Math.imul(M1_HI, a2l);
    const carry1 = ((Math.imul(M1_LO, a2l) >>> 16) + (lh1 & 0xffff) + (hl1 & 0xffff)) >>> 16;
    const hi1 = (Math.imul(M1_HI, a2h) + (lh1 >>> 16) + (hl1 >>> 16) + carry1) | 0;
    const n0 = hi1 ^ c1 ^ k0;
    const n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  out[offset] = c0;
  out[offset + 1] = c1;
  out[offset + 2] = c2;
  out[offset + 3] = c3;
}

/**
 * Philox4x32-R block: counter [4] u32, key [2] u32 -> [4] u32. rounds defaults to 10 (TensorFlow's Philox4x32-10).
 * Example (Random123 KAT): philox4x32([0,0,0,0], [0,0]) -> [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8].
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, rounds = 10): Uint32Array {
  checkU32Words('philox4x32', 'counter', counter, 4);
  checkU32Words('philox4x32', 'key', key, 2);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new ArgumentError(`philox4x32: expected rounds to be a positive integer. Received: rounds=${rounds}`);
  }
  const out = new Uint32Array(4);
  philox4x32Into(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out, 0, rounds);
  return out;
}

/** TensorFlow PhiloxRandom::SkipOne: increments the 128-bit counter [4] u32 (word 0 least significant) in place. */
export function philoxSkipOne(counter: Uint32Array): void {
  counter[0] = (counter[0] + 1) >>> 0;
  if (counter[0] !== 0) return;
  counter[1] = (counter[1] + 1) >>> 0;
  if (counter[1] !== 0) return;
  counter[2] = (counter[2] + 1) >>> 0;
  if (counter[2] !== 0) return;
  counter[3] = (counter[3] + 1) >>> 0;
}

/**
 * TensorFlow PhiloxRandom::Skip(count) on a [4] u32 counter in place; count is a u64 given as a non-negative
 * safe integer. Reproduces TF's carry handling exactly, including its quirk that a carry out of word 0 is
 * folded into hi(count) before adding it to word 1.
 */
export function philoxSkip(counter: Uint32Array, count: number): void {
  checkCount('philoxSkip', 'count', count);
  const countLo = count % 4294967296;
  let countHi = Math.floor(count / 4294967296);
  counter[0] = (counter[0] + countLo) >>> 0;
  if (counter[0] < countLo) countHi = (countHi + 1) >>> 0;
  counter[1] = (counter[1] + countHi) >>> 0;
  if (counter[1] < countHi) {
    counter[2] = (counter[2] + 1) >>> 0;
    if (counter[2] === 0) counter[3] = (counter[3] + 1) >>> 0;
  }
}
