/**
 * Tensor and Variable. A tensor is an immutable n-d array whose storage is owned by a backend;
 * methods are one-line calls to the op functions. `data()` is the only way out (async).
 * This file sits below the engine and the ops (they import it): disposal and `assign` use the
 * bookkeeping and storage modules beneath it, and the op functions behind the methods are handed
 * over by the core surface, index.ts (`bindTensorMethods`).
 * Part of src/core: imports nothing outside src/core.
 */
import type { DType, TypedArray } from './dtype.ts';
import { ArgumentError, BackendError, DisposedTensorError, ShapeError, fmtShape } from './errors.ts';
import type * as ops from './ops/index.ts';
import { type Shape, shapesEqual } from './shape.ts';
import { type Storage, releaseStorage } from './storage.ts';
import { uncountTensor } from './tensor-bookkeeping.ts';

/** Nested number arrays as returned by `array()`. */
export type NestedArray = number | NestedArray[];

/** A value accepted where a tensor is expected: a tensor or a plain number (a scalar). */
export type TensorOrNumber = Tensor | number;

/** The op functions behind Tensor's methods (see {@link bindTensorMethods}). */
let opTable: typeof ops | undefined;

/**
 * @internal Hands the op functions to Tensor's methods. The ops import this file, so it cannot
 * import them; the core surface (index.ts), above both, calls this when it loads.
 */
export function bindTensorMethods(table: typeof ops): void {
  opTable = table;
}

function opFunctions(): typeof ops {
  if (!opTable) throw new Error('Tensor methods: the op functions are not bound; import the core surface (src/core/index.ts), which binds them');
  return opTable;
}

/**
 * An immutable n-dimensional array of float32, int32 or uint8 values, stored on a backend (CPU or WebGPU), like a
 * TF.js `tf.Tensor`. Create tensors with {@link tensor}, {@link zeros}, {@link ones} and the other creation functions;
 * read them with {@link Tensor.data | data()} (async) or, on the CPU, {@link Tensor.dataSync | dataSync()}. Every op
 * returns a new tensor; methods such as `x.add(y)` are the op functions (`dt.add(x, y)`) with `this` first.
 *
 * Memory is explicit: {@link Tensor.dispose | dispose()} releases a tensor, {@link tidy} disposes the tensors made
 * inside it, and `using t = ...` works (`[Symbol.dispose]()`). Using a disposed tensor throws a
 * {@link DisposedTensorError}.
 */
export class Tensor {
  /** Unique id within the process. */
  readonly id: number;
  /** The size of every axis, outermost first (row-major); [] for a scalar. Frozen. */
  readonly shape: readonly number[];
  /** The element type: 'float32', 'int32' or 'uint8'. */
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

  /** The number of axes (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether {@link Tensor.dispose | dispose()} was called (or the tensor was disposed by {@link tidy}). */
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

  /**
   * A copy of the elements as a typed array (row-major): Float32Array, Int32Array or Uint8Array for the dtype.
   * Resolves after the work that computes the tensor has finished (on WebGPU, a read-back from the device).
   */
  async data(): Promise<TypedArray> {
    assertLive('data', this);
    const s = this.storage;
    return s.backend.read(s.handle, this.dtype, this.size);
  }

  /**
   * A synchronous copy of the elements (row-major); only on backends that allow it (the CPU).
   * @throws {@link BackendError} on WebGPU: use `await tensor.data()`.
   */
  dataSync(): TypedArray {
    assertLive('dataSync', this);
    const s = this.storage;
    if (!s.backend.readSync) {
      throw new BackendError(`dataSync: the '${s.backend.name}' backend cannot read synchronously. Use \`await tensor.data()\`.`);
    }
    return s.backend.readSync(s.handle, this.dtype, this.size);
  }

  /** The elements as nested arrays (a number for a scalar), like TF.js `tensor.array()`. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /**
   * The elements as nested arrays, synchronously (CPU only).
   * @throws {@link BackendError} on WebGPU.
   */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** Releases the tensor's storage. Idempotent; later use throws a {@link DisposedTensorError}. */
  dispose(): void {
    disposeTensor(this);
  }

