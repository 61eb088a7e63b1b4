/**
 * Dataset.fromGenerator and paddedBatch (tf.data's from_generator and padded_batch): sequences of token ids of
 * different lengths padded to the longest in each batch (or to paddedShapes) with paddingValues; structures of
 * components; dropRemainder; the generator called anew per iteration, so iterations are identical; unknown
 * cardinality (-2); resuming at a position; no leaked tensors; clear errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectNoLeaks } from '../../util/leaks.ts';
import { collect } from './helpers.ts';

const { Dataset } = dt.data;
const SEQS = [[5, 2], [7, 1, 9], [4], [3, 3, 3, 3], [8]];
const seqTensor = (s: number[]): dt.Tensor => dt.tensor(s, [s.length], 'int32');

beforeAll(async () => {
  await dt.setBackend('cpu');
});

describe('Dataset.fromGenerator', () => {
  it('yields the generator\'s elements; every iteration calls it again and gives the same elements', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () {
      calls++;
      for (const s of SEQS) yield seqTensor(s);
    });
    expect(ds.cardinality()).toBe(dt.data.UNKNOWN_CARDINALITY);
    const a = await collect(ds);
    const b = await collect(ds);
    expect(a).toEqual(SEQS);
    expect(b).toEqual(a);
    expect(calls).toBe(2);
    expect(await collect(ds.iterate(0, { start: 3 }))).toEqual(SEQS.slice(3));
    expect(await collect(ds.take(2).repeat(2))).toEqual([SEQS[0], SEQS[1], SEQS[0], SEQS[1]]);
  });

  it('async generators and structured elements', async () => {
    const ds = Dataset.fromGenerator(async function* () {
      for (const [i, s] of SEQS.entries()) yield [seqTensor(s), dt.scalar(i % 2, 'int32')] as [dt.Tensor, dt.Tensor];
    });
    expect((await collect(ds)).map((e) => (e as unknown[])[1])).toEqual([0, 1, 0, 1, 0]);
  });

  it('errors: a non-function, a non-iterable, an element that is not tensors', async () => {
    expect(() => Dataset.fromGenerator(5 as never)).toThrow(/^Dataset.fromGenerator: expected fn to be a function/);
    await expect(collect(Dataset.fromGenerator((() => 3) as never))).rejects.toThrow(/expected fn to return an iterable/);
    await expect(collect(Dataset.fromGenerator(function* () { yield [1, 2] as never; }))).rejects.toThrow(/^Dataset.fromGenerator: expected element\[0\] to be a Tensor/);
  });
});

describe('Dataset.paddedBatch', () => {
  const gen = (): dt.data.Dataset<dt.Tensor> => Dataset.fromGenerator(function* () {
    for (const s of SEQS) yield seqTensor(s);
  });

  it('pads each batch to its longest sequence with 0 (int32 kept)', async () => {
    const out: unknown[] = [];
    for await (const b of gen().paddedBatch(2)) {
      expect(b.dtype).toBe('int32');
      out.push(b.arraySync());
      b.dispose();
    }
    expect(out).toEqual([[[5, 2, 0], [7, 1, 9]], [[4, 0, 0, 0], [3, 3, 3, 3]], [[8]]]);
    expect(await collect(gen().paddedBatch(2, { dropRemainder: true }))).toHaveLength(2);
  });

  it('paddingValues, paddedShapes (null / -1: the longest), structures, fromTensorSlices', async () => {
    expect(await collect(gen().paddedBatch(3, { paddingValues: -1, paddedShapes: [4] }))).toEqual([
      [[5, 2, -1, -1], [7, 1, 9, -1], [4, -1, -1, -1]], [[3, 3, 3, 3], [8, -1, -1, -1]],
    ]);
    const pairs = Dataset.fromGenerator(function* () {
      for (const s of SEQS) yield { ids: seqTensor(s), x: dt.ones([s.length, 2]) };
    });
    expect(await collect(pairs.take(2).paddedBatch(2, { paddingValues: [0, 0.5], paddedShapes: [[-1], [null, 3]] }))).toEqual([
      { ids: [[5, 2, 0], [7, 1, 9]], x: [[[1, 1, 0.5], [1, 1, 0.5], [0.5, 0.5, 0.5]], [[1, 1, 0.5], [1, 1, 0.5], [1, 1, 0.5]]] },
    ]);
    const fixed = dt.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    expect(await collect(Dataset.fromTensorSlices(fixed).paddedBatch(2))).toEqual([[[1, 2], [3, 4]], [[5, 6]]]);
    expect(Dataset.fromTensorSlices(fixed).paddedBatch(2).cardinality()).toBe(2);
    fixed.dispose();
  });

  it('is deterministic across iterations, after shuffle too, and leaks nothing', async () => {
    const ds = gen().shuffle(5, { seed: 3 }).paddedBatch(2);
    const a = await collect(ds.iterate(4));
    expect(await collect(ds.iterate(4))).toEqual(a);
    expect((a as number[][][]).flat().map((r) => r.filter((v) => v !== 0)).sort()).toEqual([...SEQS].sort());
    await expectNoLeaks(async () => {
      for await (const b of gen().paddedBatch(2)) b.dispose();
      for await (const b of gen().paddedBatch(2)) {
        b.dispose();
        break;
      }
    });
  });

  it('errors', async () => {
    expect(() => gen().paddedBatch(0)).toThrow(/^Dataset.paddedBatch: expected batchSize to be a positive integer/);
    expect(() => gen().paddedBatch(2, { padValues: 1 } as never)).toThrow(/padValues/);
    expect(() => gen().paddedBatch(2, { paddingValues: 'x' as never })).toThrow(/^Dataset.paddedBatch: expected paddingValues/);
    expect(() => gen().paddedBatch(2, { paddedShapes: [1.5] })).toThrow(/^Dataset.paddedBatch: expected paddedShapes/);
    await expect(collect(gen().paddedBatch(2, { paddedShapes: [2] }))).rejects.toThrow(/expected component 0 to fit paddedShapes \[2\]. Received: an element of size 3 on axis 0/);
    await expect(collect(gen().paddedBatch(2, { paddedShapes: [2, 2] }))).rejects.toThrow(/expected paddedShapes for component 0 of rank 1/);
    const mixed = Dataset.fromGenerator(function* () {
      yield dt.zeros([2]);
      yield dt.zeros([2, 2]);
    });
    await expect(collect(mixed.paddedBatch(2))).rejects.toThrow(/expected component 0 of every element to have one rank and dtype/);
  });
});
