/**
 * The primitive op `randomUniform`: the unit uniform values [0, 1) of one counter-based stream, generated on the
 * device with integer arithmetic and one exact int->float conversion, so every backend gives the same bits.
 * The host turns a seed pair into (key, counter) (src/core/random/backend-keys.ts). No gradient (no inputs).
 * Part of src/core: imports nothing outside src/core.
 *
 * Exact recipe, for kernel ports (WGSL: u32 arithmetic wraps mod 2^32, as required). n = prod(shape), i in [0, n).
 *
 * philox (TensorFlow StatelessRandomUniformV2 on CPU, spec §2, §3.3, §3.4):
 *   1. block index g = i >> 2, word index w = i & 3.
 *   2. ctr = counter + g as a 128-bit integer, word 0 least significant (TF SkipOne applied g times):
 *        c0 = counter0 + g;           k = (c0 < g)  ? 1 : 0
 *        c1 = counter1 + k;           k = (k == 1 && c1 == 0) ? 1 : 0
 *        c2 = counter2 + k;           k = (k == 1 && c2 == 0) ? 1 : 0
 *        c3 = counter3 + k
 *   3. (y0, y1, y2, y3) = Philox4x32-10((c0, c1, c2, c3), key): 10 rounds; before every round but the first,
 *      k0 += 0x9E3779B9, k1 += 0xBB67AE85. One round:
 *        (hi0, lo0) = 64-bit product 0xD2511F53 * c0;  (hi1, lo1) = 64-bit product 0xCD9E8D57 * c2
 *        (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 *      WGSL has no 32x32->64 multiply: lo = a * b (wrapping); hi from 16-bit halves, a = ah*2^16 + al, b = bh*2^16 + bl:
 *        ll = al*bl, lh = al*bh, hl = ah*bl   (each fits in u32)
 *        carry = ((ll >> 16) + (lh & 0xFFFF) + (hl & 0xFFFF)) >> 16
 *        hi = ah*bh + (lh >> 16) + (hl >> 16) + carry
 *   4. word = y_w; m = word & 0x7FFFFF (the LOW 23 bits).
 *   5. out[i] = f32(m) * 0x1p-23  (= bitcast<f32>(0x3F800000 | m) - 1.0; both exact).
 *   A thread per block (g) may write out[4g .. min(4g + 4, n)): a partial last block uses its first words.
 *
 * threefry (JAX <= 0.4.38 random_bits + uniform unit, original halves layout, spec §4.1, §4.3, §4.4):
 *   counter must be (0, 0, 0, 0) and is not used. h = (n + 1) >> 1 (= ceil(n / 2)).
 *   1. if i < h: pair j = i, x = (j, (j + h == n) ? 0 : j + h), word = y0
 *      else:     pair j = i - h, x = (j, i), word = y1
 *   2. (y0, y1) = Threefry2x32-20(key, x): ks = (k0, k1, k0 ^ k1 ^ 0x1BD11BDA); x0 += ks0; x1 += ks1; then for
 *      s = 0..4: for r in (s even ? [13, 15, 26, 6] : [17, 29, 16, 24]): { x0 += x1; x1 = rotl(x1, r); x1 ^= x0 }
 *      followed by x0 += ks[(s + 1) % 3]; x1 += ks[(s + 2) % 3] + (s + 1).
 *   3. m = word >> 9 (the HIGH 23 bits); out[i] = f32(m) * 0x1p-23 (exact).
 *   A thread per pair j < h may write out[j] = unit(y0) and, when j + h < n, out[j + h] = unit(y1).
 *
 * determinism: the two algorithms deliberately differ in the bits they keep (TF low 23, JAX high 23).
 */
import { ArgumentError } from '../errors.ts';
import { checkAlgorithm, type RandomAlgorithm } from '../random/algorithm.ts';
import { checkShapeSize, checkU32Words, fmtValue } from '../random/validate.ts';
import { runOp } from '../run-op.ts';
import type { Tensor } from '../tensor.ts';
import type { OpAttrMap } from './op-attrs.ts';
import { defineOp } from './op-def.ts';

/** Attributes of randomUniform: output shape, algorithm, Philox key [2] u32 and counter [4] u32 (threefry: zeros). */
export type RandomUniformAttrs = OpAttrMap['randomUniform'];

function checkAttrs(fn: string, a: RandomUniformAttrs): void {
  checkShapeSize(fn, a?.shape);
  checkAlgorithm(fn, a.algorithm);
  checkU32Words(fn, 'key', a.key, 2);
  checkU32Words(fn, 'counter', a.counter, 4);
  if (a.algorithm === 'threefry' && (a.counter[0] | a.counter[1] | a.counter[2] | a.counter[3]) !== 0) {
    throw new ArgumentError(`${fn}: expected counter [0, 0, 0, 0] for algorithm 'threefry' (its stream is fixed by the key). Received: counter=${fmtValue(a.counter)}`);
  }
}

const randomUniformOp = defineOp({
  name: 'randomUniform',
  infer: (_inputs, a) => {
    checkAttrs('randomUniform', a);
    return { shape: [...a.shape], dtype: 'float32' };
  },
});

/**
 * The raw counter-based generator as a primitive op: unit uniform float32 values of `shape` in [0, 1), each a
 * multiple of 2^-23, of the stream given by (algorithm, key, counter), generated on the device with the same bits on
 * every backend. philox (TensorFlow's StatelessRandomUniformV2) keeps the low 23 bits of each Philox4x32-10 word;
 * threefry (JAX's `random_bits` + uniform) keeps the high 23 bits of each Threefry2x32-20 word and requires the
 * counter to be zero. `key` is two uint32 words, `counter` four (default zeros).
 *
 * Most users want `dt.random.statelessUniform(shape, seed)`, which derives key and counter from a seed pair (and
 * scales to [minval, maxval)) and is part of the main entry.
 * @throws {@link ditto-ml!ArgumentError | ArgumentError} for a bad shape, an unknown algorithm, key or counter words that are not uint32, or a
 * non-zero counter with 'threefry'.
 */
export function randomUniform(
  shape: readonly number[],
  options: { algorithm: RandomAlgorithm; key: ArrayLike<number>; counter?: ArrayLike<number> },
): Tensor {
  const attrs: RandomUniformAttrs = {
    shape: Array.isArray(shape) ? [...shape] : (shape as never),
    algorithm: options?.algorithm,
    key: options?.key ? [options.key[0], options.key[1]] : (options?.key as never),
    counter: options?.counter
      ? [options.counter[0], options.counter[1], options.counter[2], options.counter[3]]
      : [0, 0, 0, 0],
  };
  if (options?.key && options.key.length !== 2) checkU32Words('randomUniform', 'key', options.key, 2);
  if (options?.counter && options.counter.length !== 4) checkU32Words('randomUniform', 'counter', options.counter, 4);
  return runOp(randomUniformOp, [], attrs);
}
