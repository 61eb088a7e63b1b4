/**
 * Blocked float32 GEMM jobs of the CPU backend: matmul, conv2d, conv2dGradInput and
 * conv2dGradFilter as one "job" split into independent output blocks that any thread (the main
 * thread or a pool worker, src/kernels/cpu/thread-pool.ts) computes with a micro-kernel on 4 x 8
 * tiles: the WebAssembly SIMD one of wasm-gemm.ts (four outputs per instruction) wherever
 * WebAssembly SIMD is available, else the plain scalar TypeScript one of gemm-scalar.ts; both
 * perform the same float32 operations in the same order on the same heap layout, so the choice
 * never changes a bit (tested; the environment variable DITTO_CPU_WASM=0 forces the scalar one).
 * With WebAssembly SIMD, the tile loops (gemm, dgemm, dgemm3) run as the native AVX2 addon of
 * native-gemm.ts where it is built and passed its check on this thread (the same operations in the
 * same order on the same heap, 8 outputs per instruction; DITTO_CPU_NATIVE=0 turns it off).
 * Part of src/kernels/cpu: imports src/core/reduction-order.ts, the micro-kernels (scalar,
 * WebAssembly, native-gemm.ts) and wasm-builder.ts (worker threads load it).
 *
 * Every job computes C[b, m, n] = S(A[b, m, k] * B[b, n, k], k = 0..K-1) with S the engine's
 * summation tree (src/core/reduction-order.ts) and every product rounded to float32, where A and
 * B are virtual matrices read by each kind's stagers (zero where the op's order has a zero term):
 *  matmul           A[m, k] = a[m, k] (or a[k, m]),  B[n, k] = b[k, n] (or b[n, k]),
 *                   C = out[b, m, n]; k is the contraction index (src/core/ops/matmul.ts)
 * (Convolutions with dilations dH, dW read tap (kh, kw) at kh*dH, kw*dW in place of kh, kw below.)
 *  conv2d           m = (n*outH + oh)*outW + ow, k = (kh*kW + kw)*C + c,
 *                   A[m, k] = x[n, oh*sH + kh - padTop, ow*sW + kw - padLeft, c] or +0,
 *                   B[f, k] = w[kh, kw, c, f]
 *  conv2dGradInput  m = (n*inH + ih)*inW + iw, k = (kh*kW + kw)*F + f,
 *                   A[m, k] = dy[n, oh, ow, f] where oh*sH = ih + padTop - kh, ow likewise, both in
 *                   range, else +0; B[c, k] = w[kh, kw, c, f]
 *  conv2dGradFilter m = (kh*kW + kw)*C + c, k = p = (n*outH + oh)*outW + ow,
 *                   A[m, p] = x[n, oh*sH + kh - padTop, ow*sW + kw - padLeft, c] or +0,
 *                   B[f, p] = dy[n, oh, ow, f]
 * These are exactly the operands, operand order (a first) and reduction indices of the kernels'
 * documented orders (src/core/ops/conv2d.ts), and the explicit +0 terms are those of the frozen
 * reference kernels (test/reference/cpu-v1), so the bits are theirs.
 *
 * Blocking: a block is (batch b, Mb rows, Nb columns) of C with its whole reduction, done by one
 * thread in k order: the reduction is cut into K-blocks of Kc terms (Kc a multiple of 256 that
 * divides 65536, or all of K), each staged into the thread's heap (the WebAssembly memory, or an
 * ArrayBuffer for the scalar kernel) and run through the micro-kernel, which leaves the two-level
 * tree sum in the block's totals T. Longer reductions (K > 65536) carry T into higher tree levels
 * between K-blocks exactly as TreeAccumulator does.
 * Which thread computes which block never changes a bit: each output is computed whole by one
 * thread in its one order. In split-K mode (planGemm) a block is instead one chunk of 256 terms
 * of Mb x Nb outputs, whose chunk sums the caller adds in chunk order (gemm.ts).
 *
 * Staging: contiguous runs of the operands are copied into the heap with TypedArray.set (a
 * memcpy): a sub-matrix, or for the convolutions a "slab" of the few zero-padded input rows the
 * block's positions read (for conv2dGradInput the zero-dilated, padded dy rows). The kernel's
 * `pack` then gathers the panels (MR rows of A, NR columns of B) through a table of byte offsets:
 * A[m, k] = slab[base(m) + off(k)] (whole vectors where a panel's lanes are consecutive floats;
 * vector loads and 4 x 4 transposes, packt, where an A panel's terms come in groups of 4
 * consecutive floats, e.g. conv2d with C % 4 = 0; 2 or 4 panels at a time, packm, where their
 * lanes are consecutive floats across all of them, e.g. conv2dGradFilter's A rows (taps x
 * channels) and the B columns of matmul, conv2d and conv2dGradFilter: one pass over the offset
 * table per 2 or 4 panels (more at once write too many panels 4 KiB apart and ran slower);
 * conv2dGradFilter of x [64,15,15,32], 1 thread, 2026-12-07: staging A 1.7 -> 1.0 ms a call, the
 * call 0.90x CPU time, alternating medians).
 * Memory stays bounded by the block: panels, T, one operand block and one slab.
 *
 * Few input channels (`direct` jobs, chosen by conv2d.ts for C <= 4; SIMD kernel only): the
 * panels of a convolution with one input channel are a handful of terms long (conv2d: K = kH*kW*C
 * = 9 terms) or a handful of rows (conv2dGradFilter: M = 9 taps), so packing them costs more than
 * the tile loop. There the micro-kernel's dgemm reads the operands unpacked: conv2d's A from the
 * slab through the row bases and the term offset table (the very addresses packA would gather),
 * its B from the filter [K, F] copied once per job; conv2dGradFilter's A from the slab through the
 * tap offsets (rows) and the position bases (terms), its B from the chunk's dy rows [256, F], in
 * tiles of 3 rows (dgemm3) where these waste fewer rows than tiles of 4 (9 taps: 9 rows, not 12). Same
 * values, same per-output operations in the same order, so the same bits (tested against the
 * packed path and the frozen reference kernels, test/unit/cpu/conv-small-channels.test.ts). Tile
 * rows past M repeat the last row and columns past N read the floats that follow: lanes that are
 * never copied out.
 *
 * Zero taps (conv2dGradInput jobs, and conv2d jobs on the packed path, with `skipZeroTaps`, set by
 * conv2d.ts when every float of the filter is finite): a tap kh reads an input row that does not
 * exist for some image rows, and those terms are A = +0 from the slab's zero rows:
 *  conv2dGradInput  dx row ih, dy row (ih + padTop - kh*dH) / sH, absent unless that is an integer
 *                   in [0, outH) (e.g. for a 'valid' 3x3 convolution, the rows ih < 2, ih > inH - 3);
 *  conv2d           y row oh, x row oh*sH + kh*dH - padTop, absent outside [0, inH) (padding, 'same').
 * Each A panel (MR rows) is packed and run through the micro-kernel only over k in
 * [khLo*kW*F, (khHi + 1)*kW*F) (conv2d: C for F), khLo..khHi the first and last tap with an input
 * row for any of its rows (the union: a panel's rows may straddle two image rows or images),
 * clipped to the K-block (tapRanges; the micro-kernels' `pr` ranges).
 * Every kept term keeps its index k, and the micro-kernels end their chunks at the multiples of
 * 256 of k counted from the whole reduction's k = 0 (K-blocks start at such multiples), so the
 * summation tree S is the one documented above with some terms left out. Exactness: a dropped term
 * is f32(+0 * w), which is +0 or -0 for every finite w; a chunk accumulator starts at +0 and so
 * never is -0 (x + y is -0 only when both are -0), and acc + (±0) = acc for every other acc (NaN
 * and Inf included): dropping the term leaves the bits. A chunk left with no terms is +0, and the
 * total plus +0 is the total (same argument); a panel with no tap at all (possible with strides or
 * dilations) gives +0 totals, as the full loop does. With an Inf or NaN in w, +0 * w is NaN and
 * must be computed: such jobs run the full loop. Rows are never dropped, and B is packed whole.
 *
 * Epilogue (conv2d jobs with `bias`, conv2dBiasAct): before a block's totals are copied out, each
 * output becomes f32(z + bias[f]) and, with `relu`, z > 0 || z is NaN ? z : +0: the add and relu
 * ops' own float32 operations (wasm-gemm.ts epi, or epilogueLoop), once per output. Split-K jobs
 * apply it to the finished outputs (gemm.ts). The few-channel path (one chunk of terms) has its
 * tiles apply those operations to their sums in registers before storing them (dgemm's store bits),
 * instead of a pass over the block.
 *
 * Native convolution (conv2d jobs, and conv2dGradInput jobs with unit strides, with a filter of at most 256 KiB and
 * K <= 65536 terms, not split-K, where native-conv.ts's kernels passed their check on this thread; nativeConvFits): a
 * block runs whole in native/conv.c, which reads x (dy) in place and writes the block's outputs (with the epilogue,
 * or pooled) straight into j.out, the per-output operations above in the same order, the input gradient as a
 * convolution over dy with flipped taps; no heap is prepared. gemm.ts then plans about four row blocks per thread.
 * conv2dGradFilter jobs (split-K, K <= 65536 positions) likewise run each block (one chunk's sums, or on one thread
 * the whole reduction's totals) in native/convfilter.c from x and dy in place.
 *
 * Pooled output (conv2d jobs with `pool`, conv2dBiasActMaxPool): instead of being copied out, a block's
 * finished outputs (after the epilogue) go through 2 x 2 / 2 'valid' max pooling (wasm-ew.ts ewPool2Rows,
 * the maxPool2d kernel's own loop) and only the pooled rows are written. The job's rows (n, oh, ow) are
 * blocked in whole pairs of output rows (Mb a multiple of 2*outW; outH is even, so a pair never spans two
 * images; and conv2d.ts fuses only when a block holds all N columns contiguously: ldt = N), so a
 * block's pairs are whole pooling windows and its pooled rows are consecutive in the output. The values
 * pooled are those the unfused job writes, and the pooling is maxPool2d's: the bits of the two ops. (conv2d.ts
 * gives such a job only the output rows and columns the pooling reads: an even number of each.)
 */
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { type GemmKernel, scalarGemmKernel } from './gemm-scalar.ts';
import { type KernelFn, type WasmMemory, instantiate, newMemory } from './wasm-builder.ts';
import { bindNativeHeap, nativeGemm } from './native-gemm.ts';
import type { ConvGeometry } from './conv-geometry.ts';
import { CONV_BIAS, CONV_GRAD_INPUT, CONV_POOL, CONV_RELU, convDirectBlock, convGradFilterBlock, gradInputGeometry, nativeConv, nativeConvFits } from './native-conv.ts';
import { ewPool2Rows } from './wasm-ew.ts';
import { GEMM_EXPORTS, SIMD_MR, SIMD_NR, simdGemmModule } from './wasm-gemm.ts';

