/**
 * CPU kernels for reductions: sum (the engine's summation tree, src/core/reduction-order.ts, over
 * the reduced elements in row-major order of the reduced axes), max and min (scan in that order;
 * NaN wins; the first of equal values is kept), argmax and argmin (first index).
 * Integer sums wrap modulo 2^32.
 * A float sum over contiguous axes (x as [outer, R, inner]) is computed as the tree's level 0,
 * the chunk sums of 256 consecutive reduced rows (ew-tasks.ts, split between threads by chunk),
 * then, per output, sumTree over its chunk sums in order: exactly S(x) for every R (two levels
 * up to 65536 terms, more above), whatever the thread count. With R <= 256 and wide rows the one
 * chunk sum of each output is its sum, computed in place (in blocks of columns, split between
 * threads).
 * Part of src/kernels/cpu: imports src/core only.
 */
import { SUM_CHUNK, sumTree } from '../../core/reduction-order.ts';
import type { ReduceAttrs } from '../../core/ops/op-attrs.ts';
import { sizeOf, stridesOf } from '../../core/shape.ts';
import { runJob, sharedScratch } from './thread-pool.ts';
import { MAX_COLS } from './wasm-ew.ts';
import { type CpuInfo, type CpuKernel, floats, type CpuKernels } from './types.ts';

const f32 = Math.fround;

/**
 * The reduced axes as (outer, reduced, inner) when they are contiguous; otherwise null.
 * Element (o, r, j) is at o * R * inner + r * inner + j.
 */
function contiguousSplit(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  if (axes.length === 0) return [sizeOf(shape), 1, 1];
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

/**
 * Offsets (relative to an output's base) of the reduced elements in row-major order of the
 * reduced axes, and the base offset of each output, for arbitrary axis sets.
 */
function generalOffsets(shape: readonly number[], axes: readonly number[]): { red: Int32Array; base: Int32Array } {
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const enumerate = (dims: number[]): Int32Array => {
    const n = sizeOf(dims.map((d) => shape[d]));
    const out = new Int32Array(n);
    const coord = new Array<number>(dims.length).fill(0);
    for (let i = 0; i < n; i++) {
      let off = 0;
      for (let k = 0; k < dims.length; k++) off += coord[k] * strides[dims[k]];
      out[i] = off;
      for (let k = dims.length - 1; k >= 0; k--) {
        if (++coord[k] < shape[dims[k]]) break;
        coord[k] = 0;
      }
    }
    return out;
  };
  return { red: enumerate([...axes]), base: enumerate(kept) };
}

/** Sum of R strided terms for `inner` consecutive outputs at once (cache-friendly tree). */
function sumStrided(x: ArrayLike<number>, base: number, R: number, inner: number, out: Float32Array | Int32Array | Uint8Array, outBase: number, isFloat: boolean): void {
  if (!isFloat) {
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let r = 0; r < R; r++) acc = (acc + x[base + r * inner + j]) | 0;
      out[outBase + j] = acc;
    }
    return;
  }
  if (R > SUM_CHUNK * SUM_CHUNK) {
    for (let j = 0; j < inner; j++) out[outBase + j] = sumTree(x, base + j, R, inner);
    return;
  }
  // Two-level streaming form: chunk sums of SUM_CHUNK terms added to a running total.
  const total = new Float64Array(inner);
  const chunk = new Float64Array(inner);
  for (let r0 = 0; r0 < R; r0 += SUM_CHUNK) {
    chunk.fill(0);
    const r1 = Math.min(R, r0 + SUM_CHUNK);
    for (let r = r0; r < r1; r++) {
      const p = base + r * inner;
      for (let j = 0; j < inner; j++) chunk[j] = f32(chunk[j] + x[p + j]);
    }
    for (let j = 0; j < inner; j++) total[j] = f32(total[j] + chunk[j]);
  }
  for (let j = 0; j < inner; j++) out[outBase + j] = total[j];
}

/**
 * Float sum of x as [outer, R, inner] over R into out [outer, inner]: chunk sums (in parallel
 * when big), then per output sumTree over its chunk sums in order (the tree's upper levels).
 */
