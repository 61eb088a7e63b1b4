/**
 * copyStrided (src/kernels/cpu/fill-cast.ts), the CPU's slice, transpose and broadcastTo: for
 * drawn shapes, source strides (a slice of a larger array, a permutation, broadcast axes, any
 * strides) and offsets, every output word equals the word a plain index walk reads, for each
 * dtype; float32 words are copied as bits (NaN payloads, signalling NaNs included), as WebGPU's
 * word copies do. The shapes mix axes of size 0 and 1 (dropped or empty), long runs (TypedArray.set)
 * and short ones (the element loop).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyStrided } from '../../../src/kernels/cpu/fill-cast.ts';
import type { TypedArray } from '../../../src/core/dtype.ts';

type Layout = 'slice' | 'transpose' | 'broadcast' | 'any';

/** Words that a float conversion would change or that kernels trip on: signalling and quiet NaNs with payloads, -0, Inf. */
const SPECIAL = [0x7f800001, 0xffa00123, 0x7fc00000, 0xffc12345, 0x80000000, 0x7f800000, 0xff800000, 0x00000001];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function make(dtype: 'float32' | 'int32' | 'uint8', n: number): TypedArray {
  return dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
}

/** The array's words (float32 as bits). */
const words = (a: TypedArray): number[] => Array.from(a instanceof Float32Array ? new Int32Array(a.buffer, a.byteOffset, a.length) : a);

/** Row-major strides of `shape`. */
function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** Source length, strides and offset of a drawn layout for an output of `shape`. */
function layoutOf(layout: Layout, shape: number[], extra: number[], perm: number[], zeroAxes: boolean[], anyStrides: number[]) {
  const rank = shape.length;
  if (layout === 'slice') {
    const full = shape.map((d, i) => d + extra[i]);
    const st = rowMajor(full);
    const offset = extra.slice(0, rank).reduce((acc, e, i) => acc + Math.floor(e / 2) * st[i], 0);
    return { length: full.reduce((a, b) => a * b, 1), strides: st, offset };
  }
  if (layout === 'transpose') {
    // the source has the output's axes in the order perm: output axis i is source axis perm^-1
    const order = perm.slice(0, rank).map((p, i) => [p, i]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const srcShape = order.map((i) => shape[i]);
    const srcStrides = rowMajor(srcShape);
    const st = new Array<number>(rank);
    order.forEach((outAxis, srcAxis) => (st[outAxis] = srcStrides[srcAxis]));
    return { length: srcShape.reduce((a, b) => a * b, 1), strides: st, offset: 0 };
  }
  if (layout === 'broadcast') {
    const srcShape = shape.map((d, i) => (zeroAxes[i] ? 1 : d));
    const rs = rowMajor(srcShape);
    return { length: srcShape.reduce((a, b) => a * b, 1), strides: rs.map((s, i) => (zeroAxes[i] ? 0 : s)), offset: 0 };
  }
  const st = anyStrides.slice(0, rank);
  const offset = 3;
  const last = shape.reduce((acc, d, i) => acc + (d > 0 ? (d - 1) * st[i] : 0), offset);
  return { length: last + 1, strides: st, offset };
}

const dimArb = fc.oneof(fc.constantFrom(0, 1, 1, 2, 3), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 15, max: 40 }));

describe('copyStrided', () => {
  it('copies the word at each strided source index, for every layout and dtype', () => {
    fc.assert(
      fc.property(
        fc.array(dimArb, { minLength: 0, maxLength: 5 }),
        fc.constantFrom<Layout>('slice', 'transpose', 'broadcast', 'any'),
        fc.constantFrom<'float32' | 'int32' | 'uint8'>('float32', 'int32', 'uint8'),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        (shape, layout, dtype, extra, perm, zeroAxes, anyStrides, seed) => {
          const total = shape.reduce((a, b) => a * b, 1);
          if (total > 20000) return;
          const { length, strides, offset } = layoutOf(layout, shape, extra, perm, zeroAxes, anyStrides);
          const src = make(dtype, length);
          const sw = src instanceof Float32Array ? new Int32Array(src.buffer) : src;
          const next = lcg(seed);
          for (let i = 0; i < length; i++) sw[i] = next() % 5 === 0 ? SPECIAL[next() % SPECIAL.length] : next();
          const dst = make(dtype, total);
          const dw = dst instanceof Float32Array ? new Int32Array(dst.buffer) : dst;
          dw.fill(0x5a5a5a5a);
          copyStrided(src, strides, dst, shape, offset);
          // the reference: a plain walk over output indices, reading words
          const want: number[] = [];
          const srcWords = words(src);
          for (let i = 0; i < total; i++) {
            let rest = i;
            let p = offset;
            for (let ax = shape.length - 1; ax >= 0; ax--) {
              p += (rest % shape[ax]) * strides[ax];
              rest = Math.floor(rest / shape[ax]);
            }
            want.push(srcWords[p]);
          }
          expect(words(dst)).toEqual(want);
        },
      ),
      { numRuns: 400, seed: 20261207 },
    );
  });

  it('keeps a signalling NaN payload in short and long runs and in broadcasts', () => {
    const bits = new Int32Array([0x7f800001, 0xffa00123 | 0]);
    const src = new Float32Array(bits.buffer);
    for (const n of [1, 3, 16, 40]) {
      const dst = new Float32Array(2 * n);
      copyStrided(src, [1, 0], dst, [2, n]);
      const got = new Int32Array(dst.buffer);
      for (let i = 0; i < 2 * n; i++) expect(got[i]).toBe(bits[i < n ? 0 : 1]);
    }
    const whole = new Float32Array(2);
    copyStrided(src, [1], whole, [2]);
    expect(Array.from(new Int32Array(whole.buffer))).toEqual(Array.from(bits));
  });
});
