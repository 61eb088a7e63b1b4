/**
 * Issue 21, item 3: fit, evaluate and predict on an infinite dataset fail at once without stepsPerEpoch or
 * steps (with them it is read as a stream) instead of running forever; an error thrown by a user's iterator surfaces as it is.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

function setup() {
  const model = new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  const x = dt.ones([4, 2]);
  const y = dt.tensor([0, 1, 0, 1], [4], 'int32');
  const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(2);
  return { model, ds, dispose: () => { model.dispose(); dt.dispose([x, y]); } };
}

describe('no hangs', () => {
  it('an infinite dataset is refused at once by fit, evaluate and predict', async () => {
    const { model, ds, dispose } = setup();
    const endless = ds.repeat();
    await expect(model.fit(endless)).rejects.toThrow(
      /^fit: expected a finite dataset, or the stepsPerEpoch option: an infinite one \(e\.g\. after \.repeat\(\)\) would never end\. Pass stepsPerEpoch, or take a finite number of batches: dataset\.take\(n\)\. Received: cardinality=-1$/,
    );
    await expect(model.fit(ds, { validationData: endless })).rejects.toThrow(/^fit: expected finite validationData, or the validationSteps option: .* Pass validationSteps/);
    await expect(model.evaluate(endless)).rejects.toThrow(/^evaluate: expected a finite dataset, or the steps option: .* Pass steps/);
    await expect(model.predict(endless)).rejects.toThrow(/^predict: expected a finite dataset, or the steps option: .* Pass steps/);
    await expect(model.fit(endless.take(2), { verbose: 0 })).resolves.toBeInstanceOf(dt.History);
    await expect(model.fit(endless, { verbose: 0, stepsPerEpoch: 2 })).resolves.toBeInstanceOf(dt.History);
    dispose();
  });

  it("a user iterator's own error surfaces, and nothing leaks", async () => {
    const { model, ds, dispose } = setup();
    await model.fit(ds, { verbose: 0 });
    const before = dt.memory();
    const failing = {
      async *[Symbol.asyncIterator]() {
        // The yielded tensors stay the generator's (item 4): it disposes them after each step.
        for await (const el of ds) {
          yield el;
          dt.dispose(el);
        }
        throw new Error('my source stalled');
      },
    };
    await expect(model.fit(failing, { verbose: 0 })).rejects.toThrow(/^my source stalled$/);
    await expect(model.evaluate(failing, { verbose: 0 })).rejects.toThrow(/^my source stalled$/);
    await expect(model.predict(failing)).rejects.toThrow(/^my source stalled$/);
    expect(dt.memory().numTensors).toBe(before.numTensors);
    dispose();
  });
});