export function sumChunked(x: CpuInfo['handle'], outer: number, R: number, inner: number, out: Float32Array): void {
  const chunks = Math.ceil(R / SUM_CHUNK);
  if (chunks === 1 && inner > MAX_COLS) {
    // one chunk of rows wider than the SIMD column sums hold (narrower ones copy several rows at
    // a time, faster): its sums are the outputs (S of a single partial sum is that sum),
    // computed straight into out in 4 or more blocks of columns, so that the threads share them
    // (e.g. the chunk sums of a split-K GEMM, gemm.ts)
    const span = Math.ceil(inner / Math.max(4, Math.ceil(inner / MAX_COLS)) / 4) * 4;
    runJob('sumChunks', { x, R, inner, outer, chunks, part: out, span }, outer * Math.ceil(inner / span), { work: 4 * outer * R * inner, out });
    return;
  }
  const part = sharedScratch('sum.part', outer * chunks * inner);
  const perBlock = Math.max(1, Math.ceil((1 << 15) / (SUM_CHUNK * inner)));
  const blocks = outer * Math.ceil(chunks / perBlock);
  runJob('sumChunks', { x, R, inner, outer, chunks, part }, blocks, { work: 4 * outer * R * inner, out: part, block: perBlock });
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < inner; t++) out[o * inner + t] = sumTree(part, o * chunks * inner + t, chunks, inner);
  }
}

export const sum: CpuKernel<'sum'> = ([x], a, out) => {
  const isFloat = x.dtype === 'float32';
  const split = contiguousSplit(x.shape, a.axes);
  if (split) {
    const [outer, R, inner] = split;
    if (isFloat && R > 1 && outer * R * inner >= 1 << 16) {
      sumChunked(x.handle, outer, R, inner, floats(out));
      return;
    }
    for (let o = 0; o < outer; o++) sumStrided(x.handle, o * R * inner, R, inner, out.handle, o * inner, isFloat);
    return;
  }
  const { red, base } = generalOffsets(x.shape, a.axes);
  const terms = new Float64Array(red.length);
  const src = x.handle;
  for (let o = 0; o < base.length; o++) {
    for (let r = 0; r < red.length; r++) terms[r] = src[base[o] + red[r]];
    if (isFloat) out.handle[o] = sumTree(terms, 0, red.length);
    else {
      let acc = 0;
      for (let r = 0; r < red.length; r++) acc = (acc + terms[r]) | 0;
      out.handle[o] = acc;
    }
  }
};

type Pick = (candidate: number, best: number) => boolean;
const greaterOrNaN: Pick = (c, b) => c > b || (c !== c && b === b);
const lessOrNaN: Pick = (c, b) => c < b || (c !== c && b === b);

/** For each output, scans the reduced elements in order, keeping `best`; records value or index. */
function scan(x: CpuInfo, a: ReduceAttrs, out: CpuInfo, better: Pick, wantIndex: boolean): void {
  const src = x.handle;
  const dst = out.handle;
  const split = contiguousSplit(x.shape, a.axes);
  if (split) {
    const [outer, R, inner] = split;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const b0 = o * R * inner + j;
        let best = src[b0];
        let at = 0;
        for (let r = 1; r < R; r++) {
          const v = src[b0 + r * inner];
          if (better(v, best)) {
            best = v;
            at = r;
          }
        }
        dst[o * inner + j] = wantIndex ? at : best;
      }
    }
    return;
  }
  const { red, base } = generalOffsets(x.shape, a.axes);
  for (let o = 0; o < base.length; o++) {
    let best = src[base[o] + red[0]];
    let at = 0;
    for (let r = 1; r < red.length; r++) {
      const v = src[base[o] + red[r]];
      if (better(v, best)) {
        best = v;
        at = r;
      }
    }
    dst[o] = wantIndex ? at : best;
  }
}

export const max: CpuKernel<'max'> = ([x], a, out) => scan(x, a, out, greaterOrNaN, false);
export const min: CpuKernel<'min'> = ([x], a, out) => scan(x, a, out, lessOrNaN, false);
export const argmax: CpuKernel<'argmax'> = ([x], a, out) => scan(x, { axes: [a.axis], keepDims: false }, out, greaterOrNaN, true);
export const argmin: CpuKernel<'argmin'> = ([x], a, out) => scan(x, { axes: [a.axis], keepDims: false }, out, lessOrNaN, true);

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { sum, max, min, argmax, argmin } satisfies CpuKernels;
