/**
 * Types of ew-tasks.js: elementwise, max-pooling and chunk-sum loops runnable on any thread.
 * Part of src/kernels/cpu: imports nothing.
 */
type Arr = Float32Array | Int32Array | Uint8Array;

export type BinaryLoop = (x: Arr, y: Arr, d: Arr, n1: number, n2: number, a0: number, a1: number, a2: number, b0: number, b1: number, b2: number, ao: number, bo: number, oo: number, o0: number, o1: number) => void;
export const BINARY: Record<string, BinaryLoop>;
export function runBinaryBlock(job: object, i: number): void;
export function whereRange(cond: Arr, x: Arr, y: Arr, d: Arr, n1: number, n2: number, c0: number, c1: number, c2: number, a0: number, a1: number, a2: number, b0: number, b1: number, b2: number, co: number, ao: number, bo: number, oo: number, o0: number, o1: number): void;
export function runWhereBlock(job: object, i: number): void;
export function reluRange(s: Arr, d: Arr, o0: number, o1: number): void;
export function runReluBlock(job: object, i: number): void;
export function reluGradRange(g: Float32Array, x: Float32Array, d: Float32Array, o0: number, o1: number): void;
export function runReluGradBlock(job: object, i: number): void;
export function runBinaryRowBlock(job: object, i: number): void;

export interface PoolGeometry {
  C: number; inH: number; inW: number; kH: number; kW: number; sH: number; sW: number;
  outH: number; outW: number; padTop: number; padLeft: number;
}
export function maxPoolImages(g: PoolGeometry, src: Float32Array, dst: Float32Array, n0: number, n1: number): void;
export function maxPoolGradImages(g: PoolGeometry, src: Float32Array, gy: Float32Array, dx: Float32Array, n0: number, n1: number): void;
export function runMaxPoolBlock(job: object, i: number): void;
export function runMaxPoolGradBlock(job: object, i: number): void;

export function chunkSums(x: Arr, R: number, inner: number, o: number, j0: number, j1: number, chunks: number, part: Float32Array): void;
export function runSumChunksBlock(job: object, i: number): void;

export function resizeImages(job: object, n0: number, n1: number): void;
export function runResizeBlock(job: object, i: number): void;
