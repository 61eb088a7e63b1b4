/**
 * The pipeline's stages. A node describes one transformation; `open(epoch, start)` starts an
 * iteration of it (a pull-based async stream) whose elements are a pure function of (pipeline,
 * epoch), beginning at output position `start`.
 * Stages whose elements are still rows of the slice source (source, shuffle, take, skip, repeat)
 * also describe themselves as a row-index stream (`rows`): shuffling then moves indices, not
 * tensors, a batch is one gather per tensor, and starting at a position costs index work only.
 * Part of src/data: imports src/core only.
 */
import { ArgumentError, type Tensor, clone } from '../core/internal.ts';
import { ShuffleBuffer, shuffleIndices, shuffleSampler } from './shuffle-order.ts';
import { SliceSource, stackElements } from './source.ts';
import { disposeElement, keepElement, mapTensors } from './structure.ts';

/** A pull-based stream of elements; `return()` stops it and frees what it holds. */
export interface Stream<T> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(value?: undefined): Promise<unknown>;
}

/** A stage that selects rows of a slice source: the row indices of each epoch, lazily. */
export interface RowPlan<T> {
  readonly source: SliceSource<T>;
  indices(epoch: number): Iterator<number>;
}

export interface Node<T> {
  /** Elements per iteration; Infinity for an infinite dataset. */
  readonly cardinality: number;
  /** The row-index form, when this stage's elements are rows of a slice source. */
  readonly rows?: RowPlan<T>;
  /** Starts iteration `epoch` at output position `start`. */
  open(epoch: number, start: number): Stream<T>;
  /** Frees tensors held by stages (cache); the source tensors are the caller's. */
  release(): void;
}

/** Advances an index iterator by `k` (index work only). */
function advance(it: Iterator<number>, k: number): void {
  for (let i = 0; i < k; i++) if (it.next().done) return;
}

/** Elements are the source rows named by `plan.indices(epoch)`, from position `start`. */
async function* rowStream<T>(plan: RowPlan<T>, epoch: number, start: number): AsyncGenerator<T, undefined> {
  const it = plan.indices(epoch);
  advance(it, start);
  for (let r = it.next(); !r.done; r = it.next()) yield plan.source.row(r.value);
  return undefined;
}

function rowNode<T>(rows: RowPlan<T>, cardinality: number, parent?: Node<T>): Node<T> {
  return { cardinality, rows, open: (e, s) => rowStream(rows, e, s), release: () => parent?.release() };
}

