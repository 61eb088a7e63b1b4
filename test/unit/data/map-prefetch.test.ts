/**
 * map and prefetch: results in input order whatever numParallelCalls, prefetch depth or timing;
 * calls really overlap when fn is async; prefetch prepares elements while the consumer waits;
 * errors arrive in order and leak nothing; memory stays bounded when map converts per batch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as adv from '../../../src/advanced.ts';
import { expectNoLeaks } from '../../util/leaks.ts';
import { collect, rows, sleep } from './helpers.ts';

const { Dataset, AUTOTUNE } = dt.data;

beforeAll(async () => {
  await dt.setBackend('cpu');
});

describe('order independence', () => {
  it('the same bytes for every numParallelCalls / prefetch depth, sync or async fn with varied delays', async () => {
    const [x, y] = rows(40);
    const base = Dataset.fromTensorSlices([x, y]).shuffle(40, { seed: 21 }).batch(6);
    const syncFn = (a: dt.Tensor, b: dt.Tensor) => [a.mul(3).add(b.cast('float32').expandDims(1)), b];
    const asyncFn = async (a: dt.Tensor, b: dt.Tensor) => {
      const delay = (b.dataSync()[0] * 7) % 5; // later elements often finish first
      await sleep(delay);
      const out = dt.tidy(() => syncFn(a, b)[0]);
      return [out, b];
    };
    const configs: [number | undefined, number][] = [[undefined, 0], [1, 0], [3, 1], [AUTOTUNE, AUTOTUNE], [16, 8]];
    let reference: unknown[] | undefined;
    for (const fn of [syncFn, asyncFn]) {
      for (const [parallel, depth] of configs) {
        const ds = base.map(fn, parallel === undefined ? {} : { numParallelCalls: parallel }).prefetch(depth);
        const epochs = [await collect(ds.iterate(0)), await collect(ds.iterate(1))];
        reference ??= epochs;
        expect(epochs, `${fn === syncFn ? 'sync' : 'async'} numParallelCalls=${parallel} prefetch=${depth}`).toEqual(reference);
      }
    }
    dt.dispose([x, y]);
  }, 30_000);

  it('async calls overlap up to numParallelCalls; without it, one at a time', async () => {
    const [x, y] = rows(24);
    for (const [parallel, limit] of [[undefined, 1], [4, 4]] as const) {
      let active = 0;
      let peak = 0;
      const ds = Dataset.fromTensorSlices(y).map(async (v) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(5);
        active--;
        return v;
      }, parallel === undefined ? {} : { numParallelCalls: parallel });
      const it = ds.iterate(0);
      for (let r = await it.next(); !r.done; r = await it.next()) {
        r.value.dispose();
        await sleep(15); // the consumer is busy: work ahead may proceed meanwhile
      }
      expect(peak).toBeLessThanOrEqual(limit);
      if (limit > 1) expect(peak).toBeGreaterThan(1);
    }
    dt.dispose([x, y]);
  });

  it('object elements are passed as one argument; arrays are spread', async () => {
    const [x, y] = rows(2);
    expect(await collect(Dataset.fromTensorSlices({ x, y }).map((e) => e.y.add(1)))).toEqual([1, 2]);
    expect(await collect(Dataset.fromTensorSlices([x, y]).map((a, b) => [b, a]))).toEqual([[0, [0, 1000]], [1, [1, 1001]]]);
    dt.dispose([x, y]);
  });
});

describe('prefetch overlaps the consumer', () => {
  it('prepares the next elements while the consumer waits, and none without prefetch', async () => {
    const [x, y] = rows(32);
    for (const depth of [0, 2, 5]) {
      let calls = 0;
      const ds = Dataset.fromTensorSlices([x, y]).batch(4).map((a, b) => {
        calls++;
        return [a.div(255), b];
      }).prefetch(depth);
      const it = ds.iterate(0);
      dt.dispose((await it.next()).value as dt.Tensor[]);
      expect(calls).toBe(1); // the consumer's element first, nothing ahead of it
      await sleep(30); // the consumer's step (e.g. waiting on the device)
      expect(calls, `prefetch(${depth})`).toBe(1 + depth);
      // the next element was ready: taking it needs no new map call
      dt.dispose((await it.next()).value as dt.Tensor[]);
      expect(calls).toBe(Math.max(2, 1 + depth));
      await it.return();
    }
    dt.dispose([x, y]);
  });
});

describe('errors and memory', () => {
  it('a failing map call is reported at its position; nothing leaks', async () => {
    const [x, y] = rows(20);
    await expectNoLeaks(async () => {
      for (const [parallel, depth] of [[undefined, 0], [4, 3]] as const) {
        const ds = Dataset.fromTensorSlices([x, y]).batch(2).map((a, b) => {
          if (b.dataSync()[0] === 6) throw new Error('bad batch');
          return [a.add(1), b];
        }, parallel === undefined ? {} : { numParallelCalls: parallel }).prefetch(depth);
        const got: number[] = [];
        await expect((async () => {
          for await (const [a, b] of ds) {
            got.push(b.dataSync()[0]);
            dt.dispose([a, b]);
          }
        })()).rejects.toThrow('bad batch');
        expect(got).toEqual([0, 2, 4]);
      }
    });
    dt.dispose([x, y]);
  });

  it('a non-async function returning a Promise is rejected with the stage name', async () => {
    const [x, y] = rows(2);
    await expectNoLeaks(async () => {
      const ds = Dataset.fromTensorSlices(y).map((v) => Promise.resolve(v));
      await expect(collect(ds)).rejects.toThrow(/^Dataset\.map: expected fn to return its result synchronously, or to be declared `async`/);
    });
    expect(() => Dataset.fromTensorSlices(y).map(5 as never)).toThrow(/^Dataset\.map: expected fn to be a function\. Received: number/);
    expect(() => Dataset.fromTensorSlices(y).prefetch(-2)).toThrow(/^Dataset\.prefetch: expected bufferSize to be a non-negative integer or AUTOTUNE \(-1\)\. Received: bufferSize=-2/);
    expect(() => Dataset.fromTensorSlices(y).map((v) => v, { numParallelCalls: 0.5 })).toThrow(dt.ArgumentError);
    dt.dispose([x, y]);
  });

  it('a map converting per batch never materializes the float dataset', async () => {
    const n = 2048;
    const images = dt.tensor(Uint8Array.from({ length: n * 28 * 28 }, (_, i) => i % 251), [n, 28, 28], 'uint8');
    const labels = dt.tensor(Uint8Array.from({ length: n }, (_, i) => i % 10), [n], 'uint8');
    const base = dt.memory().numTensors;
    let peak = 0;
    const ds = Dataset.fromTensorSlices([images, labels]).shuffle(n, { seed: 1 }).batch(64)
      .map((img, lbl) => [dt.image.resize(img.cast('float32').div(255).expandDims(-1), [32, 32]), lbl], { numParallelCalls: AUTOTUNE })
      .prefetch(AUTOTUNE);
    let batches = 0;
    for await (const [img, lbl] of ds) {
      expect(img.shape[1]).toBe(32);
      peak = Math.max(peak, dt.memory().numTensors - base);
      await sleep(1);
      dt.dispose([img, lbl]);
      batches++;
    }
    expect(batches).toBe(32);
    // batches in flight: at most map window + prefetch window + the consumer's, two tensors each
    expect(peak).toBeLessThanOrEqual(2 * (adv.AUTOTUNE_PARALLEL_CALLS + adv.AUTOTUNE_PREFETCH + 2));
    expect(dt.memory().numTensors).toBe(base);
    dt.dispose([images, labels]);
  });
});
