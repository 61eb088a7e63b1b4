/**
 * The CPU backend: tensors live in typed arrays over SharedArrayBuffers (so that the worker
 * threads of thread-pool.ts share them without copies), and every op runs a TypeScript kernel
 * (its hot loops WebAssembly SIMD, or plain scalar TypeScript where that is missing or turned
 * off) that rounds each arithmetic step to float32 and reduces in the engine's one fixed order,
 * whatever the thread count (setNumThreads / DITTO_THREADS) and whichever loops run.
 * Freed buffers are kept (up to the larger of CACHE_LIMIT bytes and the most bytes ever live at
 * once) and reused for allocations of the same byte length: the first touch of fresh pages costs
 * about as much as a simple kernel, and a SharedArrayBuffer dropped from the cache is freed only
 * when V8 next collects garbage, which the small JavaScript heap of a training loop rarely asks
 * for: a cache smaller than a step's working set made every step allocate afresh and the process
 * grow by the dropped buffers (about 110 MB per step for the ResNet example). A reused buffer
 * is not cleared (Backend.alloc: contents unspecified); every kernel writes its whole output
 * (test/unit/cpu/writes-all-outputs.test.ts).
 * Part of src/kernels/cpu: imports src/core only.
 */
import { constants } from 'node:buffer';
import type { Backend, TensorInfo } from '../../core/backend.ts';
import { type DType, type TypedArray, allocArray, bytesPerElement, viewOf } from '../../core/dtype.ts';
import { UnsupportedOpError } from '../../core/errors.ts';
import type { OpAttrMap, OpName } from '../../core/ops/op-attrs.ts';
import { gemmKernelKind } from './gemm-tasks.ts';
import { nativeColSum } from './native-colsum.ts';
import { nativeGemm } from './native-gemm.ts';
import { nativeDropout } from './native-philox.ts';
import { nativePool } from './native-pool.ts';
import { nativeConv } from './native-conv.ts';
import { CPU_KERNELS } from './kernels.ts';
import { runSplit, shutdownPool } from './thread-pool.ts';
import { FINGERPRINT_WORK_PER_CHUNK, type Fingerprint, combineFingerprintChunks, fingerprintChunkCount, fingerprintParts } from './fingerprint-tasks.ts';
import type { CpuKernel } from './types.ts';

/**
 * Bytes of freed buffers kept for reuse at least (the oldest are dropped beyond it, or beyond the peak
 * of live bytes when that is larger: a training step then reuses the buffers of the previous one).
 */
const CACHE_LIMIT = 128 << 20;

const MAX_LENGTH = constants.MAX_LENGTH;

export class CpuBackend implements Backend<TypedArray> {
  readonly name = 'cpu' as const;
  /**
   * Which hot loops run: WebAssembly SIMD (wasm-*.ts) where available, with the native AVX2 GEMM tiles, dropout,
   * max pooling, column sums and convolutions (native-gemm.ts, native-philox.ts, native-pool.ts, native-colsum.ts,
   * native-conv.ts) where built and checked, else the plain scalar
   * TypeScript loops. Every form gives the same bits.
   */
  get description(): string {
    if (gemmKernelKind() !== 'simd') return 'TypeScript scalar kernels (no WebAssembly SIMD), float32-exact';
    const native = [nativeGemm.status().active ? 'GEMM tiles' : '', nativeDropout.status().active ? 'dropout' : '', nativePool.status().active ? 'max pooling' : '', nativeColSum.status().active ? 'column sums' : '', nativeConv.status().active ? 'convolutions' : ''].filter((p) => p !== '');
    return `TypeScript + WebAssembly SIMD kernels${native.length > 0 ? ` + native AVX2 ${native.join(', ')}` : ''}, float32-exact`;
  }
  private live = 0;
  /** Bytes of the live buffers, and the most there ever were at once (the cache keeps up to that much). */
  private liveBytes = 0;
  private peakBytes = 0;
  private readonly cache = new Map<number, SharedArrayBuffer[]>();
  /** The cached buffers, oldest first (a buffer freed twice must not be handed out twice). */
  private readonly cached = new Set<SharedArrayBuffer>();
  private cachedBytes = 0;

