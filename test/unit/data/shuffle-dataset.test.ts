/**
 * Dataset.shuffle: each epoch's order is shuffleOrder(seed, epoch, n, bufferSize) (a permutation
 * when the buffer covers the dataset), unseeded shuffles take their seed from the global seed,
 * reshuffleEachIteration, repeat, and exact resume from (epoch, position) without replaying the
 * skipped elements' data work.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as adv from '../../../src/advanced.ts';
import { collect, rows } from './helpers.ts';

const { Dataset } = dt.data;
const { shuffleOrder } = adv;

beforeAll(async () => {
  await dt.setBackend('cpu');
});

const ids = (n: number) => Dataset.fromTensorSlices(dt.tensor(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32'));

describe('Dataset.shuffle order', () => {
  it('each epoch is the permutation shuffleOrder(seed, epoch, n, n); epochs differ', async () => {
    const ds = ids(100).shuffle(100, { seed: 42 });
    const seen = new Set<string>();
    for (let e = 0; e < 3; e++) {
      const order = (await collect(ds)) as number[];
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(order).toEqual(Array.from(shuffleOrder(42, e, 100, 100)));
      seen.add(order.join());
    }
    expect(seen.size).toBe(3);
  });

  it('a buffer smaller than the dataset follows the streaming buffer order', async () => {
    const order = await collect(ids(50).shuffle(8, { seed: 9 }).iterate(2));
    expect(order).toEqual(Array.from(shuffleOrder(9, 2, 50, 8)));
    // the generic (element-buffering) path gives the same order as the row-index path
    const viaMap = await collect(ids(50).map((v) => v.clone()).shuffle(8, { seed: 9 }).iterate(2));
    expect(viaMap).toEqual(order);
  });

  it('different seeds give different orders; the same seed the same order', async () => {
    const a = await collect(ids(64).shuffle(64, { seed: 1 }));
    expect(await collect(ids(64).shuffle(64, { seed: 1 }))).toEqual(a);
    expect(await collect(ids(64).shuffle(64, { seed: 2 }))).not.toEqual(a);
  });

  it('an unseeded shuffle draws its seed from the global seed at construction', async () => {
    dt.utils.setRandomSeed(812);
    const first = ids(64).shuffle(64);
    const second = ids(64).shuffle(64);
    const a = await collect(first);
    const b = await collect(second);
    expect(b).not.toEqual(a); // two shuffles draw two seeds
    dt.utils.setRandomSeed(812);
    expect(await collect(ids(64).shuffle(64))).toEqual(a);
    expect(await collect(ids(64).shuffle(64))).toEqual(b);
    dt.utils.setRandomSeed(813);
    expect(await collect(ids(64).shuffle(64))).not.toEqual(a);
  });

  it('reshuffleEachIteration: false repeats epoch 0', async () => {
    const ds = ids(30).shuffle(30, { seed: 4, reshuffleEachIteration: false });
    const a = await collect(ds);
    expect(await collect(ds)).toEqual(a);
    expect(a).toEqual(Array.from(shuffleOrder(4, 0, 30, 30)));
  });

  it('shuffle before repeat reshuffles every repetition (inner epoch = epoch * count + r)', async () => {
    const ds = ids(10).shuffle(10, { seed: 6 }).repeat(3);
    const got = (await collect(ds.iterate(1))) as number[];
    const want = [3, 4, 5].flatMap((inner) => Array.from(shuffleOrder(6, inner, 10, 10)));
    expect(got).toEqual(want);
  });

  it('rejects bad buffer sizes and seeds', () => {
    const ds = ids(3);
    expect(() => ds.shuffle(0)).toThrow(/^Dataset\.shuffle: expected bufferSize to be a positive integer\. Received: bufferSize=0/);
    expect(() => ds.shuffle(3, { seed: 0.5 })).toThrow(/^Dataset\.shuffle: expected seed to be a safe integer\. Received: seed=0\.5/);
  });
});

describe('resume from (epoch, position)', () => {
  it('iterate(epoch, { start }) continues exactly, without redoing the skipped map calls', async () => {
    const [x, y] = rows(100);
    let calls = 0;
    const ds = Dataset.fromTensorSlices([x, y]).shuffle(100, { seed: 11 }).batch(8)
      .map((a, b) => {
        calls++;
        return [a.mul(2), b];
      }, { numParallelCalls: 2 }).prefetch(1);
    const full = await collect(ds.iterate(3));
    const it = ds.iterate(3);
    for (let k = 0; k < 5; k++) dt.dispose((await it.next()).value as dt.Tensor[]);
    expect(it.position).toEqual({ epoch: 3, index: 5 });
    await it.return();
    calls = 0;
    const rest = await collect(ds.iterate(3, { start: 5 }));
    expect(rest).toEqual(full.slice(5));
    expect(calls).toBe(full.length - 5);
    dt.dispose([x, y]);
  });

  it('resumes through repeat, take and a small buffer; element-buffering stages replay', async () => {
    const base = ids(23);
    for (const ds of [
      base.shuffle(5, { seed: 1 }).repeat(3).batch(4),
      base.skip(2).shuffle(7, { seed: 2 }).take(15).repeat(2),
      base.map((v) => v.add(1)).shuffle(6, { seed: 3 }).batch(3),
      base.batch(2).repeat(2).map((v) => v.add(0), { numParallelCalls: 3 }),
    ]) {
      const full = await collect(ds.iterate(1));
      for (const start of [0, 1, 4, full.length - 1, full.length, full.length + 2]) {
        expect(await collect(ds.iterate(1, { start })), `start ${start}`).toEqual(full.slice(start));
      }
    }
  });
});
