/**
 * The Backend interface: what a device (CPU, WebGPU) must provide so that every op runs on it.
 * It is deliberately small: buffers, upload, download, and "run this primitive op".
 * Part of src/core: imports nothing outside src/core.
 */
import type { DType, TypedArray } from './dtype.ts';
import type { Fingerprint } from './debug/fingerprint.ts';
import type { OpAttrMap, OpName } from './ops/op-attrs.ts';
import type { Shape } from './shape.ts';

/** Backend names known to the engine. */
export type BackendName = 'cpu' | 'webgpu';

/** What a kernel sees of a tensor: its buffer handle (backend-specific), shape and dtype. */
export interface TensorInfo<H = unknown> {
  /** The backend's buffer handle (its own type `H`). */
  readonly handle: H;
  /** The tensor's shape. */
  readonly shape: Shape;
  /** The tensor's dtype. */
  readonly dtype: DType;
}

/** A device that owns tensor storage and runs primitive ops. */
export interface Backend<H = unknown> {
  /** The name it is registered under: 'cpu' or 'webgpu'. */
  readonly name: BackendName;
  /** A short human description, e.g. the adapter name. */
  readonly description: string;
  /** Allocates storage for `size` elements of `dtype` (contents unspecified). */
  alloc(dtype: DType, size: number): H;
  /** Copies `data` (exactly the buffer's element count) into the buffer. */
  write(handle: H, dtype: DType, data: TypedArray): void;
  /** Copies the buffer out. Resolves after all previously queued work that writes it. */
  read(handle: H, dtype: DType, size: number): Promise<TypedArray>;
  /** Synchronous read where the device allows it (the CPU); undefined otherwise. */
  readSync?(handle: H, dtype: DType, size: number): TypedArray;
  /**
   * The buffer's contents without a copy, where the device allows it (the CPU): valid only until the next op or
   * free, never to be written. Op traces (dt.debug.trace) hash outputs through it; undefined otherwise.
   */
  peekSync?(handle: H, dtype: DType, size: number): TypedArray;
  /**
   * The op-trace fingerprint (src/core/debug/fingerprint.ts) of the buffer's first `size` elements, computed where
   * the data lives (the CPU: on its worker threads); it must equal `fingerprint` of the buffer's contents. Where
   * undefined, traces read the buffer and compute it on the host.
   */
  fingerprint?(handle: H, dtype: DType, size: number): Fingerprint;
  /** Releases the buffer. */
  free(handle: H): void;
  /**
   * The largest buffer the device can hold for `dtype`, in bytes of tensor data (`size * bytesPerElement`), if it
   * has one; the engine refuses a larger allocation with a ResourceExhaustedError before calling `alloc`.
   */
  maxBufferBytes?(dtype: DType): number;
  /** Number of live buffers (for leak tests). */
  liveBuffers(): number;
  /** Runs primitive op `op` writing `output`. Shapes and dtypes were checked by the op definition. */
  run<O extends OpName>(op: O, inputs: readonly TensorInfo<H>[], attrs: OpAttrMap[O], output: TensorInfo<H>): void;
  /** Whether the backend has a kernel for `op`. */
  supports(op: OpName): boolean;
  /** Waits until all queued work has finished. */
  sync(): Promise<void>;
  /**
   * Marks the end of one step of work (a batch of fit, evaluate or predict) and waits until the device is at most
   * about one step behind, so that the host does not queue unbounded work ahead of an asynchronous device. Absent
   * where `run` finishes the work before it returns (the CPU).
   */
  pace?(): Promise<void>;
  /** Releases the device. The backend is unusable afterwards. */
  dispose(): Promise<void>;
}

/** How a backend is being chosen: explicitly (`setBackend`) or automatically (`ready()`, first use). */
export interface BackendRequest {
  /** True for automatic selection, false for an explicit `setBackend`. */
  automatic: boolean;
}

/**
 * Creates a backend, or resolves to `{ unavailable: reason }` when the device is not available (the reason is
 * reported by `setBackend` and by automatic selection).
 */
export type BackendFactory = (request: BackendRequest) =>
  | Backend
  | Promise<Backend | {
    /** Why the device is not available. */
    unavailable: string;
  }>
  | {
    /** Why the device is not available. */
    unavailable: string;
  };
