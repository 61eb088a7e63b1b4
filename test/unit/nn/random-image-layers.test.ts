/**
 * Keras 3's random image augmentation layers (src/nn/layers/random-*.ts):
 * - each layer's draws for a fixed seed against a reference built here from dt.random.statelessUniform with the seed
 *   pairs [seed, 0], [seed, 1], ... (Keras's SeedGenerator stepping) and Keras's formulas: bit for bit for the flips,
 *   crops, brightness and the transform rows of rotation / translation / zoom, within a few ulp of a float64
 *   evaluation for the contrast;
 * - the same seed gives the same output in fresh instances and in a fresh process; the second call differs; another
 *   seed differs; the seedGenerator is where checkpoints find it;
 * - identity at inference (RandomCrop: the centre crop / resize), rank-3 inputs;
 * - CPU vs WebGPU bit equality, 1 vs 2 CPU threads, Dataset.map with numParallelCalls 1 vs AUTOTUNE;
 * - config errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { glibcSincosf } from '../../../src/core/random/glibc-sincosf.ts';
import { setParallelMinWork } from '../../../src/kernels/cpu/thread-pool.ts';
import { layerSeedGenerators } from '../../../src/nn/checkpoint/parts.ts';
import { expectBitsEqual, ulpDistance } from '../../util/compare.ts';
import { runTs } from '../../util/subprocess.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { augmentDigest, fixedImages, freshLayers } from './augment-fixture.ts';

const unavailable = await webgpuUnavailable();
const L = dt.layers;
const f = Math.fround;

afterAll(async () => {
  dt.config.setNumThreads(1);
  setParallelMinWork();
  await dt.shutdown();
});

/** Keras random.uniform for the k-th draw of a generator seeded with `seed`. */
async function uniform(seed: number, k: number, n: number, minval: number, maxval: number): Promise<Float32Array> {
  const t = dt.random.statelessUniform([n], [seed, k], { minval, maxval });
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

async function bits(t: dt.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

/** imageTransform with rows computed here, the reference of the geometric layers. */
async function transformed(x: dt.Tensor, rows: number[][], o: dt.ImageTransformOptions): Promise<Float32Array> {
  const t = dt.tensor(rows.flat(), [rows.length, 8]);
  const y = dt.imageTransform(x, t, o);
  const v = await bits(y);
  dt.dispose([t, y]);
  return v;
}

describe('draws and values against references built from statelessUniform', () => {
  const [N, H, W, C] = [4, 6, 7, 2];

  it('RandomFlip: image i flips where u[i] <= 0.5, both axes together for horizontal_and_vertical', async () => {
    await dt.setBackend('cpu');
    const x = fixedImages(N, H, W, C);
    const xs = await bits(x);
    for (const [mode, seed] of [['horizontal', 3], ['vertical', 4], ['horizontal_and_vertical', 5]] as const) {
      const layer = new L.RandomFlip(mode, { seed });
      for (let call = 0; call < 3; call++) {
        const u = await uniform(seed, call, N, 0, 1);
        const want = new Float32Array(xs.length);
        for (let n = 0; n < N; n++) {
          const flip = u[n] <= 0.5;
          const fh = flip && mode !== 'vertical';
          const fv = flip && mode !== 'horizontal';
          for (let y = 0; y < H; y++) for (let q = 0; q < W; q++) for (let c = 0; c < C; c++) {
            const sy = fv ? H - 1 - y : y;
            const sq = fh ? W - 1 - q : q;
            want[((n * H + y) * W + q) * C + c] = xs[((n * H + sy) * W + sq) * C + c];
          }
        }
        const y = layer.apply(x, { training: true });
        expectBitsEqual(await bits(y), want, `${mode} call ${call}`);
        y.dispose();
      }
    }
    x.dispose();
  });

  it('RandomRotation: angle = uniform in f32(2 f32(pi) factor), rotation rows about the centre (glibc sincosf)', async () => {
    const x = fixedImages(N, H, W, C);
    const layer = new L.RandomRotation([-0.25, 0.4], { seed: 21, fillMode: 'constant', fillValue: 3 });
    const pi = f(Math.PI);
    for (let call = 0; call < 2; call++) {
      const angles = await uniform(21, call, N, f(f(-0.5) * pi), f(f(0.8) * pi));
      const rows = Array.from(angles, (a) => {
        const sc = new Float32Array(2);
        glibcSincosf(a, sc);
        const [s, c] = sc;
        // glibc's float sincosf is within an ulp of the float64 functions (here: equal or 1 ulp)
        expect(ulpDistance(c, f(Math.cos(a)))).toBeLessThanOrEqual(1);
        expect(ulpDistance(s, f(Math.sin(a)))).toBeLessThanOrEqual(1);
        return [c, -s, f(f((W - 1) - f(f(c * (W - 1)) - f(s * (H - 1)))) / 2), s, c, f(f((H - 1) - f(f(s * (W - 1)) + f(c * (H - 1)))) / 2), 0, 0];
      });
      const y = layer.apply(x, { training: true });
      expectBitsEqual(await bits(y), await transformed(x, rows, { fillMode: 'constant', fillValue: 3, interpolation: 'bilinear' }), `call ${call}`);
      y.dispose();
    }
    x.dispose();
  });

  it('RandomTranslation: height draw then width draw, rows [1, 0, -dx, 0, 1, -dy]', async () => {
    const x = fixedImages(N, H, W, C);
    const layer = new L.RandomTranslation(0.3, [-0.1, 0.5], { seed: 31, interpolation: 'nearest' });
    for (let call = 0; call < 2; call++) {
      const dy = await uniform(31, 2 * call, N, -0.3, 0.3);
      const dx = await uniform(31, 2 * call + 1, N, -0.1, 0.5);
      const rows = Array.from(dy, (v, i) => [1, 0, -f(dx[i] * W), 0, 1, -f(v * H), 0, 0]);
      const y = layer.apply(x, { training: true });
      expectBitsEqual(await bits(y), await transformed(x, rows, { fillMode: 'reflect', interpolation: 'nearest' }), `call ${call}`);
      y.dispose();
    }
    x.dispose();
  });

  it('RandomZoom: one draw (aspect kept) or two, rows about the centre', async () => {
    const x = fixedImages(N, H, W, C);
    const one = new L.RandomZoom(0.4, null, { seed: 41, fillMode: 'wrap' });
    const two = new L.RandomZoom([-0.2, 0.3], 0.5, { seed: 42 });
    const row = (zx: number, zy: number) => [zx, 0, f(f((W - 1) / 2) * f(1 - zx)), 0, zy, f(f((H - 1) / 2) * f(1 - zy)), 0, 0];
    for (let call = 0; call < 2; call++) {
      const z = await uniform(41, call, N, 0.6, 1.4);
      const y1 = one.apply(x, { training: true });
      expectBitsEqual(await bits(y1), await transformed(x, Array.from(z, (v) => row(v, v)), { fillMode: 'wrap', interpolation: 'bilinear' }), `one, call ${call}`);
      const zy = await uniform(42, 2 * call, N, 0.8, 1.3);
      const zx = await uniform(42, 2 * call + 1, N, 0.5, 1.5);
      const y2 = two.apply(x, { training: true });
      expectBitsEqual(await bits(y2), await transformed(x, Array.from(zy, (v, i) => row(zx[i], v)), { fillMode: 'reflect', interpolation: 'bilinear' }), `two, call ${call}`);
      dt.dispose([y1, y2]);
    }
    x.dispose();
  });

  it('RandomCrop: one offset per batch, trunc(uniform(0, H - h + 1)) then the width one', async () => {
    const x = fixedImages(N, H, W, C);
    const xs = await bits(x);
    const layer = new L.RandomCrop(3, 4, { seed: 51 });
    for (let call = 0; call < 3; call++) {
      const h0 = Math.trunc((await uniform(51, 2 * call, 1, 0, H - 3 + 1))[0]);
      const w0 = Math.trunc((await uniform(51, 2 * call + 1, 1, 0, W - 4 + 1))[0]);
      const want: number[] = [];
      for (let n = 0; n < N; n++) for (let y = 0; y < 3; y++) for (let q = 0; q < 4; q++) for (let c = 0; c < C; c++) want.push(xs[((n * H + h0 + y) * W + w0 + q) * C + c]);
      const y = layer.apply(x, { training: true });
      expect(y.shape).toEqual([N, 3, 4, C]);
      expectBitsEqual(await bits(y), Float32Array.from(want), `call ${call}`);
      y.dispose();
    }
    x.dispose();
  });

  it('RandomContrast: factor in [1 - lower, 1 + upper] per image, about the per-channel mean, clipped', async () => {
    const x = fixedImages(N, H, W, C);
    const xs = await bits(x);
    const layer = new L.RandomContrast([0.3, 0.6], { seed: 61, valueRange: [10, 200] });
    for (let call = 0; call < 2; call++) {
      const a = await uniform(61, call, N, 0.7, 1.6);
      const y = layer.apply(x, { training: true });
      const got = await bits(y);
      for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
        let m = 0;
        for (let i = 0; i < H * W; i++) m += xs[(n * H * W + i) * C + c];
        m /= H * W;
        for (let i = 0; i < H * W; i++) {
          const k = (n * H * W + i) * C + c;
          const want = Math.min(200, Math.max(10, (xs[k] - m) * a[n] + m));
          expect(Math.abs(got[k] - want), `element ${k}`).toBeLessThanOrEqual(4 * 2 ** -23 * 256);
        }
      }
      y.dispose();
    }
    x.dispose();
  });

  it('RandomBrightness: delta = f32(u * f32(range width)) per image, added and clipped', async () => {
    const x = fixedImages(N, H, W, C);
    const xs = await bits(x);
    const layer = new L.RandomBrightness(0.4, { seed: 71, valueRange: [255, 0] });
    for (let call = 0; call < 2; call++) {
      const u = await uniform(71, call, N, -0.4, 0.4);
      const want = xs.map((v, k) => {
        const d = f(u[Math.floor(k / (H * W * C))] * 255);
        return Math.min(255, Math.max(0, f(v + d)));
      });
      const y = layer.apply(x, { training: true });
      expectBitsEqual(await bits(y), want, `call ${call}`);
      y.dispose();
    }
    x.dispose();
  });
});

describe('reproducibility', () => {
  it('same seed: same bits in fresh instances and in a fresh process; the second call and another seed differ', async () => {
    await dt.setBackend('cpu');
    const [d1, d2, r] = [await augmentDigest(), await augmentDigest(), await runTs('test/unit/nn/scripts/augment-digest.ts', [], {}, 120_000)];
    expect(d2).toBe(d1);
    expect(r.stdout.toString()).toContain(`digest ${d1}`);
    const x = fixedImages(8, 7, 9, 2); // 8 images: two flip draws coincide with probability 2^-8, not 1/8
    const a = freshLayers(11);
    const b = freshLayers(500);
    for (let i = 0; i < a.length - 1; i++) {
      const first = await bits(a[i].apply(x, { training: true }));
      const second = await bits(a[i].apply(x, { training: true }));
      const other = await bits(b[i].apply(x, { training: true }));
      expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer)), `${a[i].name}: second call`).toBe(false);
      expect(Buffer.from(other.buffer).equals(Buffer.from(first.buffer)), `${a[i].name}: other seed`).toBe(false);
    }
    x.dispose();
  }, 60_000);

  it('in a Sequential model: fit trains through the augmentation (no gradient reaches it) and two runs give the same weights', async () => {
    await dt.setBackend('cpu');
    const x = fixedImages(16, 8, 8, 1);
    const y = dt.tensor(Int32Array.from({ length: 16 }, (_, i) => i % 3), [16], 'int32');
    const run = async () => {
      dt.utils.setRandomSeed(7);
      const model = new dt.Sequential([
        new L.RandomFlip('horizontal'), new L.RandomRotation(0.1), new L.RandomZoom(0.1), new L.RandomTranslation(0.1, 0.1),
        new L.RandomContrast(0.2), new L.RandomBrightness(0.1), new L.Flatten(), new L.Dense(3, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      const history = await model.fit(dt.data.Dataset.fromTensorSlices([x, y]).batch(4), { epochs: 2, verbose: 0 });
      const digest = await dt.utils.weightsDigest(model);
      const gens = [...layerSeedGenerators(model as never).values()].map((g) => g.getState().state);
      model.dispose();
      return { loss: history.history.loss, digest, gens };
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    expect(a.gens.map((s) => s[1])).toEqual([8, 8, 8, 16, 8, 8]); // 4 batches x 2 epochs; translation draws twice
    dt.dispose([x, y]);
  });

  it('exposes seedGenerator, where checkpoints find it, advancing one step per draw', () => {
    const layers = [new L.RandomFlip('horizontal', { seed: 1 }), new L.RandomTranslation(0.1, 0.1, { seed: 2 }), new L.RandomCrop(2, 2, { seed: 3 })];
    const gens = layerSeedGenerators({ layers } as never);
    expect([...gens.keys()]).toEqual(layers.map((l) => l.name));
    const x = dt.zeros([2, 4, 4, 1]);
    for (const l of layers) dt.dispose(l.apply(x, { training: true }));
    expect(layers.map((l) => l.seedGenerator.getState().state)).toEqual([[1, 1], [2, 2], [3, 2]]);
    x.dispose();
  });
});

describe('inference, shapes, rank 3', () => {
  it('is the identity at inference (the same tensor for float32 input; integer input cast); no draw', async () => {
    await dt.setBackend('cpu');
    const x = fixedImages(2, 5, 6, 3);
    for (const l of freshLayers().filter((l) => !(l instanceof L.RandomCrop))) {
      const y = l.apply(x, { training: false });
      expect(y).toBe(x);
      expect((l as unknown as { seedGenerator: dt.random.SeedGenerator }).seedGenerator.getState().state[1]).toBe(0);
      expect(l.apply(x).shape).toEqual(x.shape);
    }
    const u = dt.tensor(new Uint8Array([1, 2, 3, 4]), [1, 2, 2, 1], 'uint8');
    const y = new L.RandomFlip().apply(u);
    expect(y.dtype).toBe('float32');
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    dt.dispose([x, u, y]);
  });

  it('RandomCrop at inference: the largest centred window of the target aspect ratio, resized (Keras\'s documented behaviour)', async () => {
    const x = fixedImages(2, 6, 9, 1);
    const crop = new L.RandomCrop(2, 3, { seed: 1 });
    const y = crop.apply(x);
    // cropHeight = trunc(9 * 2 / 3) = 6, cropWidth = trunc(6 * 3 / 2) = 9: the whole image, resized to 2 x 3
    expectBitsEqual(await bits(y), await bits(dt.image.resize(x, [2, 3])), 'centre crop');
    expect(crop.seedGenerator.getState().state[1]).toBe(0);
    const sq = new L.RandomCrop(4, 4, { seed: 1 }).apply(x); // window 6 x 6 at column trunc(3 / 2) = 1, resized to 4 x 4
    expectBitsEqual(await bits(sq), await bits(dt.image.resize(dt.slice(x, [0, 0, 1, 0], [2, 6, 6, 1]), [4, 4])), 'square window');
    // training on an input not larger in both dimensions: the centre path, no draw
    const small = new L.RandomCrop(6, 4, { seed: 2 });
    expect(small.apply(x, { training: true }).shape).toEqual([2, 6, 4, 1]);
    expect(small.seedGenerator.getState().state[1]).toBe(0);
    expect(crop.computeOutputShape([null, 6, 9, 1])).toEqual([null, 2, 3, 1]);
    x.dispose();
  });

  it('leaks no tensor in training or inference, float32 or integer input', async () => {
    const x = fixedImages(2, 7, 9, 2);
    const u = dt.cast(x, 'int32');
    const layers = freshLayers();
    const before = dt.memory().numTensors;
    for (const l of layers) {
      for (const training of [true, false]) {
        for (const inp of [x, u]) {
          const y = l.apply(inp, { training });
          if (y !== inp) y.dispose();
        }
      }
    }
    expect(dt.memory().numTensors).toBe(before);
    dt.dispose([x, u]);
  });

  it('takes a single [H, W, C] image (one draw for the image, as Keras)', async () => {
    const x = fixedImages(1, 5, 6, 2);
    const img = dt.reshape(x, [5, 6, 2]);
    const a = new L.RandomRotation(0.3, { seed: 9 }).apply(img, { training: true });
    const b = new L.RandomRotation(0.3, { seed: 9 }).apply(x, { training: true });
    expect(a.shape).toEqual([5, 6, 2]);
    expectBitsEqual(await bits(a), await bits(b), 'rank 3 vs batch of one');
    expect(new L.RandomCrop(3, 3, { seed: 1 }).apply(img, { training: true }).shape).toEqual([3, 3, 2]);
    expect(() => new L.RandomFlip().apply(dt.zeros([2, 3]), { training: true })).toThrow(/^RandomFlip '.*': expected images of rank 4 \[N, H, W, C\] or rank 3 \[H, W, C\]/);
  });
});

describe('backends, threads and pipelines', () => {
  itWebGpu('CPU vs WebGPU: the same bits for every layer', unavailable, async () => {
    await dt.setBackend('cpu');
    const cpu = await augmentDigest();
    await dt.setBackend('webgpu');
    const gpu = await augmentDigest();
    await dt.setBackend('cpu');
    expect(gpu).toBe(cpu);
  }, 60_000);

  it('1 vs 2 CPU threads: the same bits (image transform jobs split by image)', async () => {
    await dt.setBackend('cpu');
    const run = async () => {
      const x = fixedImages(16, 12, 11, 3);
      const out: string[] = [];
      for (const l of [new L.RandomRotation(0.4, { seed: 3 }), new L.RandomZoom(0.3, 0.2, { seed: 4, fillMode: 'wrap' })]) {
        out.push(Buffer.from((await bits(l.apply(x, { training: true }))).buffer).toString('base64'));
      }
      x.dispose();
      return out;
    };
    dt.config.setNumThreads(1);
    const one = await run();
    dt.config.setNumThreads(2);
    setParallelMinWork(1);
    const two = await run();
    dt.config.setNumThreads(1);
    setParallelMinWork();
    expect(two).toEqual(one);
  });

  it('inside Dataset.map: numParallelCalls 1 and AUTOTUNE give the same bytes (calls start in input order)', async () => {
    await dt.setBackend('cpu');
    const images = fixedImages(12, 6, 6, 1);
    const run = async (numParallelCalls: number | undefined) => {
      const flip = new L.RandomFlip('horizontal', { seed: 5 });
      const rot = new L.RandomRotation(0.2, { seed: 6 });
      const ds = dt.data.Dataset.fromTensorSlices(images).batch(3)
        .map((x: dt.Tensor) => rot.apply(flip.apply(x, { training: true }), { training: true }), numParallelCalls === undefined ? {} : { numParallelCalls });
      const chunks: Buffer[] = [];
      for (let epoch = 0; epoch < 2; epoch++) {
        for await (const el of ds) {
          const t = el as dt.Tensor;
          chunks.push(Buffer.from(((await t.data()) as Float32Array).buffer));
          t.dispose();
        }
      }
      return Buffer.concat(chunks);
    };
    const seq = await run(undefined);
    expect((await run(1)).equals(seq)).toBe(true);
    expect((await run(dt.data.AUTOTUNE)).equals(seq)).toBe(true);
    images.dispose();
  });
});

describe('config errors', () => {
  it('rejects unknown keys, factors out of range, bad modes and sizes with the layer name', () => {
    expect(() => new L.RandomFlip('horizontal', { sed: 1 } as never)).toThrow(/^RandomFlip: .*sed/);
    expect(() => new L.RandomFlip('diagonal' as never)).toThrow(/^RandomFlip: expected mode to be one of 'horizontal', 'vertical', 'horizontal_and_vertical'\. Received: mode="diagonal"/);
    expect(() => new L.RandomRotation(1.5)).toThrow(/^RandomRotation: expected factor to be a number \(or a list of two numbers\) in the range \[-1, 1\]\. Received: factor=1\.5/);
    expect(() => new L.RandomRotation([-3, 0.5])).toThrow(/^RandomRotation: expected factor/);
    expect(() => new L.RandomRotation([0.1, 0.2, 0.3] as never)).toThrow(dt.ArgumentError);
    expect(() => new L.RandomRotation(0.1, { fillMode: 'mirror' as never })).toThrow(/^RandomRotation: expected fillMode to be one of 'reflect', 'wrap', 'constant', 'nearest'\. Received: fillMode="mirror"/);
    expect(() => new L.RandomRotation(0.1, { interpolation: 'bicubic' as never })).toThrow(/^RandomRotation: expected interpolation/);
    expect(() => new L.RandomRotation(0.1, { fill_mode: 'constant' } as never)).toThrow(/^RandomRotation: .*fill_mode/);
    expect(() => new L.RandomTranslation(0.1, 2)).toThrow(/^RandomTranslation: expected widthFactor/);
    expect(() => new L.RandomZoom(-1.2)).toThrow(/^RandomZoom: expected heightFactor/);
    expect(() => new L.RandomZoom(0.2, 0.1, { fillValue: 'x' as never })).toThrow(/^RandomZoom: expected fillValue to be a number/);
    expect(() => new L.RandomCrop(0, 3)).toThrow(/^RandomCrop: expected height to be a positive integer\. Received: height=0/);
    expect(() => new L.RandomCrop(3, 2.5)).toThrow(/^RandomCrop: expected width to be a positive integer/);
    expect(() => new L.RandomContrast(-0.1)).toThrow(/^RandomContrast: expected factor .* in the range \[0, 1\]/);
    expect(() => new L.RandomContrast(0.1, { valueRange: [0] as never })).toThrow(/^RandomContrast: expected valueRange to be a list of two numbers/);
    expect(() => new L.RandomBrightness(0.1, { seed: 1.5 })).toThrow(/^RandomBrightness: expected an integer seed/);
    expect(() => new L.RandomBrightness([0.1, 1.1])).toThrow(/^RandomBrightness: expected factor/);
  });

  it('getConfig carries the Keras arguments', () => {
    expect(new L.RandomRotation(0.2, { seed: 3, name: 'rot' }).getConfig()).toEqual({ name: 'rot', trainable: true, seed: 3, factor: 0.2, fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0 });
    expect(new L.RandomZoom(0.2, null, { seed: 3, name: 'z' }).getConfig()).toMatchObject({ heightFactor: 0.2, widthFactor: null });
    expect(new L.RandomContrast(0.2, { name: 'c', seed: 1 }).getConfig()).toMatchObject({ factor: 0.2, valueRange: [0, 255] });
  });
});
