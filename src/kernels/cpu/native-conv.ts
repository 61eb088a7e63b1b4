/**
 * The native convolutions (native/conv.c and native/convfilter.c in the addon of native-addon.ts): blocks of the
 * convolutions' GEMM jobs computed from the tensors in place, with no packing and no copies through a WebAssembly
 * heap. conv.c: a block of a conv2d job (conv2d, conv2dBiasAct, conv2dBiasActMaxPool) with its bias, relu and 2 x 2
 * pooling, and of a conv2dGradInput job with unit strides (as a convolution over dy with flipped taps), x (dy) read
 * where it lies and the outputs (or their window maxima) written straight into the output tensor; convfilter.c: a
 * block of a conv2dGradFilter job (split-K: chunk sums, or on one thread the totals), x and dy read in place. They
 * keep the WebAssembly path's arithmetic: per output the GEMM tiles' float32 operations in the same order (chunks of
 * 256 terms), the epilogue's, then maxPool2d's scan. gemm-tasks.ts calls them where nativeConv.get() returns them
 * (and gemm.ts then plans fewer, larger blocks); on first use each thread runs them and their WebAssembly twin (the
 * dgemm tile on a zero-padded copy of x in a private memory, epi for longer reductions, then the WebAssembly pooling
 * loop) on the same operands (NaN, infinities, -0, subnormals; padding, strides, dilations; 1 to 40 channels;
 * column counts that are not multiples of 8; sub-blocks; 256 terms and more; the input gradient's form; chunk sums
 * and totals of the filter gradient) and uses them only if every output has the same bits (native-addon.ts has the
 * rule and DITTO_CPU_NATIVE).
 * Part of src/kernels/cpu: imports conv-geometry.ts, native-addon.ts, wasm-builder.ts, wasm-gemm.ts and wasm-ew.ts.
 */
import type { ConvGeometry } from './conv-geometry.ts';
import { checkOperand, checkedNative, firstDifference, wordDifference } from './native-addon.ts';
import { instantiate, newMemory } from './wasm-builder.ts';
import { ewAvailable, ewPool2, ewPool2Fits } from './wasm-ew.ts';
import { GEMM_EXPORTS, SIMD_MR, SIMD_NR, simdGemmModule } from './wasm-gemm.ts';

/** The addon's convolutions (native/conv.c's and native/convfilter.c's headers have the geometries' integers and the flags). */
export interface NativeConv {
  convDirect(x: Float32Array, w: Float32Array, bias: Float32Array, out: Float32Array, geometry: Int32Array): void;
  convGradFilter(x: Float32Array, dy: Float32Array, out: Float32Array, geometry: Int32Array): void;
}

/** The checked native convolutions of this thread: .get() them or null, .status() says why not, .enable() is the test switch. */
export const nativeConv = checkedNative<NativeConv>(
  'convolution',
  (a) => (typeof a.convDirect === 'function' && typeof a.convGradFilter === 'function' ? (a as unknown as NativeConv) : null),
  (k) => convSelfCheck(k),
  () => simdGemmModule() !== null && ewAvailable(),
);

/**
 * Filters of at most this many bytes run natively in conv.c: each group of four pixels reads the whole filter [K, F]
 * (unpacked, row by row), which must stay in the core's 512 KiB L2 cache next to the input rows; larger filters keep
 * the packed WebAssembly path, which blocks the reduction for the caches.
 */
export const NATIVE_CONV_MAX_FILTER_BYTES = 256 * 1024;

/** What nativeConvFits reads of a GEMM job (gemm-tasks.ts's operands). */
interface JobShape {
  kind: string;
  /** conv2dGradFilter: few input channels (conv2d.ts SMALL_C), where the positions' x values are few per chunk. */
  direct?: boolean;
  w?: Float32Array;
  kH?: number;
  kW?: number;
  dH?: number;
  dW?: number;
  sH?: number;
  sW?: number;
  padTop?: number;
  padLeft?: number;
}

/**
 * Whether a GEMM job of K terms runs natively where nativeConv.get() returns the kernels: conv2d and conv2dGradInput
 * (not split-K; the latter with unit strides and padding within the dilated kernel: a convolution over dy, flags 8)
 * with up to 65536 terms and a filter of at most NATIVE_CONV_MAX_FILTER_BYTES; conv2dGradFilter (split-K, convfilter.c)
 * with few input channels (`direct`) and up to 65536 positions, where the engine's sum is the chunk sums added in
 * order. (With 32 channels, x [64,15,15,32], 1 thread, 2026-12-08: reading x unpacked streamed each chunk's x and dy
 * rows from L2 once per tile, 1.0-1.4x the packed WebAssembly path; packing panels in C as that path does gave
 * 0.99-1.01x, its tiles being the same native ones; with one channel 0.64-0.76x.)
 */
