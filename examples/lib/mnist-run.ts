/**
 * What the MNIST classifier examples (examples/resnet.ts, examples/sequence.ts) share after building
 * their model: the MNIST subsets as shuffled, batched Datasets (built before the model, so that the
 * shuffle's seed is drawn first from the global generator, as in Keras scripts), and the run itself:
 * Adam on Keras's CosineDecay from 3e-3 to 0 over the whole run (the optimizer's step count, and so the
 * schedule, is part of every checkpoint), fit with validation, evaluate, the weights digest, the run
 * record compared with the previous one, and the closing lines.
 */
import * as dt from '../../src/index.ts';
import type { ExampleOptions } from './options.ts';
import { saveOrCompareRun } from './run-record.ts';

/** The training and test Datasets of an example run. */
export interface MnistData {
  train: dt.data.Dataset<[dt.Tensor, dt.Tensor]>;
  test: dt.data.Dataset<[dt.Tensor, dt.Tensor]>;
  /** Training images (for the schedule's length). */
  trainSize: number;
}

/** uint8 images [N, 28, 28] with int32 labels: the first --train-size / --test-size of MNIST, batched. */
export async function mnistData(opts: ExampleOptions, batch: number): Promise<MnistData> {
  const [[trainImages, trainLabels], [testImages, testLabels]] = await dt.datasets.mnist.loadData();
  const subset = (t: dt.Tensor, n: number) => (n >= t.shape[0] ? t : dt.slice(t, 0, n));
  const [xTrain, yTrain] = [subset(trainImages, opts.trainSize), subset(trainLabels, opts.trainSize)];
  const [xTest, yTest] = [subset(testImages, opts.testSize), subset(testLabels, opts.testSize)];
  const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(xTrain.shape[0]).batch(batch).prefetch(dt.data.AUTOTUNE);
  const test = dt.data.Dataset.fromTensorSlices([xTest, yTest]).batch(500);
  return { train: train as MnistData['train'], test: test as MnistData['test'], trainSize: xTrain.shape[0] };
}

/** Compiles, trains, evaluates and records the run; prints the accuracy, digest and wall time; exits. */
export async function trainAndRecord(model: dt.ModelBase<any, any>, data: MnistData, run: {
  opts: ExampleOptions; batch: number; fitCheckpointing: Pick<dt.FitOptions, 'checkpoint' | 'resumeFrom'>; log: (s?: string) => void; t0: number;
}): Promise<never> {
  const { opts, log } = run;
  if (!opts.quiet) model.summary();
  const decaySteps = opts.epochs * Math.ceil(data.trainSize / run.batch);
  const learningRate = new dt.optimizers.schedules.CosineDecay({ initialLearningRate: 3e-3, decaySteps });
  model.compile({ optimizer: new dt.optimizers.Adam({ learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(data.train, { epochs: opts.epochs, validationData: data.test, verbose: opts.quiet ? 0 : 1, ...run.fitCheckpointing });
  const [, accuracy] = await model.evaluate(data.test, { verbose: 0 });
  log(`Model accuracy on test data: ${(accuracy * 100).toFixed(2)}%`);
  const digest = await dt.utils.weightsDigest(model);
  model.dispose();

  saveOrCompareRun(opts, history, digest, dt.getBackend(), log);
  log(`Final weights digest (SHA-256): ${digest}`);
  log(`Wall time: ${((performance.now() - run.t0) / 1000).toFixed(1)} s`);
  await dt.shutdown();
  process.exit(0);
}
