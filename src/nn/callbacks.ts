/**
 * Training callbacks (Keras API): hooks on train/epoch/batch begin and end, the CallbackList that
 * drives them, EarlyStopping and TerminateOnNaN. Hooks may be async. Logs passed to hooks are the
 * History values: batch-size-weighted running means mid-epoch, epoch results at the end.
 * @privateRemarks Part of src/nn: imports nothing outside src/nn and src/core.
 * @packageDocumentation
 */
import { ArgumentError, DataFormatError, checkOptions } from '../core/internal.ts';
import { f64FromHex, f64Hex } from './checkpoint/number-bits.ts';
import type { HistoryParams } from './history.ts';
import type { Optimizer } from './optimizers/optimizer.ts';

/**
 * Log values by key, as Keras passes them to callbacks: 'loss', the metric names, and 'val_*' at epoch end. Keys are
 * sorted alphabetically within training and validation keys, as the progress bar prints them.
 */
export type Logs = Record<string, number>;

/**
 * What a callback carries from one epoch to the next, for checkpoints: JSON-serialisable fields
 * plus float32 arrays (stored in the checkpoint's safetensors file).
 */
export interface CallbackState {
  /** JSON-serialisable fields (use hex strings for floats whose exact bits matter). */
  json: Record<string, unknown>;
  /** Float32 arrays, such as saved weights. */
  arrays: Float32Array[];
}

/** A model as seen by callbacks (a {@link Sequential} is one). */
export interface CallbackModel {
  /** Set it to true to end `fit` after the current batch (Keras `model.stop_training`). */
  stopTraining: boolean;
  /** The weight values as host arrays, in the model's weight order. */
  getWeightValues(): Promise<Float32Array[]>;
  /** Sets the weights from host arrays in the model's weight order. */
  setWeightValues(values: readonly Float32Array[]): void;
  /** The compiled configuration, whose optimizer ReduceLROnPlateau and LearningRateScheduler set. */
  compiled?: {
    /** The optimizer that `fit` steps. */
    readonly optimizer: Optimizer;
  };
  /** Writes the weights to a file (ModelCheckpoint with saveWeightsOnly). */
  saveWeights?(path: string): Promise<void>;
  /** Writes the whole model to a file (ModelCheckpoint without saveWeightsOnly), on models that support it. */
  save?(path: string): Promise<void>;
}

/**
 * The optimizer of the model a callback is attached to; `who` names the callback in the error.
 * @throws {@link ArgumentError} when the model is not compiled.
 */
export function callbackOptimizer(who: string, model: CallbackModel | undefined): Optimizer {
  const opt = model?.compiled?.optimizer;
  if (!opt) throw new ArgumentError(`${who}: expected a compiled model with an optimizer. Received: ${model ? 'a model without compile()' : 'no model (use the callback in fit)'}`);
  return opt;
}

/**
 * Checks a monitoring callback's `mode` option ('auto', 'min' or 'max'; default 'auto').
 * @throws {@link ArgumentError} for anything else (Keras warns and falls back to 'auto').
 */
export function checkMode(who: string, mode: unknown): 'auto' | 'min' | 'max' {
  const m = mode ?? 'auto';
  if (m !== 'auto' && m !== 'min' && m !== 'max') throw new ArgumentError(`${who}: expected mode to be 'auto', 'min' or 'max'. Received: mode=${JSON.stringify(mode)}`);
  return m;
}

/**
 * Keras 3's 'auto' mode of ModelCheckpoint (`MonitorCallback._set_monitor_op`): whether to maximise `monitor`.
 * Without its 'val_' prefix, 'loss' is minimised; a compiled metric of that name is maximised when it is an
 * accuracy-like metric (accuracy, AUC, precision, recall, IoU, F-scores, R2) and minimised when it is an error,
 * loss or divergence; anything else cannot be decided.
 * @throws {@link ArgumentError} when the direction cannot be decided (Keras's ValueError).
 */
export function autoMaximize(who: string, monitor: string, model: CallbackModel | undefined): boolean {
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (name === 'loss') return false;
  const metrics = (model?.compiled as { metrics?: readonly { id: string }[] } | undefined)?.metrics ?? [];
  if (metrics.some((m) => m.id === name)) {
    if (/acc|auc|precision|recall|iou|f1|fbeta|r2/.test(name)) return true;
    if (/error|loss|crossentropy|hinge|divergence|poisson|logcosh/.test(name)) return false;
  }
  throw new ArgumentError(`${who} callback received monitor=${monitor}, but it cannot automatically determine whether that metric should be maximized or minimized. Pass mode: 'max' in order to monitor based on the highest metric value, or mode: 'min' in order to use the lowest value. Received: mode='auto'`);
}