export function nativeConvFits(j: JobShape, K: number): boolean {
  if (j.kind === 'conv2dGradFilter') return j.direct === true && K >= 1 && K <= 65536;
  if (j.w === undefined || K < 1 || K > 65536 || j.w.byteLength > NATIVE_CONV_MAX_FILTER_BYTES) return false;
  if (j.kind === 'conv2d') return true;
  return j.kind === 'conv2dGradInput' && j.sH === 1 && j.sW === 1 && gradPad(j.kH!, j.dH!, j.padTop!) >= 0 && gradPad(j.kW!, j.dW!, j.padLeft!) >= 0;
}

/** The input gradient's padding as a convolution over dy: the dilated kernel's extent - 1 less the forward padding. */
const gradPad = (k: number, d: number, pad: number): number => (k - 1) * d - pad;


/** The input gradient's geometry as a convolution over dy (flags 8; native/conv.c's header) from conv2dGradInput's. */
export function gradInputGeometry(g: ConvGeometry): ConvGeometry {
  return { C: g.F, F: g.C, inH: g.outH, inW: g.outW, kH: g.kH, kW: g.kW, dH: g.dH, dW: g.dW, sH: 1, sW: 1, outH: g.inH, outW: g.inW, padTop: gradPad(g.kH, g.dH, g.padTop), padLeft: gradPad(g.kW, g.dW, g.padLeft) };
}

/** The flags of native/conv.c: bias added, then relu, then 2 x 2 / 2 pooling; or alone, the input gradient's form. */
export const CONV_BIAS = 1;
export const CONV_RELU = 2;
export const CONV_POOL = 4;
export const CONV_GRAD_INPUT = 8;

const G = new Int32Array(19);
const EMPTY = new Float32Array(0);

/** Outputs m0 .. m0+mc-1, columns n0 .. n0+nc-1 of a convolution (native/conv.c's header), with this thread's kernel. */
export function convDirectBlock(k: NativeConv, g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, out: Float32Array, m0: number, mc: number, n0: number, nc: number, flags: number): void {
  G[0] = g.C, G[1] = g.F, G[2] = g.inH, G[3] = g.inW, G[4] = g.kH, G[5] = g.kW, G[6] = g.dH, G[7] = g.dW;
  G[8] = g.sH, G[9] = g.sW, G[10] = g.outH, G[11] = g.outW, G[12] = g.padTop, G[13] = g.padLeft;
  G[14] = m0, G[15] = mc, G[16] = n0, G[17] = nc, G[18] = flags;
  k.convDirect(x, w, bias ?? EMPTY, out, G);
}

const GF = new Int32Array(25);

/**
 * A block of a filter gradient (native/convfilter.c's header): rows m0 .. m0+mc-1 (m = (kh*kW + kw)*C + c), columns
 * n0 .. n0+nc-1, chunks ch0 .. ch1-1 of the N images' positions; whole: their total at out[o + (m-m0)*ld + f-n0],
 * else each chunk's sums cs floats further on.
 */
export function convGradFilterBlock(k: NativeConv, g: ConvGeometry, N: number, x: Float32Array, dy: Float32Array, out: Float32Array, m0: number, mc: number, n0: number, nc: number, ch0: number, ch1: number, whole: boolean, o: number, ld: number, cs: number): void {
  GF[0] = g.C, GF[1] = g.F, GF[2] = g.inH, GF[3] = g.inW, GF[4] = g.kH, GF[5] = g.kW, GF[6] = g.dH, GF[7] = g.dW;
  GF[8] = g.sH, GF[9] = g.sW, GF[10] = g.outH, GF[11] = g.outW, GF[12] = g.padTop, GF[13] = g.padLeft, GF[14] = N;
  GF[15] = m0, GF[16] = mc, GF[17] = n0, GF[18] = nc, GF[19] = ch0, GF[20] = ch1, GF[21] = whole ? 1 : 0, GF[22] = o, GF[23] = ld, GF[24] = cs;
  k.convGradFilter(x, dy, out, GF);
}

