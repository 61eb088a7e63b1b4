/**
 * The tensor core's public surface: tensors, ops, gradients, scopes and backend selection.
 * src/core imports nothing from src/kernels, src/nn or src/data; backends are registered by the
 * composition root (src/index.ts).
 */
import type { Backend, BackendFactory, BackendName } from './backend.ts';
import { ENGINE } from './engine.ts';
import type { Tensor } from './tensor.ts';

export * from './ops/index.ts';
export { Tensor, Variable, type NestedArray, type TensorOrNumber } from './tensor.ts';
export { grad, valueAndGrad, variableGrads, type ValueAndGrads } from './grad.ts';
export * from './errors.ts';
export type { DType, TypedArray } from './dtype.ts';
export type { Backend, BackendFactory, BackendName, TensorInfo } from './backend.ts';
export type { OpName, OpAttrMap } from './ops/op-attrs.ts';
export { OP_NAMES } from './ops/op-attrs.ts';
export { SUM_CHUNK, sumTree } from './reduction-order.ts';

/** Runs `fn` and disposes every tensor it created that it does not return. */
export function tidy<T>(fn: () => T): T {
  return ENGINE.tidy(fn);
}

/** Exempts `t` from disposal by enclosing `tidy` scopes. */
export function keep<T extends Tensor>(t: T): T {
  return ENGINE.keep(t);
}

/** Disposes tensors found in a tensor, array or object. */
export function dispose(x: Tensor | readonly Tensor[] | Record<string, Tensor>): void {
  const list = Array.isArray(x) ? x : x && typeof x === 'object' && !('storage' in x) ? Object.values(x) : [x as Tensor];
  for (const t of list) t.dispose();
}

/** Runs `fn` without recording gradients (its results are constants for differentiation). */
export function noGrad<T>(fn: () => T): T {
  return ENGINE.noGrad(fn);
}

/** Live tensors (including variables) and live backend buffers on the current backend. */
export function memory(): { numTensors: number; numBuffers: number } {
  return { numTensors: ENGINE.numTensors(), numBuffers: ENGINE.backend.liveBuffers() };
}

/** Selects the backend ('webgpu' | 'cpu'). */
export function setBackend(name: BackendName): Promise<void> {
  return ENGINE.setBackend(name);
}

/** The current backend's name (selecting the CPU if none was chosen and none can be awaited). */
export function getBackend(): BackendName {
  return ENGINE.backendName();
}

/** Selects the best available backend (WebGPU when an adapter exists, else CPU) if none was chosen. */
export async function ready(): Promise<BackendName> {
  return (await ENGINE.ready()).name;
}

/** Registers a backend factory (used by the composition root and tests). */
export function registerBackend(name: BackendName, factory: BackendFactory, priority: number): void {
  ENGINE.registerBackend(name, factory, priority);
}

/** The backend object currently in use (advanced: adapter info, sync). */
export function currentBackend(): Backend {
  return ENGINE.backend;
}

/** Waits for all queued device work. */
export function sync(): Promise<void> {
  return ENGINE.backend.sync();
}

/** Releases every backend's device so that the process can exit. */
export function shutdown(): Promise<void> {
  return ENGINE.shutdown();
}
