/**
 * Elementwise, pooling, summation and resize loops of the CPU backend that may run on any thread,
 * and the jobs of their pool tasks (tasks.ts). The kernels (binary.ts, unary.ts, pool.ts,
 * reduce.ts, resize-bilinear.ts) call these loops inline for small tensors and through the worker
 * pool (thread-pool.ts) for large ones. A block writes only its own outputs, and every output is
 * computed whole by one thread in its one order:
 *  - binary ops (broadcast.gen.ts), where, relu: one operation per output element, no
 *    reduction; a block is a contiguous range of outputs.
 *  - maxPool2d, maxPool2dGrad: a block is a range of images; within an image the order is the
 *    documented one (pool.ts), and windows never cross images, so each dx element is written by
 *    one thread in window order.
 *  - sum: a block computes chunk sums c[o, j, i] = S(x rows of chunk j) of SUM_CHUNK = 256
 *    consecutive reduced rows, sequentially from +0 (level 0 of the summation tree); the kernel
 *    then combines each output's chunk sums with the tree's upper levels in order.
 *  - resizeBilinear: a block is a range of images, each output the documented operation sequence.
 * Float results are single correctly rounded float32 operations (see binary.ts). Where
 * WebAssembly SIMD is available (wasm-ew.ts) the large float32 cases run there, lane by lane the
 * same operations: the plain loops here are what runs without it (DITTO_CPU_WASM=0) and the
 * oracle the tests compare the SIMD loops with. 2 x 2 max pooling, its gradient and the chunk sums run the
 * native AVX2 form of the SIMD loops in place (native-pool.ts, native-colsum.ts) where built and checked.
 * Part of src/kernels/cpu: imports broadcast.gen.ts, native-colsum.ts, native-pool.ts and wasm-ew.ts.
 */

import { BINARY, type BinaryLoopName, type NumArray } from './broadcast.gen.ts';
import { nativeColSum } from './native-colsum.ts';
import { nativePool } from './native-pool.ts';
import { type EwCompareForm, type EwCompareOp, type EwFloatOp, type EwForm, ewAvailable, ewBinary, ewColSum, ewColSumStrip, ewCompare, ewPool2, ewPool2Fits, ewPool2Grad, ewRelu, ewReluGrad, ewRow, ewWhere } from './wasm-ew.ts';

const fround = Math.fround;

/** Outputs [i*block, min(total, (i+1)*block)) of a job over `total` units. */
const range = (i: number, block: number, total: number): [number, number] => [i * block, Math.min(total, (i + 1) * block)];

/**
 * Task 'binary' (split by outputs): the broadcasting loop of binary.ts's collapsed broadcast
 * (BINARY[op], any dtype), or a WebAssembly SIMD loop of wasm-ew.ts for float32 operands in form
 * 'vv' (both dense), 'vs' / 'sv' (the second / first a scalar).
 */
export type BinaryJob =
  | { loop: 'broadcast'; op: BinaryLoopName; x: NumArray; y: NumArray; d: NumArray; n1: number; n2: number; a0: number; a1: number; a2: number; b0: number; b1: number; b2: number; total: number }
  | { loop: 'simd'; op: EwFloatOp; form: EwForm; x: Float32Array; y: Float32Array; d: Float32Array; total: number }
  | { loop: 'simdCompare'; op: EwCompareOp; form: EwCompareForm; x: Float32Array; y: Float32Array; d: Uint8Array; total: number };

/** Outputs [i*block, (i+1)*block) of a 'binary' job. */
export function runBinaryBlock(j: BinaryJob, i: number, block: number): void {
  const [o0, o1] = range(i, block, j.total);
  switch (j.loop) {
    case 'simd': return ewBinary(j.op, j.form, j.x, j.y, j.d, o0, o1);
    case 'simdCompare': return ewCompare(j.op, j.form, j.x, j.y, j.d, o0, o1);
    case 'broadcast': return BINARY[j.op](j.x, j.y, j.d, j.n1, j.n2, j.a0, j.a1, j.a2, j.b0, j.b1, j.b2, 0, 0, 0, o0, o1);
  }
}

/** Task 'binaryRow' (split by rows): d[r, c] = x[r, c] op y[c] for `rows` rows of C columns (wasm-ew.ts ewRow). */
export interface BinaryRowJob {
  op: EwFloatOp;
  x: Float32Array;
  y: Float32Array;
  d: Float32Array;
  C: number;
  rows: number;
}

/** Rows [i*block, (i+1)*block) of a 'binaryRow' job. */
export function runBinaryRowBlock(j: BinaryRowJob, i: number, block: number): void {
  const [r0, r1] = range(i, block, j.rows);
  ewRow(j.op, j.x, j.y, j.d, j.C, r0, r1);
}

