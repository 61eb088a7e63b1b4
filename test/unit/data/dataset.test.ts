/**
 * Dataset basics: fromTensorSlices over a tensor / array / object, batch (row gathers and element
 * stacking agree), take, skip, repeat, cache, cardinality, iteration epochs, and argument errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectNoLeaks } from '../../util/leaks.ts';
import { collect, rows } from './helpers.ts';

const { Dataset } = dt.data;

beforeAll(async () => {
  await dt.setBackend('cpu');
});

describe('Dataset.fromTensorSlices', () => {
  it('slices a tensor, an array and an object of tensors along axis 0', async () => {
    const [x, y] = rows(3);
    expect(await collect(Dataset.fromTensorSlices(y))).toEqual([0, 1, 2]);
    expect(await collect(Dataset.fromTensorSlices([x, y]))).toEqual([[[0, 1000], 0], [[1, 1001], 1], [[2, 1002], 2]]);
    expect(await collect(Dataset.fromTensorSlices({ image: x, label: y }))).toEqual([
      { image: [0, 1000], label: 0 }, { image: [1, 1001], label: 1 }, { image: [2, 1002], label: 2 },
    ]);
    const ds = Dataset.fromTensorSlices([x, y]);
    for await (const [a, b] of ds) {
      expect(a.shape).toEqual([2]);
      expect(a.dtype).toBe('float32');
      expect(b.shape).toEqual([]);
      expect(b.dtype).toBe('int32');
      dt.dispose([a, b]);
    }
    expect(ds.cardinality()).toBe(3);
    dt.dispose([x, y]);
  });

  it('rejects mismatched rows, scalars, non-tensors and disposed tensors', () => {
    const [x, y] = rows(3);
    const z = dt.zeros([4]);
    const s = dt.scalar(1);
    expect(() => Dataset.fromTensorSlices([x, z])).toThrow(/^Dataset\.fromTensorSlices: expected every tensor to have the same first dimension\. Received: shapes \[3, 2\] and \[4\]/);
    expect(() => Dataset.fromTensorSlices(s)).toThrow(/^Dataset\.fromTensorSlices: expected tensors of rank >= 1.*Received: a tensor of shape \[\]/);
    expect(() => Dataset.fromTensorSlices([x, [1, 2]] as never)).toThrow(/^Dataset\.fromTensorSlices: expected tensors\[1\]\[0\] to be a Tensor.*Received: number 1/);
    expect(() => Dataset.fromTensorSlices([])).toThrow(/expected at least one tensor/);
    z.dispose();
    expect(() => Dataset.fromTensorSlices(z)).toThrow(dt.DisposedTensorError);
    dt.dispose([x, y, s]);
  });
});

describe('batch', () => {
  it('batches rows with and without the remainder', async () => {
    const [x, y] = rows(5);
    const ds = Dataset.fromTensorSlices([x, y]);
    expect(await collect(ds.batch(2))).toEqual([
      [[[0, 1000], [1, 1001]], [0, 1]], [[[2, 1002], [3, 1003]], [2, 3]], [[[4, 1004]], [4]],
    ]);
    expect(await collect(ds.batch(2, { dropRemainder: true }).map((a: dt.Tensor) => a.shape as unknown as dt.Tensor))).toEqual([[2, 2], [2, 2]]);
    expect(ds.batch(2).cardinality()).toBe(3);
    expect(ds.batch(2, { dropRemainder: true }).cardinality()).toBe(2);
    dt.dispose([x, y]);
  });

  it('stacking mapped elements gives the same batches as gathering rows', async () => {
    const [x, y] = rows(7);
    const ds = Dataset.fromTensorSlices({ x, y });
    const direct = await collect(ds.shuffle(7, { seed: 3 }).batch(3));
    const stacked = await collect(ds.shuffle(7, { seed: 3 }).map((e) => ({ x: e.x.clone(), y: e.y.clone() })).batch(3));
    expect(stacked).toEqual(direct);
    const [x8, y8] = rows(8);
    const twice = await collect(Dataset.fromTensorSlices(y8).batch(2).batch(2));
    expect(twice).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    dt.dispose([x8, y8]);
    dt.dispose([x, y]);
  });

  it('rejects elements of unequal shapes with the stage name', async () => {
    const [x, y] = rows(3);
    await expectNoLeaks(async () => {
      const ds = Dataset.fromTensorSlices(y).batch(2).batch(2);
      await expect(collect(ds)).rejects.toThrow(/^Dataset\.batch: expected elements of equal shapes and dtypes to batch\. Received: component 0 of element 0 is \[2\] int32, of element 1 is \[1\] int32/);
    });
    dt.dispose([x, y]);
  });

  it('rejects bad batch sizes', () => {
    const [x, y] = rows(3);
    const ds = Dataset.fromTensorSlices(x);
    expect(() => ds.batch(0)).toThrow(/^Dataset\.batch: expected batchSize to be a positive integer\. Received: batchSize=0/);
    expect(() => ds.batch(1.5)).toThrow(dt.ArgumentError);
    dt.dispose([x, y]);
  });
});

describe('take, skip, repeat, cache', () => {
  it('take and skip, on rows and on mapped elements', async () => {
    const [x, y] = rows(6);
    const ds = Dataset.fromTensorSlices(y);
    expect(await collect(ds.take(2))).toEqual([0, 1]);
    expect(await collect(ds.skip(4))).toEqual([4, 5]);
    expect(await collect(ds.skip(2).take(3))).toEqual([2, 3, 4]);
    expect(await collect(ds.take(-1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await collect(ds.skip(-1))).toEqual([]);
    const m = ds.map((v) => v.add(10));
    expect(await collect(m.skip(2).take(3))).toEqual([12, 13, 14]);
    expect(m.skip(2).take(3).cardinality()).toBe(3);
    expect(ds.skip(10).cardinality()).toBe(0);
    expect(() => ds.take(1.5)).toThrow(/^Dataset\.take: expected count to be a non-negative integer or -1\. Received: count=1\.5/);
    dt.dispose([x, y]);
  });

  it('repeat concatenates iterations; batches span them; infinite repeat with take', async () => {
    const [x, y] = rows(3);
    const ds = Dataset.fromTensorSlices(y);
    expect(await collect(ds.repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await collect(ds.repeat(2).batch(4))).toEqual([[0, 1, 2, 0], [1, 2]]);
    expect(await collect(ds.repeat().take(7))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await collect(ds.map((v) => v.mul(2)).repeat(2))).toEqual([0, 2, 4, 0, 2, 4]);
    expect(ds.repeat().cardinality()).toBe(dt.data.INFINITE_CARDINALITY);
    expect(ds.repeat(3).cardinality()).toBe(9);
    expect(await collect(ds.take(0).repeat())).toEqual([]);
    dt.dispose([x, y]);
  });

  it('cache replays the first complete iteration as copies until dispose()', async () => {
    const [x, y] = rows(4);
    let calls = 0;
    const before = dt.memory().numTensors;
    const ds = Dataset.fromTensorSlices(y).map((v) => {
      calls++;
      return v.add(1);
    }).cache();
    const partial = ds.iterate(0);
    (await partial.next()).value?.dispose();
    await partial.return();
    expect(dt.memory().numTensors).toBe(before); // a partial iteration leaves no record
    expect(await collect(ds)).toEqual([1, 2, 3, 4]);
    expect(await collect(ds)).toEqual([1, 2, 3, 4]);
    expect(calls).toBe(1 + 4);
    expect(dt.memory().numTensors).toBe(before + 4);
    ds.dispose();
    expect(dt.memory().numTensors).toBe(before);
    dt.dispose([x, y]);
  });
});

describe('iteration', () => {
  it('for await counts epochs per Dataset object; iterate(epoch) is explicit', async () => {
    const [x, y] = rows(20);
    const ds = Dataset.fromTensorSlices(y).shuffle(20, { seed: 5 });
    const e0 = await collect(ds);
    const e1 = await collect(ds);
    expect(e1).not.toEqual(e0);
    expect(await collect(ds.iterate(0))).toEqual(e0);
    expect(await collect(ds.iterate(1))).toEqual(e1);
    expect(() => ds.iterate(-1)).toThrow(/^Dataset\.iterate: expected epoch to be a non-negative integer\. Received: epoch=-1/);
    dt.dispose([x, y]);
  });

  it('leaves no tensors behind after complete and interrupted iterations', async () => {
    const [x, y] = rows(50);
    await expectNoLeaks(async () => {
      const ds = Dataset.fromTensorSlices([x, y]).shuffle(10, { seed: 1 }).batch(4)
        .map((a, b) => [dt.tidy(() => a.mul(2).add(1)), b], { numParallelCalls: 3 }).prefetch(2);
      await collect(ds);
      for await (const [a, b] of ds) {
        dt.dispose([a, b]);
        break;
      }
      const gen = ds.map((a, b) => [a, b]).shuffle(5, { seed: 2 }).repeat(2).take(7);
      await collect(gen);
      for await (const el of gen) {
        dt.dispose(el);
        break;
      }
    });
    dt.dispose([x, y]);
  });
});