/** The micro-kernels: 'simd' (wasm-gemm.ts) or 'scalar' (gemm-scalar.ts). */
export type GemmKernelKind = 'simd' | 'scalar';
/** Tile rows (lanes of an A panel) and columns (lanes of a B panel), the same for both kernels. */
const MR = SIMD_MR;
const NR = SIMD_NR;
/** Initial bytes of each thread's heap (it grows for big blocks). */
export const HEAP_BYTES = 1 << 22;
/** Longest reduction packed as a single K-block; longer ones use K-blocks of KC_SPLIT terms. */
const KC_WHOLE = 1024;
const KC_SPLIT = 512;

const fround = Math.fround;

/** The micro-kernel this process uses: 'simd' where WebAssembly SIMD is available, else 'scalar'. */
export function gemmKernelKind(): GemmKernelKind {
  return simdGemmModule() ? 'simd' : 'scalar';
}

/** The block grid of a job (planGemm). */
interface GemmGrid {
  Kc: number;
  Mb: number;
  Nb: number;
  mBlocks: number;
  nBlocks: number;
  /** Chunks of the reduction (ceil(K / 256)). */
  chunks: number;
  /** batch * mBlocks * nBlocks (* chunks in split-K mode) */
  blocks: number;
}

/**
 * A job's plan: its block grid, and whether blocks compute chunk sums (split-K mode, see planGemm)
 * or, with `whole` (split-K on one thread), each block all chunks in order (planGemm).
 */
export type GemmPlan = GemmGrid & { splitK: boolean; whole?: boolean };

/**
 * Where a job writes: C [batch, M, N], or in split-K mode the chunk sums [batch, chunks, M, N]
 * (with `whole`: C [batch, M, N] itself, in `parts`).
 */
type GemmTarget = { splitK: false; out: Float32Array } | { splitK: true; parts: Float32Array; whole?: boolean };

/** What every job carries besides its operands and target: its grid, sizes and identity. */
interface GemmJobBase extends GemmGrid {
  /** Unique per job (the per-thread packed-operand cache key). */
  seq: number;
  M: number;
  N: number;
  K: number;
}

/** The operands of a matmul job: A[m, k] = a[aOff + m*ars + k*acs]; B[n, k] = b[bOff + n*brs + k*bcs]. */
export interface MatmulOperands {
  kind: 'matmul';
  a: Float32Array;
  b: Float32Array;
  /** Element offsets of each batch's A and B matrix. */
  aOff: Int32Array;
  bOff: Int32Array;
  ars: number;
  acs: number;
  brs: number;
  bcs: number;
}

export type { ConvGeometry } from './conv-geometry.ts';

export interface Conv2dOperands extends ConvGeometry {
  kind: 'conv2d';
  x: Float32Array;
  w: Float32Array;
  /** Unpacked path (see "Few input channels" in the header); valid only with K = kH*kW*C <= 256. */
  direct?: boolean;
  /** conv2dBiasAct's epilogue (see "Epilogue" in the header): y = f32(z + bias[f]), then relu if set. */
  bias?: Float32Array;
  relu?: boolean;
  /** Every float of w is finite: the packed path's tiles may drop the taps kh outside x (header, "Zero taps"). */
  skipZeroTaps?: boolean;
  /** conv2dBiasActMaxPool: the block's outputs are max-pooled 2 x 2 / 2 (header, "Pooled output"); out is the pooled tensor. */
  pool?: boolean;
}

export interface Conv2dGradInputOperands extends ConvGeometry {
  kind: 'conv2dGradInput';
  dy: Float32Array;
  w: Float32Array;
  /** Every float of w is finite: the tiles may drop the taps without a dy row (header, "Zero taps"). */
  skipZeroTaps?: boolean;
}

export interface Conv2dGradFilterOperands extends ConvGeometry {
  kind: 'conv2dGradFilter';
  x: Float32Array;
  dy: Float32Array;
  /** Unpacked path in split-K mode (see "Few input channels" in the header). */
  direct?: boolean;
}

/** The operands of a GEMM job, by kind (see the header for the virtual A and B of each). */
export type GemmOperands = MatmulOperands | Conv2dOperands | Conv2dGradInputOperands | Conv2dGradFilterOperands;

/** Task 'gemm': a job of any kind, planned. */
export type GemmJob = GemmOperands & GemmJobBase & GemmTarget;

/**
 * This thread's heap (Float32Array and Int32Array views of the WebAssembly memory or, for the
 * scalar kernel, of an ArrayBuffer), its kernel kind and the kernel functions (GemmKernel).
 */
let H = new Float32Array(0);
let HI = new Int32Array(0);
let KERN: GemmKernel | null = null;
let kind: GemmKernelKind | null = null;
let heapBytes = 0;
let memory: WasmMemory | null = null;

/** Float offsets of a job's heap regions (makeLayout). */
interface Layout {
  aPanels: number;
  bPanels: number;
  t: number;
  tabA: number;
  tabB: number;
  lanes: number;
  /** Per A panel [lo, hi) term ranges of the current K-block (Zero taps; Int32). */
  ranges: number;
  opB: number;
  opA: number;
  /** conv2dBiasAct's bias, zero-padded to whole tiles. */
  bias: number;
  end: number;
}

/** The job whose heap layout (and, for conv2dGradInput, filter copy) is prepared on this thread. */
let preparedSeq = -1;
let layout: Layout | null = null;
/** Identity of the B panels currently packed in the heap (reused by the next block of a job). */
let packedSeq = -1;
let packedKey = -1;
/** Job and first term of the convolution offset table now in the heap at L.tabA (it does not depend on the block). */
let tabSeq = -1;
let tabK0 = -1;

