/**
 * Reading batches from a BatchSource: the batches of an epoch (from a start index, for resumes),
 * the number of batches if known, and each element split into (x, y) with its checks.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, Tensor, fmtShape } from '../../core/internal.ts';
import type { BatchSource } from './options.ts';
import { type BatchPart, checkSameBatch, isBatchPart } from './outputs.ts';

/**
 * Splits a dataset element into (x, y): `[x, y]`, `{ x, y }` or a bare x, where x and y are tensors, or lists or
 * objects of tensors (several inputs or outputs).
 */
export function unpack(fn: string, el: unknown): [BatchPart, BatchPart | undefined] {
  if (el instanceof Tensor) return [el, undefined];
  if (Array.isArray(el) && el[0] instanceof Tensor) return [el[0], el[1] instanceof Tensor ? el[1] : isBatchPart(el[1]) ? el[1] : undefined];
  if (el && typeof el === 'object' && (el as { x?: unknown }).x instanceof Tensor) {
    const o = el as { x: Tensor; y?: BatchPart };
    return [o.x, o.y];
  }
  if (Array.isArray(el) && isBatchPart(el[0])) return [el[0], isBatchPart(el[1]) ? el[1] : undefined];
  if (el && typeof el === 'object' && isBatchPart((el as { x?: unknown }).x)) {
    const o = el as { x: BatchPart; y?: unknown };
    return [o.x, isBatchPart(o.y) ? o.y : undefined];
  }
  throw new ArgumentError(`${fn}: expected dataset elements [x, y] of tensors. Received: ${Array.isArray(el) ? 'an array of non-tensors' : typeof el}`);
}

/** Describes a value for "Received:" in messages. */
function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : v instanceof Tensor ? `a tensor of shape ${fmtShape(v.shape)}` : typeof v;
}

/** Throws unless `source` can be iterated (a Dataset or an async iterable); fit, evaluate and predict call it first. */
export function checkSource(fn: string, source: unknown): asserts source is BatchSource {
  const s = source as BatchSource | null | undefined;
  if (s && (typeof s.iterate === 'function' || typeof s[Symbol.asyncIterator] === 'function')) return;
  throw new ArgumentError(`${fn}: expected a Dataset or an async iterable of [x, y] batches. Received: ${describe(source)}`);
}

/**
 * Whether fit, evaluate and predict own (and so dispose) the elements of `source`: yes for a Dataset's
 * `iterate(epoch)` (the consumer of a Dataset's iteration owns its elements, as with `for await`), no for a plain
 * async iterable, whose tensors stay the caller's: ditto never disposes tensors the user passes in or yields.
 */
export function ownsElements(source: BatchSource): boolean {
  return typeof source.iterate === 'function';
}

export function iterate(source: BatchSource, epoch: number, fn: string, start = 0): AsyncIterable<unknown> {
  if (source && typeof source.iterate === 'function') return start > 0 ? source.iterate(epoch, { start }) : source.iterate(epoch);
  if (source && typeof source[Symbol.asyncIterator] === 'function') return source as AsyncIterable<unknown>;
  throw new ArgumentError(`${fn}: expected a Dataset or an async iterable of [x, y] batches. Received: ${describe(source)}`);
}

/**
 * Throws unless `source` ends: a Dataset whose cardinality is infinite (tf.data's INFINITE_CARDINALITY, -1, e.g.
 * after `.repeat()`) would never end an epoch, since ditto has no stepsPerEpoch/steps option yet.
 */
export function checkFinite(fn: string, source: BatchSource, what = 'a finite dataset', option = fn === 'fit' ? 'stepsPerEpoch' : 'steps'): void {
  const n = typeof source.cardinality === 'function' ? source.cardinality() : undefined;
  if (n === -1 || n === Infinity) {
    throw new ArgumentError(`${fn}: expected ${what}: an infinite one (e.g. after .repeat()) would never end, and ${fn} has no ${option} option yet. Take a finite number of batches: dataset.take(n). Received: cardinality=${n}`);
  }
}

/** The number of batches per epoch, or null if unknown. */
export function steps(source: BatchSource): number | null {
  const n = typeof source.cardinality === 'function' ? source.cardinality() : -2;
  return n >= 0 && Number.isFinite(n) ? n : null;
}

export function checkBatch(fn: string, x: BatchPart, y: BatchPart | undefined): BatchPart {
  if (!y) throw new ArgumentError(`${fn}: expected dataset elements [x, y] with labels. Received: elements without y`);
  if (x instanceof Tensor && y instanceof Tensor) {
    if (y.shape[0] !== x.shape[0]) {
      throw new ShapeError(`${fn}: expected x and y with the same number of samples. Received: x.shape=${fmtShape(x.shape)}, y.shape=${fmtShape(y.shape)}`);
    }
    return y;
  }
  checkSameBatch(fn, x, y);
  return y;
}
