/**
 * Proof for the sequence example (examples/sequence.ts: an LSTM reading MNIST images as 28 timesteps of 28
 * features) on a CI-sized subset: the examples' determinism suite (test/util/example-run.ts): 1, 2 and 3 threads
 * in fresh processes, another seed, WebGPU vs CPU, and a kill during a checkpoint write resumed with --resume, all
 * compared by history.json bytes.
 */
import { exampleDeterminismSuite } from '../util/example-run.ts';

await exampleDeterminismSuite('examples/sequence.ts');
