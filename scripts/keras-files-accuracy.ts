/**
 * The MNIST test accuracy of every model file in ../shared/keras-files (saved by Python Keras), loaded with
 * dt.models.loadModel and evaluated on all 10,000 test images (pixels / 255, shaped as each model's input:
 * examples/lib/mnist-for-model.ts), next to the accuracy its author reports (the folder's README). Too slow for the
 * test suite; test/unit/nn/keras-real-files.test.ts checks 16 images against a float64 forward pass.
 * Usage: npx tsx scripts/keras-files-accuracy.ts [dir]   (default ../shared/keras-files)
 * Scripts may import anything.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as dt from '../src/index.ts';
import { accuracyOf, imagesFor } from '../examples/lib/mnist-for-model.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = resolve(process.argv[2] ?? resolve(ROOT, '..', 'shared', 'keras-files'));
/** What the README says each file's author reports. */
const REPORTED: Record<string, string> = {
  'mnist-mlp-k3.14.keras': '0.9602 (10,000 test images)',
  'mnist-mlp-k3.14-legacy.h5': '0.9602 (10,000 test images)',
  'mnist-lstm-k3.9.keras': '0.9679 (test set, after 1 epoch)',
  'mnist-cnn-bn-k3.10.keras': '0.99596 (Kaggle digit recognizer, not the MNIST test set)',
  'mnist-cnn-dropout-k2.10.h5': '0.9938 (test set)',
};

if (!existsSync(DIR)) throw new Error(`no folder ${DIR}`);
await dt.setBackend('cpu');
const [, [xTest, yTest]] = await dt.datasets.mnist.loadData();
for (const file of readdirSync(DIR).filter((f) => /\.(keras|h5)$/.test(f) && !f.endsWith('.weights.h5')).sort()) {
  const t0 = performance.now();
  let line: string;
  try {
    const m = await dt.models.loadModel(resolve(DIR, file), { compile: false });
    const x = imagesFor(m, xTest);
    const p = await m.predict(x, { batchSize: 500 });
    line = `ours ${(await accuracyOf(p, yTest)).toFixed(4)}`;
    dt.dispose([x, p]);
    m.dispose();
  } catch (e) {
    line = `not loadable: ${(e as Error).message}`;
  }
  process.stdout.write(`${file}: ${line}; author: ${REPORTED[file] ?? '?'} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
await dt.shutdown();
