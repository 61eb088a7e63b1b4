/**
 * Trains the functional residual CNN (test/unit/nn/residual.ts: unseeded initializers and Dropout, seeded only by
 * setRandomSeed; a shuffled input pipeline) for 2 epochs and prints one JSON line: the loss bits per epoch and the
 * weight digest.
 * Usage: tsx test/determinism/scripts/functional-fit.ts [seed] [backend]   (functional-two-process.test.ts)
 */
import * as dt from '../../../src/index.ts';
import { bandImages } from '../../unit/nn/helpers.ts';
import { residualModel } from '../../unit/nn/residual.ts';

const seed = Number(process.argv[2] ?? 812);
await dt.setBackend((process.argv[3] ?? 'cpu') as dt.BackendName);
dt.utils.setRandomSeed(seed);
const [x, y] = bandImages(64, 5);
const train = dt.data.Dataset.fromTensorSlices([x, y]).shuffle(64).batch(16);
const model = residualModel({ dropout: 0.3 });
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const history = await model.fit(train, { epochs: 2, verbose: 0 });
process.stdout.write(`${JSON.stringify({ bits: history.toJSON().bits, weightsDigest: await model.weightsDigest() })}\n`);
await dt.shutdown();
