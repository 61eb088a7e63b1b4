/**
 * Issue 21, the last holes the fuzzers' report named: loadWeights({ matchBy: 'shape' }) was accepted and
 * silently matched by order; a gzip-compressed IDX file expanded without a bound (a small "gzip bomb" could exhaust
 * memory before the length check); pad and oneHot silently truncated or wrapped values an integer tensor cannot
 * hold. Now: an ArgumentError naming the value, a DataFormatError naming the file once the stream expands past
 * MAX_IDX_BYTES, and a DTypeError naming the op and the value.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { MAX_IDX_BYTES } from '../../src/data/idx.ts';

describe('input bounds', () => {
  it("loadWeights refuses a matchBy other than 'structure', 'name' or 'order' before reading anything", async () => {
    const m = new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(3)]);
    const before = await dt.utils.weightsDigest(m);
    const err = await m.loadWeights('/nonexistent/w.safetensors', { matchBy: 'shape' as never }).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(dt.ArgumentError);
    expect(err!.message).toBe(`loadWeights: expected matchBy to be 'structure', 'name' or 'order'. Received: matchBy="shape"`);
    expect(await dt.utils.weightsDigest(m)).toBe(before);
    m.dispose();
  });

  it('a gzip IDX file that expands beyond MAX_IDX_BYTES is refused, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ditto-gzip-bomb-'));
    // gzip members concatenate: 17 members of 64 MiB of zeros (about 65 KB each) expand to 1.06 GiB
    const member = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    const members = Math.ceil(MAX_IDX_BYTES / (64 << 20)) + 1;
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Buffer.concat(Array.from({ length: members }, () => member)));
    // a valid labels file (IDX1: magic 0x801, one label), so the images file is the one that fails
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
    const err = await dt.datasets.mnist.loadData({ path: dir }).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(dt.DataFormatError);
    expect(err!.message).toBe(`mnist.loadData: train-images-idx3-ubyte.gz: expected gzip data that expands to at most ${MAX_IDX_BYTES} bytes. Received: a stream that expands beyond that`);
  });

  it('pad and oneHot refuse values an integer result cannot hold (they were truncated or wrapped)', () => {
    const i32 = dt.tensor([1, 2], [2], 'int32');
    const u8 = dt.tensor([1, 2], [2], 'uint8');
    expect(() => dt.pad(i32, [[1, 1]], 1.5)).toThrow(/^pad: expected integers in \[-2147483648, 2147483647\] for dtype int32\. Received: 1\.5$/);
    expect(() => dt.pad(u8, [[1, 1]], 300)).toThrow(/^pad: expected integers in \[0, 255\] for dtype uint8\. Received: 300$/);
    expect(() => dt.oneHot(i32, 3, { onValue: 1.5, dtype: 'int32' })).toThrow(/^oneHot: expected integers in .* for dtype int32\. Received: 1\.5$/);
    expect(() => dt.oneHot(i32, 3, { offValue: 2 ** 31, dtype: 'int32' })).toThrow(dt.DTypeError);
    // what fits is unchanged
    expect(Array.from(dt.pad(i32, [[1, 0]], -7).dataSync())).toEqual([-7, 1, 2]);
    expect(Array.from(dt.oneHot(i32, 3, { onValue: 5, offValue: -2, dtype: 'int32' }).dataSync())).toEqual([-2, 5, -2, -2, -2, 5]);
    expect(Array.from(dt.oneHot(i32, 3, { onValue: 0.5 }).dataSync())).toEqual([0, 0.5, 0, 0, 0, 0.5]);
  });
});
