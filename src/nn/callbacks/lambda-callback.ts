/**
 * LambdaCallback (Keras 3 `keras.callbacks.LambdaCallback`): a callback made of functions.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import { Callback, type Logs } from '../callbacks.ts';

/** The functions of a {@link LambdaCallback}, each optional (Keras's on_epoch_begin, ..., camelCase). */
export interface LambdaCallbackOptions {
  /** Called at the start of every epoch with (epoch, logs). */
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  /** Called at the end of every epoch with (epoch, logs). */
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  /** Called before every training batch with (batch, logs) (Keras's on_train_batch_begin). */
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** Called after every training batch with (batch, logs) (Keras's on_train_batch_end; fit then reads logs every batch). */
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** Called once when training begins, with (logs). */
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  /** Called once when training ends, with (logs). */
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
}

const HOOKS = ['onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onTrainBegin', 'onTrainEnd'] as const;

/**
 * A callback built from functions, Keras 3 semantics: each given function replaces the hook of that name; the
 * others do nothing. Functions may be async (fit awaits them).
 *
 * @example
 * ```ts
 * const printLoss = new dt.callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) });
 * ```
 */
export class LambdaCallback extends Callback {
  private readonly fns: LambdaCallbackOptions;

  /** @throws {@link ArgumentError} for unknown keys or a value that is not a function. */
  constructor(o: LambdaCallbackOptions = {}) {
    super();
    checkOptions('LambdaCallback', o, [...HOOKS]);
    for (const k of HOOKS) {
      const f = o[k];
      if (f !== undefined && typeof f !== 'function') throw new ArgumentError(`LambdaCallback: expected ${k} to be a function. Received: ${typeof f}`);
    }
    this.fns = { ...o };
  }

  override onEpochBegin(epoch: number, logs?: Logs): void | Promise<void> {
    return this.fns.onEpochBegin?.(epoch, logs);
  }

  override onEpochEnd(epoch: number, logs?: Logs): void | Promise<void> {
    return this.fns.onEpochEnd?.(epoch, logs);
  }

  override onBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    return this.fns.onBatchBegin?.(batch, logs);
  }

  override onBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    return this.fns.onBatchEnd?.(batch, logs);
  }

  override onTrainBegin(logs?: Logs): void | Promise<void> {
    return this.fns.onTrainBegin?.(logs);
  }

  override onTrainEnd(logs?: Logs): void | Promise<void> {
    return this.fns.onTrainEnd?.(logs);
  }

  /** Per-batch logs only when an onBatchEnd function was given. */
  override wantsBatchLogs(): boolean {
    return this.fns.onBatchEnd !== undefined;
  }
}
