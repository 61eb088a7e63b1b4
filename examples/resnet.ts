/**
 * The second reference example: a small residual network, written with the functional API, trained
 * on MNIST with seeded augmentation, reproducible to the bit. Keras's idioms throughout: a
 * `Sequential` of RandomRotation/RandomTranslation/RandomZoom used as the first block of the model
 * (active only in training, its draws from the layers' own seed generators), Conv–BatchNorm–ReLU
 * blocks with Add skips, strided downsampling blocks with 1x1 projections on their skip paths,
 * GlobalAveragePooling2D and a Dense softmax, trained with Adam on a cosine-decayed learning rate
 * in batches of 128. The History goes to <out>/history.json and is compared
 * with the previous run's there; the final weights digest is printed.
 *
 * Usage: npm run example:resnet -- [--epochs 5] [--train-size 60000] [--test-size 10000]
 *                                  [--backend cpu|webgpu] [--seed 812] [--out resnet-run] [--threads N]
 *                                  [--quiet] [--checkpoint-every N] [--checkpoint-dir <out>/checkpoints]
 *                                  [--resume]
 * Same options and checkpoint/resume behaviour as examples/reproducibility.ts.
 */
import * as dt from '../src/index.ts';
import { checkpointing } from './lib/checkpointing.ts';
import { mnistData, trainAndRecord } from './lib/mnist-run.ts';
import { parseOptions } from './lib/options.ts';
import { buildResnet } from './lib/resnet-model.ts';

const PROGRAM = 'resnet';
const opts = parseOptions(process.argv.slice(2), { name: PROGRAM, command: 'npm run example:resnet --', defaults: { epochs: 5, out: 'resnet-run' } });
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');

dt.utils.setRandomSeed(opts.seed);
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);
const fitCheckpointing = checkpointing(PROGRAM, opts, log);

// ---------------------------------------------------------------- Data, train, evaluate, record
const BATCH = 128;
const data = await mnistData(opts, BATCH);
await trainAndRecord(buildResnet(), data, { opts, batch: BATCH, fitCheckpointing, log, t0 });
