/**
 * safetensors (formats.md §5.4): the exact canonical byte layout, round trips, and every malformed
 * file rejected with a DataFormatError; saveWeights/loadWeights on a model (byte-identical files from
 * the same weights, name matching, matchBy 'order', shape mismatch, truncated/corrupt/missing files,
 * nothing assigned on failure, no temp files left) and weight digests.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { cleanupTemporaries, decodeSafetensors, encodeSafetensors } from '../../../src/nn/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { smallCnn } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-safetensors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetNames());

const u64 = (b: Uint8Array, at = 0) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(at, true));

/** A file from a header object and a data buffer (for crafting bad files). */
function craft(header: unknown, data: Uint8Array | number[] = [], raw?: string): Uint8Array {
  const json = Buffer.from(raw ?? JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return out;
}

describe('safetensors encoding', () => {
  it('writes the canonical layout: u64 LE header size, JSON padded with spaces to 8, sorted names, contiguous offsets', () => {
    const bytes = encodeSafetensors({
      b: { dtype: 'F32', shape: [2], data: Float32Array.from([1.5, -2]) },
      a: { dtype: 'I32', shape: [1, 2], data: Int32Array.from([7, -1]) },
      c: { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 255]) },
    }, { format: 'x' });
    const json = '{"__metadata__":{"format":"x"},"a":{"dtype":"I32","shape":[1,2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"c":{"dtype":"U8","shape":[3],"data_offsets":[16,19]}}';
    const n = u64(bytes);
    expect(n % 8).toBe(0);
    expect(n).toBe(json.length + ((8 - (json.length % 8)) % 8));
    expect(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8')).toBe(json.padEnd(n, ' '));
    expect(Array.from(bytes.subarray(8 + n))).toEqual([7, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0, 1, 2, 255]);
    expect(bytes.length).toBe(8 + n + 19);
  });

  it('round-trips values, empty tensors and scalars; the same tensors give the same bytes', () => {
    const tensors = {
      'w/kernel': { dtype: 'F32' as const, shape: [2, 2], data: Float32Array.from([0.1, NaN, -0, Infinity]) },
      empty: { dtype: 'F32' as const, shape: [0, 3], data: new Float32Array(0) },
      scalar: { dtype: 'I32' as const, shape: [], data: Int32Array.from([42]) },
    };
    const a = encodeSafetensors(tensors, { k: 'v' });
    const b = encodeSafetensors({ scalar: tensors.scalar, empty: tensors.empty, 'w/kernel': tensors['w/kernel'] }, { k: 'v' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const { tensors: back, metadata } = decodeSafetensors(a);
    expect(metadata).toEqual({ k: 'v' });
    expect(back['w/kernel'].shape).toEqual([2, 2]);
    expect(Buffer.from((back['w/kernel'].data as Float32Array).buffer).equals(Buffer.from(tensors['w/kernel'].data.buffer))).toBe(true);
    expect(back.empty).toEqual({ dtype: 'F32', shape: [0, 3], data: new Float32Array(0) });
    expect(Array.from(back.scalar.data)).toEqual([42]);
    expect(back.scalar.shape).toEqual([]);
  });

  it('decodes from a Node Buffer (a view into a larger pool) and at unaligned offsets', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'U8', shape: [3], data: Uint8Array.from([9, 8, 7]) },
      b: { dtype: 'F32', shape: [2], data: Float32Array.from([0.25, -3]) },
    });
    const pooled = Buffer.from(bytes); // small Buffers share Node's 8 KiB pool
    const { tensors } = decodeSafetensors(pooled);
    expect(Array.from(tensors.a.data)).toEqual([9, 8, 7]);
    expect(Array.from(tensors.b.data)).toEqual([0.25, -3]);
    expect(tensors.b.data.length).toBe(2);
  });

  it('rejects wrong element counts and non-string metadata when writing', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(dt.DataFormatError);
    expect(() => encodeSafetensors({}, { a: 1 as unknown as string })).toThrow(/^encodeSafetensors: expected string metadata values/);
  });
});