/** out[o] = cond[c] !== 0 ? x[a] : y[b] over outputs o0..o1-1 of a collapsed 3-d broadcast (as BINARY). */
export function whereRange(cond: NumArray, x: NumArray, y: NumArray, d: NumArray, n1: number, n2: number, c0: number, c1: number, c2: number, a0: number, a1: number, a2: number, b0: number, b1: number, b2: number, co: number, ao: number, bo: number, oo: number, o0: number, o1: number): void {
  const rem = o0 - oo;
  let i = Math.floor(rem / (n1 * n2));
  let j = Math.floor((rem - i * n1 * n2) / n2);
  let k = rem - (i * n1 + j) * n2;
  for (let o = o0; o < o1; ) {
    const end = Math.min(o1, o + n2 - k);
    let pc = co + i * c0 + j * c1 + k * c2;
    let pa = ao + i * a0 + j * a1 + k * a2;
    let pb = bo + i * b0 + j * b1 + k * b2;
    for (; o < end; o++, pc += c2, pa += a2, pb += b2) d[o] = cond[pc] !== 0 ? x[pa] : y[pb];
    k = 0;
    if (++j === n1) {
      j = 0;
      i++;
    }
  }
}

/**
 * Task 'where' (split by outputs): the collapsed broadcast of binary.ts (any dtypes), or the SIMD
 * loop of wasm-ew.ts for a dense uint8 condition and float32 branches in form 'vv', 'vs' or 'sv'.
 */
export type WhereJob =
  | { loop: 'broadcast'; cond: NumArray; x: NumArray; y: NumArray; d: NumArray; n1: number; n2: number; c0: number; c1: number; c2: number; a0: number; a1: number; a2: number; b0: number; b1: number; b2: number; total: number }
  | { loop: 'simd'; form: EwForm; cond: Uint8Array; x: Float32Array; y: Float32Array; d: Float32Array; total: number };

/** Outputs [i*block, (i+1)*block) of a 'where' job. */
export function runWhereBlock(j: WhereJob, i: number, block: number): void {
  const [o0, o1] = range(i, block, j.total);
  if (j.loop === 'simd') return ewWhere(j.form, j.cond, j.x, j.y, j.d, o0, o1);
  whereRange(j.cond, j.x, j.y, j.d, j.n1, j.n2, j.c0, j.c1, j.c2, j.a0, j.a1, j.a2, j.b0, j.b1, j.b2, 0, 0, 0, 0, o0, o1);
}

/** relu over [o0, o1): x > 0 ? x : +0, NaN stays NaN (float32 through wasm-ew.ts where available). */
export function reluRange(s: NumArray, d: NumArray, o0: number, o1: number): void {
  if (s instanceof Float32Array && d instanceof Float32Array && o1 - o0 >= 64 && ewAvailable()) return ewRelu(s, d, o0, o1);
  for (let i = o0; i < o1; i++) {
    const v = s[i];
    d[i] = v > 0 || v !== v ? v : 0;
  }
}

/** Task 'relu' (split by elements): d = relu(x) over `total` elements. */
export interface ReluJob {
  x: NumArray;
  d: NumArray;
  total: number;
}

/** Elements [i*block, (i+1)*block) of a 'relu' job. */
export function runReluBlock(j: ReluJob, i: number, block: number): void {
  const [o0, o1] = range(i, block, j.total);
  reluRange(j.x, j.d, o0, o1);
}

/** reluGrad over [o0, o1): d = x > 0 ? g : +0 (float32; through wasm-ew.ts where available). */
export function reluGradRange(g: Float32Array, x: Float32Array, d: Float32Array, o0: number, o1: number): void {
  if (o1 - o0 >= 64 && ewAvailable()) return ewReluGrad(g, x, d, o0, o1);
  for (let i = o0; i < o1; i++) d[i] = x[i] > 0 ? g[i] : 0;
}

/** Task 'reluGrad' (split by elements): d = x > 0 ? g : +0 over `total` elements. */
export interface ReluGradJob {
  g: Float32Array;
  x: Float32Array;
  d: Float32Array;
  total: number;
}

/** Elements [i*block, (i+1)*block) of a 'reluGrad' job. */
export function runReluGradBlock(j: ReluGradJob, i: number, block: number): void {
  const [o0, o1] = range(i, block, j.total);
  reluGradRange(j.g, j.x, j.d, o0, o1);
}

// ---------------------------------------------------------------------------------------------
// Max pooling (NHWC) over images n0..n1-1. Order: see pool.ts.

