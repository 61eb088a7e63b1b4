/**
 * CPU kernels for conv2d and its input and filter gradients (NHWC, filter [kH, kW, C, F]): each
 * is one blocked GEMM job (gemm.ts, gemm-tasks.ts) whose A panels are gathered block by block in
 * the thread's heap from a slab of the few zero-padded input rows the block reads (for
 * conv2dGradInput: zero-dilated dy rows), so memory stays bounded (no whole-tensor im2col).
 * conv2dGradFilter, whose reduction over positions is long, runs in split-K mode: threads take
 * chunks of 256 positions and the chunk sums are added in order afterwards (gemm.ts).
 * Dilations (dH, dW) only move where tap (kh, kw) reads (kh*dH, kw*dW); the slabs span the dilated extent.
 * Reduction orders (src/core/ops/conv2d.ts; S = the engine's summation tree of
 * src/core/reduction-order.ts, every product f32(a * b) with the first operand named first):
 *  - conv2d:           y[n,oh,ow,f]  = S over k = (kh*kW + kw)*C + c of x[n, ih, iw, c] * w[kh,kw,c,f]
 *  - conv2dGradInput:  dx[n,ih,iw,c] = S over k = (kh*kW + kw)*F + f of dy[n,oh,ow,f] * w[kh,kw,c,f]
 *  - conv2dGradFilter: dw[kh,kw,c,f] = S over p = (n*outH + oh)*outW + ow of x[n,ih,iw,c] * dy[n,oh,ow,f]
 * A term outside the input (padding) or without a matching output enters as +0 * w (or x * +0),
 * which for finite values gives the bits of skipping it (an accumulator that starts at +0 never
 * becomes -0, and s + (±0) = s). conv2dGradInput, and conv2d on its packed path, do skip the taps
 * kh without an input row (dy row; x row in the padding) when the filter is all finite (one pass
 * over w per call; gemm-tasks.ts, "Zero taps"); with an Inf or a NaN in w, +0 * w is NaN and every
 * term is computed.
 * Few input channels (C <= SMALL_C, e.g. a first layer on grey images): conv2d (when K = kH*kW*C
 * <= 256) and conv2dGradFilter (in split-K mode) read their operands unpacked (gemm-tasks.ts,
 * "Few input channels"): the same terms in the same order, so the same bits. Where the native addon's convolution
 * runs (native-conv.ts), conv2d jobs with a small filter skip all of this: their blocks are computed from x in place
 * (gemm-tasks.ts, "Native convolution"), with the same bits.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { convWindow2d, type ConvWindow2d } from '../../core/ops/window.ts';
import { runGemm } from './gemm.ts';
import type { PoolAttrs } from '../../core/ops/op-attrs.ts';
import { gemmKernelKind, poolBlocksFit } from './gemm-tasks.ts';
import { maxPool2d } from './pool.ts';
import { getNumThreads, sharedScratch } from './thread-pool.ts';
import { ewPool2Fits } from './wasm-ew.ts';
import type { ConvGeometry, GemmOperands } from './gemm-tasks.ts';
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

function geometry(g: ConvWindow2d, C: number, F: number): ConvGeometry {
  return { C, F, inH: g.inH, inW: g.inW, kH: g.kH, kW: g.kW, dH: g.dH, dW: g.dW, sH: g.sH, sW: g.sW, outH: g.outH, outW: g.outW, padTop: g.padTop, padLeft: g.padLeft };
}

/**
 * Input channels up to which the convolutions read their operands unpacked. Measured 2026-12-07 (CPU time, 1 thread,
 * x [64, 32, 32, C], w [3, 3, C, 32], busy machine): the filter gradient took 3-20% less for C = 1..4, the forward
 * 5-35% less for C = 2..4 and about the same for C = 1 (whose gain is the fused epilogue's); at C = 5 the packed path
 * is as fast.
 */
const SMALL_C = 4;
let smallChannelPath = true;

