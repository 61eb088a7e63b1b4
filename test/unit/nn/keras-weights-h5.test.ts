/**
 * Keras's weight files through model.saveWeights / loadWeights: `.weights.h5` in Keras 3's layout
 * (written, read back bit for bit, group by group the same layout as a file Keras 3.14 wrote), the
 * real Keras files of ../shared/keras-files (gated on their presence, never copied here), legacy
 * `.h5` weights (Keras 3's legacy writer and Keras 2.10, plus a handwritten Keras 2 style fixture),
 * `.keras` archives, and each kind of bad file with its error and the model left untouched.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { type H5Dataset, type H5Group, type H5GroupSpec, readHdf5, writeHdf5 } from '../../../src/nn/saving/hdf5.ts';
import { readKerasArchive, writeKerasArchive } from '../../../src/nn/saving/keras-archive.ts';
import { writeZip } from '../../../src/nn/saving/zip.ts';
import { ROOT } from '../../util/subprocess.ts';

const L = dt.layers;
const KERAS_FILES = resolve(ROOT, '..', 'shared', 'keras-files');
const real = (f: string) => join(KERAS_FILES, f);
const hasReal = (f: string) => existsSync(real(f));

let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-keras-h5-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => resetNames());

/** The MNIST MLP of ../shared/keras-files (Keras: InputLayer, Flatten, Dense 64/32/16 relu, Dense 10 softmax). */
function mlp(seed = 1): dt.Sequential {
  const k = (s: number) => ({ kernelInitializer: new dt.initializers.GlorotUniform({ seed: seed * 10 + s }), biasInitializer: new dt.initializers.RandomNormal({ seed: seed * 10 + s + 5 }) });
  return new dt.Sequential([
    dt.layers.Input({ shape: [28, 28] }),
    new L.Flatten(),
    new L.Dense(64, { activation: 'relu', ...k(1) }),
    new L.Dense(32, { activation: 'relu', ...k(2) }),
    new L.Dense(16, { activation: 'relu', ...k(3) }),
    new L.Dense(10, { activation: 'softmax', ...k(4) }),
  ]);
}

/** The Keras 2.10 CNN of mnist-cnn-dropout-k2.10.h5. */
function cnn(): dt.Sequential {
  return new dt.Sequential([
    dt.layers.Input({ shape: [28, 28, 1] }),
    new L.Conv2D(16, 5, { padding: 'same' }),
    new L.Activation('relu'),
    new L.MaxPooling2D(2),
    new L.Conv2D(36, 5, { padding: 'same' }),
    new L.Activation('relu'),
    new L.MaxPooling2D(2),
    new L.Dropout(0.25),
    new L.Flatten(),
    new L.Dense(128, { activation: 'relu' }),
    new L.Dropout(0.5),
    new L.Dense(10, { activation: 'softmax' }),
  ]);
}

/** "path: attr=value" for every group and "path <f[784,64]" for every dataset of a tree, sorted. */
function layout(g: H5Group, path = ''): string[] {
  const out = Object.entries(g.attrs).map(([k, v]) => `${path || '/'}@${k}=${JSON.stringify(v)}`);
  for (const [k, c] of g.children) {
    const p = path ? `${path}/${k}` : k;
    out.push(c.kind === 'group' ? `${p}/` : `${p} ${c.dtype}[${c.shape.join(',')}]`);
    if (c.kind === 'group') out.push(...layout(c, p));
  }
  return out.sort();
}

const node = (g: H5Group, path: string) => path.split('/').reduce<H5Group | H5Dataset | undefined>((n, k) => (n?.kind === 'group' ? n.children.get(k) : undefined), g);
const bits = (a: ArrayLike<number>) => Buffer.from(Float32Array.from(a).buffer).toString('hex');

async function expectUnchanged(m: dt.Sequential, load: () => Promise<void>, message: RegExp): Promise<void> {
  const before = await m.weightsDigest();
  await expect(load()).rejects.toThrow(dt.DataFormatError);
  await expect(load()).rejects.toThrow(message);
  expect(await m.weightsDigest()).toBe(before);
}