/** The geometry of a pooling: input [., inH, inW, C], window kH x kW, strides, output, padding before. */
export interface PoolGeometry {
  C: number;
  inH: number;
  inW: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  outH: number;
  outW: number;
  padTop: number;
  padLeft: number;
}

/** Whether geometry g is 2 x 2 stride-2 unpadded pooling that the SIMD loops of wasm-ew.ts take. */
// ewPool2 / ewPool2Grad compute 'valid' geometry (floor(H / 2) x floor(W / 2) full windows): 'same' padding of an
// odd size also has padTop = padLeft = 0 but one more, partial, window per row and column, which only the
// general loops below handle.
const simdPool2 = (g: PoolGeometry): boolean => g.kH === 2 && g.kW === 2 && g.sH === 2 && g.sW === 2 && g.padTop === 0 && g.padLeft === 0 && g.outH === g.inH >> 1 && g.outW === g.inW >> 1 && ewPool2Fits(g.inW, g.C);

/** maxPool2d: out[n, oh, ow, c] = first maximum of the valid window (NaN wins), 0 for an empty window. */
export function maxPoolImages(g: PoolGeometry, src: NumArray, dst: NumArray, n0: number, n1: number): void {
  if (simdPool2(g) && src instanceof Float32Array && dst instanceof Float32Array) {
    const native = nativePool.get();
    if (native !== null) return native.maxPool2(src, dst, n0, n1, g.inH, g.inW, g.C);
    return ewPool2(src, dst, g.inH, g.inW, g.C, n0, n1);
  }
  const { C, inH, inW, kH, kW, sH, sW, outH, outW, padTop, padLeft } = g;
  let o = n0 * outH * outW * C;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * sH - padTop;
      const h0 = hs > 0 ? hs : 0;
      const h1 = hs + kH < inH ? hs + kH : inH;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const ws = ow * sW - padLeft;
        const w0 = ws > 0 ? ws : 0;
        const w1 = ws + kW < inW ? ws + kW : inW;
        if (h0 >= h1 || w0 >= w1) {
          for (let c = 0; c < C; c++) dst[o + c] = 0;
          continue;
        }
        const first = ((n * inH + h0) * inW + w0) * C;
        if (h1 - h0 === 2 && w1 - w0 === 2) {
          // a full 2x2 window: the same scan, unrolled
          const s1 = first + C;
          const s2 = first + inW * C;
          const s3 = s2 + C;
          for (let c = 0; c < C; c++) {
            let best = src[first + c];
            let v = src[s1 + c];
            if (v > best || (v !== v && best === best)) best = v;
            v = src[s2 + c];
            if (v > best || (v !== v && best === best)) best = v;
            v = src[s3 + c];
            if (v > best || (v !== v && best === best)) best = v;
            dst[o + c] = best;
          }
          continue;
        }
        for (let c = 0; c < C; c++) dst[o + c] = src[first + c];
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = ih === h0 ? w0 + 1 : w0; iw < w1; iw++) {
            const s = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = src[s + c];
              const best = dst[o + c];
              if (v > best || (v !== v && best === best)) dst[o + c] = v;
            }
          }
        }
      }
    }
  }
}

/**
 * maxPool2dGrad: dx of images n0..n1-1 = +0, then window by window (n, oh, ow row-major) dy is
 * added at the window's first maximum, channel by channel: dx = f32(dx + dy). reluMask: the add is
 * made only where that maximum is > 0 (the position's x), so dx = x > 0 ? dx : +0 (reluGrad's bits).
 */
