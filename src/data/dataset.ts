/**
 * `Dataset`: a deterministic tf.data-style input pipeline (fromTensorSlices, shuffle, batch, map,
 * prefetch, take, skip, repeat, cache) iterated with `for await`. Each iteration's elements are a
 * pure function of (pipeline, epoch): timing, `numParallelCalls` and prefetch depth never change
 * them.
 * Part of src/data: imports src/core only.
 *
 * Ownership: the tensors given to `fromTensorSlices` stay the caller's (keep them alive while
 * iterating; dispose them afterwards). Every element an iterator yields is made of new tensors that
 * belong to the consumer, who disposes them (a training loop disposes each batch after its step).
 * Everything else (intermediate elements, map temporaries, elements prepared ahead, shuffle
 * buffers) is freed by the pipeline, also when an iteration stops early (`break` calls return()).
 * `cache()` holds copies until `dispose()`.
 */
import { ArgumentError, checkOptions, makeDefaultSeed } from '../core/internal.ts';
import { type MapFn, mapNode, prefetchNode } from './lookahead.ts';
import {
  type Node, type Stream, batchNode, cacheNode, checkCount, repeatNode, shuffleNode, skipNode, sourceNode, takeNode,
} from './nodes.ts';
import { SliceSource } from './source.ts';
import { type GeneratorFn, type PaddedBatchOptions, generatorNode, paddedBatchNode } from './generator-source.ts';
import type { TensorStructure } from './structure.ts';

/**
 * tf.data.AUTOTUNE (-1) for `map`'s `numParallelCalls` and `prefetch`'s buffer size: let the pipeline pick. Here
 * it means a fixed depth (4 calls in flight for map, 2 elements for prefetch); results never depend on it.
 */
export const AUTOTUNE = -1;
/** `map(..., { numParallelCalls: AUTOTUNE })` keeps this many calls in flight. */
export const AUTOTUNE_PARALLEL_CALLS = 4;
/** `prefetch(AUTOTUNE)` prepares this many elements ahead. */
export const AUTOTUNE_PREFETCH = 2;
/** `cardinality()` of an infinite dataset (tf.data.INFINITE_CARDINALITY). */
export const INFINITE_CARDINALITY = -1;
/** `cardinality()` of a dataset whose length is not known ahead, such as `fromGenerator`'s (tf.data.UNKNOWN_CARDINALITY). */
export const UNKNOWN_CARDINALITY = -2;

/** Options of {@link Dataset.shuffle}. */
export interface ShuffleOptions {
  /** Seed of the order (a safe integer). Default: drawn once here from the global seed (makeDefaultSeed()). */
  seed?: number;
  /** A new order for every epoch (default true); false repeats epoch 0's order. */
  reshuffleEachIteration?: boolean;
}

/** Options of {@link Dataset.iterate}. */
export interface IterateOptions {
  /** Output position to start at (default 0): resume where `iterator.position.index` was. */
  start?: number;
}

/**
 * An iteration of a dataset: an async iterator whose `position` ({ epoch, index }) can be saved
 * and passed back to `dataset.iterate(epoch, { start: index })` to continue exactly there.
 */
export class DatasetIterator<T> implements AsyncIterableIterator<T> {
  private delivered = 0;
  private finished = false;

  /** @internal */
  constructor(
    private readonly stream: Stream<T>,
    /** The epoch this iteration produces. */
    readonly epoch: number,
    private readonly start: number,
  ) {}

  /** The epoch and the index of the next element to be delivered. */
  get position(): {
    /** The epoch. */
    epoch: number;
    /** The output index of the next element (elements delivered so far, counting from the start position). */
    index: number;
  } {
    return { epoch: this.epoch, index: this.start + this.delivered };
  }

