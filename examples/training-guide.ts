/**
 * The Keras guide "Training & evaluation with the built-in methods" (keras.io/guides/training_with_built_in_methods)
 * run on ditto, unchanged in spirit: the guide's functional MNIST model (Input 'digits' 784 -> Dense 64 relu 'dense_1'
 * -> Dense 64 relu 'dense_2' -> Dense 10 softmax 'predictions'), trained on arrays with RMSprop and
 * SparseCategoricalCrossentropy, section by section:
 *
 * 1. a first end-to-end example: reserved validation samples, fit, `history.history`, evaluate, predict;
 * 2. `getCompiledModel()` with Keras names (sparse categorical accuracy and sparse top-5 accuracy), `validationSplit`;
 * 3. class weights (class 5 weighs 2);
 * 4. callbacks: EarlyStopping, ModelCheckpoint (best models as `.keras` files), ReduceLROnPlateau, CSVLogger;
 * 5. checkpoints: restore the newest ModelCheckpoint file with `dt.models.loadModel` (the guide's
 *    `make_or_restore_model`), evaluate it; `model.save('…keras')`, reload, and continue training the reloaded
 *    model: the example checks that it continues bit for bit as the model that was never saved (and exits 1 if not).
 *
 * Every History and evaluation goes to <out>/history.json (keys `<section>.<log key>`) with the final weights digest,
 * and is compared with the previous run's there, as the other examples do. Output is printed in Keras's formats.
 *
 * Usage: npm run example:training-guide -- [--epochs 20] [--train-size 60000] [--test-size 10000]
 *                                          [--backend cpu|webgpu] [--seed 812] [--out training-guide-run]
 *                                          [--threads N] [--quiet]
 * --epochs is the callbacks section's maximum (the guide's 20; EarlyStopping usually stops it sooner); the
 * first section trains 2 epochs, the others 1, as in the guide. As the guide, the last sixth of the training
 * images (10,000 of 60,000) is reserved for validation in the first section.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as dt from '../src/index.ts';
import { parseOptions } from './lib/options.ts';
import { pyRepr } from '../src/nn/callbacks/py-format.ts';
import { saveOrCompareRun } from './lib/run-record.ts';

const PROGRAM = 'training-guide';
const opts = parseOptions(process.argv.slice(2), { name: PROGRAM, command: 'npm run example:training-guide --', defaults: { epochs: 20, out: 'training-guide-run' } });
if (opts.resume || opts.checkpointEvery > 0) {
  process.stderr.write(`${PROGRAM}: --resume and --checkpoint-every are not used by this example (it shows ModelCheckpoint and loadModel instead)\n`);
  process.exit(2);
}
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');
const verbose = opts.quiet ? 0 : 1;

dt.utils.setRandomSeed(opts.seed);
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);
mkdirSync(opts.out, { recursive: true });

/** Python's print of a dict of lists of floats, or of a list of floats. */
const pyList = (xs: readonly number[]) => `[${xs.map(pyRepr).join(', ')}]`;
const pyDict = (d: Record<string, readonly number[]>) => `{${Object.entries(d).map(([k, v]) => `'${k}': ${pyList(v)}`).join(', ')}}`;

// ---------------------------------------------------------------- The guide's model
/** The guide's `get_uncompiled_model()`. */
function getUncompiledModel(): dt.Model {
  const inputs = dt.Input({ shape: [784], name: 'digits' });
  let x = new dt.layers.Dense(64, { activation: 'relu', name: 'dense_1' }).apply(inputs);
  x = new dt.layers.Dense(64, { activation: 'relu', name: 'dense_2' }).apply(x);
  const outputs = new dt.layers.Dense(10, { activation: 'softmax', name: 'predictions' }).apply(x);
  return new dt.Model({ inputs, outputs });
}

