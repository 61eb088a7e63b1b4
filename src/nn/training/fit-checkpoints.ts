/**
 * Checkpointing in the fit loop (`checkpoint`): after an optimizer step when one is due (with the
 * data iterator's position), and after each epoch's validation and callbacks when `everyEpoch`.
 * The options, the checkpoint root and what a checkpoint holds are the checkpoint code's
 * (checkpoint/checkpointer.ts).
 * Part of src/nn: imports src/core only.
 */
import { type CheckpointOptions, Checkpointer, type OpenedResume } from '../checkpoint/checkpointer.ts';
import type { TrainingRun } from '../checkpoint/training-run.ts';

/** Saves the checkpoints of one fit. */
export class FitCheckpoints {
  private readonly checkpointer: Checkpointer;

  /** Checks the options and prepares the root; `resumed`: the resume in progress, if any. */
  constructor(options: CheckpointOptions, resumed?: OpenedResume) {
    this.checkpointer = new Checkpointer(options, resumed);
  }

  /** Whether to save after global step `globalStep`, the `step`-th of its epoch (`run.stepsPerEpoch` long, if known). */
  dueAfterStep(run: TrainingRun, step: number, globalStep: number): boolean {
    return this.checkpointer.dueAfterStep(globalStep, step, run.stepsPerEpoch);
  }

  /** Saves after the `step`-th step of `epoch`, with the data position of `batches`, the epoch's iterator. */
  saveAfterStep(run: TrainingRun, batches: AsyncIterable<unknown>, epoch: number, step: number, globalStep: number): Promise<unknown> {
    const position = (batches as { position?: { epoch: number; index: number } }).position ?? { epoch, index: step };
    return this.checkpointer.save(run, { epoch, step, globalStep, data: position });
  }

  /** Whether to save after each epoch (after its validation and callbacks). */
  get dueAfterEpoch(): boolean {
    return this.checkpointer.everyEpoch;
  }

  /** Saves after epoch `epoch`: the run continues at the start of the next one. */
  saveAfterEpoch(run: TrainingRun, epoch: number, globalStep: number): Promise<unknown> {
    return this.checkpointer.save(run, { epoch: epoch + 1, step: 0, globalStep, data: { epoch: epoch + 1, index: 0 } });
  }
}
