/**
 * Trains a small CNN with BatchNormalization (unseeded initializers and dropout, seeded only by
 * setRandomSeed; shuffled input) for 2 epochs with validation and prints one JSON line: the loss
 * history as float32 bits, the weight digest (moving statistics included) and the moving means' bits.
 * Usage: tsx test/determinism/scripts/fit-batchnorm.ts [seed] [backend]   (fit-batchnorm-two-process.test.ts)
 */
import * as dt from '../../../src/index.ts';

const seed = Number(process.argv[2] ?? 812);
const backend = (process.argv[3] ?? 'cpu') as dt.BackendName;
await dt.setBackend(backend);
dt.utils.setRandomSeed(seed);

/** Fixed float32 8x8 images (independent of the seed): the brightest of 2 horizontal bands is the label. */
function images(n: number, salt: number): [dt.Tensor, dt.Tensor] {
  let s = (salt * 2654435761) >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(next() * 2);
    for (let p = 0; p < 64; p++) x[i * 64 + p] = (Math.floor(p / 32) === y[i] ? 0.7 : 0.2) + 0.3 * next();
  }
  return [dt.tensor(x, [n, 8, 8, 1]), dt.tensor(y, [n], 'int32')];
}

const [xTrain, yTrain] = images(64, 1);
const [xTest, yTest] = images(16, 2);
const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(64).batch(16);
const test = dt.data.Dataset.fromTensorSlices([xTest, yTest]).batch(16);

const L = dt.layers;
const model = new dt.Sequential([
  new L.Conv2D(6, [3, 3]),
  new L.BatchNormalization(),
  new L.Activation('relu'),
  new L.MaxPooling2D([2, 2]),
  new L.Dropout(0.2),
  new L.Conv2D(6, [2, 2], { padding: 'same' }),
  new L.BatchNormalization({ momentum: 0.9 }),
  new L.GlobalAveragePooling2D(),
  new L.Dense(2, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const history = await model.fit(train, { epochs: 2, validationData: test, verbose: 0 });
const f32 = new Float32Array(1);
const hex = (v: number) => { f32[0] = v; return new Uint32Array(f32.buffer)[0].toString(16).padStart(8, '0'); };
const moving = await Promise.all(model.nonTrainableWeights.map(async (w) => Array.from(await w.data(), hex)));
process.stdout.write(`${JSON.stringify({ loss: history.history.loss.map(hex), valLoss: history.history.val_loss.map(hex), weightsDigest: await dt.utils.weightsDigest(model), moving })}\n`);
await dt.shutdown();
