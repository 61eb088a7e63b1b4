/**
 * The shuffle's randomness and buffer algorithm, independent of tensors: the per-(seed, epoch)
 * generator, the unbiased integer draw, and tf.data's streaming shuffle buffer (which is a
 * Fisher–Yates shuffle when the buffer holds the whole dataset).
 * Part of src/data: imports src/core only (and the pure-rand package).
 *
 * determinism: the order of epoch e of `shuffle(bufferSize, { seed })` is this pure function:
 *   1. seed (a safe integer) -> two's-complement int64 words (s_lo, s_hi); epoch e -> (e_lo, e_hi).
 *   2. (w0, w1, w2, w3) = Philox4x32-10(counter = [e_lo, e_hi, SHUFFLE_TAG, 0], key = [s_lo, s_hi])
 *      (src/core/random/philox.ts; SHUFFLE_TAG = 0x53485546, "SHUF"). If all four words are 0 (never
 *      seen; xoroshiro's all-zero state is degenerate), w0 := 1.
 *   3. rng = pure-rand xoroshiro128plusFromState([w0, w1, w2, w3]) (as int32 bit patterns, in the
 *      order that function takes its state). One generator per epoch: epochs are independent streams.
 *   4. Each draw in [0, m) is pure-rand uniformInt(rng, 0, m - 1): v = rng.next() + 2^31 (a u32);
 *      while v >= floor(2^32 / m) * m (for m > 2; 2^32 otherwise) draw again; result v mod m.
 *      Unbiased; every draw consumes at least one generator output, also for m = 1.
 *   5. Buffer (tf.data semantics): fill the buffer with the first min(bufferSize, n) upstream
 *      elements in order; then, until it is empty: j = draw(len(buffer)); emit buffer[j]; if the
 *      upstream has another element, it takes slot j; else the last slot moves into slot j and the
 *      buffer shrinks by one.
 * With bufferSize >= n step 5 is the Fisher–Yates shuffle "a = [0..n-1]; for m = n..1: j = draw(m);
 * emit a[j]; a[j] = a[m-1]", a uniform permutation. Output k depends only on (seed, epoch, n,
 * bufferSize, k): resuming at (epoch, position) replays steps 2-5 on indices only (O(position +
 * bufferSize) integer work, no data work). TensorFlow's own kernel draws from its Philox stream with a
 * modulo and a ring buffer, so its bits differ; the distribution over orders is the same.
 */
import { ArgumentError, int64ToWords, philox4x32Into } from '../core/internal.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** Philox counter word 2 that separates the shuffle's streams from every other Philox use. */
export const SHUFFLE_TAG = 0x53485546;

const TWO32 = 4294967296;

/** A source of unbiased integer draws for one epoch of one shuffle. */
export interface ShuffleSampler {
  /** A uniform integer in [0, m) (m >= 1). */
  draw(m: number): number;
  /** The generator's current state (4 int32 words) for diagnostics and exact resume. */
  state(): readonly number[];
}

/** The 4 state words of the xoroshiro128+ generator of (seed, epoch) (steps 1-2 of the header). */
export function shuffleStateWords(seed: number, epoch: number): [number, number, number, number] {
  const [s0, s1] = int64ToWords('shuffle', 'seed', seed);
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new ArgumentError(`shuffle: expected epoch to be a non-negative integer. Received: epoch=${epoch}`);
  }
  const out = new Uint32Array(4);
  philox4x32Into(epoch % TWO32, Math.floor(epoch / TWO32), SHUFFLE_TAG, 0, s0, s1, out, 0, 10);
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return [out[0] | 0, out[1] | 0, out[2] | 0, out[3] | 0];
}

/** The generator of (seed, epoch) (steps 1-4 of the header). */
export function shuffleSampler(seed: number, epoch: number): ShuffleSampler {
  const rng = xoroshiro128plusFromState(shuffleStateWords(seed, epoch));
  return {
    draw: (m) => uniformInt(rng, 0, m - 1),
    state: () => rng.getState(),
  };
}

/**
 * The streaming shuffle buffer (step 5 of the header), driven by the caller: `fill` while
 * `needsFill`, then `pick` returns a slot's element and leaves a hole that the next `refill` or
 * `close` resolves. Used on row indices (fast path) and on whole elements (generic path), with the
 * same draws, so both give the same order.
 */
export class ShuffleBuffer<T> {
  private readonly items: T[] = [];
  private hole = -1;

  constructor(readonly capacity: number, private readonly sampler: ShuffleSampler) {}

  /** True while the initial fill has not reached the capacity (and no element was emitted yet). */
  get needsFill(): boolean {
    return this.hole < 0 && this.items.length < this.capacity;
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds an upstream element during the initial fill. */
  fill(x: T): void {
    this.items.push(x);
  }

  /** Puts the next upstream element into the slot emptied by the last pick. */
  refill(x: T): void {
    if (this.hole >= 0) this.items[this.hole] = x;
    else this.items.push(x);
    this.hole = -1;
  }

  /** The upstream is exhausted: the last slot moves into the emptied slot. */
  close(): void {
    if (this.hole < 0) return;
    const last = this.items.pop() as T;
    if (this.hole < this.items.length) this.items[this.hole] = last;
    this.hole = -1;
  }

  /** Whether a pick left a slot to refill or close. */
  get hasHole(): boolean {
    return this.hole >= 0;
  }

  /** Draws a slot uniformly and returns its element (the buffer must be non-empty, without hole). */
  pick(): T {
    const j = this.sampler.draw(this.items.length);
    this.hole = j;
    return this.items[j];
  }

  /** Elements still held (for disposal when an iteration stops early), excluding a picked one. */
  remaining(): T[] {
    return this.items.filter((_, i) => i !== this.hole);
  }
}

/**
 * Shuffles an index stream lazily (step 5 on indices). `upstream` yields row indices; the result
 * yields them in shuffled order.
 */
export function* shuffleIndices(upstream: Iterator<number>, bufferSize: number, sampler: ShuffleSampler): Generator<number> {
  const buf = new ShuffleBuffer<number>(bufferSize, sampler);
  while (buf.needsFill) {
    const r = upstream.next();
    if (r.done) break;
    buf.fill(r.value);
  }
  while (buf.size > 0) {
    yield buf.pick();
    const r = upstream.next();
    if (r.done) buf.close();
    else buf.refill(r.value);
  }
}

/**
 * The whole order of one epoch over a dataset of `n` elements: an Int32Array of upstream positions.
 * `shuffleOrder(seed, epoch, n, n)` is a uniform permutation of 0..n-1.
 */
export function shuffleOrder(seed: number, epoch: number, n: number, bufferSize: number): Int32Array {
  const out = new Int32Array(n);
  let k = 0;
  for (const i of shuffleIndices(range(n), bufferSize, shuffleSampler(seed, epoch))) out[k++] = i;
  return out;
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
