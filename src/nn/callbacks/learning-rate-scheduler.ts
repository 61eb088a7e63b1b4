/**
 * LearningRateScheduler (Keras 3 `keras.callbacks.LearningRateScheduler`): sets the optimizer's learning rate at
 * the start of every epoch from a function of the epoch and the current rate, and logs `learning_rate`.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import { Callback, type Logs, callbackOptimizer, printMessage } from '../callbacks.ts';
import { pyRepr } from './py-format.ts';

/** Options of {@link LearningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /** 0 (default) silent, 1 prints the learning rate set at every epoch. */
  verbose?: 0 | 1;
}

/**
 * Sets the learning rate at the beginning of every epoch to `schedule(epoch, lr)` (epoch from 0, lr the
 * optimizer's current float32 learning rate), Keras 3 semantics; the optimizer keeps it as float32. At every epoch
 * end it puts the learning rate into the logs as `learning_rate`. The optimizer must have a constant learning rate
 * (Keras: a schedule's is not settable). Stateless: fit checkpoints save the optimizer's learning rate.
 *
 * @example
 * ```ts
 * const halve = new dt.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5));
 * ```
 */
export class LearningRateScheduler extends Callback {
  /** The schedule: (epoch, current learning rate) => new learning rate. */
  readonly schedule: (epoch: number, lr: number) => number;
  /** 0 silent, 1 messages. */
  readonly verbose: number;

  /** @throws {@link ArgumentError} when `schedule` is not a function, or for unknown options. */
  constructor(schedule: (epoch: number, lr: number) => number, o: LearningRateSchedulerOptions = {}) {
    super();
    if (typeof schedule !== 'function') throw new ArgumentError(`LearningRateScheduler: expected schedule to be a function (epoch, lr) => number. Received: ${typeof schedule}`);
    checkOptions('LearningRateScheduler', o, ['verbose']);
    this.schedule = schedule;
    this.verbose = o.verbose ?? 0;
  }

  /** @throws {@link ArgumentError} when the schedule returns something other than a finite number >= 0. */
  override onEpochBegin(epoch: number): void {
    const opt = callbackOptimizer('LearningRateScheduler', this.model);
    const lr = this.schedule(epoch, opt.currentLearningRate());
    if (typeof lr !== 'number' || !Number.isFinite(lr) || !(lr >= 0)) {
      throw new ArgumentError(`LearningRateScheduler: The output of the schedule function should be a finite number >= 0. Received: ${String(lr)} at epoch ${epoch}`);
    }
    opt.setLearningRate(lr);
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pyRepr(lr)}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = callbackOptimizer('LearningRateScheduler', this.model).currentLearningRate();
  }
}