/** The kernel of this thread (ensureHeap has run). */
function kern(): GemmKernel {
  if (KERN === null) throw new Error('gemm task: no heap prepared');
  return KERN;
}

/** The WebAssembly module's tile functions on this thread's memory (the native ones replace them where allowed). */
let wasmTiles: { gemm: KernelFn; dgemm: KernelFn; dgemm3: KernelFn } | null = null;

/**
 * Test and benchmark hook: turns this thread's native GEMM tiles off (false) or back on where available (true, the
 * default), so that one process can time or compare both forms call by call (the same bits either way).
 */
export function setNativeTiles(on: boolean): void {
  nativeGemm.enable(on);
  useTiles();
}

/** Puts the tile functions into this thread's SIMD kernel: the native ones (bound to its memory) where allowed, else the module's. */
function useTiles(): void {
  if (kind !== 'simd' || memory === null || KERN === null || wasmTiles === null) return;
  const native = nativeGemm.get();
  if (native !== null) bindNativeHeap(native, memory.buffer);
  const from = native ?? wasmTiles;
  KERN.gemm = from.gemm;
  KERN.dgemm = from.dgemm;
  KERN.dgemm3 = from.dgemm3;
}

/** Makes this thread's heap at least `floats` floats, for kernel kind `want`. */
function ensureHeap(floats: number, want: GemmKernelKind): void {
  const need = floats * 4;
  if (KERN !== null && kind === want && heapBytes >= need) return;
  preparedSeq = -1;
  packedSeq = -1;
  tabSeq = -1;
  if (want === 'simd') {
    const page = 1 << 16;
    if (kind !== 'simd' || memory === null) {
      const module = simdGemmModule();
      if (module === null) throw new Error('gemm task: no WebAssembly SIMD module on this thread');
      memory = newMemory(Math.max(HEAP_BYTES, need) + page);
      const e = instantiate(module, memory, GEMM_EXPORTS);
      wasmTiles = { gemm: e.gemm, dgemm: e.dgemm, dgemm3: e.dgemm3 };
      KERN = { gemm: e.gemm, packA: e.packA, packB: e.packB, packc: e.packc, dgemm: e.dgemm, dgemm3: e.dgemm3, packt: e.packt, epi: e.epi, packm: e.packm };
    } else {
      memory.grow(Math.ceil((need - heapBytes) / page) + 16);
    }
    heapBytes = memory.buffer.byteLength;
    H = new Float32Array(memory.buffer);
    HI = new Int32Array(memory.buffer);
  } else {
    let bytes = Math.max(HEAP_BYTES, kind === 'scalar' ? heapBytes : 0);
    while (bytes < need) bytes = bytes < 1 << 24 ? bytes * 2 : bytes + (1 << 24);
    const buffer = new ArrayBuffer(bytes);
    H = new Float32Array(buffer);
    HI = new Int32Array(buffer);
    KERN = scalarGemmKernel(buffer);
    heapBytes = bytes;
    memory = null;
  }
  kind = want;
  // the native tiles (native-gemm.ts), where checked and allowed, on this same memory: bound again after a grow
  useTiles();
}

/** Number of levels of the summation tree over n terms (TreeAccumulator's count). */
export function treeLevels(n: number): number {
  let levels = 1;
  for (let m = n; m > SUM_CHUNK; m = Math.ceil(m / SUM_CHUNK)) levels++;
  return levels;
}

const roundUp = (x: number, q: number): number => Math.ceil(x / q) * q;
const roundDown = (x: number, q: number): number => Math.floor(x / q) * q;

/** Split-K mode: for reductions of at least this many terms ... */
const SPLIT_MIN_K = 2048;
/** ... (or of at least SPLIT_SMALL_K terms into at most SPLIT_SMALL_OUT outputs, too few to share out by rows) ... */
const SPLIT_SMALL_K = 512;
const SPLIT_SMALL_OUT = 1 << 14;
/** ... whose chunk sums (batch * chunks * M * N floats) fit in this many floats. */
const SPLIT_MAX_PARTS = 1 << 22;

/**
 * Block sizes for C [batch, M, N] with reduction length K on `threads` threads: Kc, Mb, Nb and
 * the block counts. Mb shrinks for small outputs so that every thread gets several blocks.
 * Split-K mode (long reductions into few outputs, e.g. conv2dGradFilter): a block computes the
 * chunk sums of one chunk of 256 terms (the tree's level 0) for Mb x Nb outputs into `parts`
 * [batch, chunks, M, N]; the caller then sums each output's chunk sums in order with the tree's
 * upper levels (reduce.ts sumChunked). The result is the same tree sum, with chunks spread over
 * the threads. On one thread, where the chunk sums are at most 256 (K <= 65536: S is then the
 * chunk sums added in order from +0), a split-K block instead runs all chunks of its outputs in
 * order (`whole`), the micro-kernel adding each chunk sum to the block's totals as in the other
 * mode's K-blocks, and writes the outputs themselves: the same S, without the chunk sums' round
 * trip through memory and the final pass (conv2dGradFilter, 1 thread, 2026-12-07, alternating
 * CPU medians: x [64,15,15,32] 0.93x, x [64,32,32,1] 0.92x, x [64,6,6,32] 0.91x).
 */
