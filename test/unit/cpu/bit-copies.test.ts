/**
 * The CPU's data-movement ops copy bits: slice, transpose, pad, concat, gather and broadcastTo
 * keep every float32 word, signalling NaNs and NaN payloads included (as WebGPU's word copies do;
 * a copy through a JavaScript number quiets a signalling NaN), in long runs (TypedArray.set) and
 * short ones (the element loop); tensor() keeps a typed array's words and copies them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

/** Words that a float round trip would change (signalling NaNs) or that carry a payload. */
const NAN_WORDS = [0x7f800001, 0xffa00123 | 0, 0x7fc12345, 0xff800abc | 0];

/** n float32 with the NaN words spread among ordinary values; returned with their words. */
function nanFloats(n: number): { values: Float32Array; words: Int32Array } {
  const values = new Float32Array(n);
  const words = new Int32Array(values.buffer);
  for (let i = 0; i < n; i++) words[i] = i % 3 === 0 ? NAN_WORDS[(i / 3) % NAN_WORDS.length] : 0x3f800000 + i;
  return { values, words };
}

const wordsOf = async (t: dt.Tensor): Promise<number[]> => {
  const d = (await t.data()) as Float32Array;
  t.dispose();
  return Array.from(new Int32Array(d.buffer, d.byteOffset, d.length));
};

describe('CPU data movement copies bits', () => {
  beforeAll(async () => {
    await dt.setBackend('cpu');
  });

  it('tensor() keeps a typed array\'s words and does not alias it (Float32Array, Int32Array, a Buffer)', async () => {
    const words = new Int32Array([0x7f800001, 0xffa00123 | 0, 0x3f800000]);
    const f = new Float32Array(words.buffer.slice(0));
    const t = dt.tensor(f, [3]);
    f[0] = 5;
    expect(await wordsOf(t)).toEqual(Array.from(words));
    const i = new Int32Array([1, -2, 3]);
    const ti = dt.tensor(i, [3], 'int32');
    i[1] = 7;
    expect(Array.from(await ti.data())).toEqual([1, -2, 3]);
    const b = Buffer.from([1, 2, 3]);
    const tb = dt.tensor(b, [3], 'uint8');
    b[0] = 99;
    expect(Array.from(await tb.data())).toEqual([1, 2, 3]);
    dt.dispose([ti, tb]);
  });

  for (const inner of [1, 5, 40]) {
    it(`keeps NaN payloads with rows of ${inner}`, async () => {
      const { values, words } = nanFloats(6 * inner);
      const x = dt.tensor(values, [6, inner]);
      const at = (r: number, c: number) => words[r * inner + c];
      const rows = (rs: number[]) => rs.flatMap((r) => Array.from({ length: inner }, (_, c) => at(r, c)));
      expect(await wordsOf(dt.slice(x, [2, 0], [3, inner]))).toEqual(rows([2, 3, 4]));
      expect(await wordsOf(dt.gather(x, [5, 0, 3]))).toEqual(rows([5, 0, 3]));
      expect(await wordsOf(dt.concat([x, x], 0))).toEqual([...words, ...words]);
      expect(await wordsOf(dt.concat([x, x], 1))).toEqual([0, 1, 2, 3, 4, 5].flatMap((r) => [...rows([r]), ...rows([r])]));
      expect(await wordsOf(dt.transpose(x))).toEqual(Array.from({ length: inner }, (_, c) => [0, 1, 2, 3, 4, 5].map((r) => at(r, c))).flat());
      const padded = await wordsOf(dt.pad(x, [[1, 0], [0, 0]]));
      expect(padded.slice(inner)).toEqual(Array.from(words));
      expect(await wordsOf(dt.broadcastTo(dt.slice(x, [0, 0], [1, inner]), [3, inner]))).toEqual(rows([0, 0, 0]));
      x.dispose();
    });
  }
});