/** One comparison: N images, a geometry (outputs from the window), flags, an optional block [m0, mc, n0, nc], operands from `seed`. */
export interface ConvCase extends ConvGeometry {
  N: number;
  flags: number;
  block?: [number, number, number, number];
  /** Only finite floats in w (-0 and subnormals kept): the taps outside x may then be skipped (native/conv.c sums_taps). */
  finiteW?: boolean;
  /**
   * The filter gradient of this geometry instead (convfilter.c; flags ignored): its block's rows m and columns f, and
   * chunks [ch0, ch1) summed whole, or each chunk's sums apart.
   */
  filter?: { chunks: [number, number]; whole: boolean };
  seed: number;
}

/** The load-time check's cases (native/conv.c's paths: valid and padded windows, strides, dilations, column tails, sub-blocks, pooling, 256 terms and more, the input gradient's form; convfilter.c's totals and chunk sums). */
export const CONV_CHECK_CASES: readonly ConvCase[] = [
  { N: 2, C: 1, F: 32, inH: 8, inW: 8, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 6, outW: 6, flags: 3, seed: 0 },
  { N: 1, C: 3, F: 12, inH: 7, inW: 6, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 1, padLeft: 1, outH: 7, outW: 6, flags: 1, seed: 1 },
  { N: 2, C: 2, F: 5, inH: 9, inW: 9, kH: 2, kW: 3, dH: 2, dW: 2, sH: 2, sW: 2, padTop: 0, padLeft: 1, outH: 4, outW: 4, flags: 0, seed: 2 },
  { N: 2, C: 1, F: 32, inH: 10, inW: 10, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 8, outW: 8, flags: 7, seed: 3 },
  { N: 2, C: 4, F: 20, inH: 9, inW: 9, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 1, padLeft: 1, outH: 8, outW: 8, flags: 5, block: [16, 32, 0, 20], seed: 4 },
  { N: 1, C: 1, F: 40, inH: 6, inW: 7, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 4, outW: 5, flags: 3, block: [5, 11, 8, 27], seed: 5 },
  { N: 1, C: 4, F: 9, inH: 9, inW: 9, kH: 8, kW: 8, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 2, outW: 2, flags: 3, seed: 6 },
  { N: 1, C: 32, F: 20, inH: 6, inW: 5, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 1, padLeft: 0, outH: 5, outW: 3, flags: 3, seed: 7 },
  { N: 2, C: 40, F: 16, inH: 6, inW: 6, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 4, outW: 4, flags: 7, seed: 8 },
  // input gradients (flags 8, as convolutions over dy): a 'valid' 3 x 3 layer's, and a 'same' one's over 288 terms
  { N: 2, C: 12, F: 5, inH: 4, inW: 5, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 2, padLeft: 2, outH: 6, outW: 7, flags: 8, seed: 9 },
  { N: 1, C: 32, F: 9, inH: 5, inW: 4, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 1, padLeft: 1, outH: 5, outW: 4, flags: 8, seed: 10 },
  // a finite filter: the taps outside x for all four pixels of a group are skipped (padding 3 leaves some groups none)
  { N: 1, C: 20, F: 12, inH: 4, inW: 5, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 2, padLeft: 2, outH: 6, outW: 7, flags: 8, finiteW: true, seed: 11 },
  { N: 1, C: 3, F: 8, inH: 3, inW: 3, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 3, padLeft: 3, outH: 7, outW: 7, flags: 3, finiteW: true, seed: 12 },
  // filter gradients: one channel over 600 positions (3 chunks) whole, and 'same' windows' chunk sums apart, a sub-block
  { N: 3, C: 1, F: 32, inH: 16, inW: 16, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 14, outW: 14, flags: 0, filter: { chunks: [0, 3], whole: true }, seed: 13 },
  { N: 2, C: 5, F: 37, inH: 12, inW: 13, kH: 3, kW: 2, dH: 1, dW: 2, sH: 1, sW: 1, padTop: 1, padLeft: 1, outH: 12, outW: 12, flags: 0, filter: { chunks: [0, 2], whole: false }, block: [4, 20, 3, 33], seed: 14 },
  // four channels: one chunk's sums of a sub-block
  { N: 1, C: 4, F: 9, inH: 20, inW: 20, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 18, outW: 18, flags: 0, filter: { chunks: [1, 2], whole: false }, block: [8, 20, 0, 9], seed: 16 },
];