describe('.weights.h5 (Keras 3 layout)', () => {
  it('round-trips ditto -> .weights.h5 -> a fresh build bit for bit, with Keras 3.14 group names and attributes', async () => {
    const a = mlp(1);
    const p = join(dir, 'mlp.weights.h5');
    await a.saveWeights(p);
    const tree = await readHdf5(readFileSync(p), p);
    // The layout Keras 3.14 wrote for this model, less the optimizer group (ditto writes no optimizer state).
    const expected = [
      'vars@name="sequential"',
      'layers/', 'vars/',
      'layers/flatten/', 'layers/flatten/vars/', 'layers/flatten/vars@name="flatten"',
      ...['dense', 'dense_1', 'dense_2', 'dense_3'].flatMap((d) => [`layers/${d}/`, `layers/${d}/vars/`, `layers/${d}/vars@name="${d}"`]),
      'layers/dense/vars/0 <f[784,64]', 'layers/dense/vars/1 <f[64]', 'layers/dense_1/vars/0 <f[64,32]', 'layers/dense_1/vars/1 <f[32]',
      'layers/dense_2/vars/0 <f[32,16]', 'layers/dense_2/vars/1 <f[16]', 'layers/dense_3/vars/0 <f[16,10]', 'layers/dense_3/vars/1 <f[10]',
    ].sort();
    expect(layout(tree)).toEqual(expected);
    if (hasReal('mnist-mlp-k3.14.weights.h5')) {
      const keras = await readHdf5(readFileSync(real('mnist-mlp-k3.14.weights.h5')), 'real');
      keras.children.delete('optimizer');
      expect(layout(tree)).toEqual(layout(keras));
    }
    const b = mlp(2);
    expect(await b.weightsDigest()).not.toBe(await a.weightsDigest());
    await b.loadWeights(p);
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    a.dispose();
    b.dispose();
  });

  it('refuses to save weights to .keras or a plain .h5 (Keras requires .weights.h5)', async () => {
    const a = mlp();
    await expect(a.saveWeights(join(dir, 'x.keras'))).rejects.toThrow(/expected a path ending in '.weights.h5'.*model.save/);
    await expect(a.saveWeights(join(dir, 'x.h5'))).rejects.toThrow(/expected a path ending in '.weights.h5'/);
    a.dispose();
  });
});

/** The MLP compiled with `optimizer` and trained for two batches of 4 (seeded inputs). */
async function trained(seed: number, optimizer: dt.optimizers.Optimizer): Promise<dt.Sequential> {
  const m = mlp(seed);
  m.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
  await m.fit(batchesOf(seed), { verbose: 0 });
  return m;
}
function batchesOf(seed: number) {
  const x = dt.tensor(Float32Array.from({ length: 8 * 784 }, (_, i) => ((i * 7919 + seed * 31) % 256) / 255), [8, 28, 28]);
  const y = dt.tensor(Int32Array.from({ length: 8 }, (_, i) => (i * 3 + seed) % 10), [8], 'int32');
  return dt.data.Dataset.fromTensorSlices([x, y]).batch(4);
}
const slotBits = async (opt: dt.optimizers.Optimizer) => Promise.all(opt.variables().map(async (v) => bits(await v.data() as Float32Array)));

