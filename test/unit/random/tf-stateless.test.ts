// TensorFlow stateless RNG (spec §3): GenerateKey, stream layout, split / fold_in, normal, truncated normal, dropout.
import { describe, expect, it } from 'vitest';
import { dropoutValues } from '../../../src/core/random/dropout.ts';
import { int64ToWords } from '../../../src/core/random/int64-words.ts';
import { philox4x32, philoxSkip } from '../../../src/core/random/philox.ts';
import { tfBoxMuller, tfUint32ToFloat } from '../../../src/core/random/tf-box-muller.ts';
import { tfNormalRaw, tfPhiloxWords, tfTruncatedNormalRaw, tfUniformRaw } from '../../../src/core/random/tf-philox-stream.ts';
import { tfGenerateKey } from '../../../src/core/random/tf-seed.ts';
import {
  tfStatelessFoldIn, tfStatelessNormal, tfStatelessSplit, tfStatelessTruncatedNormal, tfStatelessUniform,
} from '../../../src/core/random/tf-stateless.ts';
import { hex, numpyF32Str } from './helpers.ts';

const f = Math.fround;

describe('GenerateKey', () => {
  it('seed [42, 0] gives the spec §5.6 key, counter and first block', () => {
    // Source: spec §5.6 "Intermediates on the TF side" (GenerateKey, stateless_random_ops.cc).
    const kc = tfGenerateKey([42, 0]);
    expect(hex(kc.key)).toEqual(['89e74cef', '53939b05']);
    expect(hex(kc.counter)).toEqual(['00000000', '00000000', '8e9181c6', 'b2ca7bfa']);
    expect(hex(tfPhiloxWords(4, kc))).toEqual(['48a426c5', '3cbfcc20', '715b9425', '9e0295fb']);
  });

  it('splits int64 seeds by two\'s complement; int32 seeds are sign-extended', () => {
    expect(int64ToWords('t', 's', -1)).toEqual([0xffffffff, 0xffffffff]);
    expect(int64ToWords('t', 's', 2 ** 32 + 5)).toEqual([5, 1]);
    expect(int64ToWords('t', 's', -(2 ** 32))).toEqual([0, 0xffffffff]);
    expect(int64ToWords('t', 's', -(2n ** 63n))).toEqual([0, 0x80000000]);
    expect(hex(tfGenerateKey([-1, 7]).key)).toEqual(hex(tfGenerateKey([-1n, 7n]).key));
    const c = philox4x32([0xffffffff, 0xffffffff, 7, 0], [0x3ec8f720, 0x02461e29]);
    expect(hex(tfGenerateKey([-1, 7]).key)).toEqual(hex(c.subarray(0, 2)));
    expect(() => tfGenerateKey([1.5, 0])).toThrow('tfGenerateKey: expected seed[0] to be an integer. Received: seed[0]=1.5');
    expect(() => tfGenerateKey([2n ** 63n, 0])).toThrow(/expected seed\[0\] to be an int64/);
  });
});

describe('stateless_split / stateless_fold_in', () => {
  it('split([1, 2], 3) matches the TF docstring', () => {
    // Source: spec §3.2/§6, tensorflow/python/ops/stateless_random_ops.py docstring of `split`.
    expect(Array.from(tfStatelessSplit([1, 2], 3))).toEqual([1105988140, 1738052849, -335576002, 370444179, 10670227, -246211131]);
  });

  it('fold_in([1, 2], 3) and stateless_normal([3], folded) match the TF docstring', () => {
    // Source: spec §6, TF `fold_in` docstring: fold_in([1,2], 3) -> [1105988140, 3];
    // stateless_normal([3], seed=that) printed by numpy as [0.03197195, 0.8979765, 0.13253039].
    const s = tfStatelessFoldIn([1, 2], 3);
    expect(s).toEqual([1105988140, 3]);
    const z = tfStatelessNormal(3, s);
    expect(Array.from(z, numpyF32Str)).toEqual(['0.03197195', '0.8979765', '0.13253039']);
  });

  it('rejects non-int32 seeds', () => {
    expect(() => tfStatelessSplit([2 ** 31, 0], 2)).toThrow('tfStatelessSplit: expected seed of two int32 integers. Received: seed=[2147483648, 0]');
  });
});

