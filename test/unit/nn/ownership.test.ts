/**
 * Issue 21, item 4: tensors the user passes in or yields are never disposed by ditto; tensors ditto creates are
 * (no leaks). Covers fit, evaluate, predict, datasets and callbacks.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectNoLeaks } from '../../util/leaks.ts';

function compiled(): dt.Sequential {
  const model = new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('ownership', () => {
  it("a user's async iterable: its tensors survive fit (two epochs), evaluate and predict, with no leak", async () => {
    const x = dt.tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const y = dt.tensor([0, 1, 0, 1], [4], 'int32');
    const mine = { async *[Symbol.asyncIterator]() { yield [x, y]; } };
    const model = compiled();
    await model.fit(mine, { epochs: 1, verbose: 0 }); // creates the optimizer slots and metric trackers
    await expectNoLeaks(async () => {
      const h = await model.fit(mine, { epochs: 2, verbose: 0, validationData: mine });
      expect(h.history.loss.length).toBe(2);
      expect((await model.evaluate(mine, { verbose: 0 })).length).toBe(2);
      (await model.predict(mine)).dispose();
      (await model.predict(x)).dispose();
    });
    expect(x.isDisposed || y.isDisposed).toBe(false);
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    model.dispose();
    dt.dispose([x, y]);
  });

  it("a Dataset's elements are ditto's (disposed after each step); the sliced tensors stay the user's", async () => {
    const x = dt.ones([6, 2]);
    const y = dt.tensor([0, 1, 0, 1, 0, 1], [6], 'int32');
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).shuffle(6, { seed: 1 }).batch(4);
    const model = compiled();
    await model.fit(ds, { verbose: 0 });
    await expectNoLeaks(async () => {
      await model.fit(ds, { epochs: 2, verbose: 0, validationData: ds });
      await model.evaluate(ds, { verbose: 0 });
      (await model.predict(ds)).dispose();
    });
    expect(x.isDisposed || y.isDisposed).toBe(false);
    model.dispose();
    dt.dispose([x, y]);
  });

  it('Dataset.map returning a tensor it captured gives a copy: the consumer disposes the copy, not the user tensor', async () => {
    const x = dt.ones([4, 2]);
    const label = dt.tensor(1, [], 'int32');
    const ds = dt.data.Dataset.fromTensorSlices(x).map((row) => [row, label]).batch(2);
    const model = compiled();
    await model.fit(ds, { epochs: 2, verbose: 0 });
    await expectNoLeaks(async () => {
      for await (const el of ds) dt.dispose(el as dt.Tensor[]);
      await model.fit(ds, { epochs: 2, verbose: 0 });
    });
    expect(label.isDisposed).toBe(false);
    expect(Array.from(await label.data())).toEqual([1]);
    model.dispose();
    dt.dispose([x, label]);
  });

  it("a callback's own tensors and the model's weights stay alive; logs are numbers", async () => {
    const x = dt.ones([4, 2]);
    const y = dt.tensor([0, 1, 0, 1], [4], 'int32');
    const probe = dt.ones([1, 2]);
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(2);
    const model = compiled();
    const seen: number[] = [];
    class Probe extends dt.Callback {
      override async onEpochEnd(_epoch: number, logs?: Record<string, number>): Promise<void> {
        expect(typeof logs?.loss).toBe('number');
        const p = await model.predict(probe);
        seen.push((await p.data())[0]);
        p.dispose();
      }
    }
    await model.fit(ds, { epochs: 1, verbose: 0 });
    await expectNoLeaks(() => model.fit(ds, { epochs: 2, verbose: 0, callbacks: [new Probe()] }));
    expect(seen.length).toBe(2);
    expect(probe.isDisposed).toBe(false);
    model.dispose();
    dt.dispose([x, y, probe]);
  });
});