/** The comparison memory (the WebAssembly module on a private memory), made for one check and dropped after it. */
let twin: { bytes: number; mem: ReturnType<typeof newMemory>; dgemm: (...a: number[]) => unknown; epi: (...a: number[]) => unknown } | null = null;

/** A private memory of at least `bytes` bytes with the WebAssembly GEMM module on it; its float and int views. */
function twinMemory(bytes: number): { H: Float32Array; HI: Int32Array; dgemm: (...a: number[]) => unknown; epi: (...a: number[]) => unknown } {
  const module = simdGemmModule();
  if (module === null) throw new Error('native-conv self-check: no WebAssembly SIMD module');
  if (twin === null || twin.bytes < bytes) {
    const mem = newMemory(bytes);
    const fns = instantiate(module, mem, GEMM_EXPORTS);
    twin = { bytes: mem.buffer.byteLength, mem, dgemm: fns.dgemm, epi: fns.epi };
  }
  return { H: new Float32Array(twin.mem.buffer), HI: new Int32Array(twin.mem.buffer), dgemm: twin.dgemm, epi: twin.epi };
}

/** x [N, inH, inW, C] zero-padded to [N, Hp, Wp, C] (padTop rows above, padLeft columns left) at H[at ..]. */
function padInto(H: Float32Array, at: number, c: ConvCase, x: Float32Array, Hp: number, Wp: number): void {
  const { N, C, inH, inW, padTop, padLeft } = c;
  H.fill(0, at, at + N * Hp * Wp * C);
  for (let n = 0; n < N; n++) {
    for (let ih = 0; ih < inH; ih++) {
      for (let iw = 0; iw < inW; iw++) {
        const hp = ih + padTop;
        const wp = iw + padLeft;
        if (hp >= Hp || wp >= Wp) continue;
        for (let ch = 0; ch < C; ch++) H[at + ((n * Hp + hp) * Wp + wp) * C + ch] = x[((n * inH + ih) * inW + iw) * C + ch];
      }
    }
  }
}

/** The window extent's padded size: (out - 1)*s + (k - 1)*d + 1. */
const padded = (out: number, s: number, k: number, d: number): number => (out - 1) * s + (k - 1) * d + 1;

/** Offset (floats) of term (kh, kw, c) from a window's corner in the padded x; flipped taps for the input gradient's form. */
function tapOffset(c: ConvCase, k: number, Wp: number, flip: boolean): number {
  const ch = k % c.C;
  const kk = (k - ch) / c.C;
  const kh = Math.floor(kk / c.kW);
  const th = flip ? c.kH - 1 - kh : kh;
  const tw = flip ? c.kW - 1 - (kk - kh * c.kW) : kk - kh * c.kW;
  return (th * c.dH * Wp + tw * c.dW) * c.C + ch;
}

/** Offset (floats) of output position m's window corner in the padded x. */
function cornerOffset(c: ConvCase, m: number, Hp: number, Wp: number): number {
  const per = c.outH * c.outW;
  const n = Math.floor(m / per);
  const oh = Math.floor((m % per) / c.outW);
  const ow = m % c.outW;
  return ((n * Hp + oh * c.sH) * Wp + ow * c.sW) * c.C;
}

/**
 * The twins' memory layout (floats) for M output rows and `terms` terms: the padded x [N, Hp, Wp, C] from 0, then
 * the row table (M rounded up to whole tiles), then the term table; T rows ldt floats apart.
 */
function twinLayout(c: ConvCase, M: number, terms: number): { Hp: number; Wp: number; mt: number; nt: number; ldt: number; rows: number; terms: number; next: number } {
  const Hp = padded(c.outH, c.sH, c.kH, c.dH);
  const Wp = padded(c.outW, c.sW, c.kW, c.dW);
  const mt = Math.ceil(M / SIMD_MR);
  const nt = Math.ceil(c.F / SIMD_NR);
  const rows = c.N * Hp * Wp * c.C;
  return { Hp, Wp, mt, nt, ldt: nt * SIMD_NR, rows, terms: rows + mt * SIMD_MR, next: rows + mt * SIMD_MR + terms };
}

/**
 * The WebAssembly twin of a convolution case: dgemm (wasm-gemm.ts) over a zero-padded copy of x (row base of output
 * m: its window's corner; term k: the tap's offset), the filter as B (transposed for the input gradient's form), the
 * bias epilogue in the tiles (one chunk of terms) or by epi on the totals (more), then ewPool2 for the pooled cases;
 * returns the [M, F] outputs (or the pooled [N, outH/2, outW/2, F] ones).
 */