describe('safetensors decoding rejects malformed files with DataFormatError', () => {
  const good = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const eight = new Array(8).fill(0);
  const cases: [string, Uint8Array, RegExp][] = [
    ['fewer than 8 bytes', Uint8Array.from([1, 0, 0]), /expected at least 8 bytes. Received: 3 bytes/],
    ['a header size beyond the file', (() => { const b = craft(good, eight); b[0] = 0xff; b[1] = 0xff; return b; })(), /expected a header length <= /],
    ['a header not starting with {', craft(null, eight, ' {"a":1}'), /expected the JSON header to start with '\{'/],
    ['invalid JSON', craft(null, eight, '{"a": '), /expected a JSON header. Received: invalid JSON/],
    ['an unknown dtype', craft({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /tensor 'a': expected dtype F32, I32 or U8. Received: "F16"/],
    ['a bad shape', craft({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, eight), /tensor 'a': expected a shape of non-negative integers/],
    ['bad offsets', craft({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, eight), /tensor 'a': expected data_offsets \[begin, end\]/],
    ['offsets that disagree with the shape', craft({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eight), /tensor 'a': expected 12 bytes for F32\[3\]/],
    ['a hole', craft({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), /tensor 'a': expected data to start at byte 0 \(no holes or overlaps\)/],
    ['overlapping tensors', craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), /expected data to start at byte 8/],
    ['a truncated buffer', craft(good, [0, 0, 0, 0, 0]), /expected 8 bytes of tensor data. Received: 5 bytes \(truncated or padded file\?\)/],
    ['trailing bytes', craft(good, new Array(9).fill(0)), /expected 8 bytes of tensor data. Received: 9 bytes/],
    ['non-string metadata', craft({ __metadata__: { n: 1 }, ...good }, eight), /expected string metadata values. Received: n=1/],
    ['a tensor entry that is not an object', craft({ a: null }, []), /tensor 'a': expected an object/],
  ];
  for (const [what, bytes, re] of cases) {
    it(what, () => {
      let caught: unknown;
      try {
        decodeSafetensors(bytes, 'bad.safetensors');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(dt.DataFormatError);
      expect((caught as Error).message).toMatch(/^loadSafetensors: bad.safetensors: /);
      expect((caught as Error).message).toMatch(re);
    });
  }
});

describe('saveWeights / loadWeights', () => {
  async function trainedCnn(seed: number): Promise<dt.Sequential> {
    const m = smallCnn({ seed });
    // move the weights off their initial values so that biases are not all zero
    const x = dt.tensor(Float32Array.from({ length: 8 * 64 }, (_, i) => Math.sin(i * seed)), [8, 8, 8, 1]);
    const y = dt.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3), [8], 'int32');
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await m.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(4), { verbose: 0 });
    dt.dispose([x, y]);
    return m;
  }

  it('a file written twice from the same weights is byte-identical; loading restores the same bits', async () => {
    const a = await trainedCnn(1);
    const p1 = join(dir, 'a.safetensors');
    const p2 = join(dir, 'b.safetensors');
    await a.saveWeights(p1);
    await a.saveWeights(p2);
    const bytes = readFileSync(p1);
    expect(bytes.equals(readFileSync(p2))).toBe(true);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['conv2d/bias', 'conv2d/kernel', 'dense/bias', 'dense/kernel']);
    expect(metadata).toEqual({
      format: 'ditto',
      order: JSON.stringify(['conv2d/kernel', 'conv2d/bias', 'dense/kernel', 'dense/bias']),
      structure: JSON.stringify(['layers/conv2d/vars/0', 'layers/conv2d/vars/1', 'layers/dense/vars/0', 'layers/dense/vars/1']),
    });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    resetNames();
    const b = smallCnn({ seed: 2 });
    expect(await b.weightsDigest()).not.toBe(await a.weightsDigest());
    await b.loadWeights(p1);
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    expect(await dt.utils.weightsDigest(b)).toBe(await a.weightsDigest());
    // and b writes the very same bytes
    await b.saveWeights(p2);
    expect(readFileSync(p2).equals(bytes)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it("by structure (default) or order any names load; with matchBy: 'name' names must match; shapes must always match; nothing is assigned on failure", async () => {
    const a = await trainedCnn(3);
    const p = join(dir, 'names.safetensors');
    await a.saveWeights(p);
    const renamed = smallCnn({ seed: 4 }); // conv2d_1, dense_1 (the counters were not reset)
    const before = await renamed.weightsDigest();
    await expect(renamed.loadWeights(p, { matchBy: 'name' })).rejects.toThrow(dt.DataFormatError);
    await expect(renamed.loadWeights(p, { matchBy: 'name' })).rejects.toThrow(/weight names do not match the model 'sequential_1'. Missing in file: \[conv2d_1\/kernel, conv2d_1\/bias, dense_1\/kernel, dense_1\/bias\]; not in model: \[conv2d\/bias, conv2d\/kernel, dense\/bias, dense\/kernel\] \(use \{ matchBy: 'order' \}/);
    expect(await renamed.weightsDigest()).toBe(before);
    await renamed.loadWeights(p, { matchBy: 'order' });
    expect(await renamed.weightsDigest()).toBe(await a.weightsDigest());
    const fresh = smallCnn({ seed: 7 });
    await fresh.loadWeights(p); // by structure keys: a fresh build loads whatever its auto-names
    expect(await fresh.weightsDigest()).toBe(await a.weightsDigest());
    fresh.dispose();

    resetNames();
    const wider = smallCnn({ seed: 5, classes: 4 });
    const wBefore = await wider.weightsDigest();
    await expect(wider.loadWeights(p)).rejects.toThrow(/^loadWeights: .*names.safetensors: expected 'dense\/kernel' of shape \[4, 4\] float32. Received: F32\[4, 3\]/);
    await expect(wider.loadWeights(p, { matchBy: 'order' })).rejects.toThrow(dt.DataFormatError);
    expect(await wider.weightsDigest()).toBe(wBefore);
    const fewer = new dt.Sequential([new dt.layers.Dense(2, { inputShape: [3] })]);
    await expect(fewer.loadWeights(p, { matchBy: 'order' })).rejects.toThrow(/expected 2 weights. Received: 4/);
    // a damaged order list in the metadata
    const { tensors } = decodeSafetensors(readFileSync(p));
    for (const order of ['not json', '["conv2d/kernel","nope","dense/kernel","dense/bias"]', '{"a":1}']) {
      const q = join(dir, 'order.safetensors');
      writeFileSync(q, encodeSafetensors(tensors, { order }));
      await expect(renamed.loadWeights(q, { matchBy: 'order' }), order).rejects.toThrow(/expected __metadata__.order to be a JSON list of the file's tensor names/);
    }
    for (const m of [a, renamed, wider, fewer]) m.dispose();
  });

  it('truncated, corrupt and missing files are DataFormatErrors and leave the weights alone', async () => {
    const a = await trainedCnn(6);
    const p = join(dir, 'full.safetensors');
    await a.saveWeights(p);
    const bytes = readFileSync(p);
    const digest = await a.weightsDigest();
    const variants: [string, Buffer][] = [
      ['truncated.safetensors', bytes.subarray(0, bytes.length - 5)],
      ['header-only.safetensors', bytes.subarray(0, 8 + u64(bytes))],
      ['corrupt.safetensors', (() => { const c = Buffer.from(bytes); c[9] = 0x5d; return c; })()],
      ['empty.safetensors', Buffer.alloc(0)],
    ];
    for (const [name, b] of variants) {
      const q = join(dir, name);
      writeFileSync(q, b);
      await expect(a.loadWeights(q), name).rejects.toThrow(dt.DataFormatError);
    }
    await expect(a.loadWeights(join(dir, 'nope.safetensors'))).rejects.toThrow(/^loadWeights: cannot read .*nope.safetensors/);
    expect(await a.weightsDigest()).toBe(digest);
    a.dispose();
  });

  it('an unbuilt model cannot save or load; cleanupTemporaries removes interrupted writes', async () => {
    const m = new dt.Sequential([new dt.layers.Dense(2)]);
    await expect(m.saveWeights(join(dir, 'x.safetensors'))).rejects.toThrow(/^saveWeights: the model 'sequential' is not built yet/);
    await expect(m.loadWeights(join(dir, 'x.safetensors'))).rejects.toThrow(/^loadWeights: the model 'sequential' is not built yet/);
    const sub = mkdtempSync(join(dir, 'tmp-'));
    writeFileSync(join(sub, '.w.safetensors.tmp-ditto-123'), 'partial');
    writeFileSync(join(sub, 'w.safetensors'), 'kept');
    expect(cleanupTemporaries(sub)).toEqual(['.w.safetensors.tmp-ditto-123']);
    expect(readdirSync(sub)).toEqual(['w.safetensors']);
  });

  it('weight digests change with a single bit and follow the weight order', async () => {
    const m = smallCnn({ seed: 7 });
    const d0 = await dt.utils.weightsDigest(m);
    expect(d0).toMatch(/^[0-9a-f]{64}$/);
    const k = m.layers[0].weights[0];
    const v = Float32Array.from((await k.data()) as Float32Array);
    const u = new Uint32Array(v.buffer);
    u[0] ^= 1;
    const t = dt.tensor(v, [...k.shape]);
    k.assign(t);
    t.dispose();
    expect(await dt.utils.weightsDigest(m)).not.toBe(d0);
    u[0] ^= 1;
    const t2 = dt.tensor(v, [...k.shape]);
    k.assign(t2);
    t2.dispose();
    expect(await dt.utils.weightsDigest(m)).toBe(d0);
    expect(await dt.utils.weightsDigest({ weights: [...m.weights].reverse() })).not.toBe(d0);
    m.dispose();
  });
});