export function planGemm(batch: number, M: number, N: number, K: number, threads: number): GemmPlan {
  const chunks = Math.ceil(K / SUM_CHUNK);
  // block sizes are whole tiles: multiples of MR rows and NR columns
  const rows = (n: number, cap: number): number => Math.min(roundDown(cap, MR), Math.max(MR, roundUp(n, MR)));
  const cols = (n: number, cap: number): number => Math.min(roundDown(cap, NR), Math.max(NR, roundUp(n, NR)));
  const longK = K >= SPLIT_MIN_K || (K >= SPLIT_SMALL_K && batch * M * N <= SPLIT_SMALL_OUT);
  if (longK && batch * chunks * M * N <= SPLIT_MAX_PARTS) {
    const Mb = rows(M, 512);
    const Nb = cols(N, 256);
    const mBlocks = Math.ceil(M / Mb);
    const nBlocks = Math.ceil(N / Nb);
    const whole = threads === 1 && chunks <= SUM_CHUNK;
    return { Kc: SUM_CHUNK, Mb, Nb, mBlocks, nBlocks, chunks, splitK: true, whole, blocks: batch * mBlocks * nBlocks * (whole ? 1 : chunks) };
  }
  const Kc = K <= KC_WHOLE ? Math.max(K, 1) : KC_SPLIT;
  const Nb = cols(N, N <= 256 ? 256 : 128);
  const nBlocks = Math.max(1, Math.ceil(N / Nb));
  const wanted = Math.max(1, Math.ceil((threads > 1 ? 4 * threads : 1) / (batch * nBlocks)));
  // rows per block: about 64 (more when the reduction is short, to amortize per-block work)
  const Mb = rows(Math.ceil(M / wanted), K >= 64 ? 64 : 256);
  const mBlocks = Math.max(1, Math.ceil(M / Mb));
  return { Kc, Mb, Nb, mBlocks, nBlocks, chunks, splitK: false, blocks: batch * mBlocks * nBlocks };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Rows of a pooled conv2d job's blocks come in multiples of this: lcm(2*outW, MR) (header, "Pooled output"). */
export function poolRowUnit(outW: number): number {
  return (2 * outW * MR) / gcd(2 * outW, MR);
}

/** Most rows a pooled job's unit may have (wider images run conv2d and maxPool2d one after the other). */
const POOL_UNIT_MAX = 1024;

/**
 * Whether a conv2d job of M rows of output width outW, N columns and K terms can pool its blocks (header, "Pooled
 * output"): not split-K, one column block holding all N columns N floats apart, and row units of at most POOL_UNIT_MAX.
 */
export function poolBlocksFit(M: number, outW: number, N: number, K: number, threads: number): boolean {
  const plan = planGemm(1, M, N, K, threads);
  return !plan.splitK && plan.nBlocks === 1 && plan.Nb === N && poolRowUnit(outW) <= POOL_UNIT_MAX;
}

/**
 * A plan (not split-K) whose row blocks are whole multiples of `unit` rows (header, "Pooled output":
 * unit = lcm(2*outW, MR)): the planned Mb rounded down to a multiple of unit, at least one unit.
 */
export function alignRows(plan: GemmPlan, batch: number, M: number, unit: number): GemmPlan {
  const Mb = Math.max(unit, Math.floor(plan.Mb / unit) * unit);
  const mBlocks = Math.ceil(M / Mb);
  return { ...plan, Mb, mBlocks, blocks: batch * mBlocks * plan.nBlocks };
}

/**
 * The plan of a conv2d or conv2dGradInput job whose blocks run natively (nativeConvFits; no heap to size, a fixed cost
 * of a few microseconds per call): about four row blocks per thread, one on one thread, in place of blocks of at most
 * 256 rows (conv1 of the reference CNN, 1 thread, 2026-12-08: 225 calls cost about 0.4 ms more than one). Which rows
 * a block holds never changes a bit.
 */
export function nativeDirectRows(plan: GemmPlan, batch: number, M: number, threads: number): GemmPlan {
  const Mb = Math.max(MR, roundUp(Math.ceil(M / (threads > 1 ? 4 * threads : 1)), MR));
  const mBlocks = Math.ceil(M / Mb);
  return { ...plan, Mb, mBlocks, blocks: batch * mBlocks * plan.nBlocks };
}

// ---------------------------------------------------------------------------------------------
// Heap layout of a job (floats): A panels | B panels | T | A offset table | B offset table |
// lane-base table | B operand block | A operand block or slab (sized for the job's largest block).

/** Input rows and columns spanned by the kernel's taps: (k - 1) * d + 1, which is k itself when d = 1. */
const extentH = (j: ConvGeometry): number => (j.kH - 1) * j.dH + 1;
const extentW = (j: ConvGeometry): number => (j.kW - 1) * j.dW + 1;
/** Padded input width read by conv2d / conv2dGradFilter windows: columns -padLeft .. Wp-padLeft-1. */
const paddedWidth = (j: ConvGeometry): number => (j.outW - 1) * j.sW + extentW(j);
/** Width of conv2dGradInput's dilated dy slab: columns tw = padLeft-eW+1 .. padLeft+inW-1 (eW = extentW). */
const dilatedWidth = (j: ConvGeometry): number => j.inW + extentW(j) - 1;

/** Bound of the x slab for q consecutive output positions. */
function xSlabBound(j: ConvGeometry, q: number): number {
  const perImage = j.outH * j.outW;
  const images = Math.ceil(q / perImage) + 1;
  const rows = Math.min(j.outH, Math.ceil(q / j.outW) + 1);
  return images * ((rows - 1) * j.sH + extentH(j)) * paddedWidth(j) * j.C;
}

/** Bound of the dilated dy slab for q consecutive input positions. */
function dySlabBound(j: ConvGeometry, q: number): number {
  const perImage = j.inH * j.inW;
  const images = Math.ceil(q / perImage) + 1;
  const rows = Math.min(j.inH, Math.ceil(q / j.inW) + 1) + extentH(j) - 1;
  return images * rows * dilatedWidth(j) * j.F;
}

function makeLayout(j: GemmJob): Layout {
  const { Mb, Nb, Kc } = j;
  const aPanels = 0;
  const bPanels = Mb * Kc;
  const t = bPanels + Nb * Kc;
  const tabA = t + Mb * Nb;
  const tabB = tabA + Kc;
  const lanes = tabB + Kc;
  const ranges = lanes + 64; // lane bases of one panel (MR or NR <= 64)
  const opB = ranges + 2 * Math.ceil(Mb / MR);
  let opBSize = Nb * Kc;
  let opASize = Mb * Kc;
  if (j.kind === 'conv2d') {
    opASize = xSlabBound(j, Mb);
    // direct: the whole filter [K, F], and the floats a last partial tile reads past it
    if (j.direct) opBSize = Math.max(opBSize, j.w.length + 2 * NR);
  } else if (j.kind === 'conv2dGradFilter') {
    opASize = xSlabBound(j, Kc);
    // direct: the chunk's dy rows [Kc, F], and the floats a last partial tile reads past them
    if (j.direct) opBSize = Math.max(opBSize, Kc * j.F + 2 * NR);
  }
  else if (j.kind === 'conv2dGradInput') {
    opASize = dySlabBound(j, Mb);
    opBSize = j.w.length;
  }
  const opA = opB + opBSize;
  const bias = opA + opASize;
  const biasSize = j.kind === 'conv2d' && j.bias ? roundUp(j.F, NR) + NR : 0;
  return { aPanels, bPanels, t, tabA, tabB, lanes, ranges, opB, opA, bias, end: bias + biasSize };
}

/** Prepares this thread for job j (heap size, layout, conv2dGradInput's filter copy). */
function prepare(j: GemmJob): Layout {
  if (preparedSeq === j.seq && layout !== null) return layout;
  const L = makeLayout(j);
  ensureHeap(L.end, gemmKernelKind());
  if (j.kind === 'conv2dGradInput' || (j.kind === 'conv2d' && j.direct)) H.set(j.w, L.opB);
  if (j.kind === 'conv2d' && j.bias) {
    H.fill(0, L.bias, L.end);
    H.set(j.bias, L.bias);
  }
  if ((j.kind === 'conv2dGradInput' || j.kind === 'conv2d') && j.skipZeroTaps) rowTaps(j);
  preparedSeq = j.seq;
  layout = L;
  return L;
}

// ---------------------------------------------------------------------------------------------
// Staging. Offsets below are in floats unless named "bytes"; the kernel functions take bytes.

/** h[d .. d+len) = src[s .. s+len): a memcpy for long runs, a loop for short ones. */
function copyRun(src: Float32Array, s: number, len: number, d: number): void {
  if (len >= 48) {
    H.set(src.subarray(s, s + len), d);
    return;
  }
  const h = H;
  for (let i = 0; i < len; i++) h[d + i] = src[s + i];
}

/**
 * Copies element (r, k) = src[off + r*rs + k*cs] for r in [r0, r0+rc), k in [k0, k0+kc) to the
 * heap at dst, row-major (when cs = 1) or k-major (when rs = 1), by contiguous runs (one run when
 * the block is contiguous in src). Returns the heap strides [row, k].
 */
function copyMatrix(src: Float32Array, off: number, rs: number, cs: number, r0: number, rc: number, k0: number, kc: number, dst: number): [number, number] {
  const h = H;
  if (cs === 1) {
    const s = off + r0 * rs + k0;
    if (rs === kc || rc === 1) copyRun(src, s, rc * kc, dst);
    else for (let r = 0; r < rc; r++) copyRun(src, s + r * rs, kc, dst + r * kc);
    return [kc, 1];
  }
  if (rs === 1) {
    const s = off + r0 + k0 * cs;
    if (cs === rc || kc === 1) copyRun(src, s, rc * kc, dst);
    else for (let k = 0; k < kc; k++) copyRun(src, s + k * cs, rc, dst + k * rc);
    return [1, rc];
  }
  for (let r = 0; r < rc; r++) for (let k = 0; k < kc; k++) h[dst + r * kc + k] = src[off + (r0 + r) * rs + (k0 + k) * cs];
  return [kc, 1];
}

/** Offset table at `tab`: entry k = (k * stride) floats, in bytes. */
function linearTable(tab: number, kc: number, stride: number): void {
  const hi = HI;
  const step = stride * 4;
  for (let k = 0, o = 0; k < kc; k++, o += step) hi[tab + k] = o;
}

/**
 * Packs the panels of rows r = 0..rows-1 (MR per A panel, NR per B panel) at float offset dst:
 * lane r of term k is the float at byte base(r) + table[k]; base(r) = (first + r * stride) * 4
 * when `bases` is null. With `ranges` (a heap Int32 offset, A panels only), panel i gets only its
 * terms HI[ranges + 2i] .. HI[ranges + 2i + 1] - 1, at their places (the tiles read no others).
 */
function packPanels(L: Layout, isA: boolean, dst: number, rows: number, kc: number, tab: number, first: number, stride: number, bases: Int32Array | null, ranges = 0): void {
  const lanes = isA ? MR : NR;
  const np = Math.ceil(rows / lanes);
  const bytes = lanes * kc * 4;
  const hi = HI;
  const lb = L.lanes;
  const k = kern();
  const packc = k.packc;
  // A terms in groups of 4 consecutive floats (e.g. conv2d with C % 4 = 0): packt's transposes
  let packt = isA && lanes === 4 && kc % 4 === 0 ? k.packt : null;
  for (let t = 0; packt !== null && t < kc; t += 4) {
    const o = hi[tab + t];
    if (hi[tab + t + 1] !== o + 4 || hi[tab + t + 2] !== o + 8 || hi[tab + t + 3] !== o + 12) packt = null;
  }
  // runs of full panels whose lanes are consecutive floats across all of them: packed together, term by term (packm)
  const packm = ranges === 0 && packt === null ? k.packm : null;
  const full = Math.floor(rows / lanes);
  for (let i = 0; i < np; i++) {
    if (packm !== null && i + 1 < full) {
      const avail = contiguousPanels(bases, first, stride, lanes, i, Math.min(full, i + 4));
      const run = avail === 4 ? 4 : avail >= 2 ? 2 : 0;
      if (run !== 0) {
        packm((dst << 2) + i * bytes, bases ? bases[lanes * i] : (first + lanes * i * stride) * 4, tab << 2, kc, lanes, run);
        i += run - 1;
        continue;
      }
    }
    const nl = Math.min(lanes, rows - lanes * i);
    // terms lo..lo+n-1 of panel i: at byte d of the panel, through the table from byte tb
    let lo = 0;
    let n = kc;
    if (ranges !== 0) {
      lo = hi[ranges + 2 * i];
      n = hi[ranges + 2 * i + 1] - lo;
      if (n === 0) continue;
    }
    const d = (dst << 2) + i * bytes + lo * lanes * 4;
    const tb = (tab + lo) << 2;
    if (packc && nl === lanes) {
      // lanes at consecutive floats: whole vectors per term (the SIMD kernel's packc)
      const b0 = bases ? bases[lanes * i] : (first + lanes * i * stride) * 4;
      let contiguous = true;
      if (bases) {
        for (let l = 1; l < lanes; l++) if (bases[lanes * i + l] !== b0 + 4 * l) contiguous = false;
      } else contiguous = stride === 1;
      if (contiguous) {
        packc(d, b0, tb, n, lanes);
        continue;
      }
    }
    for (let l = 0; l < nl; l++) {
      const r = lanes * i + l;
      hi[lb + l] = bases ? bases[r] : (first + r * stride) * 4;
    }
    if (packt !== null && nl === lanes && lo % 4 === 0 && n % 4 === 0) packt(d, lb << 2, tb, n);
    else if (isA) k.packA(d, lb << 2, nl, tb, n);
    else k.packB(d, lb << 2, nl, tb, n);
  }
}

/**
 * The number of panels i..end-1 (full ones) whose lanes are consecutive floats from panel i's
 * first lane on: lane r of panel i + e at base(lanes*i) + 4*(lanes*e + r), counted up to the first
 * that breaks the run.
 */
function contiguousPanels(bases: Int32Array | null, first: number, stride: number, lanes: number, i: number, end: number): number {
  if (bases === null) return stride === 1 ? end - i : 0;
  const r0 = lanes * i;
  const b0 = bases[r0];
  let r = r0 + 1;
  while (r < lanes * end && bases[r] === b0 + 4 * (r - r0)) r++;
  return Math.floor((r - r0) / lanes);
}

/** Scratch for per-row byte bases (A rows of the convolutions). */
let bases = new Int32Array(256);
function basesFor(n: number): Int32Array {
  if (bases.length < n) bases = new Int32Array(roundUp(n, 256));
  return bases;
}

/**
 * Copies the zero-padded x rows read by output positions q0..q1-1 (in (n, oh, ow) order) to the
 * heap at dst: per image, padded rows pr = ih + padTop from oh0*sH to oh1*sH + kH - 1, columns
 * pc = iw + padLeft from 0 to Wp - 1, and writes the byte offset of each position's window
 * (its (kh, kw, c) = (0, 0, 0) element) to out[at + q - q0] (out: HI for a heap table, or an
 * Int32Array of row bases).
 */
function xSlab(j: ConvGeometry & { x: Float32Array }, q0: number, q1: number, dst: number, out: Int32Array, at: number): void {
  const h = H;
  const x = j.x;
  const { C, inH, inW, sH, sW, outH, outW, padTop, padLeft } = j;
  const kH = extentH(j);
  const Wp = paddedWidth(j);
  const rowLen = Wp * C;
  const cols = Math.min(inW, Wp - padLeft);
  const perImage = outH * outW;
  const nA = Math.floor(q0 / perImage);
  const nB = Math.floor((q1 - 1) / perImage);
  let d = dst;
  for (let n = nA; n <= nB; n++) {
    const qs = Math.max(q0, n * perImage) - n * perImage;
    const qe = Math.min(q1, (n + 1) * perImage) - 1 - n * perImage;
    const ohS = Math.floor(qs / outW);
    const ohE = Math.floor(qe / outW);
    const first = ohS * sH;
    const rows = (ohE - ohS) * sH + kH;
    // window bases, output row by output row: (d + ((oh - ohS)*sH*Wp + ow*sW)*C) * 4 bytes
    let t = at + n * perImage + qs - q0;
    const step = sW * C * 4;
    for (let oh = ohS, ow0 = qs - ohS * outW; oh <= ohE; oh++, ow0 = 0) {
      const ow1 = oh === ohE ? qe - ohE * outW : outW - 1;
      let o = (d + (oh - ohS) * sH * Wp * C + ow0 * sW * C) * 4;
      for (let ow = ow0; ow <= ow1; ow++, t++, o += step) out[t] = o;
    }
    for (let r = 0; r < rows; r++, d += rowLen) {
      const ih = first + r - padTop;
      if (ih < 0 || ih >= inH) {
        h.fill(0, d, d + rowLen);
        continue;
      }
      if (padLeft > 0) h.fill(0, d, d + padLeft * C);
      copyRun(x, ((n * inH + ih) * inW) * C, cols * C, d + padLeft * C);
      if (padLeft + cols < Wp) h.fill(0, d + (padLeft + cols) * C, d + rowLen);
    }
  }
}

/**
 * Copies the zero-dilated, zero-padded dy rows read by input positions q0..q1-1 (in (n, ih, iw)
 * order) to the heap at dst: per image, dilated rows th = ih + padTop - kh (dy row th / sH where
 * th is a multiple of sH in range, else zeros) and columns tw = iw + padLeft - kw likewise, from
 * tw0 = padLeft - kW + 1, and writes the byte offset of term (kh, kw, f) = (0, 0, 0) of each
 * position q to out[q - q0].
 */
function dySlab(j: Conv2dGradInputOperands, q0: number, q1: number, dst: number, out: Int32Array): void {
  const h = H;
  const dy = j.dy;
  const { F, inH, inW, sH, sW, outH, outW, padTop, padLeft } = j;
  // the dilated kernel's extents (the taps themselves are kh*dH, kw*dW: stageA's offset table)
  const kH = extentH(j);
  const kW = extentW(j);
  const Wd = dilatedWidth(j);
  const rowLen = Wd * F;
  const tw0 = padLeft - kW + 1;
  const perImage = inH * inW;
  const nA = Math.floor(q0 / perImage);
  const nB = Math.floor((q1 - 1) / perImage);
  let d = dst;
  // columns: ow with ow*sW - tw0 in [0, Wd)
  const owLo = Math.max(0, Math.ceil(tw0 / sW));
  const owHi = Math.min(outW - 1, Math.floor((tw0 + Wd - 1) / sW));
  for (let n = nA; n <= nB; n++) {
    const qs = Math.max(q0, n * perImage) - n * perImage;
    const qe = Math.min(q1, (n + 1) * perImage) - 1 - n * perImage;
    const ihS = Math.floor(qs / inW);
    const ihE = Math.floor(qe / inW);
    const first = ihS + padTop - kH + 1;
    const rows = ihE - ihS + kH;
    let t = n * perImage + qs - q0;
    for (let q = qs, ih = ihS, iw = qs - ihS * inW; q <= qe; q++, t++) {
      out[t] = (d + ((ih + padTop - first) * Wd + (iw + padLeft - tw0)) * F) * 4;
      if (++iw === inW) {
        iw = 0;
        ih++;
      }
    }
    for (let r = 0; r < rows; r++, d += rowLen) {
      const th = first + r;
      const oh = th / sH;
      h.fill(0, d, d + rowLen);
      if (th < 0 || th % sH !== 0 || oh >= outH || owLo > owHi) continue;
      const s = (n * outH + oh) * outW * F;
      if (sW === 1) {
        h.set(dy.subarray(s + owLo * F, s + (owHi + 1) * F), d + (owLo - tw0) * F);
      } else {
        for (let ow = owLo; ow <= owHi; ow++) h.set(dy.subarray(s + ow * F, s + (ow + 1) * F), d + (ow * sW - tw0) * F);
      }
    }
  }
}

/** Stages the B panels of block (b, n0..n0+nc) for terms k0..k0+kc. */
function stageB(j: GemmJob, L: Layout, b: number, n0: number, nc: number, k0: number, kc: number): void {
  switch (j.kind) {
    case 'matmul': {
      const [rs, ks] = copyMatrix(j.b, j.bOff[b], j.brs, j.bcs, n0, nc, k0, kc, L.opB);
      linearTable(L.tabB, kc, ks);
      return packPanels(L, false, L.bPanels, nc, kc, L.tabB, L.opB, rs, null);
    }
    case 'conv2d': {
      // B[f, k] = w[k*F + f]
      const [rs, ks] = copyMatrix(j.w, 0, 1, j.F, n0, nc, k0, kc, L.opB);
      linearTable(L.tabB, kc, ks);
      return packPanels(L, false, L.bPanels, nc, kc, L.tabB, L.opB, rs, null);
    }
    case 'conv2dGradFilter': {
      // B[f, p] = dy[p*F + f]
      const [rs, ks] = copyMatrix(j.dy, 0, 1, j.F, n0, nc, k0, kc, L.opB);
      linearTable(L.tabB, kc, ks);
      return packPanels(L, false, L.bPanels, nc, kc, L.tabB, L.opB, rs, null);
    }
    case 'conv2dGradInput': {
      // B[c, k] = w[(kk*C + c)*F + f] with k = kk*F + f; the whole filter is at L.opB
      const { C, F } = j;
      const hi = HI;
      let kk = Math.floor(k0 / F);
      let f = k0 - kk * F;
      for (let k = 0; k < kc; k++) {
        hi[L.tabB + k] = (kk * C * F + f) * 4;
        if (++f === F) {
          f = 0;
          kk++;
        }
      }
      return packPanels(L, false, L.bPanels, nc, kc, L.tabB, L.opB + n0 * F, F, null);
    }
  }
}

/** Per-block A state: the slab and the byte base of each of the block's rows (conv2d, conv2dGradInput). */
function stageARows(j: GemmJob, L: Layout, m0: number, mc: number): Int32Array | null {
  if (j.kind === 'conv2d') {
    const bs = basesFor(mc);
    xSlab(j, m0, m0 + mc, L.opA, bs, 0);
    return bs;
  }
  if (j.kind === 'conv2dGradInput') {
    const bs = basesFor(mc);
    dySlab(j, m0, m0 + mc, L.opA, bs);
    return bs;
  }
  return null;
}

/**
 * conv2d's term offset table at HI[tab ..]: off(k) = ((kh*dH*Wp + kw*dW)*C + c) * 4 bytes from a
 * window's base in the slab, for k = (kh*kW + kw)*C + c = k0..k0+kc-1.
 */
function convTermTable(j: ConvGeometry, tab: number, k0: number, kc: number): void {
  const hi = HI;
  const { C, kW, dH, dW } = j;
  const Wp = paddedWidth(j);
  let kk = Math.floor(k0 / C);
  let c = k0 - kk * C;
  for (let k = 0; k < kc; k++) {
    const kh = Math.floor(kk / kW);
    hi[tab + k] = ((kh * dH * Wp + (kk - kh * kW) * dW) * C + c) * 4;
    if (++c === C) {
      c = 0;
      kk++;
    }
  }
}

/**
 * conv2dGradFilter's row offsets: out[at + r] = byte offset in the slab of tap m = (kh*kW + kw)*C + c
 * = m0 + min(r, mc - 1), for r < count (rows past the block repeat its last row).
 */
function tapOffsets(j: ConvGeometry, m0: number, mc: number, out: Int32Array, at: number, count: number): void {
  const { C, kW, dH, dW } = j;
  const Wp = paddedWidth(j);
  for (let r = 0; r < count; r++) {
    const m = m0 + Math.min(r, mc - 1);
    const c = m % C;
    const kk = (m - c) / C;
    const kh = Math.floor(kk / kW);
    out[at + r] = ((kh * dH * Wp + (kk - kh * kW) * dW) * C + c) * 4;
  }
}

/** tapOffsets into the heap at HI[at ..], for the direct path's row table. */
function tapRowTable(j: ConvGeometry, at: number, m0: number, mc: number, count: number): void {
  tapOffsets(j, m0, mc, HI, at, count);
}

/**
 * Stages the A panels of block rows m0..m0+mc for terms k0..k0+kc (with `ranges`, a heap Int32
 * offset from tapRanges, only each panel's range).
 */
function stageA(j: GemmJob, L: Layout, b: number, m0: number, mc: number, k0: number, kc: number, rowBases: Int32Array | null, ranges = 0): void {
  const hi = HI;
  if ((j.kind === 'conv2d' || j.kind === 'conv2dGradInput') && tabSeq === j.seq && tabK0 === k0 && preparedSeq === j.seq) {
    return packPanels(L, true, L.aPanels, mc, kc, L.tabA, 0, 0, rowBases, ranges);
  }
  tabSeq = j.seq;
  tabK0 = k0;
  switch (j.kind) {
    case 'matmul': {
      const [rs, ks] = copyMatrix(j.a, j.aOff[b], j.ars, j.acs, m0, mc, k0, kc, L.opA);
      linearTable(L.tabA, kc, ks);
      return packPanels(L, true, L.aPanels, mc, kc, L.tabA, L.opA, rs, null);
    }
    case 'conv2d': {
      convTermTable(j, L.tabA, k0, kc);
      return packPanels(L, true, L.aPanels, mc, kc, L.tabA, 0, 0, rowBases, ranges);
    }
    case 'conv2dGradInput': {
      // off(k) = -(kh*dH*Wd + kw*dW)*F + f for k = (kh*kW + kw)*F + f
      const { F, kW, dH, dW } = j;
      const Wd = dilatedWidth(j);
      let kk = Math.floor(k0 / F);
      let f = k0 - kk * F;
      for (let k = 0; k < kc; k++) {
        const kh = Math.floor(kk / kW);
        hi[L.tabA + k] = (f - (kh * dH * Wd + (kk - kh * kW) * dW) * F) * 4;
        if (++f === F) {
          f = 0;
          kk++;
        }
      }
      return packPanels(L, true, L.aPanels, mc, kc, L.tabA, 0, 0, rowBases, ranges);
    }
    case 'conv2dGradFilter': {
      // rows m = (kh*kW + kw)*C + c at (kh*dH*Wp + kw*dW)*C + c; terms p = k0..k0+kc-1 at pos(p)
      xSlab(j, k0, k0 + kc, L.opA, HI, L.tabA);
      const bs = basesFor(mc);
      tapOffsets(j, m0, mc, bs, 0, mc);
      return packPanels(L, true, L.aPanels, mc, kc, L.tabA, 0, 0, bs);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Zero taps (header): convolution jobs with a finite filter run each A panel only over the taps kh
// that read an existing input row (conv2d: an x row; conv2dGradInput: a dy row) for at least one of
// its rows.

/** Per image row of the prepared job's A rows (conv2d: oh; conv2dGradInput: ih): the first and the last tap kh with a row (first > last: none). */
let tapLo = new Int32Array(0);
let tapHi = new Int32Array(0);

/**
 * Fills tapLo, tapHi for job j. conv2d: tap kh reads x row oh*sH + kh*dH - padTop, which must lie
 * in [0, inH). conv2dGradInput: tap kh reads dy row th / sH for th = ih + padTop - kh*dH, which
 * must be a multiple of sH in [0, (outH - 1)*sH].
 */
function rowTaps(j: Conv2dOperands | Conv2dGradInputOperands): void {
  const { inH, kH, dH, sH, outH, padTop } = j;
  const grad = j.kind === 'conv2dGradInput';
  const rows = grad ? inH : outH;
  if (tapLo.length < rows) {
    tapLo = new Int32Array(rows);
    tapHi = new Int32Array(rows);
  }
  for (let r = 0; r < rows; r++) {
    let lo = kH;
    let hi = -1;
    for (let kh = 0; kh < kH; kh++) {
      const th = r + padTop - kh * dH;
      const ih = r * sH + kh * dH - padTop;
      if (grad ? th >= 0 && th % sH === 0 && th / sH < outH : ih >= 0 && ih < inH) {
        if (lo === kH) lo = kh;
        hi = kh;
      }
    }
    tapLo[r] = lo;
    tapHi[r] = hi;
  }
}

/**
 * The term range of each A panel of block rows m0..m0+mc within the K-block k0..k0+kc-1, written
 * as [lo, hi) pairs relative to k0 at HI[L.ranges ..]: the terms of taps khLo..khHi (k from
 * khLo*kW*F to (khHi + 1)*kW*F, F read as C for conv2d), the first and last tap with an input row
 * for any of the panel's rows (rows may straddle image rows or images), or [0, 0) where there is
 * none. Returns L.ranges, or 0 where the job does not skip or every panel needs all kc terms.
 */
function tapRanges(j: GemmJob, L: Layout, m0: number, mc: number, k0: number, kc: number): number {
  if ((j.kind !== 'conv2dGradInput' && j.kind !== 'conv2d') || !j.skipZeroTaps) return 0;
  const grad = j.kind === 'conv2dGradInput';
  const W = grad ? j.inW : j.outW;
  const per = j.kW * (grad ? j.F : j.C);
  const perImage = (grad ? j.inH : j.outH) * W;
  const kH = j.kH;
  const hi = HI;
  let partial = false;
  for (let i = 0, r0 = 0; r0 < mc; i++, r0 += MR) {
    let lo = kH;
    let last = -1;
    for (let m = m0 + r0, end = m0 + Math.min(mc, r0 + MR); m < end; m++) {
      const row = Math.floor((m % perImage) / W);
      if (tapLo[row] < lo) lo = tapLo[row];
      if (tapHi[row] > last) last = tapHi[row];
    }
    let s = 0;
    let e = 0;
    if (lo <= last) {
      s = Math.max(lo * per - k0, 0);
      e = Math.min((last + 1) * per - k0, kc);
      if (s >= e) s = e = 0;
    }
    hi[L.ranges + 2 * i] = s;
    hi[L.ranges + 2 * i + 1] = e;
    if (s !== 0 || e !== kc) partial = true;
  }
  return partial ? L.ranges : 0;
}

// ---------------------------------------------------------------------------------------------
// Higher tree levels (K > 65536 terms), TreeAccumulator's streaming form applied to a whole block
// at once: level 1 is T (the sum of up to 256 chunk sums); a full level l is added into level
// l + 1 (f32(acc + partial), in order) and restarted at +0; at the end partial levels are carried
// up in turn. All outputs of a block advance over k together, so one count per level suffices.

/** The levels >= 2 of a block's outputs (acc[l] for l >= 2; acc[0], acc[1] unused) and their counts. */
interface Levels {
  levels: number;
  acc: Float32Array[];
  count: Int32Array;
}

function pushLevel(lv: Levels, l: number, src: Float32Array, n: number): void {
  const dst = lv.acc[l];
  for (let i = 0; i < n; i++) dst[i] = fround(dst[i] + src[i]);
  if (++lv.count[l] === SUM_CHUNK && l < lv.levels - 1) {
    pushLevel(lv, l + 1, dst, n);
    dst.fill(0);
    lv.count[l] = 0;
  }
}

// ---------------------------------------------------------------------------------------------

/** dst[o + r*ldd + c] = src[s + r*lds + c] for r < rows, c < cols (one memcpy when both are dense). */
function copyOut(src: Float32Array, s: number, lds: number, dst: Float32Array, o: number, ldd: number, rows: number, cols: number): void {
  if (cols === ldd && lds === ldd) {
    dst.set(src.subarray(s, s + rows * cols), o);
    return;
  }
  if (cols >= 64) {
    for (let r = 0; r < rows; r++, s += lds, o += ldd) dst.set(src.subarray(s, s + cols), o);
    return;
  }
  for (let r = 0; r < rows; r++, s += lds, o += ldd) {
    for (let c = 0; c < cols; c++) dst[o + c] = src[s + c];
  }
}

/**
 * The epilogue loop (header, "Epilogue"): a[o + r*ld + c] = f32(a[..] + bias[n0 + c]), then relu
 * (v > 0 || v is NaN ? v : +0), for r < rows, c < cols: the scalar form of wasm-gemm.ts's epi, and
 * what split-K conv2dBiasAct jobs apply to their finished outputs.
 */
export function epilogueLoop(a: Float32Array, o: number, ld: number, rows: number, bias: Float32Array, n0: number, cols: number, relu: boolean): void {
  for (let r = 0; r < rows; r++, o += ld) {
    for (let c = 0; c < cols; c++) {
      const v = fround(a[o + c] + bias[n0 + c]);
      a[o + c] = !relu || v > 0 || v !== v ? v : 0;
    }
  }
}

/** Applies the epilogue to a block's totals (rows x cols at res[rOff], row stride ldt): wasm epi on the heap, else the loop. */
function epilogue(j: Conv2dOperands, L: Layout, res: Float32Array, rOff: number, ldt: number, rows: number, n0: number, cols: number): void {
  const e = kern().epi;
  if (e !== null && res === H) e(rOff << 2, ldt << 2, rows, (L.bias + n0) << 2, Math.ceil(cols / 4), j.relu ? 1 : 0);
  else epilogueLoop(res, rOff, ldt, rows, j.bias!, n0, cols, j.relu === true);
}

/**
 * Split-K block: the chunk sums of chunk `ch` for outputs (b, m0..m0+mc, n0..n0+nc) into j.parts;
 * with j.whole (ch = 0), chunks 0..chunks-1 in order, the micro-kernel storing the first chunk's
 * sums in T and adding each next one to T (f32(T + chunk sum)), then T into j.parts (the output).
 */
function runSplitBlock(j: GemmJob & { splitK: true }, L: Layout, b: number, mi: number, ni: number, ch: number): void {
  const { M, N, Mb, Nb, chunks } = j;
  const m0 = mi * Mb;
  const mc = Math.min(Mb, M - m0);
  const n0 = ni * Nb;
  const nc = Math.min(Nb, N - n0);
  const mt = Math.ceil(mc / MR);
  const nt = Math.ceil(nc / NR);
  const ldt = nt * NR;
  const h = H;
  const c1 = j.whole ? chunks : ch + 1;
  const target = j.whole ? (b * M + m0) * N + n0 : ((b * chunks + ch) * M + m0) * N + n0;
  const { dgemm, dgemm3 } = kern();
  if (j.kind === 'conv2dGradFilter' && j.direct && dgemm !== null && dgemm3 !== null) {
    // unpacked (header): rows = tap offsets, terms = position bases, B = dy rows k0..k0+kc-1;
    // tiles of 3 rows where they waste fewer rows than tiles of MR (e.g. 9 taps: 3 tiles of 3, not of 4)
    const t3 = Math.ceil(mc / 3);
    const three = 3 * t3 < mt * MR;
    tapRowTable(j, L.aPanels, m0, mc, three ? 3 * t3 : mt * MR);
    packedSeq = -1;
    for (let c = ch; c < c1; c++) {
      const k0 = c * SUM_CHUNK;
      const kc = Math.min(SUM_CHUNK, j.K - k0);
      xSlab(j, k0, k0 + kc, L.opA, HI, L.tabA);
      H.set(j.dy.subarray(k0 * j.F, (k0 + kc) * j.F), L.opB);
      (three ? dgemm3 : dgemm)(L.aPanels << 2, L.tabA << 2, (L.opB + n0) << 2, j.F << 2, L.t << 2, ldt << 2, three ? t3 : mt, nt, kc, c === ch ? 1 : 0, 0);
    }
    copyOut(h, L.t, ldt, j.parts, target, N, mc, nc);
    return;
  }
  packedSeq = -1;
  // the block's rows (conv2d, conv2dGradInput: their slab) do not depend on the chunk
  const rows = stageARows(j, L, m0, mc);
  for (let c = ch; c < c1; c++) {
    const k0 = c * SUM_CHUNK;
    const kc = Math.min(SUM_CHUNK, j.K - k0);
    stageB(j, L, b, n0, nc, k0, kc);
    const pr = tapRanges(j, L, m0, mc, k0, kc);
    stageA(j, L, b, m0, mc, k0, kc, rows, pr);
    kern().gemm(L.aPanels << 2, L.bPanels << 2, L.t << 2, ldt << 2, mt, nt, kc, c === ch ? 1 : 0, pr << 2);
  }
  // T = the chunk sum of every output (whole: the sum of all its chunks)
  copyOut(h, L.t, ldt, j.parts, target, N, mc, nc);
}

/** Task 'gemm': computes block `index` of job `j` (see planGemm for the block grid). */
export function runGemmBlock(j: GemmJob, index: number): void {
  if (j.splitK) {
    const per = j.whole ? 1 : j.chunks;
    const perBatch = j.mBlocks * j.nBlocks * per;
    const b = Math.floor(index / perBatch);
    let rest = index - b * perBatch;
    const ni = Math.floor(rest / (j.mBlocks * per));
    rest -= ni * j.mBlocks * per;
    const mi = Math.floor(rest / per);
    const ch = rest - mi * per;
    if (j.kind === 'conv2dGradFilter' && b === 0 && nativeConvFits(j, j.K)) {
      const native = nativeConv.get();
      if (native !== null) {
        // the block from x and dy in place (header, "Native convolution"): native/convfilter.c
        const { M, N, Mb, Nb } = j;
        const m0 = mi * Mb;
        const n0 = ni * Nb;
        const o = j.whole ? m0 * N + n0 : (ch * M + m0) * N + n0;
        return convGradFilterBlock(native, j, j.K / (j.outH * j.outW), j.x, j.dy, j.parts, m0, Math.min(Mb, M - m0), n0, Math.min(Nb, N - n0), ch, j.whole ? j.chunks : ch + 1, j.whole === true, o, N, M * N);
      }
    }
    return runSplitBlock(j, prepare(j), b, mi, ni, ch);
  }
  const { M, N, K, Mb, Nb, Kc, mBlocks, nBlocks } = j;
  const perBatch = mBlocks * nBlocks;
  const b = Math.floor(index / perBatch);
  const rest = index - b * perBatch;
  const ni = Math.floor(rest / mBlocks);
  const mi = rest - ni * mBlocks;
  const m0 = mi * Mb;
  const mc = Math.min(Mb, M - m0);
  const n0 = ni * Nb;
  const nc = Math.min(Nb, N - n0);
  if (b === 0 && nativeConvFits(j, K)) {
    const native = nativeConv.get();
    // the block from the tensors in place (header, "Native convolution"): native/conv.c
    if (native !== null && j.kind === 'conv2d') {
      const flags = j.bias ? CONV_BIAS | (j.relu ? CONV_RELU : 0) : 0;
      return convDirectBlock(native, j, j.x, j.w, j.bias, j.out, m0, mc, n0, nc, flags | (j.pool ? CONV_POOL : 0));
    }
    if (native !== null && j.kind === 'conv2dGradInput') return convDirectBlock(native, gradInputGeometry(j), j.dy, j.w, undefined, j.out, m0, mc, n0, nc, CONV_GRAD_INPUT);
  }
  const L = prepare(j);
  const mt = Math.ceil(mc / MR);
  const nt = Math.ceil(nc / NR);
  const ldt = nt * NR;
  const tSize = mt * MR * ldt;
  const h = H;
  if (K > SUM_CHUNK) h.fill(0, L.t, L.t + tSize);
  const levels = treeLevels(K);
  let lv: Levels | null = null;
  if (levels > 2) {
    if (SUM_CHUNK * SUM_CHUNK % Kc !== 0) throw new Error(`gemm task: Kc=${Kc} must divide ${SUM_CHUNK * SUM_CHUNK}`);
    lv = { levels, acc: [], count: new Int32Array(levels) };
    for (let l = 0; l < levels; l++) lv.acc.push(new Float32Array(l >= 2 ? tSize : 0));
  }
  const k = kern();
  if (j.kind === 'conv2d' && j.direct && k.dgemm !== null) {
    // unpacked (header): rows = window bases in the slab, terms = tap offsets, B = the filter [K, F]
    xSlab(j, m0, m0 + mc, L.opA, HI, L.aPanels);
    HI.fill(HI[L.aPanels + mc - 1], L.aPanels + mc, L.aPanels + mt * MR);
    convTermTable(j, L.tabA, 0, K);
    // one chunk: the tiles apply the epilogue to their sums before storing them (wasm-gemm.ts dgemm)
    const fused = j.bias !== undefined && K <= SUM_CHUNK;
    const store = K <= SUM_CHUNK ? 1 | (fused ? (j.relu ? 6 : 2) : 0) : 0;
    k.dgemm(L.aPanels << 2, L.tabA << 2, (L.opB + n0) << 2, j.F << 2, L.t << 2, ldt << 2, mt, nt, K, store, (L.bias + n0) << 2);
    if (j.bias && !fused) epilogue(j, L, h, L.t, ldt, mc, n0, nc);
    if (j.pool) poolOut(j, h, L.t, m0, mc);
    else copyOut(h, L.t, ldt, j.out, b * M * N + m0 * N + n0, N, mc, nc);
    return;
  }
  const tView = lv ? h.subarray(L.t, L.t + tSize) : new Float32Array(0);
  const rowBases = stageARows(j, L, m0, mc);
  const kBlocks = Math.ceil(K / Kc);
  let chunks = 0;
  for (let k0 = 0; k0 < K; k0 += Kc) {
    const kc = Math.min(Kc, K - k0);
    const key = (b * nBlocks + ni) * kBlocks + k0 / Kc;
    if (packedSeq !== j.seq || packedKey !== key) {
      stageB(j, L, b, n0, nc, k0, kc);
      packedSeq = j.seq;
      packedKey = key;
    }
    const pr = tapRanges(j, L, m0, mc, k0, kc);
    stageA(j, L, b, m0, mc, k0, kc, rowBases, pr);
    k.gemm(L.aPanels << 2, L.bPanels << 2, L.t << 2, ldt << 2, mt, nt, kc, K <= SUM_CHUNK ? 1 : 0, pr << 2);
    if (lv) {
      chunks += Math.ceil(kc / SUM_CHUNK);
      if (chunks === SUM_CHUNK) {
        pushLevel(lv, 2, tView, tSize);
        tView.fill(0);
        chunks = 0;
      }
    }
  }
  let res: Float32Array = h;
  let rOff = L.t;
  if (lv) {
    if (chunks > 0) pushLevel(lv, 2, tView, tSize);
    for (let l = 2; l < levels - 1; l++) {
      if (lv.count[l] > 0) {
        pushLevel(lv, l + 1, lv.acc[l], tSize);
        lv.acc[l].fill(0);
        lv.count[l] = 0;
      }
    }
    res = lv.acc[levels - 1];
    rOff = 0;
  }
  if (j.kind === 'conv2d' && j.bias) epilogue(j, L, res, rOff, ldt, mc, n0, nc);
  // copy the block out: C[b, m0 + r, n0 + c] (or its pooled rows)
  if (j.kind === 'conv2d' && j.pool) poolOut(j, res, rOff, m0, mc);
  else copyOut(res, rOff, ldt, j.out, b * M * N + m0 * N + n0, N, mc, nc);
}

/**
 * The pooled rows of a conv2d block (header, "Pooled output"): its mc outputs (whole pairs of output rows, all N
 * columns at res[rOff], rows N floats apart) max-pooled 2 x 2 / 2 into pooled rows m0 / (2*outW) on of j.out.
 */
function poolOut(j: Conv2dOperands & { out: Float32Array }, res: Float32Array, rOff: number, m0: number, mc: number): void {
  const pair = 2 * j.outW;
  ewPool2Rows(res, rOff, mc / pair, j.outW, j.F, j.out, (m0 / pair) * (j.outW >> 1) * j.F);
}
