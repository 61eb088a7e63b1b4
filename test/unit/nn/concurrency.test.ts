/**
 * Issue 21, item 6: a second fit on a model while one runs throws at once, and changes nothing; the model trains
 * normally afterwards. oneHot's out-of-range rows (zero rows, as in TensorFlow) are what its TSDoc says.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

describe('concurrency', () => {
  it('a second fit while one runs is refused at once', async () => {
    const model = new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(2, { activation: 'softmax' })], { name: 'busy' });
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const x = dt.ones([8, 2]);
    const y = dt.tensor([0, 1, 0, 1, 0, 1, 0, 1], [8], 'int32');
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(2);
    const first = model.fit(ds, { epochs: 2, verbose: 0 });
    await expect(model.fit(ds, { verbose: 0 })).rejects.toThrow(/^fit: this model is already training \(a fit call on 'busy' has not finished\)\. Await it before calling fit again/);
    await expect(model.fit(ds, { verbose: 0 })).rejects.toBeInstanceOf(dt.ArgumentError);
    const h = await first;
    expect(h.history.loss.length).toBe(2);
    // after it resolves (or rejects), fit works again
    await expect(model.fit(ds, { epochs: 1, verbose: 0 })).resolves.toBeInstanceOf(dt.History);
    await expect(model.fit(null as never)).rejects.toThrow(/^fit: expected a Dataset/);
    await expect(model.fit(ds, { epochs: 1, verbose: 0 })).resolves.toBeInstanceOf(dt.History);
    model.dispose();
    dt.dispose([x, y]);
  });

  it('oneHot gives a zero row for an index outside [0, depth), as TensorFlow does', async () => {
    const i = dt.tensor([0, 2, 5, -1], [4], 'int32');
    const o = dt.oneHot(i, 3);
    expect(Array.from(await o.data())).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    dt.dispose([i, o]);
  });
});
