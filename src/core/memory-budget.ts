/**
 * The memory budget every backend allocation is checked against: the bytes of tensor data live on each backend,
 * a limit (default: half the machine's memory, `os.totalmem() * 0.5`; `dt.config.setMemoryLimit` changes it), and
 * the backend's own largest buffer. An allocation beyond either throws a {@link ResourceExhaustedError} before
 * anything is allocated or counted.
 * Part of src/core: imports nothing outside src/core (and node:os).
 */
import { totalmem } from 'node:os';
import type { Backend } from './backend.ts';
import { type DType, bytesPerElement } from './dtype.ts';
import { ArgumentError, ResourceExhaustedError, fmtShape } from './errors.ts';

/** The fraction of the machine's memory (`os.totalmem()`) that the default memory limit allows: 0.5. */
export const DEFAULT_MEMORY_FRACTION = 0.5;

let limit: number | null = null;
const inUse = new Map<Backend, number>();
/** The default limit, read once: `os.totalmem()` is a system call, and every allocation checks the limit. */
let defaultLimit: number | null = null;

/** The limit in bytes: the one set by {@link setMemoryLimit}, else `os.totalmem() * 0.5`. */
export function getMemoryLimit(): number {
  return limit ?? (defaultLimit ??= Math.floor(totalmem() * DEFAULT_MEMORY_FRACTION));
}

/**
 * Sets the most bytes of tensor data that may be live on a backend at once (each backend counts its own); `null`
 * restores the default, half the machine's memory. Lowering it below what is in use frees nothing: the next
 * allocation that does not fit fails.
 * @throws {@link ArgumentError} unless `bytes` is a positive safe integer or null.
 */
export function setMemoryLimit(bytes: number | null): void {
  if (bytes !== null && !(typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new ArgumentError(`setMemoryLimit: expected a positive integer number of bytes, or null for the default. Received: ${typeof bytes === 'number' ? bytes : typeof bytes}`);
  }
  limit = bytes;
}

/** Bytes of tensor data live on `backend`. */
export function bytesInUse(backend: Backend): number {
  return inUse.get(backend) ?? 0;
}

/**
 * Checks that `size` elements of `dtype` for op `fn` (output `shape`) fit both the budget and the backend's largest
 * buffer, then allocates them and counts their bytes. A RangeError from the allocation itself (the JavaScript
 * engine's own limit) becomes a ResourceExhaustedError too; nothing is counted then.
 */
export function allocate(backend: Backend, fn: string, shape: readonly number[], dtype: DType, size: number): unknown {
  const bytes = size * bytesPerElement(dtype);
  const used = bytesInUse(backend);
  const max = getMemoryLimit();
  const perBuffer = backend.maxBufferBytes?.(dtype);
  if (perBuffer !== undefined && bytes > perBuffer) {
    throw new ResourceExhaustedError(`${refusal(fn, shape, dtype, bytes)}, over the ${perBuffer}-byte largest buffer of the '${backend.name}' backend`, fn, [...shape], bytes);
  }
  if (used + bytes > max) {
    throw new ResourceExhaustedError(`${refusal(fn, shape, dtype, bytes)}, with ${used} bytes in use on '${backend.name}' of a ${max}-byte limit (dt.config.setMemoryLimit)`, fn, [...shape], bytes);
  }
  let handle: unknown;
  try {
    handle = backend.alloc(dtype, size);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new ResourceExhaustedError(`${refusal(fn, shape, dtype, bytes)}, which the '${backend.name}' backend could not allocate (${e.message})`, fn, [...shape], bytes);
    }
    throw e;
  }
  inUse.set(backend, used + bytes);
  return handle;
}

/**
 * The start of a refused allocation's message, built only when one fails (a module function, not a closure made on
 * every allocation: under tsx each named closure costs an Object.defineProperty).
 */
function refusal(fn: string, shape: readonly number[], dtype: DType, bytes: number): string {
  return `${fn}: expected an allocation within the memory limit. Received: shape=${fmtShape(shape)} of ${dtype}, ${bytes} bytes`;
}

/** Frees a buffer that {@link allocate} returned and uncounts its bytes. */
export function release(backend: Backend, handle: unknown, dtype: DType, size: number): void {
  backend.free(handle);
  inUse.set(backend, bytesInUse(backend) - size * bytesPerElement(dtype));
}