  /** The next element (its tensors belong to the caller), or `done` at the end of the epoch. */
  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.finished) return { done: true, value: undefined };
    let r: IteratorResult<T, undefined>;
    try {
      r = await this.stream.next();
    } catch (e) {
      await this.return();
      throw e;
    }
    if (r.done) await this.return();
    else this.delivered++;
    return r;
  }

  /** Stops the iteration and frees what the pipeline holds (called by `break`). */
  async return(): Promise<IteratorResult<T, undefined>> {
    if (!this.finished) {
      this.finished = true;
      await this.stream.return();
    }
    return { done: true, value: undefined };
  }

  /** Returns the iterator itself, so it works in `for await`. */
  [Symbol.asyncIterator](): DatasetIterator<T> {
    return this;
  }
}

function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new ArgumentError(`${fn}: expected ${name} to be a positive integer. Received: ${name}=${String(v)}`);
  }
  return v;
}

function depthOrAutotune(fn: string, name: string, v: unknown, auto: number): number {
  if (v === AUTOTUNE) return auto;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ArgumentError(`${fn}: expected ${name} to be a non-negative integer or AUTOTUNE (-1). Received: ${name}=${String(v)}`);
  }
  return v;
}

/**
 * A deterministic tf.data-style input pipeline: a sequence of elements (tensors, or nested arrays / objects of
 * tensors) built stage by stage with {@link Dataset.fromTensorSlices | fromTensorSlices},
 * {@link Dataset.shuffle | shuffle}, {@link Dataset.batch | batch}, {@link Dataset.map | map},
 * {@link Dataset.prefetch | prefetch}, {@link Dataset.take | take}, {@link Dataset.skip | skip},
 * {@link Dataset.repeat | repeat} and {@link Dataset.cache | cache}, and iterated with `for await` or passed to
 * `model.fit`. The elements of each iteration (epoch) are a pure function of the pipeline and the epoch number:
 * timing, `numParallelCalls` and prefetch depth never change them.
 *
 * Ownership: the tensors given to `fromTensorSlices` stay the caller's (keep them alive while iterating). Every
 * element an iterator yields is made of new tensors that belong to the consumer (`fit` disposes each batch after its
 * step). Everything else is freed by the pipeline, also when an iteration stops early.
 *
 * @example
 * ```ts
 * const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain])
 *   .shuffle(60000, { seed: 42 })
 *   .batch(64)
 *   .map((x, y) => [dt.div(dt.cast(x, 'float32'), 255), y], { numParallelCalls: dt.data.AUTOTUNE })
 *   .prefetch(dt.data.AUTOTUNE);
 * ```
 */
export class Dataset<T> implements AsyncIterable<T> {
  private iterations = 0;

  /**
   * @internal Use `Dataset.fromTensorSlices` and the transformation methods. `seeds` are the
   * shuffle seeds of the stages so far, in pipeline order (see `shuffleSeeds`).
   */
  constructor(private readonly node: Node<T>, private readonly seeds: readonly number[] = []) {}

  /**
   * A dataset whose element i is row i of every tensor, in the given structure (tf.data
   * `Dataset.from_tensor_slices`): `fromTensorSlices([x, y])` with
   * x [N, 28, 28] and y [N] yields [x_i [28, 28], y_i []]. All tensors share N. The tensors stay
   * on their backend and remain the caller's.
   * @throws {@link ArgumentError} or {@link ShapeError} for a structure without tensors or tensors whose first
   * dimensions differ.
   */
  static fromTensorSlices<const S extends TensorStructure>(tensors: S): Dataset<S> {
    return new Dataset<S>(sourceNode(new SliceSource(tensors)));
  }

