/**
 * Types of gemm-tasks.js: blocked float32 GEMM jobs (matmul and the convolutions).
 * Part of src/kernels/cpu: imports nothing.
 */
export const SUM_CHUNK: number;
export type GemmKernelKind = 'simd' | 'asm';
/** Tile rows (A panel lanes) and columns (B panel lanes) of each micro-kernel. */
export const TILES: Record<GemmKernelKind, { MR: number; NR: number }>;
export const HEAP_BYTES: number;
/** The micro-kernel this process uses: 'simd' (wasm-gemm.js) where WebAssembly SIMD is available, else 'asm'. */
export function gemmKernelKind(): GemmKernelKind;

export interface GemmPlan {
  /** The micro-kernel (and so the tile) every thread uses for this job. */
  kernel: GemmKernelKind;
  Kc: number;
  Mb: number;
  Nb: number;
  mBlocks: number;
  nBlocks: number;
  /** Chunks of the reduction (ceil(K / 256)). */
  chunks: number;
  /** Split-K mode: blocks write chunk sums to `parts` [batch, chunks, M, N] (see planGemm). */
  splitK: boolean;
  /** batch * mBlocks * nBlocks (* chunks in split-K mode) */
  blocks: number;
}

interface GemmJobBase extends GemmPlan {
  /** Unique per job (the per-thread packed-operand cache key). */
  seq: number;
  M: number;
  N: number;
  K: number;
  out: Float32Array;
  /** Split-K mode: the chunk sums, [batch, chunks, M, N]. */
  parts?: Float32Array;
}

export interface MatmulJob extends GemmJobBase {
  kind: 'matmul';
  a: Float32Array;
  b: Float32Array;
  /** Element offsets of each batch's A and B matrix. */
  aOff: Int32Array;
  bOff: Int32Array;
  /** A[m, k] = a[aOff + m*ars + k*acs]; B[n, k] = b[bOff + n*brs + k*bcs]. */
  ars: number;
  acs: number;
  brs: number;
  bcs: number;
}

export interface ConvGeometry {
  C: number;
  F: number;
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

export interface Conv2dJob extends GemmJobBase, ConvGeometry {
  kind: 'conv2d';
  x: Float32Array;
  w: Float32Array;
}

export interface Conv2dGradInputJob extends GemmJobBase, ConvGeometry {
  kind: 'conv2dGradInput';
  dy: Float32Array;
  w: Float32Array;
}

export interface Conv2dGradFilterJob extends GemmJobBase, ConvGeometry {
  kind: 'conv2dGradFilter';
  x: Float32Array;
  dy: Float32Array;
}

export type GemmJob = MatmulJob | Conv2dJob | Conv2dGradInputJob | Conv2dGradFilterJob;

export function treeLevels(n: number): number;
export function planGemm(batch: number, M: number, N: number, K: number, threads: number, kernel?: GemmKernelKind): GemmPlan;
export function runGemmBlock(job: GemmJob, index: number): void;
export function linkedGemmModule(): Function;