describe('stream layout and distributions', () => {
  const kc = tfGenerateKey([7, 11]);

  it('element i is word i mod 4 of block floor(i/4); partial groups are prefixes', () => {
    const w = tfPhiloxWords(11, kc);
    const ctr = Uint32Array.from(kc.counter);
    for (let g = 0; g < 3; g++) {
      const c = Uint32Array.from(ctr);
      philoxSkip(c, g);
      const blk = philox4x32(c, kc.key);
      for (let j = 0; j < 4 && 4 * g + j < 11; j++) expect(w[4 * g + j]).toBe(blk[j]);
    }
    expect(Array.from(tfNormalRaw(5, kc))).toEqual(Array.from(tfNormalRaw(8, kc).subarray(0, 5)));
    expect(Array.from(tfTruncatedNormalRaw(6, kc))).toEqual(Array.from(tfTruncatedNormalRaw(12, kc).subarray(0, 6)));
  });

  it('uniform is the low 23 bits times 2^-23, exactly', () => {
    const w = tfPhiloxWords(64, kc);
    const u = tfUniformRaw(64, kc);
    for (let i = 0; i < 64; i++) expect(u[i]).toBe((w[i] & 0x7fffff) / 8388608);
    expect(tfUint32ToFloat(0xffffffff)).toBe(1 - 2 ** -23);
    expect(tfUint32ToFloat(0x00800000)).toBe(0);
  });

  it('uniform post-processing is f32(f32(rnd * f32(max - min)) + min), defaults return rnd', () => {
    const seed = [3, 4] as const;
    const rnd = tfStatelessUniform(100, seed);
    expect(Array.from(rnd)).toEqual(Array.from(tfUniformRaw(100, tfGenerateKey(seed))));
    const v = tfStatelessUniform(100, seed, -0.3, 1.7);
    const range = f(f(1.7) - f(-0.3));
    for (let i = 0; i < 100; i++) expect(v[i]).toBe(f(f(rnd[i] * range) + f(-0.3)));
  });

  it('normal outputs come in (sin, cos) pairs of one Box–Muller draw per word pair', () => {
    const w = tfPhiloxWords(8, kc);
    const z = tfNormalRaw(8, kc);
    const pair = new Float32Array(2);
    for (let p = 0; p < 4; p++) {
      tfBoxMuller(w[2 * p], w[2 * p + 1], pair, 0);
      expect([z[2 * p], z[2 * p + 1]]).toEqual([pair[0], pair[1]]);
    }
    // u1 clamp: word 0 gives u1 = 0 -> 1e-7f, so u2 = sqrt(-2 log 1e-7) ~ 5.68
    tfBoxMuller(0, 0, pair, 0);
    expect(pair[0]).toBe(0);
    expect(pair[1]).toBeCloseTo(Math.sqrt(-2 * Math.log(f(1e-7))), 5);
  });

  it('truncated normal: group g restarts at counter + 256*g, every value strictly inside (-2, 2)', () => {
    const z = tfTruncatedNormalRaw(4000, kc);
    for (const v of z) expect(Math.abs(v)).toBeLessThan(2);
    const shifted = { key: kc.key, counter: Uint32Array.from(kc.counter) };
    philoxSkip(shifted.counter, 256 * 5);
    expect(Array.from(tfTruncatedNormalRaw(4, shifted))).toEqual(Array.from(z.subarray(20, 24)));
    // Group 0 reads words in order and keeps |f| < 2: rebuild it from the raw words.
    const words = tfPhiloxWords(64, kc);
    const kept: number[] = [];
    const pair = new Float32Array(2);
    for (let i = 0; kept.length < 4; i += 2) {
      tfBoxMuller(words[i], words[i + 1], pair, 0);
      for (const v of pair) if (Math.abs(v) < 2 && kept.length < 4) kept.push(v);
    }
    expect(Array.from(z.subarray(0, 4))).toEqual(kept);
    const t = tfStatelessTruncatedNormal(8, [7, 11], 0.5, 0.1);
    for (let i = 0; i < 8; i++) expect(t[i]).toBe(f(f(z[i] * f(0.1)) + f(0.5)));
  });
});

describe('stateless_dropout', () => {
  it('matches the TF API docs masks for rates 0.5 and 0.8 (seed [1, 0])', () => {
    // Source: spec §3.8, tf.nn.experimental.stateless_dropout API docs (ones([3, 5]), seed=[1, 0]).
    const ones = new Float32Array(15).fill(1);
    const r05 = dropoutValues(ones, [3, 5], 0.5, [1, 0], { algorithm: 'philox', castSeed: false });
    expect(Array.from(r05)).toEqual([2, 0, 2, 0, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 2]);
    const r08 = dropoutValues(ones, [3, 5], 0.8, [1, 0], { algorithm: 'philox', castSeed: false });
    expect(Array.from(r08)).toEqual([5, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 5]);
  });
});