  /**
   * A dataset whose elements are those `fn()` yields (tf.data `Dataset.from_generator`): `fn` returns a sync or async
   * iterable (a generator) of elements, each a Tensor or an array / plain object of Tensors. `fn` is called again for
   * every iteration, so it must yield the same elements each time for the pipeline to stay reproducible. The
   * elements become the pipeline's: yield new tensors (the pipeline disposes them). Cardinality: unknown (-2).
   * @example
   * ```ts
   * const seqs = [[5, 2], [7, 1, 9], [4]];
   * const ds = dt.data.Dataset.fromGenerator(function* () {
   *   for (const s of seqs) yield dt.tensor(s, [s.length], 'int32');
   * }).paddedBatch(2); // [[5, 2, 0], [7, 1, 9]], then [[4]]
   * ```
   * @throws {@link ArgumentError} for a non-function (when created) or an element that is not made of Tensors (when
   * iterated).
   */
  static fromGenerator<T>(fn: GeneratorFn<T>): Dataset<T> {
    if (typeof fn !== 'function') throw new ArgumentError(`Dataset.fromGenerator: expected fn to be a function returning an iterable. Received: ${typeof fn}`);
    return new Dataset<T>(generatorNode(fn));
  }

  /**
   * Randomly shuffles with tf.data's buffer semantics: each output is drawn uniformly from a buffer
   * of `bufferSize` upcoming elements (bufferSize >= the dataset's size: a uniform permutation).
   * The order of epoch e is a pure function of (seed, e), computed with counter-based random numbers: the same on
   * every machine. Without a seed, one is drawn once, here, from the generator `dt.utils.setRandomSeed` reseeds.
   * @throws {@link ArgumentError} for a buffer size that is not a positive integer or a seed that is not a safe integer.
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    checkOptions('Dataset.shuffle', options, ['seed', 'reshuffleEachIteration']);
    const b = positiveInt('Dataset.shuffle', 'bufferSize', bufferSize);
    const seed = options.seed ?? makeDefaultSeed();
    if (!Number.isSafeInteger(seed)) throw new ArgumentError(`Dataset.shuffle: expected seed to be a safe integer. Received: seed=${String(seed)}`);
    const reshuffle = options.reshuffleEachIteration ?? true;
    return new Dataset(shuffleNode(this.node, b, seed, reshuffle), [...this.seeds, seed]);
  }

  /**
   * Stacks `batchSize` consecutive elements along a new axis 0 ([B, ...] per tensor). The last batch is smaller
   * unless `dropRemainder` (default false) drops it.
   * @throws {@link ArgumentError} for a batch size that is not a positive integer.
   */
  batch(batchSize: number, options: { dropRemainder?: boolean } = {}): Dataset<T> {
    checkOptions('Dataset.batch', options, ['dropRemainder']);
    const n = positiveInt('Dataset.batch', 'batchSize', batchSize);
    return new Dataset(batchNode(this.node, n, options.dropRemainder ?? false), this.seeds);
  }

  /**
   * Like {@link Dataset.batch}, for elements whose shapes differ (tf.data `padded_batch`): each component is padded
   * at the end of every axis to the largest size in the batch (or to `paddedShapes`, where null / -1 means the
   * largest) with `paddingValues` (default 0), then stacked. Sequences of token ids of different lengths become
   * [B, longest] batches.
   * @throws {@link ArgumentError} for a batch size that is not a positive integer or bad options; {@link ShapeError}
   * (when iterated) for components of different ranks or dtypes, or larger than `paddedShapes`.
   */
  paddedBatch(batchSize: number, options: PaddedBatchOptions = {}): Dataset<T> {
    checkOptions('Dataset.paddedBatch', options, ['paddingValues', 'paddedShapes', 'dropRemainder']);
    const n = positiveInt('Dataset.paddedBatch', 'batchSize', batchSize);
    return new Dataset(paddedBatchNode(this.node, n, options), this.seeds);
  }

