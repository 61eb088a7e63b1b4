/**
 * From Python Keras to ditto and back: loads a model file saved by Keras (a Keras 3 `.keras` archive or a legacy
 * tf.keras / Keras 2 `.h5` full model) with dt.models.loadModel (the architecture from its config, the weights, the
 * compile settings and, from a `.keras` file, the optimizer's state), prints its summary, evaluates it on MNIST,
 * fine-tunes it reproducibly (seeded shuffle, seeded dropout), evaluates again and saves it back as `.keras` in
 * Keras 3's layout (for Python's `keras.models.load_model`; not run here, there is no Python Keras). The History
 * and the final weights digest go to <out>/history.json and are compared with the previous run's there, as in the
 * other examples.
 *
 * Input preprocessing (assumed, that of the MNIST models in ../shared/keras-files): pixels / 255 as float32, laid out
 * as the model's declared input shape (784 values: [784], [28, 28] or [28, 28, 1]); labels one-hot when the file's
 * loss is categorical_crossentropy. A file without a compile configuration is compiled with Adam and sparse
 * categorical crossentropy. Batch size 64 for fine-tuning, as the other examples.
 *
 * Usage: npm run example:from-keras -- <file.keras|file.h5> [--epochs 1] [--train-size 60000] [--test-size 10000]
 *                                     [--backend cpu|webgpu] [--seed 812] [--out from-keras-run] [--threads N]
 *                                     [--quiet] [--save PATH (default <out>/model.keras)]
 *                                     [--checkpoint-every N] [--checkpoint-dir <out>/checkpoints] [--resume]
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as dt from '../src/index.ts';
import { checkpointing } from './lib/checkpointing.ts';
import { accuracyOf, imagesFor, labelsFor } from './lib/mnist-for-model.ts';
import { parseOptions } from './lib/options.ts';
import { saveOrCompareRun } from './lib/run-record.ts';

const PROGRAM = 'from-keras';
const opts = parseOptions(process.argv.slice(2), {
  name: PROGRAM, command: 'npm run example:from-keras --', defaults: { epochs: 1, out: 'from-keras-run' },
  positional: '<file.keras|file.h5>', savePath: '<out>/model.keras',
});
const file = opts.positional!;
const savePath = opts.save ?? join(opts.out, 'model.keras');
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');

dt.utils.setRandomSeed(opts.seed); // before loading: the file's unseeded Dropout layers draw their seeds from it
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);

// ---------------------------------------------------------------- The Keras model
let model: dt.ModelBase;
try {
  model = await dt.models.loadModel(file);
} catch (e) {
  process.stderr.write(`${PROGRAM}: ${(e as Error).message}\n`);
  process.exit(1);
}
if (!model.compiled) {
  log('The file has no compile configuration: compiling with Adam and sparse_categorical_crossentropy.');
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
}
log(`Loaded ${file}: optimizer ${model.compiled!.optimizer.constructor.name} at iteration ${model.compiled!.optimizer.iterations}, loss ${JSON.stringify(model.compileArgs?.loss)}`);
if (!opts.quiet) model.summary();
const fitCheckpointing = checkpointing(PROGRAM, opts, log);

// ---------------------------------------------------------------- Data, shaped for the model
const [[trainImagesAll, trainLabelsAll], [testImagesAll, testLabelsAll]] = await dt.datasets.mnist.loadData();
const subset = (t: dt.Tensor, n: number) => (n >= t.shape[0] ? t : dt.slice(t, 0, n));
let x: dt.Tensor;
try {
  x = imagesFor(model, subset(trainImagesAll, opts.trainSize));
} catch (e) {
  process.stderr.write(`${PROGRAM}: ${(e as Error).message}\n`);
  process.exit(1);
}
const y = labelsFor(model, subset(trainLabelsAll, opts.trainSize));
const testLabels = subset(testLabelsAll, opts.testSize);
const xTest = imagesFor(model, subset(testImagesAll, opts.testSize));
const yTest = labelsFor(model, testLabels);
const trainData = dt.data.Dataset.fromTensorSlices([x, y]).shuffle(x.shape[0]).batch(64).prefetch(dt.data.AUTOTUNE);
const testData = dt.data.Dataset.fromTensorSlices([xTest, yTest]).batch(256);

async function testAccuracy(): Promise<number> {
  const p = await model.predict(xTest, { batchSize: 256 });
  const a = await accuracyOf(p, testLabels);
  p.dispose();
  return a;
}

// ---------------------------------------------------------------- Evaluate, fine-tune, evaluate, save
log(`Test accuracy as loaded (${xTest.shape[0]} images): ${((await testAccuracy()) * 100).toFixed(2)}%`);
const history = await model.fit(trainData, { epochs: opts.epochs, validationData: testData, verbose: opts.quiet ? 0 : 1, ...fitCheckpointing });
log(`Test accuracy after fine-tuning: ${((await testAccuracy()) * 100).toFixed(2)}%`);
const digest = await dt.utils.weightsDigest(model);
mkdirSync(dirname(savePath), { recursive: true });
await model.save(savePath);
const back = await dt.models.loadModel(savePath);
const same = (await dt.utils.weightsDigest(back)) === digest;
log(`Saved ${savePath} (Keras 3's .keras layout); reloaded: ${same ? 'the same weights, bit for bit' : 'DIFFERENT weights'}`);
back.dispose();
model.dispose();

saveOrCompareRun({ ...opts, recorded: Object.assign({}, opts.recorded, { file: basename(file) }) }, history, digest, dt.getBackend(), log);
log(`Final weights digest (SHA-256): ${digest}`);
log(`Wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await dt.shutdown();
process.exit(same ? 0 : 1);
