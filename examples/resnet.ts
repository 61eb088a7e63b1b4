/**
 * The second reference example: a small residual network, written with the functional API, trained
 * on MNIST with seeded augmentation, reproducible to the bit. Keras's idioms throughout: a
 * `Sequential` of RandomRotation/RandomTranslation/RandomZoom used as the first block of the model
 * (active only in training, its draws from the layers' own seed generators), Conv–BatchNorm–ReLU
 * blocks with Add skips, strided downsampling blocks with 1x1 projections on their skip paths,
 * GlobalAveragePooling2D and a Dense softmax, trained with Adam on a cosine-decayed learning rate
 * in batches of 128. The History goes to <out>/history.json and is compared
 * with the previous run's there; the final weights digest is printed.
 *
 * Usage: npm run example:resnet -- [--epochs 5] [--train-size 60000] [--test-size 10000]
 *                                  [--backend cpu|webgpu] [--seed 812] [--out resnet-run] [--threads N]
 *                                  [--quiet] [--checkpoint-every N] [--checkpoint-dir <out>/checkpoints]
 *                                  [--resume]
 * Same options and checkpoint/resume behaviour as examples/reproducibility.ts.
 */
import * as dt from '../src/index.ts';
import { checkpointing } from './lib/checkpointing.ts';
import { parseOptions } from './lib/options.ts';
import { buildResnet } from './lib/resnet-model.ts';
import { saveOrCompareRun } from './lib/run-record.ts';

const PROGRAM = 'resnet';
const opts = parseOptions(process.argv.slice(2), { name: PROGRAM, command: 'npm run example:resnet --', defaults: { epochs: 5, out: 'resnet-run' } });
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');

dt.utils.setRandomSeed(opts.seed);
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);
const fitCheckpointing = checkpointing(PROGRAM, opts, log);

// ---------------------------------------------------------------- Data
const BATCH = 128;
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
const model = buildResnet();
if (!opts.quiet) model.summary();
// Adam with Keras's CosineDecay from 3e-3 to 0 over the whole run (BatchNormalization tolerates the larger
// rate; the optimizer's step count, and so the schedule, is part of every checkpoint).
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
