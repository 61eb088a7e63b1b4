/**
 * Tensor and Variable. A tensor is an immutable n-d array whose storage is owned by a backend;
 * methods are one-line calls to the op functions. `data()` is the only way out (async).
 * Part of src/core: imports nothing outside src/core.
 */
import type { DType, TypedArray } from './dtype.ts';
import { ENGINE, type Storage } from './engine.ts';
import { ArgumentError, BackendError } from './errors.ts';
import * as ops from './ops/index.ts';
import type { Shape } from './shape.ts';

/** Nested number arrays as returned by `array()`. */
export type NestedArray = number | NestedArray[];

/** A value accepted where a tensor is expected: a tensor or a plain number (a scalar). */
export type TensorOrNumber = Tensor | number;

export class Tensor {
  /** Unique id within the process. */
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** @internal Backend storage, possibly shared with other tensors (reshape). */
  storage: Storage;
  private disposedFlag = false;
  private keptFlag = false;

  /** @internal Use the creation functions (`tensor`, `zeros`, ...) instead. */
  constructor(id: number, shape: Shape, dtype: DType, storage: Storage) {
    this.id = id;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    let n = 1;
    for (const d of shape) n *= d;
    this.size = n;
    this.storage = storage;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** @internal */
  get isKept(): boolean {
    return this.keptFlag;
  }

  /** @internal */
  markDisposed(): void {
    this.disposedFlag = true;
  }

  /** @internal */
  markKept(): void {
    this.keptFlag = true;
  }

  /** The name of the backend holding this tensor. */
  get backend(): string {
    return this.storage.backend.name;
  }

  /** A copy of the elements as a typed array (row-major). */
  async data(): Promise<TypedArray> {
    ENGINE.assertLive('data', this);
    const s = this.storage;
    return s.backend.read(s.handle, this.dtype, this.size);
  }

  /** Synchronous copy; only on backends that allow it (the CPU). */
  dataSync(): TypedArray {
    ENGINE.assertLive('dataSync', this);
    const s = this.storage;
    if (!s.backend.readSync) {
      throw new BackendError(`dataSync: the '${s.backend.name}' backend cannot read synchronously. Use \`await tensor.data()\`.`);
    }
    return s.backend.readSync(s.handle, this.dtype, this.size);
  }

  /** The elements as nested arrays. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /** Nested arrays, synchronously (CPU only). */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** Releases the tensor. Idempotent; later use throws DisposedTensorError. */
  dispose(): void {
    ENGINE.disposeTensor(this);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}${this.isDisposed ? ', disposed' : ''})`;
  }

  // Methods: one line each, no math here.
  add(b: TensorOrNumber): Tensor { return ops.add(this, b); }
  sub(b: TensorOrNumber): Tensor { return ops.sub(this, b); }
  mul(b: TensorOrNumber): Tensor { return ops.mul(this, b); }
  div(b: TensorOrNumber): Tensor { return ops.div(this, b); }
  maximum(b: TensorOrNumber): Tensor { return ops.maximum(this, b); }
  minimum(b: TensorOrNumber): Tensor { return ops.minimum(this, b); }
  equal(b: TensorOrNumber): Tensor { return ops.equal(this, b); }
  notEqual(b: TensorOrNumber): Tensor { return ops.notEqual(this, b); }
  less(b: TensorOrNumber): Tensor { return ops.less(this, b); }
  lessEqual(b: TensorOrNumber): Tensor { return ops.lessEqual(this, b); }
  greater(b: TensorOrNumber): Tensor { return ops.greater(this, b); }
  greaterEqual(b: TensorOrNumber): Tensor { return ops.greaterEqual(this, b); }
  neg(): Tensor { return ops.neg(this); }
  abs(): Tensor { return ops.abs(this); }
  sign(): Tensor { return ops.sign(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  square(): Tensor { return ops.square(this); }
  relu(): Tensor { return ops.relu(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  clipByValue(min: number, max: number): Tensor { return ops.clipByValue(this, min, max); }
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(): Tensor { return ops.reshape(this, [-1]); }
  expandDims(axis = 0): Tensor { return ops.expandDims(this, axis); }
  squeeze(axes?: readonly number[]): Tensor { return ops.squeeze(this, axes); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor { return ops.slice(this, begin, size); }
  gather(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  sum(axes?: number | readonly number[], keepDims = false): Tensor { return ops.sum(this, axes, keepDims); }
  mean(axes?: number | readonly number[], keepDims = false): Tensor { return ops.mean(this, axes, keepDims); }
  max(axes?: number | readonly number[], keepDims = false): Tensor { return ops.max(this, axes, keepDims); }
  min(axes?: number | readonly number[], keepDims = false): Tensor { return ops.min(this, axes, keepDims); }
  argmax(axis = -1): Tensor { return ops.argmax(this, axis); }
  argmin(axis = -1): Tensor { return ops.argmin(this, axis); }
  matmul(b: Tensor, options?: ops.MatmulOptions): Tensor { return ops.matmul(this, b, options); }
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return ops.logSoftmax(this, axis); }
  clone(): Tensor { return ops.clone(this); }
}

/**
 * A mutable, named tensor holding model state (weights, optimizer slots). Never disposed by
 * `tidy`; `assign` swaps its storage for a new value's.
 */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  /** @internal Use `variable(...)`. */
  constructor(id: number, shape: Shape, dtype: DType, storage: Storage, name: string, trainable: boolean) {
    super(id, shape, dtype, storage);
    this.name = name;
    this.trainable = trainable;
  }

  /** Replaces the value (same shape and dtype). The variable keeps its identity. */
  assign(value: Tensor): void {
    ENGINE.assignVariable(this, value);
  }
}

function nest(data: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0];
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim];
    let stride = 1;
    for (let i = dim + 1; i < shape.length; i++) stride *= shape[i];
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? data[offset + i] : build(offset + i * stride, dim + 1));
    }
    return out;
  };
  return build(0, 0);
}

/** Throws an ArgumentError unless `t` is a Tensor. */
export function expectTensor(fn: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) {
    throw new ArgumentError(`${fn}: expected ${name} to be a Tensor. Received: ${t === null ? 'null' : typeof t}`);
  }
}
