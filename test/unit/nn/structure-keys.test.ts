/**
 * Structure keys (issue 18; Keras 3's saving_lib `_save_container_state`): per-container class-name
 * counters for Sequential (leading InputLayer left out, as Keras's `Sequential.layers`), Functional
 * (InputLayers included) and nested models, independent of the layers' global auto-names; and
 * saveWeights -> a fresh build of the same architecture -> loadWeights, in one process, for
 * safetensors (matched by structure by default; by name or order on request; files without
 * structure keys still load by name).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { decodeSafetensors, encodeSafetensors } from '../../../src/nn/index.ts';
import { structureOf } from '../../../src/nn/saving/structure-keys.ts';

const L = dt.layers;
let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-structure-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = (m: dt.Sequential | dt.Model) => structureOf(m).entries.map((e) => `${e.key} <- ${e.variable.name}`);

function cnn(seed: number): dt.Sequential {
  const k = { kernelInitializer: new dt.initializers.GlorotUniform({ seed }), biasInitializer: new dt.initializers.RandomNormal({ seed: seed + 1 }) };
  return new dt.Sequential([
    dt.layers.Input({ shape: [6, 6, 1] }),
    new L.Conv2D(2, 3, k),
    new L.Conv2D(3, 3, k),
    new L.Flatten(),
    new L.Dense(4, k),
    new L.Dense(2, k),
  ]);
}

describe('structure keys', () => {
  it('Sequential: class-name counters per container, whatever the global names; groups carry the names', () => {
    cnn(1).dispose(); // moves the global counters: the next model's layers are conv2d_2, conv2d_3, dense_2, ...
    const m = cnn(2);
    expect(m.layers[1].name).toBe('conv2d_2');
    expect(keys(m)).toEqual([
      'layers/conv2d/vars/0 <- conv2d_2/kernel', 'layers/conv2d/vars/1 <- conv2d_2/bias',
      'layers/conv2d_1/vars/0 <- conv2d_3/kernel', 'layers/conv2d_1/vars/1 <- conv2d_3/bias',
      'layers/dense/vars/0 <- dense_2/kernel', 'layers/dense/vars/1 <- dense_2/bias',
      'layers/dense_1/vars/0 <- dense_3/kernel', 'layers/dense_1/vars/1 <- dense_3/bias',
    ]);
    expect(structureOf(m).groups.map((g) => `${g.path}=${g.name}`)).toEqual([
      `vars=${m.name}`, 'layers/conv2d/vars=conv2d_2', 'layers/conv2d_1/vars=conv2d_3', 'layers/flatten/vars=flatten_1',
      'layers/dense/vars=dense_2', 'layers/dense_1/vars=dense_3',
    ]);
    m.dispose();
  });

  it('Functional: InputLayers are in the container; nested models get their own container; a shared layer counts once', () => {
    const inner = (() => {
      const i = dt.Input({ shape: [3] });
      return new dt.Model({ inputs: i, outputs: new L.Dense(2).apply(new L.Dense(3).apply(i)), name: 'inner' });
    })();
    const seq = new dt.Sequential([new L.Dense(2, { inputShape: [2] })], { name: 'seq' });
    const x = dt.Input({ shape: [3] });
    const shared = new L.Dense(3);
    const h = shared.apply(shared.apply(x));
    const outer = new dt.Model({ inputs: x, outputs: seq.apply(inner.apply(h)) });
    expect(keys(outer).map((k) => k.split(' <- ')[0])).toEqual([
      'layers/dense/vars/0', 'layers/dense/vars/1',
      'layers/functional/layers/dense/vars/0', 'layers/functional/layers/dense/vars/1',
      'layers/functional/layers/dense_1/vars/0', 'layers/functional/layers/dense_1/vars/1',
      'layers/sequential/layers/dense/vars/0', 'layers/sequential/layers/dense/vars/1',
    ]);
    expect(structureOf(outer).groups.map((g) => g.path)).toEqual([
      'vars', 'layers/input_layer/vars', 'layers/dense/vars',
      'layers/functional/vars', 'layers/functional/layers/input_layer/vars', 'layers/functional/layers/dense/vars', 'layers/functional/layers/dense_1/vars',
      'layers/sequential/vars', 'layers/sequential/layers/dense/vars',
    ]);
    // every weight of the model has exactly one key
    expect(new Set(structureOf(outer).entries.map((e) => e.variable))).toEqual(new Set(outer.weights));
    outer.dispose();
  });
});

describe('saveWeights -> fresh build -> loadWeights (safetensors)', () => {
  it('loads into a second build of the architecture (other auto-names) bit for bit, by structure', async () => {
    const a = cnn(3);
    const p = join(dir, 'a.safetensors');
    await a.saveWeights(p);
    const { tensors, metadata } = decodeSafetensors(readFileSync(p));
    expect(Object.keys(tensors)).toEqual(a.weights.map((w) => w.name).sort()); // tensor names as before
    expect(JSON.parse(metadata.structure)).toEqual(structureOf(a).entries.map((e) => e.key));
    const b = cnn(4); // conv2d_<n+2>, ...: different names
    expect(b.weights[0].name).not.toBe(a.weights[0].name);
    const before = await b.weightsDigest();
    await expect(b.loadWeights(p, { matchBy: 'name' })).rejects.toThrow(/weight names do not match the model/);
    expect(await b.weightsDigest()).toBe(before);
    await b.loadWeights(p);
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    // another architecture: a clear error naming the keys, the model untouched
    const c = new dt.Sequential([dt.layers.Input({ shape: [6, 6, 1] }), new L.Conv2D(2, 3), new L.Flatten(), new L.Dense(2)]);
    const cBefore = await c.weightsDigest();
    await expect(c.loadWeights(p)).rejects.toThrow(/structure keys do not match the model .*Missing in file: \[\]; not in model: \[layers\/conv2d_1\/vars\/0, layers\/conv2d_1\/vars\/1, layers\/dense_1\/vars\/0, layers\/dense_1\/vars\/1\]/);
    expect(await c.weightsDigest()).toBe(cBefore);
    for (const m of [a, b, c]) m.dispose();
  });

  it('files without structure keys load by name as before; a damaged structure list is a DataFormatError', async () => {
    const a = cnn(5);
    const p = join(dir, 'old.safetensors');
    await a.saveWeights(p);
    const { tensors, metadata } = decodeSafetensors(readFileSync(p));
    writeFileSync(p, encodeSafetensors(tensors, { format: 'ditto', order: metadata.order }));
    const same = cnn(6);
    await expect(same.loadWeights(p)).rejects.toThrow(/weight names do not match/); // the old behaviour: names differ
    await same.loadWeights(p, { matchBy: 'order' });
    expect(await same.weightsDigest()).toBe(await a.weightsDigest());
    for (const structure of ['nope', '[1,2]', JSON.stringify(['a', 'a', 'b', 'c', 'd', 'e', 'f', 'g'])]) {
      writeFileSync(p, encodeSafetensors(tensors, { format: 'ditto', order: metadata.order, structure }));
      await expect(same.loadWeights(p), structure).rejects.toThrow(dt.DataFormatError);
    }
    await expect(same.loadWeights(p, { matchBy: 'shape' as never })).rejects.toThrow(/expected matchBy to be 'structure', 'name' or 'order'/);
    a.dispose();
    same.dispose();
  });
});
