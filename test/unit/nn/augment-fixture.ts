/**
 * The fixed workload of the augmentation layers' reproducibility tests: every random image layer, seeded (and one
 * unseeded after dt.utils.setRandomSeed), called twice in training mode on a fixed batch; returns a SHA-256 digest
 * of all output bytes. The in-process test (random-image-layers.test.ts) and a fresh process
 * (scripts/augment-digest.ts) must print the same digest.
 */
import { createHash } from 'node:crypto';
import * as dt from '../../../src/index.ts';

/** A fixed float32 batch [n, h, w, c] with values in [0, 255] (no engine RNG involved). */
export function fixedImages(n: number, h: number, w: number, c: number): dt.Tensor {
  const v = new Float32Array(n * h * w * c);
  for (let i = 0; i < v.length; i++) v[i] = Math.fround(((i * 7919) % 2551) / 10);
  return dt.tensor(v, [n, h, w, c]);
}

/** Fresh instances of every layer with fixed seeds (and one unseeded, after setRandomSeed(1234)). */
export function freshLayers(seed = 11): dt.layers.Layer[] {
  const L = dt.layers;
  const made: dt.layers.Layer[] = [
    new L.RandomFlip('horizontal_and_vertical', { seed }),
    new L.RandomFlip('horizontal', { seed: seed + 1 }),
    new L.RandomRotation(0.2, { seed: seed + 2 }),
    new L.RandomRotation([-0.5, 0.1], { seed: seed + 3, fillMode: 'constant', interpolation: 'nearest', fillValue: 7 }),
    new L.RandomTranslation(0.3, [-0.2, 0.4], { seed: seed + 4, fillMode: 'wrap' }),
    new L.RandomZoom(0.5, null, { seed: seed + 5 }),
    new L.RandomZoom([-0.3, 0.2], 0.4, { seed: seed + 6, fillMode: 'nearest' }),
    new L.RandomCrop(5, 4, { seed: seed + 7 }),
    new L.RandomContrast(0.5, { seed: seed + 8 }),
    new L.RandomBrightness([-0.3, 0.2], { seed: seed + 9 }),
  ];
  dt.utils.setRandomSeed(1234);
  made.push(new L.RandomRotation(0.3));
  return made;
}

/** Digest of two training calls of every fresh layer on the fixed batch, on the current backend. */
export async function augmentDigest(): Promise<string> {
  const h = createHash('sha256');
  const x = fixedImages(3, 7, 9, 2);
  for (const layer of freshLayers()) {
    for (let call = 0; call < 2; call++) {
      const y = layer.apply(x, { training: true });
      const d = (await y.data()) as Float32Array;
      h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      y.dispose();
    }
  }
  x.dispose();
  return h.digest('hex');
}
