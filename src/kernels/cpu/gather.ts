/**
 * CPU kernels for indexing: gather, gatherGrad (its gradient, a gather-form scatter-add in the
 * engine's summation order), oneHot.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { sizeOf } from '../../core/shape.ts';
import { bitsOf, copyRun } from './fill-cast.ts';
import type { CpuKernel, CpuKernels } from './types.ts';

const f32 = Math.fround;

export const gather: CpuKernel<'gather'> = ([x, idx], a, out) => {
  const outer = sizeOf(x.shape.slice(0, a.axis));
  const dim = x.shape[a.axis];
  const inner = sizeOf(x.shape.slice(a.axis + 1));
  const ids = idx.handle;
  const n = ids.length;
  // bit copies (NaN payloads kept, as WebGPU's word copies keep them)
  const src = bitsOf(x.handle);
  const dst = bitsOf(out.handle);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const r = ids[i];
      const d = (o * n + i) * inner;
      if (r < 0 || r >= dim) {
        for (let j = 0; j < inner; j++) dst[d + j] = 0;
        continue;
      }
      const s = (o * dim + r) * inner;
      copyRun(dst, d, src, s, inner);
    }
  }
};

/**
 * dx[o, r, j] = S over i (ascending, chunked by i) with ids[i] == r of dy[o, i, j].
 * Positions are bucketed per row; skipped i contribute +0, which is an identity for the tree,
 * so only the chunk structure (i >> 8) and, above SUM_CHUNK^2 terms, the next level matter.
 */
export const gatherGrad: CpuKernel<'gatherGrad'> = ([dy, idx], a, out) => {
  const ids = idx.handle;
  const n = ids.length;
  const dim = a.dimSize;
  const outer = sizeOf(dy.shape.slice(0, a.axis));
  const inner = sizeOf(dy.shape.slice(a.axis + idx.shape.length));
  const buckets: number[][] = Array.from({ length: dim }, () => []);
  for (let i = 0; i < n; i++) if (ids[i] >= 0 && ids[i] < dim) buckets[ids[i]].push(i);
  const g = dy.handle;
  const dx = out.handle;
  const levels = treeLevels(n);
  const acc = new Float64Array(levels);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < dim; r++) {
      const list = buckets[r];
      for (let j = 0; j < inner; j++) {
        acc.fill(0);
        let chunk = list.length ? Math.floor(list[0] / SUM_CHUNK) : 0;
        for (const i of list) {
          const c = Math.floor(i / SUM_CHUNK);
          if (c !== chunk) {
            carry(acc, chunk, c, levels);
            chunk = c;
          }
          acc[0] = f32(acc[0] + g[(o * n + i) * inner + j]);
        }
        carry(acc, chunk, Number.MAX_SAFE_INTEGER, levels);
        dx[(o * dim + r) * inner + j] = acc[levels - 1];
      }
    }
  }
};

function treeLevels(n: number): number {
  let levels = 1;
  for (let m = n; m > SUM_CHUNK; m = Math.ceil(m / SUM_CHUNK)) levels++;
  return levels;
}

/**
 * Moves partial sums up the tree when the level-0 chunk index changes from `from` to `to`:
 * at each level l the group index is chunk >> (8 * l); a group that ends is added to the level
 * above. `to` = MAX_SAFE_INTEGER flushes everything.
 */
function carry(acc: Float64Array, from: number, to: number, levels: number): void {
  let f = from;
  let t = to;
  for (let l = 0; l < levels - 1; l++) {
    if (f === t) return;
    acc[l + 1] = f32(acc[l + 1] + acc[l]);
    acc[l] = 0;
    f = Math.floor(f / SUM_CHUNK);
    t = Math.floor(t / SUM_CHUNK);
  }
}

export const oneHot: CpuKernel<'oneHot'> = ([idx], a, out) => {
  const ids = idx.handle;
  const d = a.depth;
  const dst = out.handle;
  dst.fill(a.offValue);
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i];
    if (k >= 0 && k < d) dst[i * d + k] = a.onValue;
  }
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { gather, gatherGrad, oneHot } satisfies CpuKernels;
