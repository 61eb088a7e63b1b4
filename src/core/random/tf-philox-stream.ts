/**
 * TensorFlow's CPU stateless kernels on a Philox key/counter (FillPhiloxRandom in random_op_cpu.h, spec §3.3–3.6):
 * raw u32 words, uniform [0,1) float32, Box–Muller normals, and 2-sigma truncated normals (256-block groups).
 * Part of src/core: imports nothing outside src/core.
 */
import { philox4x32Into, philoxSkip, philoxSkipOne } from './philox.ts';
import { tfBoxMuller, tfUint32ToFloat } from './tf-box-muller.ts';
import type { PhiloxKeyCounter } from './tf-seed.ts';

/** Blocks reserved per 4-output group of the truncated normal (kReservedSamplesPerOutput). */
export const TF_TRUNCATED_RESERVED_BLOCKS = 256;

/**
 * The raw stream: element i = word (i mod 4) of the Philox block at counter + floor(i / 4).
 * This is TF's full-range int32/uint32 output (reinterpret as int32 for int32 ops) and the source of the
 * uniform and dropout values. Allocation-free when `out` is given.
 */
export function tfPhiloxWords(n: number, kc: PhiloxKeyCounter, out = new Uint32Array(n)): Uint32Array {
  const ctr = Uint32Array.from(kc.counter);
  const k0 = kc.key[0];
  const k1 = kc.key[1];
  const full = n - (n % 4);
  let i = 0;
  for (; i < full; i += 4) {
    philox4x32Into(ctr[0], ctr[1], ctr[2], ctr[3], k0, k1, out, i, 10);
    philoxSkipOne(ctr);
  }
  if (i < n) {
    const blk = new Uint32Array(4);
    philox4x32Into(ctr[0], ctr[1], ctr[2], ctr[3], k0, k1, blk, 0, 10);
    for (let j = 0; i + j < n; j++) out[i + j] = blk[j];
  }
  return out;
}

/** TF raw StatelessRandomUniformV2 float32: Uint32ToFloat of each stream word (low 23 bits * 2^-23). */
export function tfUniformRaw(n: number, kc: PhiloxKeyCounter): Float32Array {
  const words = tfPhiloxWords(n, kc);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = tfUint32ToFloat(words[i]);
  return out;
}

/**
 * TF raw StatelessRandomNormalV2 float32: block g = (s0,s1,s2,s3) gives outputs 4g..4g+3 =
 * [BM(s0,s1).sin, BM(s0,s1).cos, BM(s2,s3).sin, BM(s2,s3).cos]; a partial last group keeps its first values.
 */
export function tfNormalRaw(n: number, kc: PhiloxKeyCounter): Float32Array {
  const out = new Float32Array(n);
  const ctr = Uint32Array.from(kc.counter);
  const blk = new Uint32Array(4);
  const vals = new Float32Array(4);
  for (let i = 0; i < n; i += 4) {
    philox4x32Into(ctr[0], ctr[1], ctr[2], ctr[3], kc.key[0], kc.key[1], blk, 0, 10);
    philoxSkipOne(ctr);
    tfBoxMuller(blk[0], blk[1], vals, 0);
    tfBoxMuller(blk[2], blk[3], vals, 2);
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = vals[j];
  }
  return out;
}

/**
 * TF raw StatelessTruncatedNormalV2 float32. Output group g (4 values) restarts the generator at
 * counter + 256*g blocks and reads single words in order (block words 0..3, then the next block);
 * each pair (x0, x1) gives BM(x0, x1) = (f0, f1); f0 then f1 are accepted when |f| < 2 (strict), until 4 are kept.
 */
export function tfTruncatedNormalRaw(n: number, kc: PhiloxKeyCounter): Float32Array {
  const out = new Float32Array(n);
  const ctr = new Uint32Array(4);
  const blk = new Uint32Array(4);
  const pair = new Float32Array(2);
  const k0 = kc.key[0];
  const k1 = kc.key[1];
  const groups = Math.ceil(n / 4);
  for (let g = 0; g < groups; g++) {
    ctr.set(kc.counter);
    philoxSkip(ctr, g * TF_TRUNCATED_RESERVED_BLOCKS);
    const base = 4 * g;
    // TF fills all 4 slots of the group, then copies only `want` of them: stopping at `want` is equivalent.
    const want = Math.min(4, n - base);
    let got = 0;
    // SingleSampleAdapter over this group's generator: words 0..3 of a block, then the next block.
    // Words are consumed in pairs and a block holds two pairs, so each pass of this loop uses one block.
    while (got < want) {
      philox4x32Into(ctr[0], ctr[1], ctr[2], ctr[3], k0, k1, blk, 0, 10);
      philoxSkipOne(ctr);
      for (let h = 0; h < 4 && got < want; h += 2) {
        tfBoxMuller(blk[h], blk[h + 1], pair, 0);
        if (Math.abs(pair[0]) < 2) out[base + got++] = pair[0];
        if (got < want && Math.abs(pair[1]) < 2) out[base + got++] = pair[1];
      }
    }
  }
  return out;
}
