/**
 * The third reference example: a recurrent classifier that reads each MNIST image as a sequence of
 * 28 rows of 28 pixels (Keras's classic "LSTM over MNIST rows"), reproducible to the bit. An LSTM
 * runs over the rows (Keras's defaults: tanh/sigmoid, orthogonal recurrent kernel, unitForgetBias)
 * and a Dense softmax reads its last output; Adam with a cosine-decayed learning rate. The
 * recurrence is a loop of ordinary ops whose every sum has one written order, so the History and
 * the weights are the same on every run, at any
 * thread count, on the CPU and WebGPU backends, and after a resume. The History goes to
 * <out>/history.json and is compared with the previous run's there; the final weights digest is
 * printed.
 *
 * Usage: npm run example:sequence -- [--epochs 4] [--train-size 60000] [--test-size 10000]
 *                                    [--backend cpu|webgpu] [--seed 812] [--out sequence-run] [--threads N]
 *                                    [--quiet] [--checkpoint-every N] [--checkpoint-dir <out>/checkpoints]
 *                                    [--resume]
 * Same options and checkpoint/resume behaviour as examples/reproducibility.ts.
 */
import * as dt from '../src/index.ts';
import { checkpointing } from './lib/checkpointing.ts';
import { mnistData, trainAndRecord } from './lib/mnist-run.ts';
import { parseOptions } from './lib/options.ts';

const PROGRAM = 'sequence';
const UNITS = 64;   // LSTM units
const BATCH = 128;  // images per step
const opts = parseOptions(process.argv.slice(2), { name: PROGRAM, command: 'npm run example:sequence --', defaults: { epochs: 4, out: 'sequence-run' } });
const t0 = performance.now();
const log = (s = '') => process.stdout.write(s + '\n');

dt.utils.setRandomSeed(opts.seed);
dt.config.enableOpDeterminism();
if (opts.threads !== undefined) dt.config.setNumThreads(opts.threads);
if (opts.backend) await dt.setBackend(opts.backend);
else await dt.ready();
log(`Backend: ${dt.getBackend()} (${dt.getBackendInfo().description})`);
const fitCheckpointing = checkpointing(PROGRAM, opts, log);

// ---------------------------------------------------------------- The model
function buildModel(): dt.Model {
  const inputs = dt.Input({ shape: [28, 28], name: 'rows' });          // uint8 images: 28 timesteps of 28 features
  const x = new dt.layers.Rescaling(1 / 255).apply(inputs);
  const h = new dt.layers.LSTM(UNITS).apply(x) as dt.SymbolicTensor;     // the last output [N, UNITS]
  const outputs = new dt.layers.Dense(10, { activation: 'softmax' }).apply(h);
  return new dt.Model({ inputs, outputs, name: 'sequence' });
}


// ---------------------------------------------------------------- Data, train, evaluate, record
const data = await mnistData(opts, BATCH);
await trainAndRecord(buildModel(), data, { opts, batch: BATCH, fitCheckpointing, log, t0 });
