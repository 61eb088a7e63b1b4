/**
 * The training run of test/resume/backup-and-restore.test.ts: smallCnn-like model, SGD, a shuffled Dataset with
 * validation, and the callbacks BackupAndRestore(--backup-dir, --save-freq), ReduceLROnPlateau (which changes the
 * learning rate every epoch), CSVLogger (--csv) and a marker callback, 4 epochs of 3 steps. It prints
 * `step <global step>` after every step; with `--pause-at <marker>` it prints `PAUSED <marker>` there and waits
 * for the parent's SIGKILL. At the end: `RESULT <json>` (History JSON, weights digest, learning rate, the CSV
 * text, whether the backup directory is gone).
 *
 * Usage: tsx test/resume/scripts/backup-train.ts --backup-dir D --csv F [--save-freq N] [--pause-at 'step 5']
 */
import { existsSync, readFileSync } from 'node:fs';
import * as dt from '../../../src/index.ts';

const args = process.argv.slice(2);
const value = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const say = (line: string): void => {
  process.stdout.write(line + '\n');
};
await dt.setBackend('cpu');
dt.utils.setRandomSeed(77);
const pauseAt = value('--pause-at');

/** Fixed band images (an LCG, not the engine's RNG). */
function images(count: number, salt: number): [dt.Tensor, dt.Tensor] {
  let s = (salt * 2654435761) >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(count * 64);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = Math.floor(next() * 3);
    for (let p = 0; p < 64; p++) x[i * 64 + p] = (Math.min(2, Math.floor((Math.floor(p / 8) * 3) / 8)) === y[i] ? 0.8 : 0.1) + 0.2 * next();
  }
  return [dt.tensor(x, [count, 8, 8, 1]), dt.tensor(y, [count], 'int32')];
}
const [x, y] = images(24, 1);
const [vx, vy] = images(16, 2);
const train = dt.data.Dataset.fromTensorSlices([x, y]).shuffle(24).batch(8);
const test = dt.data.Dataset.fromTensorSlices([vx, vy]).batch(8);
const L = dt.layers;
const model = new dt.Sequential([
  new L.Conv2D(4, [3, 3], { activation: 'relu', inputShape: [8, 8, 1] }),
  new L.MaxPooling2D([2, 2]),
  new L.Dropout(0.2),
  new L.GlobalAveragePooling2D(),
  new L.Dense(3, { activation: 'softmax' }),
]);
model.compile({ optimizer: new dt.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

class Marker extends dt.Callback {
  override async onBatchEnd(): Promise<void> {
    const line = `step ${model.compiled!.optimizer.iterations}`;
    say(line);
    if (line !== pauseAt) return;
    say(`PAUSED ${line}`);
    setInterval(() => {}, 1000);
    await new Promise(() => {});
  }
}

const backupDir = value('--backup-dir')!;
const csv = value('--csv')!;
const freq = value('--save-freq');
say(existsSync(backupDir) ? 'backup found' : 'fresh');
const history = await model.fit(train, {
  epochs: 4,
  verbose: 0,
  validationData: test,
  callbacks: [
    new dt.callbacks.BackupAndRestore({ backupDir, saveFreq: freq ? Number(freq) : 'epoch' }),
    new dt.callbacks.ReduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 1, factor: 0.5 }),
    new dt.callbacks.CSVLogger(csv),
    new Marker(),
  ],
});
say(`RESULT ${JSON.stringify({
  history: JSON.stringify(history.toJSON()),
  weightsDigest: await dt.utils.weightsDigest(model),
  learningRate: model.compiled!.optimizer.currentLearningRate(),
  iterations: model.compiled!.optimizer.iterations,
  csv: readFileSync(csv, 'utf8'),
  backupDeleted: !existsSync(backupDir),
})}`);
await dt.shutdown();
process.exit(0);