/** Test hook: turns the unpacked few-channel path off (false) or back on (true, the default). */
export function setSmallChannelPath(on: boolean): void {
  smallChannelPath = on;
}

let zeroTapSkip = true;

/** Test hook: turns the skipping of taps without an input row (gemm-tasks.ts "Zero taps") off (false) or back on (true, the default). */
export function setZeroTapSkip(on: boolean): void {
  zeroTapSkip = on;
}

let lastSkipped = false;

/** Test hook: whether the last conv2d, conv2dBiasAct or conv2dGradInput call dropped zero taps. */
export function lastZeroTapSkip(): boolean {
  return lastSkipped;
}

/** Whether every float of w is finite (no Inf, no NaN): then +0 * w is ±0 for every w (gemm-tasks.ts, "Zero taps"). */
function allFinite(w: Float32Array): boolean {
  for (let i = 0; i < w.length; i++) {
    const v = w[i];
    if (v - v !== 0) return false;
  }
  return true;
}

/**
 * Whether a job may drop its zero taps (gemm-tasks.ts "Zero taps"): the hook is on, some image row
 * of A has a tap without an input row (`rows`: conv2d's padding rows; conv2dGradInput almost always)
 * and every float of w is finite (checked last: one pass over w).
 */
function skipTaps(rows: boolean, w: Float32Array): boolean {
  lastSkipped = zeroTapSkip && rows && allFinite(w);
  return lastSkipped;
}

/** conv2d: whether some output row's window reaches a padding row (above x or below it). */
const paddedRows = (g: ConvWindow2d): boolean => g.padTop > 0 || (g.outH - 1) * g.sH + (g.kH - 1) * g.dH - g.padTop >= g.inH;

/** Whether a convolution with C input channels takes the unpacked path. */
const direct = (C: number): boolean => smallChannelPath && C <= SMALL_C && gemmKernelKind() === 'simd';

/** Runs C[M, N] = S over K as a gemm job (gemm.ts). */
function gemmJob(job: GemmOperands, M: number, N: number, K: number, out: Float32Array): void {
  runGemm(job, 1, M, N, K, out);
}

