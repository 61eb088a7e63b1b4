// Threefry2x32-20: Random123 known-answer vectors (also JAX's testThreefry2x32).
import { describe, expect, it } from 'vitest';
import { threefry2x32, threefry2x32Into } from '../../../src/core/random/threefry.ts';
import { hex } from './helpers.ts';

// Source: spec §4.1 (format "ctr, key -> out"), Random123 tests/kat_vectors "threefry2x32 20" lines;
// the same three vectors are asserted by jax tests/random_test.py::testThreefry2x32 at jax-v0.4.38.
const KAT: Array<[string, string, string]> = [
  ['00000000 00000000', '00000000 00000000', '6b200159 99ba4efe'],
  ['ffffffff ffffffff', 'ffffffff ffffffff', '1cb996fc bb002be7'],
  ['243f6a88 85a308d3', '13198a2e 03707344', 'c4923a9c 483df7a0'],
];
const words = (s: string): number[] => s.split(' ').map((h) => parseInt(h, 16));

describe('threefry2x32', () => {
  it.each(KAT)('Random123 KAT: ctr %s, key %s', (ctr, key, out) => {
    expect(hex(threefry2x32(words(key), words(ctr)))).toEqual(out.split(' '));
  });

  it('the Into variant writes at an offset', () => {
    const out = new Uint32Array(3);
    threefry2x32Into(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, out, 1);
    expect(hex(out)).toEqual(['00000000', 'c4923a9c', '483df7a0']);
  });

  it('rejects malformed input', () => {
    expect(() => threefry2x32([1], [0, 0])).toThrow('threefry2x32: expected key of 2 u32 integers. Received: key=[1]');
    expect(() => threefry2x32([0, 0], [-1, 0])).toThrow(/threefry2x32: expected counter/);
  });
});
