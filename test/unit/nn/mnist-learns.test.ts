/**
 * The engine learns real data: a reference-style CNN (conv/pool twice, dense softmax) trained for
 * one epoch on the first 512 MNIST training images, through the Keras-example input pipeline
 * (shuffle, batch, map), classifies 256 held-out test images far above chance (0.1).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

describe('MNIST', () => {
  it('one epoch on 512 images: test accuracy on 256 held-out images > 0.5', async () => {
    await dt.setBackend('cpu');
    dt.utils.setRandomSeed(812);
    const [[xAll, yAll], [xTestAll, yTestAll]] = await dt.datasets.mnist.loadData();
    const [xTrain, yTrain, xTest, yTest] = [dt.slice(xAll, 0, 512), dt.slice(yAll, 0, 512), dt.slice(xTestAll, 0, 256), dt.slice(yTestAll, 0, 256)];
    dt.dispose([xAll, yAll, xTestAll, yTestAll]);
    const prepare = (image: dt.Tensor, label: dt.Tensor): [dt.Tensor, dt.Tensor] => [dt.expandDims(dt.div(dt.cast(image, 'float32'), 255), -1), label];
    const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(512).batch(32).map(prepare);
    const test = dt.data.Dataset.fromTensorSlices([xTest, yTest]).batch(64).map(prepare);
    const L = dt.layers;
    const model = new dt.Sequential([
      new L.Conv2D(16, [3, 3], { activation: 'relu' }),
      new L.MaxPooling2D([2, 2]),
      new L.Conv2D(16, [3, 3], { activation: 'relu' }),
      new L.MaxPooling2D([2, 2]),
      new L.Flatten(),
      new L.Dense(10, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(train, { epochs: 1, verbose: 0 });
    expect(h.params.steps).toBe(16);
    expect(h.history.accuracy[0]).toBeGreaterThan(0.3); // running mean over the epoch, from ~0.1
    const [loss, accuracy] = await model.evaluate(test, { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.5);
    expect(loss).toBeLessThan(1.5); // chance: ln(10) = 2.30
    dt.dispose([xTrain, yTrain, xTest, yTest]);
    model.dispose();
  });
});
