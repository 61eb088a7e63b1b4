/**
 * The training run of the kill-and-resume tests (test/resume/kill-resume.test.ts): a small CNN with
 * unseeded initializers and two Dropout layers, trained for 3 epochs of 5 steps on a shuffled,
 * mapped, prefetched synthetic dataset with validation, EarlyStopping(restoreBestWeights) and a
 * stateful marker callback, all seeded only by setRandomSeed(812).
 *
 * It prints one marker line per event on stdout, `step <global step>` after each step and
 * `saved <global step>` after each checkpoint; with `--pause-at <marker>` it prints
 * `PAUSED <marker>` there and waits forever, for the parent to SIGKILL it at that exact point.
 * At the end it prints `RESULT <json>`: History JSON, digests of weights and optimizer slots,
 * optimizer step, seed generator states and a digest of the global random state.
 *
 * Usage: tsx test/resume/scripts/train.ts --backend cpu|webgpu [--dir D] [--every-steps N]
 *        [--every-epoch] [--resume] [--pause-at 'step 8']
 * (Whether WebGPU is available is asked of test/util/scripts/webgpu-probe.ts, the tests' one probe.)
 */
import { createHash } from 'node:crypto';
import * as dt from '../../../src/index.ts';
import { digestTensors } from '../../../src/nn/digest.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const value = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const backend = (value('--backend') ?? 'cpu') as dt.BackendName;
const say = (line: string): void => {
  process.stdout.write(line + '\n');
};

await dt.setBackend(backend);
dt.utils.setRandomSeed(812);
const pauseAt = value('--pause-at');

/** Prints a marker; at the pause marker, waits for the parent's SIGKILL. */
async function marker(line: string): Promise<void> {
  say(line);
  if (line !== pauseAt) return;
  say(`PAUSED ${line}`);
  setInterval(() => {}, 1000);
  await new Promise(() => {});
}

/** Fixed uint8 10x10 images (an LCG, not the engine's RNG): the brightest of 3 bands is the label. */
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
const [xTrain, yTrain] = images(76, 1); // 5 batches of 16, the last one of 12
const [xTest, yTest] = images(32, 2);
// Unseeded shuffle: its seed is drawn from the generator that setRandomSeed(812) seeded.
const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(76).batch(16).map(prepare, { numParallelCalls: dt.data.AUTOTUNE }).prefetch(dt.data.AUTOTUNE);
const test = dt.data.Dataset.fromTensorSlices([xTest, yTest]).batch(16).map(prepare);

const L = dt.layers;
const model = new dt.Sequential([
  new L.Conv2D(8, [3, 3], { activation: 'relu' }),
  new L.MaxPooling2D([2, 2]),
  new L.Dropout(0.25),
  new L.Conv2D(8, [3, 3], { activation: 'relu' }),
  new L.GlobalAveragePooling2D(),
  new L.Dense(16, { activation: 'relu' }),
  new L.Dropout(0.25),
  new L.Dense(3, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

/** Prints `step <g>` after every step; keeps (and checkpoints) the epoch and the batches it saw. */
class StepMarker extends dt.Callback {
  epoch = -1;
  seen = 0;
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  override async onBatchEnd(): Promise<void> {
    this.seen++;
    await marker(`step ${model.compiled!.optimizer.iterations}`);
  }
  override getState(): dt.callbacks.CallbackState {
    return { json: { epoch: this.epoch, seen: this.seen }, arrays: [] };
  }
  override setState(st: dt.callbacks.CallbackState): void {
    this.epoch = st.json.epoch as number;
    this.seen = st.json.seen as number;
  }
}

const dir = value('--dir');
const everySteps = value('--every-steps');
const checkpoint = dir && (everySteps || flag('--every-epoch'))
  ? { dir, everySteps: everySteps ? Number(everySteps) : undefined, everyEpoch: flag('--every-epoch'), onSaved: (w: dt.checkpoint.WrittenCheckpoint) => marker(`saved ${w.globalStep}`) }
  : undefined;
let resumeFrom: ReturnType<typeof dt.checkpoint.findLatestCheckpoint> | undefined;
if (flag('--resume')) {
  resumeFrom = dt.checkpoint.findLatestCheckpoint(dir!);
  say(resumeFrom ? `resuming ${resumeFrom.checkpoint.name}` : 'fresh: no checkpoint');
  for (const s of resumeFrom?.skipped ?? []) say(`skipped ${s.name}`);
}
const stepMarker = new StepMarker();
const earlyStopping = new dt.EarlyStopping({ monitor: 'val_loss', patience: 10, restoreBestWeights: true });
const history = await model.fit(train, {
  epochs: 3,
  validationData: test,
  verbose: 0,
  callbacks: [earlyStopping, stepMarker],
  checkpoint,
  resumeFrom: resumeFrom ?? undefined,
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const layers = model.layers.filter((l) => l instanceof L.Dropout) as dt.layers.Dropout[];
say(`RESULT ${JSON.stringify({
  backend: dt.getBackend(),
  history: JSON.stringify(history.toJSON()),
  weightsDigest: await dt.utils.weightsDigest(model),
  optimizerDigest: await digestTensors(model.compiled!.optimizer.variables()),
  iterations: model.compiled!.optimizer.iterations,
  seedGenerators: layers.map((l) => l.seedGenerator!.getState()),
  randomState: sha(JSON.stringify(dt.utils.getRandomState())),
  stepMarker: { epoch: stepMarker.epoch, seen: stepMarker.seen },
  earlyStopping: { best: earlyStopping.best, bestEpoch: earlyStopping.bestEpoch, wait: earlyStopping.wait },
})}`);
await dt.shutdown();
process.exit(0);
