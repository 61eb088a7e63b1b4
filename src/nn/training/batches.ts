/**
 * Reading batches from a BatchSource: the batches of an epoch (from a start index, for resumes),
 * the number of batches if known, and each element split into (x, y) with its checks.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, Tensor, fmtShape } from '../../core/internal.ts';
import type { BatchSource } from './options.ts';
import { type BatchPart, checkSameBatch, isBatchPart } from './outputs.ts';

/**
 * Splits a dataset element into (x, y, sampleWeight): `[x, y]`, `[x, y, sampleWeight]`, `{ x, y }`,
 * `{ x, y, sampleWeight }` or a bare x, where x and y are tensors, or lists or objects of tensors (several inputs
 * or outputs), as Keras's `unpack_x_y_sample_weight`.
 */
export function unpack(fn: string, el: unknown): [BatchPart, BatchPart | undefined, BatchPart | undefined] {
  const part = (v: unknown): BatchPart | undefined => (isBatchPart(v) ? v : undefined);
  if (el instanceof Tensor) return [el, undefined, undefined];
  if (Array.isArray(el) && isBatchPart(el[0])) return [el[0], part(el[1]), part(el[2])];
  if (el && typeof el === 'object' && isBatchPart((el as { x?: unknown }).x)) {
    const o = el as { x: BatchPart; y?: unknown; sampleWeight?: unknown };
    return [o.x, part(o.y), part(o.sampleWeight)];
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
 * after `.repeat()`) would never end an epoch unless `option` (stepsPerEpoch, validationSteps, steps) cuts it.
 */
export function checkFinite(fn: string, source: BatchSource, what = 'a finite dataset', option = fn === 'fit' ? 'stepsPerEpoch' : 'steps'): void {
  const n = typeof source.cardinality === 'function' ? source.cardinality() : undefined;
  if (n === -1 || n === Infinity) {
    throw new ArgumentError(`${fn}: expected ${what}, or the ${option} option: an infinite one (e.g. after .repeat()) would never end. Pass ${option}, or take a finite number of batches: dataset.take(n). Received: cardinality=${n}`);
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