/** Prints a callback's message line on stdout (Keras `io_utils.print_msg`). */
export function printMessage(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * The base class of training callbacks, Keras `keras.callbacks.Callback` with camelCase hooks. Subclass it and
 * override the hooks you need; pass instances in `fit(data, { callbacks: [...] })`. Hooks may be async (`fit` awaits
 * them). Epoch and batch indices start at 0. The logs are exactly the History values: batch-size-weighted running
 * means mid-epoch, the epoch results (with `val_*`) at epoch end.
 *
 * Overriding `onBatchEnd` makes `fit` read the logs from the device after every batch, which costs time on WebGPU.
 * A callback that keeps state between epochs should implement {@link Callback.getState | getState} and
 * {@link Callback.setState | setState} so that checkpoints can resume it exactly.
 *
 * @example
 * ```ts
 * class PrintLoss extends dt.Callback {
 *   override onEpochEnd(epoch: number, logs?: Record<string, number>) { console.log(epoch, logs?.loss); }
 * }
 * ```
 */
export class Callback {
  /** The model being trained, set by `fit` before `onTrainBegin`. */
  model?: CallbackModel;
  /** `fit`'s parameters ({ verbose, epochs, steps }), set by `fit` before `onTrainBegin`. */
  params?: HistoryParams;
  /** Called by `fit` with the model being trained. */
  setModel(m: CallbackModel): void { this.model = m; }
  /** Called by `fit` with its parameters. */
  setParams(p: HistoryParams): void { this.params = p; }
  /** Called once when training begins (also by a resumed fit, before {@link Callback.setState | setState}). */
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  /** Called once when training ends (after the last epoch, or after a callback stopped training). */
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  /** Called at the start of every epoch (index from 0). */
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  /** Called at the end of every epoch, after validation, with the epoch's logs (training and `val_*` values). */
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  /** Called before every training batch (index within the epoch, from 0). */
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** Called after every training batch with the running logs (overriding it makes `fit` read logs every batch). */
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** Keras's hook for the start of evaluation; `fit` and `evaluate` do not call it in this version. */
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  /** Keras's hook for the end of evaluation; `fit` and `evaluate` do not call it in this version. */
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  /** Keras's hook after every evaluation batch; `fit` and `evaluate` do not call it in this version. */
  onTestBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /**
   * The state a checkpoint must hold to resume this callback exactly; undefined (the default)
   * means the callback keeps no state between hooks. A resumed fit calls onTrainBegin, then
   * setState with what getState returned when the checkpoint was written.
   */
  getState(): CallbackState | undefined | Promise<CallbackState | undefined> {
    return undefined;
  }

  /** Throws a {@link DataFormatError} if `state` cannot be restored into this callback; changes nothing. */
  checkState(_state: CallbackState): void {}

  /** Restores a state returned by getState (checked first with checkState). */
  setState(_state: CallbackState): void {}

  /** Whether onBatchEnd needs per-batch logs (they cost a device read on WebGPU). */
  wantsBatchLogs(): boolean {
    return Object.getPrototypeOf(this).onBatchEnd !== Callback.prototype.onBatchEnd;
  }
}

/** What `fit`'s `callbacks` accepts: a {@link Callback}, or a plain object with any subset of the training hooks. */
export type CallbackLike = Callback | Partial<Pick<Callback, 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd'>>;

/**
 * The name of a callback hook.
 * @inline
 */
type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onTestBegin' | 'onTestEnd' | 'onTestBatchEnd';

/**
 * Drives a list of callbacks: what `fit` uses to call every hook in order, awaiting each. Exposed for code that writes
 * its own training loop.
 */
export class CallbackList {
  /** The callbacks, in call order. */
  readonly callbacks: CallbackLike[];
  constructor(callbacks: readonly CallbackLike[]) {
    this.callbacks = [...callbacks];
  }

  /** Calls {@link Callback.setModel | setModel} on every {@link Callback}. */
  setModel(m: CallbackModel): void {
    for (const c of this.callbacks) if (c instanceof Callback) c.setModel(m);
  }

  /** Calls {@link Callback.setParams | setParams} on every {@link Callback}. */
  setParams(p: HistoryParams): void {
    for (const c of this.callbacks) if (c instanceof Callback) c.setParams(p);
  }

  /** Whether any callback needs per-batch logs. */
  wantsBatchLogs(): boolean {
    return this.callbacks.some((c) => (c instanceof Callback ? c.wantsBatchLogs() : typeof c.onBatchEnd === 'function'));
  }

  /** Calls `hook` with `args` on every callback that has it, in order, awaiting each. */
  async call(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const f = (c as Record<string, unknown>)[hook];
      if (typeof f === 'function') await (f as (...a: unknown[]) => unknown).apply(c, args);
    }
  }
}