export function maxPoolGradImages(g: PoolGeometry, src: NumArray, gy: Float32Array, dx: Float32Array, n0: number, n1: number, reluMask = false): void {
  if (simdPool2(g) && src instanceof Float32Array) {
    const native = nativePool.get();
    if (native !== null) return native.maxPool2Grad(src, gy, dx, n0, n1, g.inH, g.inW, g.C, reluMask);
    return ewPool2Grad(src, gy, dx, g.inH, g.inW, g.C, n0, n1, reluMask);
  }
  const { C, inH, inW, kH, kW, sH, sW, outH, outW, padTop, padLeft } = g;
  const best = new Float64Array(C);
  const at = new Int32Array(C);
  dx.fill(0, n0 * inH * inW * C, n1 * inH * inW * C);
  let o = n0 * outH * outW * C;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * sH - padTop;
      const h0 = hs > 0 ? hs : 0;
      const h1 = hs + kH < inH ? hs + kH : inH;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const ws = ow * sW - padLeft;
        const w0 = ws > 0 ? ws : 0;
        const w1 = ws + kW < inW ? ws + kW : inW;
        if (h0 >= h1 || w0 >= w1) continue;
        const first = ((n * inH + h0) * inW + w0) * C;
        if (h1 - h0 === 2 && w1 - w0 === 2) {
          // a full 2x2 window: the same scan and update, unrolled
          const s1 = first + C;
          const s2 = first + inW * C;
          const s3 = s2 + C;
          for (let c = 0; c < C; c++) {
            let b = src[first + c];
            let i = first + c;
            let v = src[s1 + c];
            if (v > b || (v !== v && b === b)) {
              b = v;
              i = s1 + c;
            }
            v = src[s2 + c];
            if (v > b || (v !== v && b === b)) {
              b = v;
              i = s2 + c;
            }
            v = src[s3 + c];
            if (v > b || (v !== v && b === b)) i = s3 + c;
            if (!reluMask || src[i] > 0) dx[i] = fround(dx[i] + gy[o + c]);
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          best[c] = src[first + c];
          at[c] = first + c;
        }
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = ih === h0 ? w0 + 1 : w0; iw < w1; iw++) {
            const s = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = src[s + c];
              const b = best[c];
              if (v > b || (v !== v && b === b)) {
                best[c] = v;
                at[c] = s + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          const i = at[c];
          if (!reluMask || src[i] > 0) dx[i] = fround(dx[i] + gy[o + c]);
        }
      }
    }
  }
}

/** Task 'maxPool2d' (split by images): out = maxPool2d(x) of `images` images. */
export interface MaxPoolJob {
  g: PoolGeometry;
  x: NumArray;
  out: NumArray;
  images: number;
}

/** Images [i*block, (i+1)*block) of a 'maxPool2d' job. */
export function runMaxPoolBlock(j: MaxPoolJob, i: number, block: number): void {
  const [n0, n1] = range(i, block, j.images);
  maxPoolImages(j.g, j.x, j.out, n0, n1);
}

/** Task 'maxPool2dGrad' (split by images): out = dx of `images` images from x and dy. */
export interface MaxPoolGradJob {
  g: PoolGeometry;
  x: NumArray;
  dy: Float32Array;
  out: Float32Array;
  images: number;
  /** Mask dx by x > 0 (relu's gradient) in the same pass. */
  reluMask: boolean;
}

/** Images [i*block, (i+1)*block) of a 'maxPool2dGrad' job. */
export function runMaxPoolGradBlock(j: MaxPoolGradJob, i: number, block: number): void {
  const [n0, n1] = range(i, block, j.images);
  maxPoolGradImages(j.g, j.x, j.dy, j.out, n0, n1, j.reluMask);
}

// ---------------------------------------------------------------------------------------------
// Chunk sums for sum over a contiguous run of axes: x as [outer, R, inner], chunk j of output
// group o covers rows j*256 .. min(R, (j+1)*256)-1: part[(o*chunks + j)*inner + t] =
// S(x[o, r, t] for those rows), sequential from +0.

/** Chunk sums of chunks j0..j1-1 of group o (columns c0..c1-1 of inner; inner > 1 where that is not all of them). */
export function chunkSums(x: NumArray, R: number, inner: number, o: number, j0: number, j1: number, chunks: number, part: Float32Array, c0 = 0, c1 = inner): void {
  const strip = c0 !== 0 || c1 !== inner;
  if (!strip && inner === 1) {
    for (let jc = j0; jc < j1; jc++) {
      let acc = 0;
      const r1 = Math.min(R, (jc + 1) * 256);
      for (let s = o * R + jc * 256, e = o * R + r1; s < e; s++) acc = fround(acc + x[s]);
      part[o * chunks + jc] = acc;
    }
    return;
  }
  if (inner % 4 === 0 && c0 % 4 === 0 && c1 % 4 === 0 && x instanceof Float32Array && ewAvailable()) {
    const native = nativeColSum.get();
    for (let jc = j0; jc < j1; jc++) {
      const r0 = o * R + jc * 256;
      const r1 = o * R + Math.min(R, (jc + 1) * 256);
      const p = (o * chunks + jc) * inner;
      if (native !== null) native.colSum(x, part, r0, r1, inner, c0, c1 - c0, p + c0);
      else if (strip) ewColSumStrip(x, inner, c0, c1 - c0, r0, r1, part, p + c0);
      else ewColSum(x, inner, r0, r1, part, p);
    }
    return;
  }
  for (let jc = j0; jc < j1; jc++) {
    const p = (o * chunks + jc) * inner;
    part.fill(0, p + c0, p + c1);
    const r1 = Math.min(R, (jc + 1) * 256);
    for (let r = jc * 256; r < r1; r++) {
      const s = (o * R + r) * inner;
      for (let t = c0; t < c1; t++) part[p + t] = fround(part[p + t] + x[s + t]);
    }
  }
}

