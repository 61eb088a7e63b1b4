/**
 * Prints `digest <sha256>` of an LSTM's training-call output with dropout and recurrent dropout (seed 11), on the
 * CPU backend in a fresh process (recurrent.test.ts compares it with its own).
 */
import { createHash } from 'node:crypto';
import * as dt from '../../../../src/index.ts';
import { lcgValues } from '../helpers.ts';

await dt.setBackend('cpu');
const [N, T, F, U] = [3, 5, 4, 3];
const l = new dt.layers.LSTM(U, { dropout: 0.25, recurrentDropout: 0.25, seed: 11, returnSequences: true });
l.ensureBuilt([null, T, F]);
for (const [i, w] of l.weights.entries()) w.assign(dt.tensor(lcgValues(w.size, 10 + i, -0.8, 0.8), w.shape));
const y = l.apply(dt.tensor(lcgValues(N * T * F, 3, -2, 2), [N, T, F]), { training: true }) as dt.Tensor;
console.log(`digest ${createHash('sha256').update(Buffer.from(((await y.data()) as Float32Array).buffer)).digest('hex')}`);
await dt.shutdown();