function twinOutputs(c: ConvCase, x: Float32Array, w: Float32Array, bias: Float32Array): Float32Array {
  const { N, C, F, kH, kW, outH, outW } = c;
  const K = kH * kW * C;
  const M = N * outH * outW;
  // layout (floats): padded x, row bases, term offsets, B (+ the floats a last tile reads past it), bias, totals
  const { Hp, Wp, mt, nt, ldt, rows, terms, next: b } = twinLayout(c, M, K);
  const bb = b + K * F + 2 * SIMD_NR;
  const t = bb + ldt;
  const { H, HI, dgemm, epi } = twinMemory(4 * (t + mt * SIMD_MR * ldt));
  H.fill(0, rows, t + mt * SIMD_MR * ldt);
  padInto(H, 0, c, x, Hp, Wp);
  for (let r = 0; r < mt * SIMD_MR; r++) HI[rows + r] = 4 * cornerOffset(c, Math.min(r, M - 1), Hp, Wp);
  // the input gradient's form (flags 8): tap (kh, kw) at window position (kH-1-kh, kW-1-kw), B = w [kH, kW, F, C] as rows of terms
  const flip = (c.flags & CONV_GRAD_INPUT) !== 0;
  for (let k = 0; k < K; k++) HI[terms + k] = 4 * tapOffset(c, k, Wp, flip);
  if (flip) {
    for (let tap = 0; tap < kH * kW; tap++) for (let ch = 0; ch < C; ch++) for (let f = 0; f < F; f++) H[b + (tap * C + ch) * F + f] = w[(tap * F + f) * C + ch];
  } else H.set(w, b);
  if (c.flags & CONV_BIAS) H.set(bias, bb);
  const bias1 = (c.flags & CONV_BIAS) !== 0 && K <= 256;
  const store = 1 | (bias1 ? (c.flags & CONV_RELU ? 6 : 2) : 0);
  dgemm(4 * rows, 4 * terms, 4 * b, 4 * F, 4 * t, 4 * ldt, mt, nt, K, store, 4 * bb);
  if (c.flags & CONV_BIAS && !bias1) epi(4 * t, 4 * ldt, mt * SIMD_MR, 4 * bb, ldt / 4, c.flags & CONV_RELU ? 1 : 0);
  const full = new Float32Array(M * F);
  for (let m = 0; m < M; m++) full.set(H.subarray(t + m * ldt, t + m * ldt + F), m * F);
  if (!(c.flags & CONV_POOL)) return full;
  const pooled = new Float32Array(N * (outH >> 1) * (outW >> 1) * F);
  ewPool2(full, pooled, outH, outW, F, 0, N);
  return pooled;
}

/**
 * The WebAssembly twin of a filter-gradient case: dgemm over the padded x with rows = the taps' offsets and terms =
 * the positions' window corners, B = dy's rows, one call per chunk (its sums) or one for the whole range (the first
 * chunk's sums stored, later ones added, as the tiles do); returns [chunks or 1, M, F].
 */
function twinFilter(c: ConvCase, x: Float32Array, dy: Float32Array, ch0: number, ch1: number, whole: boolean): Float32Array {
  const { N, C, F, kH, kW, outH, outW } = c;
  const M = kH * kW * C;
  const P = N * outH * outW;
  const { Hp, Wp, mt, nt, ldt, rows, terms, next: b } = twinLayout(c, M, P);
  const t = b + P * F + 2 * SIMD_NR;
  const { H, HI, dgemm } = twinMemory(4 * (t + mt * SIMD_MR * ldt));
  padInto(H, 0, c, x, Hp, Wp);
  for (let r = 0; r < mt * SIMD_MR; r++) HI[rows + r] = 4 * tapOffset(c, Math.min(r, M - 1), Wp, false);
  for (let p = 0; p < P; p++) HI[terms + p] = 4 * cornerOffset(c, p, Hp, Wp);
  H.set(dy, b);
  H.fill(0, b + P * F, t);
  const parts = whole ? 1 : ch1 - ch0;
  const res = new Float32Array(parts * M * F);
  for (let i = 0; i < parts; i++) {
    const p0 = 256 * (ch0 + i);
    const p1 = Math.min(P, whole ? 256 * ch1 : p0 + 256);
    dgemm(4 * rows, 4 * (terms + p0), 4 * (b + p0 * F), 4 * F, 4 * t, 4 * ldt, mt, nt, p1 - p0, 1, 0);
    for (let m = 0; m < M; m++) res.set(H.subarray(t + m * ldt, t + m * ldt + F), (i * M + m) * F);
  }
  return res;
}

