/**
 * Arrays as a batch source (Keras's ArrayDataAdapter): x, y and sample weights (tensors, or lists or objects of
 * tensors for several inputs or outputs) over rows [begin, end), in batches of `batchSize` (the last one smaller,
 * as Keras), in order or, with a shuffle seed, in the epoch's permutation (array-order.ts). Each batch is a new
 * set of tensors (slices or gathers of the caller's, which are never disposed) that fit, evaluate and predict own
 * and dispose after their step. It reports its shuffle seed as a Dataset does, so a checkpoint records it and a
 * resume that would visit the data in another order is refused.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, ops, tidy } from '../../core/internal.ts';
import { packLike } from '../symbolic.ts';
import { epochPermutation } from './array-order.ts';
import type { BatchSource } from './options.ts';
import { type BatchPart, batchSizeOf, leaves } from './outputs.ts';

/** Arrays cut into batches (see the header). */
export class ArraySource implements BatchSource {
  /** The number of rows used. */
  readonly size: number;

  /**
   * @param parts x, then y and sampleWeight when given
   * @param batchSize rows per batch
   * @param seed the shuffle seed, or null to keep the order
   * @param begin first row
   * @param end one past the last row (default all)
   */
  constructor(
    private readonly parts: readonly (BatchPart | undefined)[],
    readonly batchSize: number,
    private readonly seed: number | null,
    private readonly begin = 0,
    end?: number,
  ) {
    this.size = (end ?? batchSizeOf(parts[0]!)) - begin;
  }

  /** ceil(rows / batchSize). */
  cardinality(): number {
    return Math.ceil(this.size / this.batchSize);
  }

  /** The shuffle seed (empty when not shuffled), as Dataset.shuffleSeeds. */
  shuffleSeeds(): number[] {
    return this.seed === null ? [] : [this.seed];
  }

  /** The batches of epoch `epoch`, from batch `options.start`: `[x, y, sampleWeight]` (absent parts undefined). */
  async *iterate(epoch: number, options: { start?: number } = {}): AsyncGenerator<(BatchPart | undefined)[]> {
    const order = this.seed === null ? null : epochPermutation(this.seed, epoch, this.size);
    for (let b = options.start ?? 0; b * this.batchSize < this.size; b++) {
      const lo = b * this.batchSize;
      const n = Math.min(this.batchSize, this.size - lo);
      const rows = order ? Array.from(order.subarray(lo, lo + n), (i) => i + this.begin) : null;
      const take = (t: Tensor): Tensor => (rows ? ops.gather(t, rows) : ops.slice(t, this.begin + lo, n));
      yield tidy(() => this.parts.map((p) => (p === undefined ? undefined : packLike(p, leaves(p).map(take)) as BatchPart)));
    }
  }
}
