/**
 * Helpers for the nn tests: seeded synthetic data (an LCG, not the engine's RNG), small models,
 * a recording progress-bar sink, and float32 bit helpers.
 */
import * as dt from '../../../src/index.ts';
import { Lcg } from '../../util/gradcheck.ts';

/** n values uniform in [lo, hi) from an LCG seeded with `seed` (rounded to float32). */
export function lcgValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = new Lcg(seed);
  return Float32Array.from({ length: n }, () => r.uniform(lo, hi));
}

/**
 * A learnable toy task: n images [n, h, w, 1] whose label (0..classes-1) says which horizontal band
 * is brightest, plus noise. Returns [x, y int32].
 */
export function bandImages(n: number, seed: number, h = 8, w = 8, classes = 3): [dt.Tensor, dt.Tensor] {
  const r = new Lcg(seed);
  const x = new Float32Array(n * h * w);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = r.int(classes);
    y[i] = label;
    for (let row = 0; row < h; row++) {
      const band = Math.min(classes - 1, Math.floor((row * classes) / h));
      for (let col = 0; col < w; col++) x[(i * h + row) * w + col] = (band === label ? 0.8 : 0.1) + 0.2 * r.next();
    }
  }
  return [dt.tensor(x, [n, h, w, 1]), dt.tensor(y, [n], 'int32')];
}

/** A batched dataset of [x, y] (the tensors stay the caller's). */
export function batches(x: dt.Tensor, y: dt.Tensor, batchSize: number): dt.data.Dataset<[dt.Tensor, dt.Tensor]> {
  return dt.data.Dataset.fromTensorSlices([x, y]).batch(batchSize) as dt.data.Dataset<[dt.Tensor, dt.Tensor]>;
}

/** A small CNN for 8x8x1 inputs and `classes` outputs, with seeded initializers and dropout. */
export function smallCnn(o: { inputShape?: boolean; dropout?: number; classes?: number; seed?: number } = {}): dt.Sequential {
  const seed = o.seed ?? 1;
  const L = dt.layers;
  const I = dt.initializers;
  return new dt.Sequential([
    new L.Conv2D(4, [3, 3], { activation: 'relu', kernelInitializer: new I.GlorotUniform({ seed }), ...(o.inputShape === false ? {} : { inputShape: [8, 8, 1] }) }),
    new L.MaxPooling2D([2, 2]),
    new L.Dropout(o.dropout ?? 0.2, { seed: seed + 1 }),
    new L.GlobalAveragePooling2D(),
    new L.Dense(o.classes ?? 3, { activation: 'softmax', kernelInitializer: new I.GlorotUniform({ seed: seed + 2 }) }),
  ]);
}

/** A sink that records what a progress bar writes. */
export class RecordingSink {
  out = '';
  constructor(readonly isTTY: boolean) {}
  write(s: string): void {
    this.out += s;
  }
}

/** A clock for Progbar: returns the queued times in order. */
export function clock(times: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= times.length) throw new Error('test clock: no more times queued');
    return times[i++];
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 bits of v as 8 hex digits. */
export function bits(v: number): string {
  f32[0] = v;
  return u32[0].toString(16).padStart(8, '0');
}

/** Reads and disposes a tensor. */
export async function take(t: dt.Tensor): Promise<Float32Array> {
  const d = (await t.data()) as Float32Array;
  t.dispose();
  return d;
}