  /** The JavaScript engine's largest typed array (buffer.constants.MAX_LENGTH bytes: 4 GiB on Node.js 20). */
  maxBufferBytes(_dtype: DType): number {
    return MAX_LENGTH;
  }

  alloc(dtype: DType, size: number): TypedArray {
    const bytes = size * bytesPerElement(dtype);
    const buf = this.cache.get(bytes)?.pop();
    if (buf) {
      this.cached.delete(buf);
      this.cachedBytes -= bytes;
      this.countAlloc(bytes);
      return viewOf(dtype, buf, 0, size);
    }
    // Counted once allocated: a failed allocation (RangeError) leaves the count as it was; allocate()
    // (core/memory-budget.ts) turns it into a ResourceExhaustedError naming the op.
    const out = allocArray(dtype, size, true);
    this.countAlloc(out.byteLength);
    return out;
  }

  write(handle: TypedArray, _dtype: DType, data: TypedArray): void {
    handle.set(data);
  }

  async read(handle: TypedArray, dtype: DType, size: number): Promise<TypedArray> {
    return this.readSync(handle, dtype, size);
  }

  readSync(handle: TypedArray, _dtype: DType, _size: number): TypedArray {
    return handle.slice();
  }

  peekSync(handle: TypedArray, _dtype: DType, size: number): TypedArray {
    return handle.length === size ? handle : handle.subarray(0, size);
  }

  /**
   * The op-trace fingerprint of the buffer's first `size` elements, its chunks shared out to the worker threads
   * (fingerprint-tasks.ts): the same result as core's `fingerprint` of the data, at every thread count.
   */
  fingerprint(handle: TypedArray, dtype: DType, size: number): Fingerprint {
    const chunks = fingerprintChunkCount(size);
    const parts = fingerprintParts(chunks);
    runSplit('fingerprint', { data: handle, dtype, n: size, chunks, parts }, chunks, { workPerUnit: FINGERPRINT_WORK_PER_CHUNK, minBlock: 4, out: parts });
    return combineFingerprintChunks(dtype, size, parts);
  }

  private countAlloc(bytes: number): void {
    this.live++;
    this.liveBytes += bytes;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
  }

  free(handle: TypedArray): void {
    this.live--;
    this.liveBytes -= handle.byteLength;
    const buf = handle.buffer;
    const bytes = buf.byteLength;
    if (!(buf instanceof SharedArrayBuffer) || bytes === 0 || handle.byteOffset !== 0 || handle.byteLength !== bytes) return;
    const limit = Math.max(CACHE_LIMIT, this.peakBytes);
    if (bytes > limit || this.cached.has(buf)) return;
    for (const old of this.cached) {
      if (this.cachedBytes + bytes <= limit) break;
      this.cached.delete(old);
      const same = this.cache.get(old.byteLength)!;
      same.splice(same.indexOf(old), 1);
      this.cachedBytes -= old.byteLength;
    }
    let list = this.cache.get(bytes);
    if (!list) this.cache.set(bytes, (list = []));
    list.push(buf);
    this.cached.add(buf);
    this.cachedBytes += bytes;
  }

  liveBuffers(): number {
    return this.live;
  }

  run<O extends OpName>(op: O, inputs: readonly TensorInfo<TypedArray>[], attrs: OpAttrMap[O], output: TensorInfo<TypedArray>): void {
    const kernel = CPU_KERNELS[op] as CpuKernel<O> | undefined;
    if (!kernel) throw new UnsupportedOpError(op, this.name);
    kernel(inputs, attrs, output);
  }

  supports(op: OpName): boolean {
    return op in CPU_KERNELS;
  }

  async sync(): Promise<void> {}

  /** Terminates the worker threads and drops the buffer cache. */
  async dispose(): Promise<void> {
    this.cache.clear();
    this.cached.clear();
    this.cachedBytes = 0;
    await shutdownPool();
  }
}
