/**
 * Runs the reference program's input pipeline on real MNIST (setRandomSeed, loadData,
 * fromTensorSlices -> shuffle(60000) -> batch(64) -> map(prepare, AUTOTUNE) -> prefetch(AUTOTUNE))
 * for `epochs` epochs, and prints per epoch the SHA-256 of the label order and of every prepared
 * image batch, plus the hex of the first batch's labels. Used by data-two-process.test.ts.
 * Usage: tsx test/determinism/scripts/data-order.ts [seed] [epochs] [numParallelCalls] [prefetch] [maxBatches]
 */
import { createHash } from 'node:crypto';
import * as dt from '../../../src/index.ts';

const seed = Number(process.argv[2] ?? 812);
const epochs = Number(process.argv[3] ?? 2);
const parallel = Number(process.argv[4] ?? dt.data.AUTOTUNE);
const depth = Number(process.argv[5] ?? dt.data.AUTOTUNE);
const maxBatches = Number(process.argv[6] ?? Infinity);

await dt.setBackend('cpu');
dt.utils.setRandomSeed(seed);
const [[xTrain, yTrain], [xTest, yTest]] = await dt.datasets.mnist.loadData();

function prepare(image: dt.Tensor, label: dt.Tensor): [dt.Tensor, dt.Tensor] {
  const x = image.cast('float32').div(255).expandDims(-1);
  return [dt.image.resize(x, [32, 32]), label];
}

const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain])
  .shuffle(60000)
  .batch(64)
  .map(prepare, { numParallelCalls: parallel })
  .prefetch(depth);

const hex = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
for (let e = 0; e < epochs; e++) {
  const labels = createHash('sha256');
  const images = createHash('sha256');
  let first = '';
  let n = 0;
  for await (const [x, y] of train) {
    const yb = await y.data();
    labels.update(yb);
    images.update(await x.data());
    if (n === 0) first = `${x.shape.join('x')} ${hex(yb)}`;
    n++;
    dt.dispose([x, y]);
    if (n >= maxBatches) break;
  }
  process.stdout.write(`epoch ${e} batches ${n} first ${first}\nepoch ${e} labels ${labels.digest('hex')}\nepoch ${e} images ${images.digest('hex')}\n`);
}
dt.dispose([xTrain, yTrain, xTest, yTest]);
process.stdout.write(`live tensors ${dt.memory().numTensors}\n`);
await dt.shutdown();