describe('optimizer state (optimizer/vars)', () => {
  it('Adam: written in Keras 3.14\'s layout (the whole file as Keras wrote it), read back, training continues bit for bit', async () => {
    const adamA = new dt.optimizers.Adam({ learningRate: 0.002 });
    const a = await trained(1, adamA);
    const p = join(dir, 'adam.weights.h5');
    await a.saveWeights(p);
    const tree = await readHdf5(readFileSync(p), p);
    expect(node(tree, 'optimizer/vars')?.attrs).toEqual({ name: 'adam' });
    expect((node(tree, 'optimizer/vars/0') as H5Dataset).data).toEqual(BigInt64Array.of(2n));
    if (hasReal('mnist-mlp-k3.14.weights.h5')) {
      const keras = await readHdf5(readFileSync(real('mnist-mlp-k3.14.weights.h5')), 'real');
      expect(layout(tree)).toEqual(layout(keras));
    }
    const adamB = new dt.optimizers.Adam({ learningRate: 0.002 });
    const b = mlp(5);
    b.compile({ optimizer: adamB, loss: 'sparse_categorical_crossentropy' });
    await b.loadWeights(p);
    expect(adamB.iterations).toBe(2);
    expect(await slotBits(adamB)).toEqual(await slotBits(adamA));
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    // one more epoch on each: the same bits
    await a.fit(batchesOf(9), { verbose: 0 });
    await b.fit(batchesOf(9), { verbose: 0 });
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    // a learning rate set during training is saved and restored
    adamA.setLearningRate(0.0005);
    await a.saveWeights(p);
    await b.loadWeights(p);
    expect(adamB.currentLearningRate()).toBe(Math.fround(0.0005));
    a.dispose();
    b.dispose();
  });

  it('another optimizer, or one whose Keras layout varies (amsgrad), skips the group as Keras does; a bad slot is an error', async () => {
    const a = await trained(2, new dt.optimizers.Adam());
    const p = join(dir, 'skip.weights.h5');
    await a.saveWeights(p);
    const sgd = new dt.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 });
    const b = mlp(3);
    b.compile({ optimizer: sgd, loss: 'sparse_categorical_crossentropy' });
    await b.loadWeights(p);
    expect(await b.weightsDigest()).toBe(await a.weightsDigest());
    expect(sgd.iterations).toBe(0);
    expect(sgd.variables()).toEqual([]);
    const ams = await trained(2, new dt.optimizers.Adam({ amsgrad: true }));
    await ams.saveWeights(p);
    expect(node(await readHdf5(readFileSync(p), p), 'optimizer')).toBeUndefined();
    // SGD with momentum: one slot per weight, written and read
    const s1 = await trained(4, sgd);
    await s1.saveWeights(p);
    const sgd2 = new dt.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 });
    const s2 = mlp(6);
    s2.compile({ optimizer: sgd2, loss: 'sparse_categorical_crossentropy' });
    await s2.loadWeights(p);
    expect(await slotBits(sgd2)).toEqual(await slotBits(sgd));
    // a slot of the wrong shape: an error, nothing assigned
    const spec = await readHdf5(readFileSync(p), p);
    const opt = node(spec, 'optimizer/vars') as H5Group;
    const d = opt.children.get('2') as H5Dataset;
    opt.children.set('2', { ...d, shape: [784 * 64] });
    const before = await s2.weightsDigest();
    const sgd3 = new dt.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 });
    const s3 = mlp(6);
    s3.compile({ optimizer: sgd3, loss: 'sparse_categorical_crossentropy' });
    const { kerasApply } = await import('../../../src/nn/saving/weights-file.ts');
    expect(() => kerasApply('loadWeights', s3, spec, 'x.weights.h5', sgd3)).toThrow(/x\.weights\.h5: 'optimizer\/vars\/2' has shape \[50176\]/);
    expect(sgd3.variables()).toEqual([]);
    expect(await s2.weightsDigest()).toBe(before);
    for (const m of [a, b, ams, s1, s2, s3]) m.dispose();
  });
});

