/**
 * Trains a small dense classifier on arrays with fit's default shuffle (its seed drawn from the global seed),
 * validationSplit, classWeight and an AUC metric, and prints one JSON line: History with float32 bits and the
 * weight digest.
 * Usage: tsx test/determinism/scripts/fit-arrays.ts [seed]   (fit-arrays-two-process.test.ts)
 */
import * as dt from '../../../src/index.ts';

const seed = Number(process.argv[2] ?? 812);
await dt.setBackend('cpu');
dt.utils.setRandomSeed(seed);

const n = 40;
let s = 12345;
const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
const x = dt.tensor(Float32Array.from({ length: n * 4 }, next), [n, 4]);
const y = dt.tensor(Float32Array.from({ length: n }, () => (next() < 0.4 ? 1 : 0)), [n, 1]);
const model = new dt.Sequential([dt.layers.Input({ shape: [4] }), new dt.layers.Dense(6, { activation: 'relu' }), new dt.layers.Dense(1, { activation: 'sigmoid' })]);
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['auc'] });
const history = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, classWeight: { 1: 2 }, verbose: 0 });
process.stdout.write(`${JSON.stringify({ history: history.toJSON(), weightsDigest: await model.weightsDigest() })}\n`);
