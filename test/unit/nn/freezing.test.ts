/**
 * Freezing after build, as Keras's `layer.trainable = False`: the layer's weights leave
 * trainableWeights (and fit leaves them bit for bit as they were), unfreezing brings back exactly the
 * weights created trainable (BatchNormalization's moving statistics stay non-trainable), a model passes
 * the flag to its layers, nested models included, and a non-boolean is refused.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { bandImages, batches } from './helpers.ts';

await dt.setBackend('cpu');

function model(): { m: dt.Functional; head: dt.Sequential } {
  dt.utils.setRandomSeed(3);
  const inp = dt.Input({ shape: [8, 8, 1] });
  let h = new dt.layers.Conv2D(4, 3, { name: 'c' }).apply(inp);
  h = new dt.layers.BatchNormalization({ name: 'bn' }).apply(h);
  h = new dt.layers.GlobalAveragePooling2D().apply(h);
  const head = new dt.Sequential([new dt.layers.Dense(3, { activation: 'softmax', name: 'd' })], { name: 'head' });
  return { m: new dt.Model({ inputs: inp, outputs: head.apply(h) }), head };
}

const names = (vs: dt.Variable[]) => vs.map((v) => v.name);

describe('trainable after build (Keras layer.trainable = False)', () => {
  it('freezes and unfreezes exactly the weights created trainable; fit leaves frozen weights unchanged', async () => {
    const { m } = model();
    const conv = m.layers.find((l) => l.name === 'c')!;
    const bn = m.layers.find((l) => l.name === 'bn')!;
    expect(names(m.trainableWeights)).toEqual(['c/kernel', 'c/bias', 'bn/gamma', 'bn/beta', 'd/kernel', 'd/bias']);

    conv.trainable = false;
    bn.trainable = false;
    expect(names(m.trainableWeights)).toEqual(['d/kernel', 'd/bias']);
    expect(names(m.nonTrainableWeights)).toEqual(['c/kernel', 'c/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);

    const before = await Promise.all(conv.weights.concat(bn.weights).map((w) => w.data()));
    const dense = m.layers.at(-1)!.weights[0];
    const denseBefore = await dense.data();
    const [x, y] = bandImages(32, 5, 8, 8, 3);
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await m.fit(batches(x, y, 16), { epochs: 1, verbose: 0 });
    const after = await Promise.all(conv.weights.concat(bn.weights).map((w) => w.data()));
    for (let i = 0; i < before.length; i++) expect(Buffer.from(after[i].buffer).equals(Buffer.from(before[i].buffer))).toBe(true);
    expect(Buffer.from((await dense.data()).buffer).equals(Buffer.from(denseBefore.buffer))).toBe(false);

    bn.trainable = true;
    expect(names(bn.trainableWeights)).toEqual(['bn/gamma', 'bn/beta']);
    expect(names(bn.nonTrainableWeights)).toEqual(['bn/moving_mean', 'bn/moving_variance']);
    dt.dispose([x, y]);
    m.dispose();
  });

  it('a model passes the flag to its layers, nested models included', () => {
    const { m, head } = model();
    m.trainable = false;
    expect(m.trainableWeights).toEqual([]);
    expect(head.trainable).toBe(false);
    expect(head.layers[0].trainable).toBe(false);
    m.trainable = true;
    expect(names(m.trainableWeights)).toEqual(['c/kernel', 'c/bias', 'bn/gamma', 'bn/beta', 'd/kernel', 'd/bias']);
    head.trainable = false;
    expect(names(m.trainableWeights)).toEqual(['c/kernel', 'c/bias', 'bn/gamma', 'bn/beta']);
    m.dispose();
  });

  it('refuses a value that is not a boolean', () => {
    const d = new dt.layers.Dense(2, { name: 'dd' });
    expect(() => { (d as { trainable: unknown }).trainable = 'no'; }).toThrow(/^Dense 'dd'.trainable: expected a boolean. Received: "no"/);
    expect(() => new dt.layers.Dense(2, { trainable: 1 as unknown as boolean })).toThrow(/^Dense: expected trainable to be a boolean. Received: 1/);
  });
});