describe.runIf(hasReal('mnist-mlp-k3.14.weights.h5'))('real Keras files', () => {
  async function expectWeightsOf(m: dt.Sequential, file: string, prefix: (i: number) => string) {
    const tree = await readHdf5(readFileSync(file), file);
    const ws = m.weights;
    for (let i = 0; i < ws.length; i++) {
      const d = node(tree, prefix(i)) as H5Dataset;
      expect(bits(await ws[i].data() as Float32Array), prefix(i)).toBe(bits(d.data as Float32Array));
    }
  }
  const k3 = (i: number) => `layers/${['dense', 'dense_1', 'dense_2', 'dense_3'][i >> 1]}/vars/${i & 1}`;

  it('mnist-mlp-k3.14.weights.h5 loads into the matching model: every weight bit for bit, predictions = a float64 forward pass', async () => {
    const m = mlp();
    await m.loadWeights(real('mnist-mlp-k3.14.weights.h5'));
    await expectWeightsOf(m, real('mnist-mlp-k3.14.weights.h5'), k3);
    // predictions against a float64 forward pass of the same weights
    const x = Float32Array.from({ length: 2 * 784 }, (_, i) => ((i * 7919) % 256) / 255);
    const xt = dt.tensor(x, [2, 28, 28]);
    const y = await (await m.predict(xt)).data() as Float32Array;
    const w = await Promise.all(m.weights.map(async (v) => Float64Array.from(await v.data() as Float32Array)));
    for (let n = 0; n < 2; n++) {
      let h: number[] = Array.from(x.subarray(n * 784, (n + 1) * 784));
      for (let l = 0; l < 4; l++) {
        const [k, b] = [w[2 * l], w[2 * l + 1]];
        const out = b.length;
        const z = Array.from({ length: out }, (_, j) => h.reduce((s, hi, i) => s + hi * k[i * out + j], b[j]));
        if (l < 3) h = z.map((v) => Math.max(0, v));
        else {
          const mx = Math.max(...z);
          const e = z.map((v) => Math.exp(v - mx));
          const s = e.reduce((a2, b2) => a2 + b2, 0);
          h = e.map((v) => v / s);
        }
      }
      h.forEach((v, j) => expect(Math.abs(y[n * 10 + j] - v), `sample ${n} class ${j}`).toBeLessThan(1e-6));
    }
    xt.dispose();
    m.dispose();
  });

  it('the Adam state of mnist-mlp-k3.14.weights.h5 loads into a model compiled with Adam', async () => {
    const adam = new dt.optimizers.Adam();
    const m = mlp();
    m.compile({ optimizer: adam, loss: 'sparse_categorical_crossentropy' });
    await m.loadWeights(real('mnist-mlp-k3.14.weights.h5'));
    const tree = await readHdf5(readFileSync(real('mnist-mlp-k3.14.weights.h5')), 'real');
    const vars = node(tree, 'optimizer/vars') as H5Group;
    expect(adam.iterations).toBe(Number((vars.children.get('0') as H5Dataset).data![0]));
    expect(adam.iterations).toBeGreaterThan(0);
    const file = Array.from({ length: 16 }, (_, i) => bits((vars.children.get(String(i + 2)) as H5Dataset).data as Float32Array));
    expect(await slotBits(adam)).toEqual(file);
    m.dispose();
  });

  it.runIf(hasReal('mnist-mlp-k3.14-legacy.h5'))('legacy mnist-mlp-k3.14-legacy.h5 (model_weights, Keras 3 names) gives the same weights', async () => {
    const m = mlp();
    await m.loadWeights(real('mnist-mlp-k3.14-legacy.h5'));
    await expectWeightsOf(m, real('mnist-mlp-k3.14.weights.h5'), k3);
    const byName = mlp(); // layer names dense_4.. differ from the file's: by name nothing matches, nothing is assigned
    const before = await byName.weightsDigest();
    await byName.loadWeights(real('mnist-mlp-k3.14-legacy.h5'), { matchBy: 'name' });
    expect(await byName.weightsDigest()).toBe(before);
    m.dispose();
    byName.dispose();
  });

  it.runIf(hasReal('mnist-mlp-k3.14.keras'))('loadWeights of a .keras archive reads its model.weights.h5; readKerasArchive gives metadata and config', async () => {
    const m = mlp();
    await m.loadWeights(real('mnist-mlp-k3.14.keras'));
    await expectWeightsOf(m, real('mnist-mlp-k3.14.weights.h5'), k3);
    const a = await readKerasArchive(readFileSync(real('mnist-mlp-k3.14.keras')), 'mlp.keras');
    expect(a.metadata.keras_version).toBe('3.14.0');
    expect(a.config.class_name).toBe('Sequential');
    m.dispose();
  });

  it.runIf(hasReal('mnist-cnn-dropout-k2.10.h5'))('legacy Keras 2.10 CNN (kernel:0 names, empty weight_names) loads by layer order', async () => {
    const m = cnn();
    await m.loadWeights(real('mnist-cnn-dropout-k2.10.h5'));
    const names = ['conv2d/conv2d/kernel:0', 'conv2d/conv2d/bias:0', 'conv2d_1/conv2d_1/kernel:0', 'conv2d_1/conv2d_1/bias:0', 'dense/dense/kernel:0', 'dense/dense/bias:0', 'dense_1/dense_1/kernel:0', 'dense_1/dense_1/bias:0'];
    await expectWeightsOf(m, real('mnist-cnn-dropout-k2.10.h5'), (i) => `model_weights/${names[i]}`);
    m.dispose();
  });
});

