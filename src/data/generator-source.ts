/**
 * The generator source (tf.data `Dataset.from_generator`) and `paddedBatch` (tf.data
 * `padded_batch`): batches of elements whose shapes differ, each component padded at the end of
 * every axis to the batch's largest size (or to a given shape) with a padding value, then stacked.
 * A generator's elements are a pure function of the generator: it is called again for every
 * iteration, and the pipeline never reorders what it yields. Its cardinality is unknown
 * (tf.data's UNKNOWN_CARDINALITY, -2), held as NaN by the stages.
 * Part of src/data: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, fmtShape, ops, tidy } from '../core/internal.ts';
import type { Node, Stream } from './nodes.ts';
import { disposeElement, flattenStructure, keepElement, rebuildStructure } from './structure.ts';

/** A function returning a fresh (sync or async) iterable of elements, called once per iteration. */
export type GeneratorFn<T> = () => Iterable<T> | AsyncIterable<T>;

/** A node whose elements are those of `fn()`, called anew for every iteration. */
export function generatorNode<T>(fn: GeneratorFn<T>): Node<T> {
  return { cardinality: NaN, open: (_e, s) => generatorStream(fn, s), release: () => {} };
}

async function* generatorStream<T>(fn: GeneratorFn<T>, start: number): AsyncGenerator<T, undefined> {
  const it = fn();
  if (it === null || typeof it !== 'object' || !(Symbol.iterator in it || Symbol.asyncIterator in it)) {
    throw new ArgumentError(`Dataset.fromGenerator: expected fn to return an iterable (a generator). Received: ${it === null ? 'null' : typeof it}`);
  }
  let k = 0;
  for await (const el of it as AsyncIterable<T>) {
    flattenStructure('Dataset.fromGenerator', el); // every leaf must be a Tensor
    if (k++ < start) {
      disposeElement(el);
      continue;
    }
    yield keepElement(el);
  }
  return undefined;
}

/** Options of {@link Dataset.paddedBatch}. */
export interface PaddedBatchOptions {
  /**
   * The padding value of each component (one number for all, or one per component in flattening order); default 0.
   * Must suit the component's dtype (an integer for int32).
   */
  paddingValues?: number | readonly number[];
  /**
   * The shape each component is padded to (one shape for a one-component element, or one per component in
   * flattening order); a null or -1 dimension is padded to the batch's largest. Default: every dimension to the
   * batch's largest.
   */
  paddedShapes?: readonly (number | null)[] | readonly (readonly (number | null)[])[];
  /** Drop the last, smaller batch (default false). */
  dropRemainder?: boolean;
}

/** The per-component padding values and target shapes, checked. */
export function checkPaddedBatchOptions(o: PaddedBatchOptions): { values: (k: number) => number; shapes: (k: number) => readonly (number | null)[] | undefined } {
  const pv = o.paddingValues;
  if (pv !== undefined && typeof pv !== 'number' && !(Array.isArray(pv) && pv.every((v) => typeof v === 'number'))) {
    throw new ArgumentError(`Dataset.paddedBatch: expected paddingValues to be a number or an array of numbers. Received: ${JSON.stringify(pv)}`);
  }
  const ps = o.paddedShapes;
  const dim = (d: unknown): boolean => d === null || d === -1 || (Number.isSafeInteger(d) && (d as number) >= 0);
  const isShape = (s: unknown): boolean => Array.isArray(s) && s.every(dim);
  const many = ps !== undefined && Array.isArray(ps) && ps.length > 0 && ps.every((s) => Array.isArray(s));
  if (ps !== undefined && !(many ? (ps as unknown[]).every(isShape) : isShape(ps))) {
    throw new ArgumentError(`Dataset.paddedBatch: expected paddedShapes to be a shape (dimensions >= 0, null or -1) or an array of shapes. Received: ${JSON.stringify(ps)}`);
  }
  return {
    values: (k) => (pv === undefined ? 0 : typeof pv === 'number' ? pv : pv[k] ?? 0),
    shapes: (k) => (ps === undefined ? undefined : many ? (ps as (number | null)[][])[k] : k === 0 ? (ps as (number | null)[]) : undefined),
  };
}

/** Pads each component of `elements` to the batch's target shape and stacks them; disposes the elements. */
export function padAndStack<T>(elements: readonly T[], values: (k: number) => number, shapes: (k: number) => readonly (number | null)[] | undefined): T {
  const fn = 'Dataset.paddedBatch';
  try {
    const flat = elements.map((e) => flattenStructure(fn, e));
    const first = flat[0];
    for (let e = 1; e < flat.length; e++) {
      if (flat[e].length !== first.length) throw new ShapeError(`${fn}: expected elements of one structure. Received: element 0 with ${first.length} tensors and element ${e} with ${flat[e].length}`);
    }
    const stacked = tidy(() => first.map((_, k) => {
      const parts = flat.map((f) => f[k]);
      const rank = parts[0].rank;
      parts.forEach((t, e) => {
        if (t.rank !== rank || t.dtype !== parts[0].dtype) {
          throw new ShapeError(`${fn}: expected component ${k} of every element to have one rank and dtype. Received: ${fmtShape(parts[0].shape)} ${parts[0].dtype} in element 0, ${fmtShape(t.shape)} ${t.dtype} in element ${e}`);
        }
      });
      const given = shapes(k);
      if (given !== undefined && given.length !== rank) {
        throw new ShapeError(`${fn}: expected paddedShapes for component ${k} of rank ${rank}. Received: ${JSON.stringify(given)}`);
      }
      const target = Array.from({ length: rank }, (_, a) => {
        const longest = parts.reduce((m, t) => Math.max(m, t.shape[a]), 0);
        const g = given?.[a];
        if (g === undefined || g === null || g === -1) return longest;
        if (longest > g) throw new ShapeError(`${fn}: expected component ${k} to fit paddedShapes ${JSON.stringify(given)}. Received: an element of size ${longest} on axis ${a}`);
        return g;
      });
      const padded = parts.map((t: Tensor) => (t.shape.every((d, a) => d === target[a]) ? t : ops.pad(t, t.shape.map((d, a) => [0, target[a] - d] as [number, number]), values(k))));
      return ops.stack(padded, 0);
    }));
    return keepElement(rebuildStructure(elements[0], stacked));
  } finally {
    for (const e of elements) disposeElement(e);
  }
}

/** `paddedBatch`: groups of `n` elements, padded and stacked. */
export function paddedBatchNode<T>(parent: Node<T>, n: number, o: PaddedBatchOptions): Node<T> {
  const { values, shapes } = checkPaddedBatchOptions(o);
  const drop = o.dropRemainder ?? false;
  const c = parent.cardinality;
  const cardinality = c === Infinity ? Infinity : drop ? Math.floor(c / n) : Math.ceil(c / n);
  return { cardinality, open: (e, s) => paddedStream(parent.open(e, s * n), n, drop, values, shapes), release: () => parent.release() };
}

async function* paddedStream<T>(up: Stream<T>, n: number, drop: boolean, values: (k: number) => number, shapes: (k: number) => readonly (number | null)[] | undefined): AsyncGenerator<T, undefined> {
  let buf: T[] = [];
  try {
    for (;;) {
      const r = await up.next();
      if (r.done) break;
      buf.push(r.value);
      if (buf.length === n) {
        const els = buf;
        buf = [];
        yield padAndStack(els, values, shapes);
      }
    }
    if (buf.length > 0 && !drop) {
      const els = buf;
      buf = [];
      yield padAndStack(els, values, shapes);
    }
    return undefined;
  } finally {
    for (const e of buf) disposeElement(e);
    await up.return();
  }
}
