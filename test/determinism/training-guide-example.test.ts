/**
 * Proof for the Keras-guide example (examples/training-guide.ts: functional MLP, RMSprop, array fits with reserved
 * validation data, validationSplit and classWeight, EarlyStopping, ModelCheckpoint to .keras, ReduceLROnPlateau,
 * CSVLogger, loadModel of a checkpoint, model.save + loadModel + continued training) on a CI-sized subset of MNIST:
 * fresh processes with 1 and 2 CPU threads write byte-identical history.json (every section's History bits and the
 * final weights digest) and CSVLogger files; another seed gives another digest; the WebGPU backend gives the CPU's
 * bits (skipped with the reason without an adapter, failing under REQUIRE_WEBGPU=1). Every run also checks, inside
 * the example, that the reloaded model continues bit for bit as the model that was never saved (it exits 1
 * otherwise).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../util/subprocess.ts';
import { itWebGpu, webgpuUnavailableInChild } from '../util/webgpu.ts';

// 320 training samples (64 reserved), 64 test samples; the callbacks section runs 3 epochs.
const SUBSET = ['--train-size', '384', '--test-size', '64', '--epochs', '3', '--quiet'];
const root = mkdtempSync(join(tmpdir(), 'ditto-training-guide-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run { stdout: string; stderr: string; code: number | null; out: string }

/** Runs the example in one fresh Node process with its own --out directory. */
function example(name: string, args: string[]): Promise<Run> {
  const out = join(root, name);
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/training-guide.ts', ...args, '--out', out], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', rej);
    child.on('close', (code) => res({ stdout, stderr, code, out }));
  });
}

const file = (r: Run, name: string) => readFileSync(join(r.out, name));
const record = (r: Run) => JSON.parse(file(r, 'history.json').toString());
const RELOAD_EXACT = 'The reloaded model continues bit for bit as the model that was never saved: yes';

// Asked in a child process: this file only spawns processes and never starts Dawn itself.
const unavailable = await webgpuUnavailableInChild();

describe('examples/training-guide.ts (subset)', () => {
  it('gives the same bits with 1 and 2 threads in fresh processes; another seed differs; the reloaded model continues exactly', async () => {
    const [a, b, c] = await Promise.all([
      example('t1', [...SUBSET, '--backend', 'cpu', '--threads', '1']),
      example('t2', [...SUBSET, '--backend', 'cpu', '--threads', '2']),
      example('s813', [...SUBSET, '--backend', 'cpu', '--seed', '813']),
    ]);
    for (const r of [a, b, c]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(RELOAD_EXACT);
    }
    expect(file(a, 'history.json').equals(file(b, 'history.json'))).toBe(true);
    expect(file(a, 'training.log').equals(file(b, 'training.log'))).toBe(true);
    const ra = record(a);
    expect(ra.weightsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(record(c).weightsDigest).not.toBe(ra.weightsDigest);
    expect(Object.keys(ra.history)).toEqual([
      'callbacks.learning_rate', 'callbacks.loss', 'callbacks.sparse_categorical_accuracy', 'callbacks.sparse_top_k_categorical_accuracy',
      'callbacks.val_loss', 'callbacks.val_sparse_categorical_accuracy', 'callbacks.val_sparse_top_k_categorical_accuracy',
      'checkpoint.test.loss', 'checkpoint.test.sparse_categorical_accuracy', 'checkpoint.test.sparse_top_k_categorical_accuracy',
      'class_weight.loss', 'class_weight.sparse_categorical_accuracy', 'class_weight.sparse_top_k_categorical_accuracy',
      'continued.loss', 'continued.sparse_categorical_accuracy', 'continued.sparse_top_k_categorical_accuracy',
      'continued.val_loss', 'continued.val_sparse_categorical_accuracy', 'continued.val_sparse_top_k_categorical_accuracy',
      'end_to_end.loss', 'end_to_end.sparse_categorical_accuracy', 'end_to_end.test.loss', 'end_to_end.test.sparse_categorical_accuracy',
      'end_to_end.val_loss', 'end_to_end.val_sparse_categorical_accuracy',
      'validation_split.loss', 'validation_split.sparse_categorical_accuracy', 'validation_split.sparse_top_k_categorical_accuracy',
      'validation_split.val_loss', 'validation_split.val_sparse_categorical_accuracy', 'validation_split.val_sparse_top_k_categorical_accuracy',
    ]);
    expect(ra.history['callbacks.loss']).toHaveLength(3);
    // The CSVLogger file has the callbacks section's History, in Keras's columns.
    const csv = file(a, 'training.log').toString().split('\r\n');
    expect(csv[0]).toBe('epoch,learning_rate,loss,sparse_categorical_accuracy,sparse_top_k_categorical_accuracy,val_loss,val_sparse_categorical_accuracy,val_sparse_top_k_categorical_accuracy');
    expect(csv.slice(1, 4).map((l) => Number(l.split(',')[2]))).toEqual(ra.history['callbacks.loss']);
    // A second run into the same directory compares with the first one and finds it identical.
    const again = await example('t1', [...SUBSET, '--backend', 'cpu', '--threads', '2']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Result: IDENTICAL/);
  }, 300_000);

  itWebGpu('gives the same History bits and weights digest on WebGPU as on the CPU', unavailable, async () => {
    const [cpu, gpu] = await Promise.all([example('cpu', [...SUBSET, '--backend', 'cpu']), example('gpu', [...SUBSET, '--backend', 'webgpu'])]);
    expect(cpu.code, cpu.stderr).toBe(0);
    expect(gpu.code, gpu.stderr).toBe(0);
    expect(gpu.stdout).toContain(RELOAD_EXACT);
    const [hc, hg] = [record(cpu), record(gpu)];
    expect(hg.backend).toBe('webgpu');
    expect(hg.bits).toEqual(hc.bits);
    expect(hg.weightsDigest).toBe(hc.weightsDigest);
    expect(file(gpu, 'training.log').equals(file(cpu, 'training.log'))).toBe(true);
  }, 300_000);
});