/** The self-checks' operands: specials sparse enough that most outputs stay finite (a sum of K terms meets about K / period of them). */
function operands(c: ConvCase, n: number, salt: number, K: number, finite: boolean): Float32Array {
  return new Float32Array(n).map((_, i) => {
    const v = checkOperand(salt * i + salt - 1 + 6151 * c.seed, Math.max(23, 4 * K + 2 * salt + 1));
    return finite && v - v !== 0 ? 0.75 : v;
  });
}

/**
 * Runs `c` natively and with the WebAssembly twin (x, w or dy and bias with the self-checks' operands, specials
 * included) and compares the block's outputs word for word (NaN = NaN), the outputs outside the block left untouched;
 * returns the first difference, or ''. Exported for the tests.
 */
export function compareConv(native: NativeConv, c: ConvCase): string {
  if (c.filter !== undefined) return compareFilter(native, c, c.filter.chunks[0], c.filter.chunks[1], c.filter.whole);
  const { N, C, F, inH, inW, kH, kW, outH, outW } = c;
  const pool = (c.flags & CONV_POOL) !== 0;
  if (pool && !ewPool2Fits(outW, F)) return '';
  const K = kH * kW * C;
  const M = N * outH * outW;
  const x = operands(c, N * inH * inW * C, 1, K, false);
  const w = operands(c, K * F, 3, K, c.finiteW === true);
  const bias = new Float32Array(F).map((_, i) => checkOperand(5 * i + 2 + 6151 * c.seed, 7));
  const [m0, mc, n0, nc] = c.block ?? [0, M, 0, F];
  const want = twinOutputs(c, x, w, bias);
  const got = new Float32Array(want.length).fill(5);
  convDirectBlock(native, c, x, w, c.flags & CONV_BIAS ? bias : undefined, got, m0, mc, n0, nc, c.flags);
  // rows of the block (pooled: its pooled rows), columns n0 .. n0+nc-1; every other word must still be 5
  const r0 = pool ? (m0 / (2 * outW)) * (outW >> 1) : m0;
  const r1 = pool ? ((m0 + mc) / (2 * outW)) * (outW >> 1) : m0 + mc;
  for (let r = 0; r < want.length / F; r++) {
    for (let f = 0; f < F; f++) if (!(r >= r0 && r < r1 && f >= n0 && f < n0 + nc)) want[r * F + f] = 5;
  }
  return wordDifference(`convDirect ${JSON.stringify(c)}`, want, 0, got, 0, want.length);
}

/** compareConv for a filter-gradient case: the block's rows and columns of each part, the rest untouched. */
function compareFilter(native: NativeConv, c: ConvCase, ch0: number, ch1: number, whole: boolean): string {
  const { N, C, F, inH, inW, kH, kW, outH, outW } = c;
  const M = kH * kW * C;
  const P = N * outH * outW;
  const x = operands(c, N * inH * inW * C, 1, P, false);
  const dy = operands(c, P * F, 3, P, false);
  const [m0, mc, n0, nc] = c.block ?? [0, M, 0, F];
  const want = twinFilter(c, x, dy, ch0, ch1, whole);
  const got = new Float32Array(want.length).fill(5);
  convGradFilterBlock(native, c, N, x, dy, got, m0, mc, n0, nc, ch0, ch1, whole, m0 * F + n0, F, M * F);
  for (let i = 0; i < want.length / (M * F); i++) {
    for (let m = 0; m < M; m++) for (let f = 0; f < F; f++) if (!(m >= m0 && m < m0 + mc && f >= n0 && f < n0 + nc)) want[(i * M + m) * F + f] = 5;
  }
  return wordDifference(`convGradFilter ${JSON.stringify(c)}`, want, 0, got, 0, want.length);
}

/** The load-time check: every CONV_CHECK_CASES case agrees; returns the first difference, or ''. */
export function convSelfCheck(native: NativeConv): string {
  try {
    return firstDifference(CONV_CHECK_CASES, (c) => compareConv(native, c));
  } finally {
    twin = null;
  }
}
