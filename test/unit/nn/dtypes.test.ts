/**
 * Issue 21, item 5: Keras-style dtypes. Model inputs are cast to float32 (uint8 images into fit and predict),
 * sparse categorical crossentropy casts float32 labels to int32, and setRandomSeed takes 0 <= seed < 2^32.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { expectNoLeaks } from '../../util/leaks.ts';

function model(): dt.Sequential {
  dt.utils.setRandomSeed(7);
  const m = new dt.Sequential([dt.layers.Input({ shape: [2, 2, 1] }), new dt.layers.Flatten(), new dt.layers.Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('dtypes', () => {
  it('uint8 images train and predict exactly as the same values in float32', async () => {
    const pixels = [0, 255, 17, 3, 200, 1, 9, 64];
    const x8 = dt.tensor(Uint8Array.from(pixels), [2, 2, 2, 1]);
    const x32 = dt.tensor(pixels, [2, 2, 2, 1]);
    const y = dt.tensor([0, 2], [2], 'int32');
    const a = model();
    const b = model();
    const ha = await a.fit(dt.data.Dataset.fromTensorSlices([x8, y]).batch(2), { epochs: 2, verbose: 0 });
    const hb = await b.fit(dt.data.Dataset.fromTensorSlices([x32, y]).batch(2), { epochs: 2, verbose: 0 });
    expect(ha.history).toEqual(hb.history);
    expect(await dt.utils.weightsDigest(a)).toBe(await dt.utils.weightsDigest(b));
    await expectNoLeaks(async () => {
      const pa = await a.predict(x8);
      const pb = await b.predict(x32);
      expect(pa.dtype).toBe('float32');
      expect(Array.from(await pa.data())).toEqual(Array.from(await pb.data()));
      dt.dispose([pa, pb]);
    });
    expect(x8.dtype).toBe('uint8');
    expect(x8.isDisposed).toBe(false);
    dt.dispose([x8, x32, y]);
    a.dispose();
    b.dispose();
  });

  it('float32 labels are cast to int32 by sparse categorical crossentropy (and accuracy)', async () => {
    const x = dt.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    const yInt = dt.tensor([0, 2], [2], 'int32');
    const yFloat = dt.tensor([0, 2]);
    const a = model();
    const b = model();
    const ha = await a.fit(dt.data.Dataset.fromTensorSlices([x, yInt]).batch(2), { verbose: 0 });
    const hb = await b.fit(dt.data.Dataset.fromTensorSlices([x, yFloat]).batch(2), { verbose: 0 });
    expect(hb.history).toEqual(ha.history);
    const sce = new dt.losses.SparseCategoricalCrossentropy();
    const p = dt.tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
    await expectNoLeaks(async () => {
      const la = sce.call(yInt, p);
      const yTrunc = dt.tensor([0.0, 2.9]); // truncated to [0, 2], as Keras's cast does
      const lb = sce.call(yTrunc, p);
      expect(Array.from(await lb.data())).toEqual(Array.from(await la.data()));
      dt.dispose([la, lb, yTrunc]);
    });
    dt.dispose([x, yInt, yFloat, p]);
    a.dispose();
    b.dispose();
  });

  it('setRandomSeed takes 0 <= seed < 2^32, as Keras does', () => {
    expect(() => dt.utils.setRandomSeed(-1)).toThrow(dt.ArgumentError);
    expect(() => dt.utils.setRandomSeed(-1)).toThrow(/^setRandomSeed: expected an integer seed in \[0, 2\*\*32\) \(0 <= seed < 4294967296, as Keras requires\)\. Received: seed=-1$/);
    expect(() => dt.utils.setRandomSeed(2 ** 40)).toThrow(/^setRandomSeed: expected an integer seed in \[0, 2\*\*32\).*Received: seed=1099511627776$/);
    expect(() => dt.utils.setRandomSeed(2n ** 32n)).toThrow(/Received: seed=4294967296$/);
    expect(() => dt.utils.setRandomSeed(2 ** 32 - 1)).not.toThrow();
    expect(() => dt.utils.setRandomSeed(0)).not.toThrow();
  });
});
