/**
 * The third reference example: a recurrent classifier that reads each MNIST image as a sequence of
 * 28 rows of 28 pixels (Keras's classic "LSTM over MNIST rows"), reproducible to the bit. An LSTM
 * runs over the rows (Keras's defaults: tanh/sigmoid, orthogonal recurrent kernel, unitForgetBias)
 * and a Dense softmax reads its last output; Adam with a cosine-decayed learning rate. The
 * recurrence is a loop of ordinary ops whose every sum has one written order, so the History and
 * the weights are the same on every run, at any
 * thread count, on the CPU and WebGPU backends, and after a resume. The History goes to
 * <out>/history.json and is compared with the previous run's there; the final weights digest is
 * printed.
 *
 * Usage: npm run example:sequence -- [--epochs 4] [--train-size 60000] [--test-size 10000]
 *                                    [--backend cpu|webgpu] [--seed 812] [--out sequence-run] [--threads N]
 *                                    [--quiet] [--checkpoint-every N] [--checkpoint-dir <out>/checkpoints]
 *                                    [--resume]
 * Same options and checkpoint/resume behaviour as examples/reproducibility.ts.
 */
import * as dt from '../src/index.ts';
import { checkpointing } from './lib/checkpointing.ts';
import { parseOptions } from './lib/options.ts';
import { saveOrCompareRun } from './lib/run-record.ts';

const PROGRAM = 'sequence';
const UNITS = 64;   // LSTM units
const BATCH = 128;  // images per step
const opts = parseOptions(process.argv.slice(2), { name: PROGRAM, command: 'npm run example:sequence --', defaults: { epochs: 4, out: 'sequence-run' } });
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');

dt.utils.setRandomSeed(opts.seed);
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);
const fitCheckpointing = checkpointing(PROGRAM, opts, log);

// ---------------------------------------------------------------- The model
function buildModel(): dt.Model {
  const inputs = dt.Input({ shape: [28, 28], name: 'rows' });          // uint8 images: 28 timesteps of 28 features
  const x = new dt.layers.Rescaling(1 / 255).apply(inputs);
  const h = new dt.layers.LSTM(UNITS).apply(x) as dt.SymbolicTensor;     // the last output [N, UNITS]
  const outputs = new dt.layers.Dense(10, { activation: 'softmax' }).apply(h);
  return new dt.Model({ inputs, outputs, name: 'sequence' });
}


// ---------------------------------------------------------------- Data
const [[trainImagesAll, trainLabelsAll], [testImagesAll, testLabelsAll]] = await dt.datasets.mnist.loadData();
const subset = (t: dt.Tensor, n: number) => (n >= t.shape[0] ? t : dt.slice(t, 0, n));
const trainImages = subset(trainImagesAll, opts.trainSize);
const trainLabels = subset(trainLabelsAll, opts.trainSize);
const testImages = subset(testImagesAll, opts.testSize);
const testLabels = subset(testLabelsAll, opts.testSize);

const trainData = dt.data.Dataset.fromTensorSlices([trainImages, trainLabels])
  .shuffle(trainImages.shape[0])
  .batch(BATCH)
  .prefetch(dt.data.AUTOTUNE);
const testData = dt.data.Dataset.fromTensorSlices([testImages, testLabels]).batch(500);

// ---------------------------------------------------------------- Train, evaluate, record
const model = buildModel();
if (!opts.quiet) model.summary();
// Adam with Keras's CosineDecay from 3e-3 to 0 over the whole run (the optimizer's step count is checkpointed).
const decaySteps = opts.epochs * Math.ceil(trainImages.shape[0] / BATCH);
const learningRate = new dt.optimizers.schedules.CosineDecay({ initialLearningRate: 3e-3, decaySteps });
model.compile({ optimizer: new dt.optimizers.Adam({ learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const history = await model.fit(trainData, { epochs: opts.epochs, validationData: testData, verbose: opts.quiet ? 0 : 1, ...fitCheckpointing });
const [, accuracy] = await model.evaluate(testData, { verbose: 0 });
log(`Model accuracy on test data: ${(accuracy * 100).toFixed(2)}%`);
const digest = await dt.utils.weightsDigest(model);
model.dispose();

saveOrCompareRun(opts, history, digest, dt.getBackend(), log);
log(`Final weights digest (SHA-256): ${digest}`);
log(`Wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await dt.shutdown();
process.exit(0);
