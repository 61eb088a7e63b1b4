/**
 * TensorFlow stateless seed scrambling (GenerateKey in tensorflow/core/kernels/stateless_random_ops.cc, spec §3.2):
 * a shape-[2] int32/int64 seed becomes a Philox key [2] u32 and counter [4] u32.
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { philox4x32Into } from './philox.ts';
import { int64ToWords } from './int64-words.ts';
import { fmtValue } from './validate.ts';

/** The fixed Philox key GenerateKey encrypts the seed words with. */
export const TF_SEED_SCRAMBLE_KEY: readonly [number, number] = [0x3ec8f720, 0x02461e29];

/** A Philox key [2] u32 and counter [4] u32 (word 0 least significant), as TF's V2 stateless ops take them. */
export interface PhiloxKeyCounter {
  key: Uint32Array;
  counter: Uint32Array;
}

/**
 * GenerateKey: counter C = (lo(s0), hi(s0), lo(s1), hi(s1)); mix = Philox4x32-10(C, TF_SEED_SCRAMBLE_KEY);
 * key = (mix0, mix1), counter = (0, 0, mix2, mix3).
 * Example (spec §5.6): seed [42, 0] -> key (0x89e74cef, 0x53939b05), counter (0, 0, 0x8e9181c6, 0xb2ca7bfa).
 */
export function tfGenerateKey(seed: readonly [number | bigint, number | bigint]): PhiloxKeyCounter {
  if (seed == null || seed.length !== 2) {
    throw new ArgumentError(`tfGenerateKey: expected seed of two integers. Received: seed=${fmtValue(seed)}`);
  }
  const [lo0, hi0] = int64ToWords('tfGenerateKey', 'seed[0]', seed[0]);
  const [lo1, hi1] = int64ToWords('tfGenerateKey', 'seed[1]', seed[1]);
  const mix = new Uint32Array(4);
  philox4x32Into(lo0, hi0, lo1, hi1, TF_SEED_SCRAMBLE_KEY[0], TF_SEED_SCRAMBLE_KEY[1], mix, 0, 10);
  return {
    key: Uint32Array.of(mix[0], mix[1]),
    counter: Uint32Array.of(0, 0, mix[2], mix[3]),
  };
}