/** A legacy Keras 2 weights-only file, written per the spec: root layer_names, per-layer weight_names, `:0` datasets. */
function legacyFixture(kernel: Float32Array, bias: Float32Array, kernelShape = [3, 2]): H5GroupSpec {
  const f32 = (data: Float32Array, shape: number[]) => ({ shape, dtype: '<f' as const, data });
  return {
    attrs: { layer_names: ['flatten', 'dense'], backend: 'tensorflow', keras_version: '2.10.0' },
    children: new Map<string, H5GroupSpec>([
      ['flatten', { attrs: { weight_names: [] } }],
      ['dense', {
        attrs: { weight_names: ['dense/kernel:0', 'dense/bias:0'] },
        children: new Map([['dense', { children: new Map([['kernel:0', f32(kernel, kernelShape)], ['bias:0', f32(bias, [2])]]) }]]),
      }],
    ]),
  };
}

describe('legacy .h5 fixture and bad files', () => {
  const small = () => new dt.Sequential([dt.layers.Input({ shape: [3] }), new L.Flatten(), new L.Dense(2)]);
  const kernel = Float32Array.from([0.5, -1, 2, 0.25, -0.125, 3]);
  const bias = Float32Array.from([0.1, -0.2]);

  it('a handwritten Keras 2 weights-only file loads (by order, and by layer name)', async () => {
    const p = join(dir, 'legacy.h5');
    writeFileSync(p, await writeHdf5(legacyFixture(kernel, bias), p));
    const m = small();
    await m.loadWeights(p);
    expect(bits(await m.weights[0].data() as Float32Array)).toBe(bits(kernel));
    expect(bits(await m.weights[1].data() as Float32Array)).toBe(bits(bias));
    resetNames();
    const named = small(); // its Dense is 'dense' again
    await named.loadWeights(p, { matchBy: 'name' });
    expect(await named.weightsDigest()).toBe(await m.weightsDigest());
    m.dispose();
    named.dispose();
  });

  it('corrupt, truncated and mismatched files: a DataFormatError naming the file and the item; the model untouched', async () => {
    const m = mlp();
    const good = join(dir, 'good.weights.h5');
    await mlp(3).saveWeights(good);
    const bytes = readFileSync(good);
    const at = (name: string, b: Uint8Array) => {
      const p = join(dir, name);
      writeFileSync(p, b);
      return p;
    };
    // a truncated HDF5 file
    const trunc = at('trunc.weights.h5', bytes.subarray(0, bytes.length - 100));
    await expectUnchanged(m, () => m.loadWeights(trunc), /^loadWeights: .*trunc\.weights\.h5: expected a readable HDF5 file\. .*truncated file/);
    // not HDF5 at all
    const junk = at('junk.weights.h5', Buffer.from('not an hdf5 file'));
    await expectUnchanged(m, () => m.loadWeights(junk), /junk\.weights\.h5: expected a readable HDF5 file/);
    // a weight of the wrong shape (a smaller model's file)
    const other = new dt.Sequential([dt.layers.Input({ shape: [28, 28] }), new L.Flatten(), new L.Dense(64), new L.Dense(32), new L.Dense(16), new L.Dense(11)]);
    const wrong = join(dir, 'wrong.weights.h5');
    await other.saveWeights(wrong);
    await expectUnchanged(m, () => m.loadWeights(wrong), /wrong\.weights\.h5: 'layers\/dense_3\/vars\/0' has shape \[16, 11\], but the model's 'dense_3\/kernel' expects \[16, 10\] float32/);
    // a missing weight: a model with one more layer than the file
    const fewer = new dt.Sequential([dt.layers.Input({ shape: [28, 28] }), new L.Flatten(), new L.Dense(64), new L.Dense(32), new L.Dense(16)]);
    const missing = join(dir, 'fewer.weights.h5');
    await fewer.saveWeights(missing);
    await expectUnchanged(m, () => m.loadWeights(missing), /fewer\.weights\.h5: the group 'layers\/dense_3\/vars' is missing, but the model's layer 'dense_3' has 2 weights/);
    // a legacy file whose kernel has the wrong shape, and one whose dataset is missing
    const badLegacy = join(dir, 'bad-legacy.h5');
    writeFileSync(badLegacy, await writeHdf5(legacyFixture(kernel, bias, [2, 3]), badLegacy));
    const s = small();
    await expectUnchanged(s, () => s.loadWeights(badLegacy), /bad-legacy\.h5: 'dense\/dense\/kernel:0' has shape \[2, 3\], but the model's 'dense_\d+\/kernel' expects \[3, 2\] float32/);
    const spec = legacyFixture(kernel, bias);
    (spec.children!.get('dense') as H5GroupSpec).attrs = { weight_names: ['dense/kernel:0', 'dense/nope:0'] };
    writeFileSync(badLegacy, await writeHdf5(spec, badLegacy));
    await expectUnchanged(s, () => s.loadWeights(badLegacy), /the dataset 'dense\/dense\/nope:0' listed in weight_names is missing/);
    for (const x of [m, other, fewer, s]) x.dispose();
  });

  it('.keras archives: not a zip, no config.json, a config that is not JSON, truncated weights inside', async () => {
    const m = mlp();
    const h5 = readFileSync(join(dir, 'good.weights.h5'));
    const enc = (s: string) => new TextEncoder().encode(s);
    const cases: [string, Uint8Array, RegExp][] = [
      ['notzip.keras', enc('hello'), /^loadWeights: .*notzip\.keras: expected a zip archive\. Received: 5 bytes that are not a readable zip/],
      ['noconfig.keras', writeZip([['metadata.json', enc('{}')], ['model.weights.h5', h5]], new Date(2020, 0, 1)), /noconfig\.keras: expected a \.keras archive with config\.json\. Received: a zip archive without config\.json/],
      ['badjson.keras', writeZip([['config.json', enc('{"class_name": ')], ['model.weights.h5', h5]], new Date(2020, 0, 1)), /badjson\.keras: config\.json is not valid JSON/],
      ['trunc.keras', writeZip([['config.json', enc('{}')], ['model.weights.h5', h5.subarray(0, 500)]], new Date(2020, 0, 1)), /trunc\.keras!model\.weights\.h5: expected a readable HDF5 file/],
      ['noweights.keras', writeZip([['config.json', enc('{}')]], new Date(2020, 0, 1)), /noweights\.keras: expected model\.weights\.h5 in the archive/],
    ];
    for (const [name, b, re] of cases) {
      const p = join(dir, name);
      writeFileSync(p, b);
      await expectUnchanged(m, () => m.loadWeights(p), re);
    }
    m.dispose();
  });

  it('writeKerasArchive -> readKerasArchive round trip: stored entries in Keras order, metadata, config and weights', async () => {
    const m = mlp(4);
    const h5 = await writeHdf5({ children: new Map([['vars', { attrs: { name: 'x' } }]]) }, 'x');
    const config = { module: 'keras', class_name: 'Sequential', config: { name: 'sequential' }, registered_name: null };
    const bytes = writeKerasArchive(config, h5, new Date(2026, 3, 16, 18, 38, 42));
    // local file headers in order, compression method 0 (stored)
    const names: string[] = [];
    for (let i = 0; i + 30 < bytes.length; i++) {
      if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 3 && bytes[i + 3] === 4) {
        expect(bytes[i + 8] | (bytes[i + 9] << 8)).toBe(0);
        const n = bytes[i + 26] | (bytes[i + 27] << 8);
        names.push(Buffer.from(bytes.subarray(i + 30, i + 30 + n)).toString());
      }
    }
    expect(names).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    const back = await readKerasArchive(bytes, 'x.keras');
    expect(back.metadata).toEqual({ keras_version: '3.14.0', date_saved: '2026-04-16@18:38:42' });
    expect(back.config).toEqual(config);
    expect(back.weights.children.get('vars')?.attrs).toEqual({ name: 'x' });
    m.dispose();
  });
});