  /** Disposes the tensor, for `using t = ...` (explicit resource management). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** A short description such as `Tensor(shape=[2, 3], dtype=float32)` (without the values). */
  toString(): string {
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}${this.isDisposed ? ', disposed' : ''})`;
  }

  // Methods: one line each, no math here.
  /** `this + b`; see {@link add}. */
  add(b: TensorOrNumber): Tensor { return opFunctions().add(this, b); }
  /** `this - b`; see {@link sub}. */
  sub(b: TensorOrNumber): Tensor { return opFunctions().sub(this, b); }
  /** `this * b`; see {@link mul}. */
  mul(b: TensorOrNumber): Tensor { return opFunctions().mul(this, b); }
  /** `this / b`; see {@link div}. */
  div(b: TensorOrNumber): Tensor { return opFunctions().div(this, b); }
  /** Elementwise maximum; see {@link maximum}. */
  maximum(b: TensorOrNumber): Tensor { return opFunctions().maximum(this, b); }
  /** Elementwise minimum; see {@link minimum}. */
  minimum(b: TensorOrNumber): Tensor { return opFunctions().minimum(this, b); }
  /** `this == b` as uint8 0/1; see {@link equal}. */
  equal(b: TensorOrNumber): Tensor { return opFunctions().equal(this, b); }
  /** `this != b` as uint8 0/1; see {@link notEqual}. */
  notEqual(b: TensorOrNumber): Tensor { return opFunctions().notEqual(this, b); }
  /** `this < b` as uint8 0/1; see {@link less}. */
  less(b: TensorOrNumber): Tensor { return opFunctions().less(this, b); }
  /** `this <= b` as uint8 0/1; see {@link lessEqual}. */
  lessEqual(b: TensorOrNumber): Tensor { return opFunctions().lessEqual(this, b); }
  /** `this > b` as uint8 0/1; see {@link greater}. */
  greater(b: TensorOrNumber): Tensor { return opFunctions().greater(this, b); }
  /** `this >= b` as uint8 0/1; see {@link greaterEqual}. */
  greaterEqual(b: TensorOrNumber): Tensor { return opFunctions().greaterEqual(this, b); }
  /** `-this`; see {@link neg}. */
  neg(): Tensor { return opFunctions().neg(this); }
  /** `|this|`; see {@link abs}. */
  abs(): Tensor { return opFunctions().abs(this); }
  /** -1, 0 or 1; see {@link sign}. */
  sign(): Tensor { return opFunctions().sign(this); }
  /** e^this; see {@link exp}. */
  exp(): Tensor { return opFunctions().exp(this); }
  /** Natural log; see {@link log}. */
  log(): Tensor { return opFunctions().log(this); }
  /** Square root; see {@link sqrt}. */
  sqrt(): Tensor { return opFunctions().sqrt(this); }
  /** `this * this`; see {@link square}. */
  square(): Tensor { return opFunctions().square(this); }
  /** max(this, 0); see {@link relu}. */
  relu(): Tensor { return opFunctions().relu(this); }
  /** Logistic sigmoid; see {@link sigmoid}. */
  sigmoid(): Tensor { return opFunctions().sigmoid(this); }
  /** Hyperbolic tangent; see {@link tanh}. */
  tanh(): Tensor { return opFunctions().tanh(this); }
  /** Clamped into [min, max]; see {@link clipByValue}. */
  clipByValue(min: number, max: number): Tensor { return opFunctions().clipByValue(this, min, max); }
  /** Converted to `dtype`; see {@link cast}. */
  cast(dtype: DType): Tensor { return opFunctions().cast(this, dtype); }
  /** The same values in a new shape (one dimension may be -1); see {@link reshape}. */
  reshape(shape: readonly number[]): Tensor { return opFunctions().reshape(this, shape); }
  /** The values as a 1-D tensor (`reshape([-1])`). */
  flatten(): Tensor { return opFunctions().reshape(this, [-1]); }
  /** With a new axis of size 1 at `axis` (default 0); see {@link expandDims}. */
  expandDims(axis = 0): Tensor { return opFunctions().expandDims(this, axis); }
  /** Without the given axes of size 1 (default: all of them); see {@link squeeze}. */
  squeeze(axes?: readonly number[]): Tensor { return opFunctions().squeeze(this, axes); }
  /** Axes permuted (default: reversed); see {@link transpose}. */
  transpose(perm?: readonly number[]): Tensor { return opFunctions().transpose(this, perm); }
  /** A rectangular block; see {@link slice}. */
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor { return opFunctions().slice(this, begin, size); }
  /** Entries at `indices` along `axis` (default 0); see {@link gather}. */
  gather(indices: Tensor | readonly number[], axis = 0): Tensor { return opFunctions().gather(this, indices, axis); }
  /** Sum over `axes` (default all); see {@link sum}. */
  sum(axes?: number | readonly number[], keepDims = false): Tensor { return opFunctions().sum(this, axes, keepDims); }
  /** Mean over `axes` (default all); see {@link mean}. */
  mean(axes?: number | readonly number[], keepDims = false): Tensor { return opFunctions().mean(this, axes, keepDims); }
  /** Maximum over `axes` (default all); see {@link max}. */
  max(axes?: number | readonly number[], keepDims = false): Tensor { return opFunctions().max(this, axes, keepDims); }
  /** Minimum over `axes` (default all); see {@link min}. */
  min(axes?: number | readonly number[], keepDims = false): Tensor { return opFunctions().min(this, axes, keepDims); }
  /** Index of the first maximum along `axis` (default -1); see {@link argmax}. */
  argmax(axis = -1): Tensor { return opFunctions().argmax(this, axis); }
  /** Index of the first minimum along `axis` (default -1); see {@link argmin}. */
  argmin(axis = -1): Tensor { return opFunctions().argmin(this, axis); }
  /** Matrix product `this @ b`; see {@link matmul}. */
  matmul(b: Tensor, options?: ops.MatmulOptions): Tensor { return opFunctions().matmul(this, b, options); }
  /** Softmax along `axis` (default -1); see {@link softmax}. */
  softmax(axis = -1): Tensor { return opFunctions().softmax(this, axis); }
  /** Log-softmax along `axis` (default -1); see {@link logSoftmax}. */
  logSoftmax(axis = -1): Tensor { return opFunctions().logSoftmax(this, axis); }
  /** A copy in its own storage; see {@link clone}. */
  clone(): Tensor { return opFunctions().clone(this); }
}

/**
 * A mutable, named tensor holding model state (weights, optimizer slots), like TF.js `tf.Variable`. Never disposed
 * by {@link tidy}; {@link Variable.assign | assign} swaps its storage for a new value's. Create one with
 * {@link variable}.
 */
export class Variable extends Tensor {
  /** The variable's name (a layer's weights are named `<layer>/kernel`, `<layer>/bias`). */
  readonly name: string;
  /** Whether optimizers update it (and whether it counts in `trainableWeights`). */
  trainable: boolean;

  /** @internal Use `variable(...)`. */
  constructor(id: number, shape: Shape, dtype: DType, storage: Storage, name: string, trainable: boolean) {
    super(id, shape, dtype, storage);
    this.name = name;
    this.trainable = trainable;
  }

  /** Replaces the value (same shape and dtype). The variable keeps its identity. */
  assign(value: Tensor): void {
    assignVariable(this, value);
  }
}

/** Throws unless `t` is a live (not disposed) Tensor; `fn` names the caller in the message. */
export function assertLive(fn: string, t: Tensor): void {
  if (!(t instanceof Tensor)) {
    throw new ArgumentError(`${fn}: expected a Tensor. Received: ${describe(t)}`);
  }
  if (t.isDisposed) {
    throw new DisposedTensorError(`${fn}: expected a live tensor. Received: a disposed tensor (id ${t.id}, shape=${fmtShape(t.shape)}, dtype=${t.dtype})`);
  }
}

/** Disposes `t` (idempotent). Its storage is freed when no tensor or tape needs it. */
export function disposeTensor(t: Tensor): void {
  if (t.isDisposed) return;
  t.markDisposed();
  uncountTensor(t);
  releaseStorage(t.storage);
}

/** Replaces a variable's storage with that of `value` (same shape and dtype). */
function assignVariable(v: Variable, value: Tensor): void {
  assertLive('assign', v);
  assertLive('assign', value);
  if (!shapesEqual(v.shape, value.shape) || v.dtype !== value.dtype) {
    throw new ShapeError(`assign: expected a value of shape ${fmtShape(v.shape)} and dtype ${v.dtype} for variable '${v.name}'. Received: shape=${fmtShape(value.shape)}, dtype=${value.dtype}`);
  }
  if (value.storage === v.storage) return;
  value.storage.refs++;
  releaseStorage(v.storage);
  v.storage = value.storage;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object of type ${(v as object).constructor?.name ?? 'Object'}`;
  return `${typeof v} ${String(v)}`;
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
