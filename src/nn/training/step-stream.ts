/**
 * Batches of a source cut into epochs of a fixed number of steps (fit's `stepsPerEpoch`, the validation's
 * `validationSteps`, evaluate's and predict's `steps`), with Keras 3's EpochIterator semantics: one iterator is
 * kept across epochs, each epoch draws up to `steps` batches from it; when a source of known length n runs out,
 * the epoch ends early (Keras warns "Your input ran out of data") and the next epoch starts a fresh pass; an
 * infinite source (e.g. after `.repeat()`) is one endless stream.
 * A Dataset's pass p is its `iterate(p)` (reshuffled per pass), entered at any batch with `{ start }`; where the
 * stream is at epoch e is a pure function of (n, steps, e - first epoch), so a resume re-enters it exactly
 * ({@link StepStream.skipEpochs}). A plain async iterable is read with one iterator (no resume).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';
import type { BatchSource } from './options.ts';

/** Batches in epochs of `steps` (see the header). */
export class StepStream {
  /** Batches per pass, or null for an endless or unknown-length source. */
  private readonly n: number | null;
  /** The pass (a Dataset's iterate(epoch) argument) and the batches of it consumed so far. */
  private pass = 0;
  private seen = 0;
  /** The open iterator and the (pass, index) of its next batch. */
  private live?: { it: AsyncIterator<unknown>; pass: number; index: number };

  constructor(readonly source: BatchSource, private readonly fn: string, readonly steps: number) {
    if (!Number.isSafeInteger(steps) || steps < 1) throw new ArgumentError(`${fn}: expected a positive integer number of steps. Received: ${steps}`);
    const c = typeof source.cardinality === 'function' ? source.cardinality() : -2;
    this.n = c >= 0 && Number.isFinite(c) ? c : null;
    if (this.n === 0) throw new ArgumentError(`${fn}: the dataset produced no batches`);
  }

  /** The number of batches the next epoch will have (known length), or `steps`. */
  nextEpochSteps(): number {
    return this.n === null ? this.steps : Math.min(this.steps, this.n - this.seen);
  }

  /** Moves past `epochs` whole epochs without reading data (a resume re-entering the stream). */
  skipEpochs(epochs: number): void {
    for (let e = 0; e < epochs; e++) this.advance(this.nextEpochSteps());
  }

  private advance(count: number): void {
    this.seen += count;
    if (this.n !== null && this.seen >= this.n) {
      this.pass++;
      this.seen = 0;
    }
  }

  /** Opens (or keeps) the iterator at batch `index` of pass `pass`. */
  private async at(pass: number, index: number): Promise<AsyncIterator<unknown>> {
    if (this.live && this.live.pass === pass && this.live.index === index) return this.live.it;
    await this.close();
    const s = this.source;
    let it: AsyncIterator<unknown>;
    if (typeof s.iterate === 'function') it = (index > 0 ? s.iterate(pass, { start: index }) : s.iterate(pass))[Symbol.asyncIterator]();
    else if (typeof s[Symbol.asyncIterator] === 'function') it = s[Symbol.asyncIterator]!();
    else throw new ArgumentError(`${this.fn}: expected a Dataset or an async iterable of batches`);
    this.live = { it, pass, index };
    return it;
  }

  /**
   * The batches of the next epoch, from its batch `start` (a resume inside an epoch). The stream advances past
   * the epoch once all its batches were drawn (a caller that stops early ends the run).
   */
  async *epoch(start = 0): AsyncGenerator<unknown> {
    const count = this.nextEpochSteps();
    const it = await this.at(this.pass, this.seen + start);
    for (let drawn = start; drawn < count; drawn++) {
      const r = await it.next();
      if (r.done) {
        // Ran out: the epoch ends here and the next one starts a fresh pass (Keras's catch_stop_iteration).
        await this.close();
        this.pass++;
        this.seen = 0;
        return;
      }
      this.live!.index++;
      yield r.value;
    }
    this.advance(count);
  }

  /** Closes the open iterator (releasing a Dataset's pipeline). */
  async close(): Promise<void> {
    const l = this.live;
    this.live = undefined;
    if (l && typeof l.it.return === 'function') await l.it.return(undefined);
  }
}
