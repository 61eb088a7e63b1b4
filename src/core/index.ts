/**
 * The tensor core's public surface: tensors, ops, gradients, scopes and backend selection.
 * src/core imports nothing from src/kernels, src/nn or src/data; backends are registered by the
 * composition root (src/backends.ts). The primitives behind the gradients and the fused optimizer
 * updates, the op table and the backend registry are not part of it: they are exported by the
 * package's advanced entry (src/advanced.ts). Sibling layers (src/nn, src/data) use core through
 * internal.ts, which re-exports this file and the internals they need. Every entry loads this
 * file, which hands Tensor's methods their op functions (bindTensorMethods, below the imports).
 */
import type { BackendName } from './backend.ts';
import { BACKENDS } from './backend-registry.ts';
import * as ops from './ops/index.ts';
import { finishEnvTrace } from './debug/trace.ts';
import { noGrad as noGradScope } from './tape.ts';
import { numTensors } from './tensor-bookkeeping.ts';
import { bytesInUse } from './memory-budget.ts';
import { type Tensor, bindTensorMethods } from './tensor.ts';
import { keep as keepTensor, tidy as tidyScope } from './tidy.ts';

// Tensor's methods (x.add(y), ...) are the op functions, which tensor.ts cannot import (they
// import it): this surface, above both, hands them over.
bindTensorMethods(ops);

export {
  add, sub, mul, div, maximum, minimum, broadcastTo,
  equal, notEqual, less, lessEqual, greater, greaterEqual, where,
  concat, stack, split, unstack,
  conv2d, type Conv2dOptions,
  conv2dTranspose, depthwiseConv2d, separableConv2d,
  tensor, scalar, fill, zeros, ones, zerosLike, onesLike, cast, clone, variable, type TensorValues, type OtherTypedArray,
  gather, oneHot,
  matmul, type MatmulOptions,
  maxPool2d, avgPool2d, type PoolOptions,
  sum, max, min, mean, argmax, argmin,
  resizeBilinear,
  imageTransform, type ImageTransformOptions, type ImageTransformInterpolation, type ImageTransformFillMode,
  reshape, expandDims, squeeze,
  slice, pad,
  softmax, logSoftmax,
  transpose,
  neg, abs, sign, exp, log, sqrt, square, relu, elu, sigmoid, tanh, clipByValue,
  erf, softplus,
} from './ops/index.ts';
export { Tensor, Variable, type NestedArray, type TensorOrNumber } from './tensor.ts';
export { grad, valueAndGrad, variableGrads, type ValueAndGrads } from './grad.ts';
export {
  TensorEngineError, ArgumentError, ShapeError, DTypeError, DisposedTensorError, UnsupportedOpError, BackendError,
  NumericError, DataFormatError, ResourceExhaustedError,
} from './errors.ts';
export type { DType, TypedArray } from './dtype.ts';
export type { BackendName } from './backend.ts';
/**
 * Debugging determinism (`dt.debug`): {@link debug.trace} records a fingerprint of every op's output (hash of the
 * bits, statistics) so that `npx ditto diff` can name the first op where two runs diverge.
 */
export * as debug from './debug/index.ts';

/**
 * Runs `fn` and disposes every tensor it created that it does not return (in an array or object too), like TF.js
 * `tf.tidy`. Scopes nest; variables and tensors passed to {@link keep} survive. Returns what `fn` returns.
 *
 * @example
 * ```ts
 * const y = dt.tidy(() => dt.softmax(dt.matmul(x, w))); // the product is disposed, y is kept
 * ```
 */
export function tidy<T>(fn: () => T): T {
  return tidyScope(fn);
}

/** Exempts `t` from disposal by enclosing {@link tidy} scopes and returns it (TF.js `tf.keep`). */
export function keep<T extends Tensor>(t: T): T {
  return keepTensor(t);
}

/** Disposes a tensor, every tensor of an array, or every tensor value of an object (TF.js `tf.dispose`). */
export function dispose(x: Tensor | readonly Tensor[] | Record<string, Tensor>): void {
  const list = Array.isArray(x) ? x : x && typeof x === 'object' && !('storage' in x) ? Object.values(x) : [x as Tensor];
  for (const t of list) t.dispose();
}

/** Runs `fn` without recording gradients: inside {@link grad} and friends, its results are constants. Returns what `fn` returns. */
export function noGrad<T>(fn: () => T): T {
  return noGradScope(fn);
}

/** Counts of live tensors (including variables) and live backend buffers on the current backend, like TF.js `tf.memory()`; useful for finding leaks. */
export function memory(): {
  /** Tensors not yet disposed, variables included. */
  numTensors: number;
  /** Backend buffers not yet freed (reshaped tensors share one). */
  numBuffers: number;
  /**
   * Bytes of tensor data live on the current backend (size * bytes per element, shared storage counted once), the
   * amount that `dt.config.setMemoryLimit`'s budget is checked against.
   */
  numBytes: number;
} {
  const backend = BACKENDS.backend;
  return { numTensors: numTensors(), numBuffers: backend.liveBuffers(), numBytes: bytesInUse(backend) };
}

/**
 * Selects the backend explicitly: 'cpu' or 'webgpu' (TF.js `tf.setBackend`). Results are bit-identical on both.
 * `setBackend('webgpu')` takes any WebGPU adapter, a software one (lavapipe) included, which automatic selection
 * passes over. Call it before creating tensors: a tensor stays on the backend that created it, and an op whose
 * inputs are on different backends throws a {@link BackendError}.
 * @throws {@link BackendError} when the backend cannot start (for WebGPU: no Vulkan driver or no adapter; the message
 * says why).
 */
export function setBackend(name: BackendName): Promise<void> {
  return BACKENDS.setBackend(name);
}

/** The current backend's name. When none was chosen yet and none is being selected, this selects the CPU backend (it cannot wait for WebGPU). */
export function getBackend(): BackendName {
  return BACKENDS.backendName();
}

/**
 * Selects the best available backend if none was chosen and resolves to its name (TF.js `tf.ready`): WebGPU on a
 * hardware adapter, else the CPU. A software adapter (lavapipe) is passed over, since it runs on the same cores
 * several times slower than the CPU backend. Says once (console.warn) which backend it picked and why.
 */
export async function ready(): Promise<BackendName> {
  return (await BACKENDS.ready()).name;
}

/** The current backend's name and a one-line description (the CPU kernels in use, or the GPU adapter). */
export function getBackendInfo(): {
  /** 'cpu' or 'webgpu'. */
  name: BackendName;
  /** One line: the CPU kernels and threads in use, or the GPU adapter. */
  description: string;
} {
  const b = BACKENDS.backend;
  return { name: b.name, description: b.description };
}

/** Resolves when all queued device work has finished (on the CPU at once). Use it to time GPU work. */
export function sync(): Promise<void> {
  return BACKENDS.backend.sync();
}

/**
 * Releases every backend's device (worker threads, the GPU device) so that the process can exit; tensors are unusable
 * afterwards. A trace started by the `DITTO_TRACE` environment variable is finished first.
 */
export async function shutdown(): Promise<void> {
  await finishEnvTrace();
  return BACKENDS.shutdown();
}
