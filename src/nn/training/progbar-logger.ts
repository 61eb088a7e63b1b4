/**
 * The Keras progress bar as a callback (Keras's ProgbarLogger): fit puts it first in the callback
 * list when verbose is 1 or 2.
 * Part of src/nn: imports src/core only.
 */
import { Callback, type Logs } from '../callbacks.ts';
import { Progbar, type ProgbarSink } from '../progbar.ts';

/** The Keras progress bar as a callback (Keras's ProgbarLogger). */
export class ProgbarLogger extends Callback {
  private bar?: Progbar;
  constructor(private readonly verbose: 1 | 2, private readonly epochs: number, private target: number | null, private readonly sink?: ProgbarSink) {
    super();
  }
  private write(s: string): void {
    if (this.sink) this.sink.write(s);
    else process.stdout.write(s);
  }
  override onEpochBegin(epoch: number): void {
    this.bar = new Progbar({ target: this.target ?? undefined, verbose: this.verbose, sink: this.sink });
    if (this.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }
  /** A resumed fit re-enters an epoch that began before the checkpoint: a new bar, same header. */
  resume(epoch: number): void {
    this.onEpochBegin(epoch);
  }
  override onBatchEnd(batch: number, logs?: Logs): void {
    if (this.verbose === 1) this.bar?.update(batch + 1, logs ?? {}, false);
  }
  finish(steps: number, logs: Logs): void {
    // As Keras's _finalize_progbar: an unknown step count is learnt from the first epoch, so the
    // final line shows "n/n" and a bar (and verbose 2's line) in later epochs has its target.
    if (this.target === null) this.target = steps;
    if (this.bar && this.bar.target === undefined) this.bar.target = this.target;
    this.bar?.update(steps, logs, true);
  }
}