/**
 * Task 'sumChunks': the chunk sums `part` [outer, chunks, inner] of x [outer, R, inner], in
 * blocks of `block` chunks of one output group: block i = (group o, its chunk range); with
 * `span`, blocks of `span` columns with all chunks: block i = (group o, its column range).
 */
export interface SumChunksJob {
  x: NumArray;
  R: number;
  inner: number;
  outer: number;
  chunks: number;
  part: Float32Array;
  /** Columns per block (a multiple of 4 where inner is), instead of blocks of chunks. */
  span?: number;
}

/** Block i of a 'sumChunks' job (blocks of `block` chunks, or of `span` columns; see SumChunksJob). */
export function runSumChunksBlock(j: SumChunksJob, i: number, block: number): void {
  if (j.span !== undefined) {
    const strips = Math.ceil(j.inner / j.span);
    const o = Math.floor(i / strips);
    const c0 = (i - o * strips) * j.span;
    chunkSums(j.x, j.R, j.inner, o, 0, j.chunks, j.chunks, j.part, c0, Math.min(j.inner, c0 + j.span));
    return;
  }
  const perGroup = Math.ceil(j.chunks / block);
  const o = Math.floor(i / perGroup);
  const j0 = (i - o * perGroup) * block;
  chunkSums(j.x, j.R, j.inner, o, j0, Math.min(j.chunks, j0 + block), j.chunks, j.part);
}

// ---------------------------------------------------------------------------------------------
// Bilinear resize (resize-bilinear.ts: the per-axis source rows/columns and float32 weights are
// computed there once), images n0..n1-1; each output element is the documented sequence of
// single float32 operations: top = tl + (tr - tl) * lx, bottom likewise, top + (bottom - top) * ly.

/**
 * Task 'resizeBilinear' (split by images): dst [images, outH, outW, C] from src [images, inH, inW, C]
 * with per output row / column the source rows / columns lo, hi and the float32 weight lerp.
 */
export interface ResizeJob {
  src: NumArray;
  dst: NumArray;
  inH: number;
  inW: number;
  C: number;
  outH: number;
  outW: number;
  ylo: Int32Array;
  yhi: Int32Array;
  ylerp: Float32Array;
  xlo: Int32Array;
  xhi: Int32Array;
  xlerp: Float32Array;
  images: number;
}

/** resizeBilinear of images [n0, n1) of job j. */
export function resizeImages(j: ResizeJob, n0: number, n1: number): void {
  const { src, dst, inH, inW, C, outH, outW, ylo, yhi, ylerp, xlo, xhi, xlerp } = j;
  const rowStride = inW * C;
  let o = n0 * outH * outW * C;
  for (let b = n0; b < n1; b++) {
    const base = b * inH * rowStride;
    for (let y = 0; y < outH; y++) {
      const r0 = base + ylo[y] * rowStride;
      const r1 = base + yhi[y] * rowStride;
      const ly = ylerp[y];
      if (C === 1) {
        for (let xo = 0; xo < outW; xo++, o++) {
          const c0 = xlo[xo];
          const c1 = xhi[xo];
          const lx = xlerp[xo];
          const tl = src[r0 + c0];
          const bl = src[r1 + c0];
          const top = fround(tl + fround(fround(src[r0 + c1] - tl) * lx));
          const bottom = fround(bl + fround(fround(src[r1 + c1] - bl) * lx));
          dst[o] = fround(top + fround(fround(bottom - top) * ly));
        }
        continue;
      }
      for (let xo = 0; xo < outW; xo++) {
        const c0 = xlo[xo] * C;
        const c1 = xhi[xo] * C;
        const lx = xlerp[xo];
        for (let c = 0; c < C; c++, o++) {
          const tl = src[r0 + c0 + c];
          const tr = src[r0 + c1 + c];
          const bl = src[r1 + c0 + c];
          const br = src[r1 + c1 + c];
          const top = fround(tl + fround(fround(tr - tl) * lx));
          const bottom = fround(bl + fround(fround(br - bl) * lx));
          dst[o] = fround(top + fround(fround(bottom - top) * ly));
        }
      }
    }
  }
}

/** Images [i*block, (i+1)*block) of a 'resizeBilinear' job. */
export function runResizeBlock(j: ResizeJob, i: number, block: number): void {
  const [n0, n1] = range(i, block, j.images);
  resizeImages(j, n0, n1);
}
