/**
 * Proof for the ResNet example (examples/resnet.ts: functional API, BatchNormalization, Add skips,
 * seeded RandomRotation/RandomTranslation/RandomZoom) on a CI-sized subset of MNIST: the examples' determinism
 * suite (test/util/example-run.ts): 1, 2 and 3 threads in fresh processes, another seed, WebGPU vs CPU, and a
 * kill during a checkpoint write resumed with --resume, all compared by history.json bytes.
 */
import { exampleDeterminismSuite } from '../util/example-run.ts';

await exampleDeterminismSuite('examples/resnet.ts');