/** The guide's `get_compiled_model()` (Keras names, so that `model.save` can write them), plus a top-5 accuracy. */
function getCompiledModel(): dt.Model {
  const model = getUncompiledModel();
  model.compile({
    optimizer: new dt.optimizers.RMSprop({ learningRate: 1e-3 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['sparse_categorical_accuracy', 'sparse_top_k_categorical_accuracy'],
  });
  return model;
}

// ---------------------------------------------------------------- Data: flattened to 784, scaled to [0, 1]
const [[trainImagesAll, trainLabelsAll], [testImagesAll, testLabelsAll]] = await dt.datasets.mnist.loadData();
/** The first n samples, images as float32 [n, 784] / 255 and labels as float32 (the guide's astype('float32')). */
function prepare(images: dt.Tensor, labels: dt.Tensor, n: number): [dt.Tensor, dt.Tensor] {
  const count = Math.min(n, images.shape[0]);
  return dt.tidy(() => [
    dt.div(dt.cast(dt.reshape(dt.slice(images, 0, count), [count, 784]), 'float32'), 255),
    dt.cast(dt.slice(labels, 0, count), 'float32'),
  ]);
}
const [xAll, yAll] = prepare(trainImagesAll, trainLabelsAll, opts.trainSize);
const [xTest, yTest] = prepare(testImagesAll, testLabelsAll, opts.testSize);
dt.dispose([trainImagesAll, trainLabelsAll, testImagesAll, testLabelsAll]);
// Reserve the last sixth of the training samples for validation (the guide: 10,000 of 60,000).
const nVal = Math.floor(xAll.shape[0] / 6);
const nTrain = xAll.shape[0] - nVal;
const xTrain = dt.slice(xAll, 0, nTrain);
const yTrain = dt.slice(yAll, 0, nTrain);
const xVal = dt.slice(xAll, nTrain, nVal);
const yVal = dt.slice(yAll, nTrain, nVal);
dt.dispose([xAll, yAll]);

/** Every History of the run, by section, for <out>/history.json. */
const record = new dt.History();
record.params = { verbose, epochs: opts.epochs, steps: null };
function keep(section: string, h: dt.History | Record<string, number>): void {
  const entries = h instanceof dt.History ? Object.entries(h.history) : Object.entries(h).map(([k, v]) => [k, [v]] as const);
  for (const [k, v] of entries) record.history[`${section}.${k}`] = [...v];
}

// ---------------------------------------------------------------- 1. A first end-to-end example
log('\n## API overview: a first end-to-end example');
const model1 = getUncompiledModel();
model1.compile({
  optimizer: new dt.optimizers.RMSprop(), // Optimizer
  loss: new dt.losses.SparseCategoricalCrossentropy(), // Loss function to minimize
  metrics: [new dt.metrics.SparseCategoricalAccuracy()], // List of metrics to monitor
});
log('Fit model on training data');
const history1 = await model1.fit(xTrain, yTrain, { batchSize: 64, epochs: 2, validationData: [xVal, yVal], verbose });
log(pyDict(history1.history));
keep('end_to_end', history1);
log('Evaluate on test data');
const results = await model1.evaluate(xTest, yTest, { batchSize: 128, verbose });
log(`test loss, test acc: ${pyList(results)}`);
keep('end_to_end.test', { loss: results[0], sparse_categorical_accuracy: results[1] });
log('Generate predictions for 3 samples');
const first3 = dt.slice(xTest, 0, 3);
const predictions = await model1.predict(first3);
log(`predictions shape: (${predictions.shape.join(', ')})`);
dt.dispose([first3, predictions]);
model1.dispose();

// ---------------------------------------------------------------- 2. validationSplit
log('\n## Automatically setting apart a validation holdout set');
const model2 = getCompiledModel();
const history2 = await model2.fit(xTrain, yTrain, { batchSize: 64, validationSplit: 0.2, epochs: 1, verbose });
keep('validation_split', history2);
model2.dispose();

// ---------------------------------------------------------------- 3. Class weights
log('\n## Class weights');
const classWeight: Record<number, number> = { 0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 2.0, 6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0 };
log('Fit with class weight');
const model3 = getCompiledModel();
const history3 = await model3.fit(xTrain, yTrain, { classWeight, batchSize: 64, epochs: 1, verbose });
keep('class_weight', history3);
model3.dispose();

// ---------------------------------------------------------------- 4. Callbacks
log('\n## Using callbacks');
const ckptDir = join(opts.out, 'ckpt');
rmSync(ckptDir, { recursive: true, force: true });
mkdirSync(ckptDir, { recursive: true });
const model = getCompiledModel();
const callbacks = [
  new dt.EarlyStopping({
    monitor: 'val_loss', // Stop training when `val_loss` is no longer improving
    minDelta: 1e-2, // "no longer improving" being defined as "no better than 1e-2 less"
    patience: 2, // "no longer improving" being further defined as "for at least 2 epochs"
    verbose,
  }),
  new dt.callbacks.ModelCheckpoint({
    // Path where to save the model; {epoch} is filled in with the epoch number (from 1).
    filepath: join(ckptDir, 'mymodel_{epoch}.keras'),
    saveBestOnly: true, // Only save a model if `val_loss` has improved.
    monitor: 'val_loss',
    verbose,
  }),
  new dt.callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 1, minLr: 1e-5, verbose }),
  new dt.callbacks.CSVLogger(join(opts.out, 'training.log')),
];
const history4 = await model.fit(xTrain, yTrain, { epochs: opts.epochs, batchSize: 64, callbacks, validationSplit: 0.2, verbose });
keep('callbacks', history4);

