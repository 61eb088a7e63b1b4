/**
 * Trains a small reference-style CNN (unseeded initializers and dropout, seeded only by setRandomSeed;
 * shuffled, mapped, prefetched input) for 2 epochs with validation and prints one JSON line: History
 * with float32 bits, evaluate's values, the weight digest and the saved safetensors file's SHA-256.
 * Usage: tsx test/determinism/scripts/fit-history.ts [seed] [backend]   (fit-two-process.test.ts)
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dt from '../../../src/index.ts';

const seed = Number(process.argv[2] ?? 812);
const backend = (process.argv[3] ?? 'cpu') as dt.BackendName;
await dt.setBackend(backend);
dt.utils.setRandomSeed(seed);

/** Fixed uint8 10x10 images (independent of the seed): the brightest of 3 horizontal bands is the label. */
function images(n: number, salt: number): [dt.Tensor, dt.Tensor] {
  let s = (salt * 2654435761) >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Uint8Array(n * 100);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(next() * 3);
    for (let p = 0; p < 100; p++) x[i * 100 + p] = Math.floor((Math.floor((Math.floor(p / 10) * 3) / 10) === y[i] ? 150 : 40) + 100 * next());
  }
  return [dt.tensor(x, [n, 10, 10], 'uint8'), dt.tensor(y, [n], 'uint8')];
}

const prepare = (image: dt.Tensor, label: dt.Tensor): [dt.Tensor, dt.Tensor] => [dt.expandDims(dt.div(dt.cast(image, 'float32'), 255), -1), label];
const [xTrain, yTrain] = images(96, 1);
const [xTest, yTest] = images(32, 2);
const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(96).batch(16).map(prepare, { numParallelCalls: dt.data.AUTOTUNE }).prefetch(dt.data.AUTOTUNE);
const test = dt.data.Dataset.fromTensorSlices([xTest, yTest]).batch(16).map(prepare);

const L = dt.layers;
const model = new dt.Sequential([
  new L.Conv2D(8, [3, 3], { activation: 'relu' }),
  new L.MaxPooling2D([2, 2]),
  new L.Dropout(0.2),
  new L.Conv2D(8, [3, 3], { activation: 'relu' }),
  new L.GlobalAveragePooling2D(),
  new L.Dense(16, { activation: 'relu' }),
  new L.Dropout(0.2),
  new L.Dense(3, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const history = await model.fit(train, { epochs: 2, validationData: test, verbose: 0 });
const evaluation = await model.evaluate(test, { verbose: 0 });
const dir = mkdtempSync(join(tmpdir(), 'ditto-fit-'));
const file = join(dir, 'model.safetensors');
await model.saveWeights(file);
const fileSha = createHash('sha256').update(readFileSync(file)).digest('hex');
rmSync(dir, { recursive: true, force: true });
const f32 = new Float32Array(1);
const hex = (v: number) => { f32[0] = v; return new Uint32Array(f32.buffer)[0].toString(16).padStart(8, '0'); };
process.stdout.write(`${JSON.stringify({ history: history.toJSON(), evaluate: evaluation.map(hex), weightsDigest: await dt.utils.weightsDigest(model), fileSha })}\n`);
await dt.shutdown();
