/**
 * For cli.test.ts: a small program traced only through the environment (DITTO_TRACE, DITTO_TRACE_STEPS): it trains
 * 2 steps from seed argv[2] and calls dt.shutdown(), which finishes the trace.
 */
import * as dt from '../../../src/index.ts';

dt.utils.setRandomSeed(Number(process.argv[2] ?? 1));
await dt.setBackend('cpu');
const m = new dt.Sequential([dt.layers.Input({ shape: [4] }), new dt.layers.Dense(3, { activation: 'softmax', name: 'out' })], { name: 'm' });
m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
const x = dt.tensor(Array.from({ length: 32 }, (_, i) => ((i * 5) % 13) / 13), [8, 4]);
const y = dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
await m.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(4), { epochs: 1, verbose: 0 });
await dt.shutdown();