export const conv2d: CpuKernel<'conv2d'> = ([x, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = convWindow2d('conv2d', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  const K = kH * kW * C;
  const d = direct(C) && K <= 256;
  const wf = floats(w);
  gemmJob({ kind: 'conv2d', x: floats(x), w: wf, ...geometry(g, C, F), direct: d, skipZeroTaps: skipTaps(!d && paddedRows(g), wf) }, g.n * g.outH * g.outW, F, K, floats(out));
};

export const conv2dGradInput: CpuKernel<'conv2dGradInput'> = ([dy, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = convWindow2d('conv2dGradInput', a.inputShape, [kH, kW], a.strides, a.padding, a.dilations);
  const wf = floats(w);
  const skipZeroTaps = skipTaps(true, wf);
  gemmJob({ kind: 'conv2dGradInput', dy: floats(dy), w: wf, ...geometry(g, C, F), skipZeroTaps }, g.n * g.inH * g.inW, C, kH * kW * F, floats(out));
};

export const conv2dGradFilter: CpuKernel<'conv2dGradFilter'> = ([x, dy], a, out) => {
  const [kH, kW, C, F] = a.filterShape;
  const g = convWindow2d('conv2dGradFilter', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  gemmJob({ kind: 'conv2dGradFilter', x: floats(x), dy: floats(dy), ...geometry(g, C, F), direct: direct(C) }, kH * kW * C, F, g.n * g.outH * g.outW, floats(out));
};

/**
 * conv2dBiasAct (src/core/ops/conv2d-bias-act.ts): conv2d's job with the epilogue y = f32(z + b[f])
 * and relu applied to each block before it is copied out (gemm-tasks.ts, "Epilogue").
 */
export const conv2dBiasAct: CpuKernel<'conv2dBiasAct'> = ([x, w, b], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = convWindow2d('conv2dBiasAct', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  const K = kH * kW * C;
  const d = direct(C) && K <= 256;
  const wf = floats(w);
  const skipZeroTaps = skipTaps(!d && paddedRows(g), wf);
  const job = { kind: 'conv2d', x: floats(x), w: wf, ...geometry(g, C, F), direct: d, bias: floats(b), relu: a.activation === 'relu', skipZeroTaps } as const;
  gemmJob(job, g.n * g.outH * g.outW, F, K, floats(out));
};

/**
 * The convolution outputs conv2dBiasActMaxPool's pooling reads, when it can pool inside the convolution's job
 * (gemm-tasks.ts, "Pooled output"), else null: for 2 x 2 windows of stride 2, 'valid', the output rows and
 * columns 0 .. 2*floor(outH/2) - 1 and 0 .. 2*floor(outW/2) - 1 (an odd last row or column belongs to no window,
 * so it is not computed; a window of the job's rows reads the same x rows and columns as in the full output, so
 * every computed output is the one conv2dBiasAct gives), with at least one window; the SIMD pooling loop for rows
 * of that width and F channels (wasm-ew.ts ewPool2Fits); and a plan whose blocks hold all F columns.
 */
function pooledGeometry(g: ConvWindow2d, F: number, K: number, pool: PoolAttrs): ConvWindow2d | null {
  const [pH, pW] = pool.poolSize;
  if (pH !== 2 || pW !== 2 || pool.strides[0] !== 2 || pool.strides[1] !== 2 || pool.padding !== 'valid') return null;
  const outH = g.outH & ~1;
  const outW = g.outW & ~1;
  if (outH === 0 || outW === 0 || !ewPool2Fits(outW, F) || !poolBlocksFit(g.n * outH * outW, outW, F, K, getNumThreads())) return null;
  return { ...g, outH, outW };
}

let lastPooled = false;

/** Test hook: whether the last conv2dBiasActMaxPool call pooled inside the convolution's job. */
export function lastPooledJob(): boolean {
  return lastPooled;
}

/**
 * conv2dBiasActMaxPool (src/core/ops/conv2d-bias-act-pool.ts): conv2dBiasAct's job over the outputs the pooling
 * reads, whose blocks are max-pooled in the thread's heap and written pooled (gemm-tasks.ts, "Pooled output"),
 * when pooledGeometry allows; otherwise conv2dBiasAct into a scratch tensor (kept for reuse, as gemm.ts's
 * split-K parts), then maxPool2d. The same values and selections either way.
 */
export const conv2dBiasActMaxPool: CpuKernel<'conv2dBiasActMaxPool'> = ([x, w, b], a, out) => {
  const { pool, ...conv } = a;
  const [kH, kW, C, F] = w.shape;
  const full = convWindow2d('conv2dBiasActMaxPool', x.shape, [kH, kW], conv.strides, conv.padding, conv.dilations);
  const K = kH * kW * C;
  const g = pooledGeometry(full, F, K, pool);
  lastPooled = g !== null;
  if (g === null) {
    const shape = [full.n, full.outH, full.outW, F];
    const y = { handle: sharedScratch('conv2dBiasActMaxPool', full.n * full.outH * full.outW * F), shape, dtype: 'float32' as const };
    conv2dBiasAct([x, w, b], conv, y);
    maxPool2d([y], pool, out);
    return;
  }
  const d = direct(C) && K <= 256;
  const wf = floats(w);
  const skipZeroTaps = skipTaps(!d && paddedRows(g), wf);
  const job = { kind: 'conv2d', x: floats(x), w: wf, ...geometry(g, C, F), direct: d, bias: floats(b), relu: conv.activation === 'relu', skipZeroTaps, pool: true } as const;
  gemmJob(job, g.n * g.outH * g.outW, F, K, floats(out));
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { conv2d, conv2dGradInput, conv2dGradFilter, conv2dBiasAct, conv2dBiasActMaxPool } satisfies CpuKernels;