// ---------------------------------------------------------------- 5. Checkpointing, saving, reloading, continuing
log('\n## Checkpointing models');
// The guide's make_or_restore_model(): the newest checkpoint of the directory.
const checkpoints = readdirSync(ckptDir).filter((f) => /^mymodel_\d+\.keras$/.test(f)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
const latest = join(ckptDir, checkpoints.at(-1)!);
log(`Restoring from ${latest}`);
const restored = await dt.models.loadModel(latest);
const restoredResults = await restored.evaluate(xTest, yTest, { batchSize: 128, verbose });
log(`test loss, test acc, test top-5 acc: ${pyList(restoredResults)}`);
keep('checkpoint.test', { loss: restoredResults[0], sparse_categorical_accuracy: restoredResults[1], sparse_top_k_categorical_accuracy: restoredResults[2] });
restored.dispose();

log('\n## Saving the whole model, reloading it and continuing training');
const savedPath = join(opts.out, 'mymodel_final.keras');
await model.save(savedPath);
const reloaded = await dt.models.loadModel(savedPath);
log(`Saved ${savedPath} and reloaded it with dt.models.loadModel`);
// Both continue from the same seed, so that the shuffled order is the same: the reloaded model (weights,
// RMSprop slots and iteration count, learning rate set by ReduceLROnPlateau, from the file) must then train
// exactly as the model that was never saved.
const continueOptions = { batchSize: 64, epochs: 1, validationSplit: 0.2, verbose } as const;
dt.utils.setRandomSeed(opts.seed + 1);
const historyContinued = await reloaded.fit(xTrain, yTrain, continueOptions);
dt.utils.setRandomSeed(opts.seed + 1);
const historyUnsaved = await model.fit(xTrain, yTrain, { ...continueOptions, verbose: 0 });
keep('continued', historyContinued);
const digest = await dt.utils.weightsDigest(reloaded);
const unsavedDigest = await dt.utils.weightsDigest(model);
const sameBits = JSON.stringify(historyContinued.toJSON().bits) === JSON.stringify(historyUnsaved.toJSON().bits);
const exact = sameBits && digest === unsavedDigest;
log(`The reloaded model continues bit for bit as the model that was never saved: ${exact ? 'yes' : 'NO'}`);
if (!exact) log(`  history bits ${sameBits ? 'identical' : 'different'}; digests ${digest} vs ${unsavedDigest}`);
dt.dispose([xTrain, yTrain, xVal, yVal, xTest, yTest]);
reloaded.dispose();
model.dispose();

// ---------------------------------------------------------------- Record
log('');
saveOrCompareRun(opts, record, digest, dt.getBackend(), log);
log(`Final weights digest (SHA-256): ${digest}`);
log(`Wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await dt.shutdown();
process.exit(exact ? 0 : 1);
