// Philox4x32-R and TF counter arithmetic: Random123 known-answer vectors and carry behaviour.
import { describe, expect, it } from 'vitest';
import { philox4x32, philox4x32Into, philoxSkip, philoxSkipOne } from '../../../src/core/random/philox.ts';
import { hex } from './helpers.ts';

// Source: spec §2, Random123 tests/kat_vectors ("philox4x32 R ctr[4] key[2] -> out[4]"), quoted in indexed repos.
const KAT: Array<[number, string, string]> = [
  [7, '00000000 00000000 00000000 00000000  00000000 00000000', '5f6fb709 0d893f64 4f121f81 4f730a48'],
  [7, 'ffffffff ffffffff ffffffff ffffffff  ffffffff ffffffff', '5207ddc2 45165e59 4d8ee751 8c52f662'],
  [7, '243f6a88 85a308d3 13198a2e 03707344  a4093822 299f31d0', '4dfccaba 190a87f0 c47362ba b6b5242a'],
  [10, '00000000 00000000 00000000 00000000  00000000 00000000', '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
  [10, 'ffffffff ffffffff ffffffff ffffffff  ffffffff ffffffff', '408f276d 41c83b0e a20bc7c6 6d5451fd'],
  [10, '243f6a88 85a308d3 13198a2e 03707344  a4093822 299f31d0', 'd16cfe09 94fdcceb 5001e420 24126ea1'],
];

describe('philox4x32', () => {
  it.each(KAT)('Random123 KAT, R=%i, input %s', (rounds, input, expected) => {
    const w = input.split(/\s+/).map((h) => parseInt(h, 16));
    expect(hex(philox4x32(w.slice(0, 4), w.slice(4, 6), rounds))).toEqual(expected.split(' '));
  });

  it('defaults to 10 rounds and the Into variant writes at an offset', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    const out = new Uint32Array(6);
    philox4x32Into(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out, 2);
    expect(hex(out)).toEqual(['00000000', '00000000', '408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
  });

  it('mulhi is exact: agrees with a BigInt single round on random words', () => {
    // One round with R=1 is (hi1^c1^k0, lo1, hi0^c3^k1, lo0); compare against BigInt products.
    let s = 0x12345678;
    const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (let t = 0; t < 2000; t++) {
      const c = [next(), next(), next(), next()];
      const k = [next(), next()];
      const p0 = BigInt(0xd2511f53) * BigInt(c[0]);
      const p1 = BigInt(0xcd9e8d57) * BigInt(c[2]);
      const hi0 = Number(p0 >> 32n), lo0 = Number(p0 & 0xffffffffn);
      const hi1 = Number(p1 >> 32n), lo1 = Number(p1 & 0xffffffffn);
      const want = [(hi1 ^ c[1] ^ k[0]) >>> 0, lo1, (hi0 ^ c[3] ^ k[1]) >>> 0, lo0];
      expect(Array.from(philox4x32(c, k, 1))).toEqual(want);
    }
  });

  it('rejects malformed counters and keys with the error template', () => {
    expect(() => philox4x32([1, 2, 3], [0, 0])).toThrow('philox4x32: expected counter of 4 u32 integers. Received: counter=[1, 2, 3]');
    expect(() => philox4x32([0, 0, 0, 0], [0, 2 ** 32])).toThrow(/^philox4x32: expected key of 2 u32 integers\. Received: key=\[0, 4294967296\]$/);
    expect(() => philox4x32([0, 0, 0, 0], [0, 0], 0)).toThrow(/philox4x32: expected rounds/);
  });
});

describe('TF counter arithmetic', () => {
  it('SkipOne carries through all four words', () => {
    const c = Uint32Array.of(0xffffffff, 0xffffffff, 0xffffffff, 7);
    philoxSkipOne(c);
    expect(Array.from(c)).toEqual([0, 0, 0, 8]);
    const d = Uint32Array.of(5, 0, 0, 0);
    philoxSkipOne(d);
    expect(Array.from(d)).toEqual([6, 0, 0, 0]);
  });

  it('Skip(n) adds a 64-bit count with carry into words 2 and 3', () => {
    const c = Uint32Array.of(0xfffffff0, 1, 0xffffffff, 0);
    philoxSkip(c, 0x20); // low word wraps: hi(n) becomes 1
    expect(Array.from(c)).toEqual([0x10, 2, 0xffffffff, 0]);
    const d = Uint32Array.of(0, 0xffffffff, 0xffffffff, 3);
    philoxSkip(d, 2 ** 32); // word 1 wraps -> word 2 wraps -> word 3 increments
    expect(Array.from(d)).toEqual([0, 0, 0, 4]);
  });

  it('Skip(n) equals n SkipOne calls', () => {
    const a = Uint32Array.of(0xfffffffe, 0xffffffff, 9, 9);
    const b = Uint32Array.from(a);
    philoxSkip(a, 300);
    for (let i = 0; i < 300; i++) philoxSkipOne(b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