/** `fromTensorSlices`: rows 0..n-1 in order. */
export function sourceNode<T>(source: SliceSource<T>): Node<T> {
  return rowNode({ source, indices: () => range(source.length) }, source.length);
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** `shuffle`: tf.data's buffer shuffle with the (seed, epoch) generator (see shuffle-order.ts). */
export function shuffleNode<T>(parent: Node<T>, bufferSize: number, seed: number, reshuffle: boolean): Node<T> {
  const epochOf = (e: number): number => (reshuffle ? e : 0);
  const up = parent.rows;
  if (up) {
    const rows: RowPlan<T> = { source: up.source, indices: (e) => shuffleIndices(up.indices(e), bufferSize, shuffleSampler(seed, epochOf(e))) };
    return rowNode(rows, parent.cardinality, parent);
  }
  return {
    cardinality: parent.cardinality,
    open: (e, s) => shuffleStream(parent.open(e, 0), bufferSize, shuffleSampler(seed, epochOf(e)), s),
    release: () => parent.release(),
  };
}

/** The generic (element-buffering) shuffle; the first `start` outputs are produced and dropped. */
async function* shuffleStream<T>(up: Stream<T>, bufferSize: number, sampler: ReturnType<typeof shuffleSampler>, start: number): AsyncGenerator<T, undefined> {
  const buf = new ShuffleBuffer<T>(bufferSize, sampler);
  try {
    while (buf.needsFill) {
      const r = await up.next();
      if (r.done) break;
      buf.fill(r.value);
    }
    for (let k = 0; buf.size > 0; k++) {
      const x = buf.pick();
      if (k < start) disposeElement(x);
      else yield x;
      const r = await up.next();
      if (r.done) buf.close();
      else buf.refill(r.value);
    }
    return undefined;
  } finally {
    for (const e of buf.remaining()) disposeElement(e);
    await up.return();
  }
}

/** `batch`: one gather (or slice) per tensor over row indices, else stacking of elements. */
export function batchNode<T>(parent: Node<T>, n: number, dropRemainder: boolean): Node<T> {
  const c = parent.cardinality;
  const cardinality = c === Infinity ? Infinity : dropRemainder ? Math.floor(c / n) : Math.ceil(c / n);
  const rows = parent.rows;
  if (rows) {
    return { cardinality, open: (e, s) => rowBatches(rows, e, s, n, dropRemainder), release: () => parent.release() };
  }
  return { cardinality, open: (e, s) => batchStream(parent.open(e, s * n), n, dropRemainder), release: () => parent.release() };
}

async function* rowBatches<T>(plan: RowPlan<T>, epoch: number, start: number, n: number, drop: boolean): AsyncGenerator<T, undefined> {
  const it = plan.indices(epoch);
  advance(it, start * n);
  let idx: number[] = [];
  for (let r = it.next(); !r.done; r = it.next()) {
    idx.push(r.value);
    if (idx.length === n) {
      const batch = plan.source.rows(idx);
      idx = [];
      yield batch;
    }
  }
  if (idx.length > 0 && !drop) yield plan.source.rows(idx);
  return undefined;
}

async function* batchStream<T>(up: Stream<T>, n: number, drop: boolean): AsyncGenerator<T, undefined> {
  let buf: T[] = [];
  try {
    for (;;) {
      const r = await up.next();
      if (r.done) break;
      buf.push(r.value);
      if (buf.length === n) {
        const els = buf;
        buf = [];
        yield stackElements('Dataset.batch', els);
      }
    }
    if (buf.length > 0 && !drop) {
      const els = buf;
      buf = [];
      yield stackElements('Dataset.batch', els);
    }
    return undefined;
  } finally {
    for (const e of buf) disposeElement(e);
    await up.return();
  }
}

/** `take(count)`: the first `count` elements. */
export function takeNode<T>(parent: Node<T>, count: number): Node<T> {
  const cardinality = Math.min(parent.cardinality, count);
  const up = parent.rows;
  if (up) return rowNode({ source: up.source, indices: (e) => takeIter(up.indices(e), count) }, cardinality, parent);
  return {
    cardinality,
    open: (e, s) => (s >= count ? emptyStream<T>() : takeStream(parent.open(e, s), count - s)),
    release: () => parent.release(),
  };
}

function* takeIter(it: Iterator<number>, k: number): Generator<number> {
  for (let i = 0; i < k; i++) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

async function* takeStream<T>(up: Stream<T>, k: number): AsyncGenerator<T, undefined> {
  try {
    for (let i = 0; i < k; i++) {
      const r = await up.next();
      if (r.done) return undefined;
      yield r.value;
    }
    return undefined;
  } finally {
    await up.return();
  }
}

async function* emptyStream<T>(): AsyncGenerator<T, undefined> {
  return undefined;
}

/** `skip(count)`: all but the first `count` elements. */
export function skipNode<T>(parent: Node<T>, count: number): Node<T> {
  const cardinality = count === Infinity ? 0 : Math.max(parent.cardinality - count, 0);
  const up = parent.rows;
  if (up) {
    const indices = (e: number): Iterator<number> => {
      const it = up.indices(e);
      advance(it, count);
      return it;
    };
    return rowNode({ source: up.source, indices }, cardinality, parent);
  }
  return { cardinality, open: (e, s) => parent.open(e, s + count), release: () => parent.release() };
}

/**
 * `repeat(count)`: the parent's iterations one after another. Repetition r of outer epoch e is the
 * parent's epoch e * count + r (count finite) or r (count infinite), so a shuffle before repeat
 * draws a new order for every repetition and every outer epoch.
 */
export function repeatNode<T>(parent: Node<T>, count: number): Node<T> {
  const c = parent.cardinality;
  const cardinality = c === 0 || count === 0 ? 0 : c * count;
  const inner = (e: number, r: number): number => (count === Infinity ? r : e * count + r);
  const up = parent.rows;
  if (up) {
    const indices = function* (e: number): Generator<number> {
      if (c === 0) return;
      for (let r = 0; r < count; r++) yield* { [Symbol.iterator]: () => up.indices(inner(e, r)) };
    };
    return rowNode({ source: up.source, indices }, cardinality, parent);
  }
  return { cardinality, open: (e, s) => repeatStream(parent, count, inner, e, s), release: () => parent.release() };
}

async function* repeatStream<T>(parent: Node<T>, count: number, inner: (e: number, r: number) => number, epoch: number, start: number): AsyncGenerator<T, undefined> {
  const c = parent.cardinality;
  if (c === 0) return undefined;
  // An unknown length (NaN, fromGenerator) is read through like an infinite one.
  let r = c === Infinity || Number.isNaN(c) ? 0 : Math.floor(start / c);
  let s = c === Infinity || Number.isNaN(c) ? start : start % c;
  for (; r < count; r++, s = 0) {
    const up = parent.open(inner(epoch, r), s);
    try {
      for (;;) {
        const x = await up.next();
        if (x.done) break;
        yield x.value;
      }
    } finally {
      await up.return();
    }
  }
  return undefined;
}

/**
 * `cache()`: the first complete iteration (from position 0) is recorded as copies; later
 * iterations yield copies of the record (so every yielded tensor is the consumer's). An iteration
 * that stops early discards its partial record. `release()` frees the record.
 */
export function cacheNode<T>(parent: Node<T>): Node<T> {
  let record: T[] | null = null;
  let filling = false;
  const fill = async function* (epoch: number): AsyncGenerator<T, undefined> {
    filling = true;
    const partial: T[] = [];
    const up = parent.open(epoch, 0);
    let complete = false;
    try {
      for (;;) {
        const r = await up.next();
        if (r.done) break;
        partial.push(copyElement(r.value));
        yield r.value;
      }
      complete = record === null;
      if (complete) record = partial;
      return undefined;
    } finally {
      filling = false;
      if (!complete) for (const e of partial) disposeElement(e);
      await up.return();
    }
  };
  const replay = async function* (rec: T[], start: number): AsyncGenerator<T, undefined> {
    for (let i = start; i < rec.length; i++) yield copyElement(rec[i]);
    return undefined;
  };
  return {
    cardinality: parent.cardinality,
    open: (e, s) => {
      if (record) return replay(record, s);
      if (s > 0 || filling) return parent.open(e, s);
      return fill(e);
    },
    release: () => {
      if (record) for (const e of record) disposeElement(e);
      record = null;
      parent.release();
    },
  };
}

function copyElement<T>(v: T): T {
  return keepElement(mapTensors(v, (t: Tensor) => clone(t)) as T);
}

/** Checks a count argument: a non-negative integer, or -1 meaning "all" / "forever" (TF). */
export function checkCount(fn: string, name: string, v: unknown, allowInfinite: boolean): number {
  if (v === -1 && allowInfinite) return Infinity;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ArgumentError(`${fn}: expected ${name} to be a non-negative integer${allowInfinite ? ' or -1' : ''}. Received: ${name}=${String(v)}`);
  }
  return v;
}