  /**
   * Applies `fn` to every element (array elements are spread as arguments: fn(image, label)).
   * A synchronous fn runs inside `tidy`; an `async` fn manages its own temporaries. Input tensors
   * that fn does not return are disposed. `numParallelCalls` (default: sequential; AUTOTUNE = 4)
   * bounds the calls in flight; results always come in input order. fn must be deterministic (randomness from
   * seeded stateless generators only) for the pipeline to stay reproducible.
   * @throws {@link ArgumentError} for a non-function or a bad numParallelCalls.
   */
  map<U>(fn: MapFn<T, U>, options: { numParallelCalls?: number } = {}): Dataset<Awaited<U>> {
    if (typeof fn !== 'function') throw new ArgumentError(`Dataset.map: expected fn to be a function. Received: ${typeof fn}`);
    checkOptions('Dataset.map', options, ['numParallelCalls']);
    const n = options.numParallelCalls === undefined ? 0 : depthOrAutotune('Dataset.map', 'numParallelCalls', options.numParallelCalls, AUTOTUNE_PARALLEL_CALLS);
    return new Dataset(mapNode(this.node, fn, n) as Node<Awaited<U>>, this.seeds);
  }

  /** Prepares up to `bufferSize` elements ahead of the consumer (AUTOTUNE = 2; 0 = none). */
  prefetch(bufferSize: number): Dataset<T> {
    return new Dataset(prefetchNode(this.node, depthOrAutotune('Dataset.prefetch', 'bufferSize', bufferSize, AUTOTUNE_PREFETCH)), this.seeds);
  }

  /** The first `count` elements (-1: all). */
  take(count: number): Dataset<T> {
    return new Dataset(takeNode(this.node, checkCount('Dataset.take', 'count', count, true)), this.seeds);
  }

  /** All but the first `count` elements (-1: skip everything). */
  skip(count: number): Dataset<T> {
    return new Dataset(skipNode(this.node, checkCount('Dataset.skip', 'count', count, true)), this.seeds);
  }

  /** Repeats the dataset `count` times (default / -1: forever); a shuffle before it reshuffles each time. */
  repeat(count = -1): Dataset<T> {
    return new Dataset(repeatNode(this.node, checkCount('Dataset.repeat', 'count', count, true)), this.seeds);
  }

  /** Records the first complete iteration and replays it afterwards (copies; freed by dispose()). */
  cache(): Dataset<T> {
    return new Dataset(cacheNode(this.node), this.seeds);
  }

  /**
   * The seeds of the pipeline's shuffle stages, in pipeline order (empty without shuffles). A
   * checkpoint records them so that resuming with a differently seeded pipeline fails clearly
   * instead of training on another order.
   */
  shuffleSeeds(): number[] {
    return [...this.seeds];
  }

  /** Number of elements per iteration (INFINITE_CARDINALITY = -1 when infinite). */
  cardinality(): number {
    const c = this.node.cardinality;
    if (Number.isNaN(c)) return UNKNOWN_CARDINALITY;
    return c === Infinity ? INFINITE_CARDINALITY : c;
  }

  /**
   * Iteration `epoch` (its elements are a pure function of the pipeline and `epoch`), starting at
   * output position `options.start`. Starting mid-iteration costs only index work through
   * fromTensorSlices / shuffle / take / skip / repeat / batch / map / prefetch; stages that buffer
   * whole elements (a shuffle after map) produce and drop the skipped elements.
   */
  iterate(epoch = 0, options: IterateOptions = {}): DatasetIterator<T> {
    const e = checkCount('Dataset.iterate', 'epoch', epoch, false);
    checkOptions('Dataset.iterate', options, ['start']);
    const start = checkCount('Dataset.iterate', 'start', options.start ?? 0, false);
    return new DatasetIterator(this.node.open(e, start), e, start);
  }

  /** `for await (const x of ds)`: iteration k of this Dataset object is epoch k (0, 1, 2, ...). */
  [Symbol.asyncIterator](): DatasetIterator<T> {
    return this.iterate(this.iterations++);
  }

  /** Frees tensors held by `cache()` stages of this pipeline (the source tensors are the caller's). */
  dispose(): void {
    this.node.release();
  }
}