/** Options of {@link EarlyStopping} (Keras's keyword arguments, camelCase). */
export interface EarlyStoppingOptions {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Minimum change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (the default: 'max' when the monitor's name contains 'acc' or 'auc', else 'min'). */
  mode?: 'auto' | 'min' | 'max';
  /** A value the monitor must beat; until it does, `wait` is not reset. */
  baseline?: number;
  /** Restore the best epoch's weights when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching starts (default 0). */
  startFromEpoch?: number;
  /** 0 (the default) silent; 1 prints a line when training is stopped and when the best weights are restored. */
  verbose?: 0 | 1;
}

/**
 * Stops training when `monitor` stops improving, Keras 3 semantics (`keras.callbacks.EarlyStopping`): after
 * `patience` epochs without an improvement of more than `minDelta`, it sets `model.stopTraining`. With
 * `restoreBestWeights` it restores the best epoch's weights when training ends. Its state is saved in checkpoints.
 * Warns (console.warn) when the monitored key is not in the logs.
 */
export class EarlyStopping extends Callback {
  /** The log key watched. */
  readonly monitor: string;
  /** The minimum improvement, signed: negative when minimising. */
  readonly minDelta: number;
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** The value to beat, if any. */
  readonly baseline?: number;
  /** Whether the best weights are restored at the end of training. */
  readonly restoreBestWeights: boolean;
  /** The first epoch watched. */
  readonly startFromEpoch: number;
  /** 0 silent, 1 messages when stopping and restoring. */
  readonly verbose: number;
  private readonly better: (a: number, b: number) => boolean;
  private readonly maximize: boolean;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch in which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** The best monitored value so far. */
  best = Infinity;
  /** The epoch of the best value. */
  bestEpoch = 0;
  private bestWeights?: Float32Array[];

  constructor(o: EarlyStoppingOptions = {}) {
    super();
    checkOptions('EarlyStopping', o, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'verbose']);
    this.verbose = o.verbose ?? 0;
    this.monitor = o.monitor ?? 'val_loss';
    this.patience = o.patience ?? 0;
    this.baseline = o.baseline;
    this.restoreBestWeights = o.restoreBestWeights ?? false;
    this.startFromEpoch = o.startFromEpoch ?? 0;
    const mode = checkMode('EarlyStopping', o.mode);
    const maximize = mode === 'max' || (mode === 'auto' && /acc|auc/.test(this.monitor));
    this.maximize = maximize;
    this.minDelta = Math.abs(o.minDelta ?? 0) * (maximize ? 1 : -1);
    this.better = maximize ? (a, b) => a - this.minDelta > b : (a, b) => a - this.minDelta < b;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    // (better(1, 0) decided this before, which picked +Infinity in max mode when minDelta >= 1.)
    this.best = this.maximize ? -Infinity : Infinity;
    this.bestWeights = undefined;
    this.bestEpoch = 0;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`EarlyStopping: monitor '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === undefined) {
      this.bestWeights = await this.model!.getWeightValues();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.better(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = await this.model!.getWeightValues();
      if (this.baseline === undefined || this.better(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  /** Configuration that a resumed EarlyStopping must share with the checkpointed one. */
  private configKey(): string {
    return JSON.stringify({ monitor: this.monitor, minDelta: f64Hex(this.minDelta), patience: this.patience, baseline: this.baseline === undefined ? null : f64Hex(this.baseline), restoreBestWeights: this.restoreBestWeights, startFromEpoch: this.startFromEpoch, maximize: this.maximize });
  }

  /** wait, stoppedEpoch, best (exact bits), bestEpoch, and the best weights if kept. */
  override getState(): CallbackState {
    return {
      json: { config: this.configKey(), wait: this.wait, stoppedEpoch: this.stoppedEpoch, best: f64Hex(this.best), bestEpoch: this.bestEpoch, hasBestWeights: this.bestWeights !== undefined },
      arrays: this.bestWeights ? [...this.bestWeights] : [],
    };
  }

  override checkState(st: CallbackState): void {
    const j = st?.json ?? {};
    const fail = (what: string): never => {
      throw new DataFormatError(`EarlyStopping.setState: ${what}`);
    };
    if (j.config !== this.configKey()) fail(`expected the checkpointed configuration ${String(j.config)}. Received: this callback's ${this.configKey()}`);
    for (const k of ['wait', 'stoppedEpoch', 'bestEpoch']) {
      if (!Number.isSafeInteger(j[k]) || (j[k] as number) < 0) fail(`expected ${k} to be a non-negative integer. Received: ${JSON.stringify(j[k])}`);
    }
    f64FromHex(j.best, 'EarlyStopping best');
    const arrays = Array.isArray(st.arrays) ? st.arrays.length : -1;
    if (typeof j.hasBestWeights !== 'boolean' || j.hasBestWeights !== arrays > 0) {
      fail(`expected hasBestWeights to agree with the ${arrays} stored arrays. Received: ${JSON.stringify(j.hasBestWeights)}`);
    }
  }

  override setState(st: CallbackState): void {
    this.checkState(st);
    const j = st.json;
    this.wait = j.wait as number;
    this.stoppedEpoch = j.stoppedEpoch as number;
    this.best = f64FromHex(j.best, 'EarlyStopping best');
    this.bestEpoch = j.bestEpoch as number;
    this.bestWeights = j.hasBestWeights ? st.arrays.map((a) => a.slice()) : undefined;
  }

  /** Keras 3 restores the best weights when training ends, whether or not it stopped early. */
  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMessage(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose > 0) printMessage(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeightValues(this.bestWeights);
    }
  }
}

/**
 * Stops training (without an error) when the batch loss becomes NaN or infinite, Keras `TerminateOnNaN`: prints
 * `Batch <n>: Invalid loss, terminating training` and sets `model.stopTraining`. Without it, `fit` throws a
 * {@link NumericError} instead.
 */
export class TerminateOnNaN extends Callback {
  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}
