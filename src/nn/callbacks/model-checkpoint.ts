/**
 * ModelCheckpoint (Keras 3 `keras.callbacks.ModelCheckpoint`): saves the weights (or, where the model has
 * `save`, the whole model) after every epoch or every n batches, to a path made from a Python format template,
 * optionally only when the monitored value improves.
 * Part of src/nn: imports src/core only.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArgumentError, DataFormatError, checkOptions } from '../../core/internal.ts';
import { Callback, type CallbackModel, type CallbackState, type Logs, autoMaximize, checkMode, printMessage } from '../callbacks.ts';
import { f64FromHex, f64Hex } from '../checkpoint/number-bits.ts';
import { pyFormat, pyFormatTemplate, type TemplateValue } from './py-format.ts';

/** Options of {@link ModelCheckpoint} (Keras's keyword arguments, camelCase). */
export interface ModelCheckpointOptions {
  /**
   * Where to save: a Python format template filled with `epoch` (from 1), `batch` (from 1, with an integer
   * saveFreq) and the log values, e.g. `'ckpt/weights.{epoch:02d}-{val_loss:.2f}.safetensors'`. Fields take the
   * format-spec subset `[0][width][.precision][d|f|e]`; a field without a spec prints an int's digits or a
   * float's Python repr. With saveWeightsOnly it must end in `.safetensors` or `.weights.h5`, else in `.keras` (as
   * Keras requires). Missing folders are created.
   */
  filepath: string;
  /** The log key to watch for saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** 0 (default) silent, 1 prints a line at every save decision. */
  verbose?: 0 | 1;
  /** Save only when the monitored value improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save the weights only, with `model.saveWeights` (default false: the whole model with `model.save`). */
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto' (default: 'loss' minimised, accuracy-like metrics maximised, else an error). */
  mode?: 'auto' | 'min' | 'max';
  /** 'epoch' (default): after every epoch; a positive integer n: after every n training batches. */
  saveFreq?: 'epoch' | number;
  /** The initial "best" value for saveBestOnly (default: none, so the first value saves). */
  initialValueThreshold?: number;
}

/**
 * Saves the model or its weights during `fit`, Keras 3 semantics: after every epoch (or every `saveFreq`
 * batches, counted across epochs), to `filepath` filled in with the epoch, the batch and the logs; with
 * `saveBestOnly`, only when `monitor` improves on the best value so far (strictly; initially
 * `initialValueThreshold`, else any value). Weights are written with `model.saveWeights` (safetensors or Keras's
 * `.weights.h5`), the whole model with `model.save` (`.keras`), crash-safe. When the monitored value is missing from the logs, it warns and saves
 * (Keras). Its counters and best value are saved in fit checkpoints.
 *
 * @example
 * ```ts
 * const ckpt = new dt.callbacks.ModelCheckpoint({ filepath: 'out/weights.{epoch:02d}-{val_loss:.2f}.safetensors', saveWeightsOnly: true, saveBestOnly: true });
 * await model.fit(train, { epochs: 10, validationData: test, callbacks: [ckpt] });
 * ```
 */
export class ModelCheckpoint extends Callback {
  /** The path template. */
  readonly filepath: string;
  /** The log key watched. */
  readonly monitor: string;
  /** 0 silent, 1 messages. */
  readonly verbose: number;
  /** Whether only improvements are saved. */
  readonly saveBestOnly: boolean;
  /** Whether only the weights are saved. */
  readonly saveWeightsOnly: boolean;
  /** 'auto', 'min' or 'max'. */
  readonly mode: 'auto' | 'min' | 'max';
  /** 'epoch' or a number of batches. */
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value so far (undefined: none yet, and no threshold). */
  best: number | undefined;
  private maximize: boolean | undefined;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private currentEpoch = 0;

  /**
   * @throws {@link ArgumentError} for unknown options, a bad mode or saveFreq, a weights path that does not end in
   * `.safetensors` or `.weights.h5`, or a whole-model path that does not end in `.keras`.
   */
  constructor(o: ModelCheckpointOptions) {
    super();
    checkOptions('ModelCheckpoint', o, ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold']);
    if (!o || typeof o.filepath !== 'string' || !o.filepath) throw new ArgumentError(`ModelCheckpoint: expected filepath to be a non-empty string. Received: filepath=${JSON.stringify(o?.filepath)}`);
    this.filepath = o.filepath;
    this.monitor = o.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string') throw new ArgumentError(`ModelCheckpoint: expected monitor to be a log key. Received: monitor=${String(this.monitor)}`);
    this.verbose = o.verbose ?? 0;
    this.saveBestOnly = o.saveBestOnly ?? false;
    this.saveWeightsOnly = o.saveWeightsOnly ?? false;
    this.mode = checkMode('ModelCheckpoint', o.mode);
    const freq = o.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isSafeInteger(freq) && (freq as number) > 0)) {
      throw new ArgumentError(`ModelCheckpoint: Unrecognized saveFreq: ${JSON.stringify(freq)}. Expected saveFreq are 'epoch' or a positive integer`);
    }
    this.saveFreq = freq;
    if (o.initialValueThreshold !== undefined && typeof o.initialValueThreshold !== 'number') {
      throw new ArgumentError(`ModelCheckpoint: expected initialValueThreshold to be a number. Received: ${String(o.initialValueThreshold)}`);
    }
    this.best = o.initialValueThreshold;
    if (this.saveWeightsOnly) {
      if (!this.filepath.endsWith('.safetensors') && !this.filepath.endsWith('.weights.h5')) {
        throw new ArgumentError(`ModelCheckpoint: when using saveWeightsOnly: true, the filepath provided must end in '.safetensors' or '.weights.h5' (the formats of model.saveWeights). Received: filepath=${this.filepath}`);
      }
    } else if (!this.filepath.endsWith('.keras')) {
      throw new ArgumentError(`ModelCheckpoint: the filepath provided must end in '.keras' (Keras model format), or pass saveWeightsOnly: true. Received: filepath=${this.filepath}`);
    }
  }

  override setModel(m: CallbackModel): void {
    super.setModel(m);
    const method = this.saveWeightsOnly ? 'saveWeights' : 'save';
    if (typeof m[method] !== 'function') throw new ArgumentError(`ModelCheckpoint: expected a model with ${method}(path). Received: a model without it${this.saveWeightsOnly ? '' : ' (pass saveWeightsOnly: true)'}`);
  }

  /** Per-batch logs only when saving every n batches. */
  override wantsBatchLogs(): boolean {
    return this.saveFreq !== 'epoch';
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    // Keras's count: batches since the last save, across epochs.
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.saveModel(this.currentEpoch, batch, logs);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.resolveMode();
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, undefined, logs);
  }

  /** Keras's `_set_monitor_op`, once: the direction, and a best of -Infinity or Infinity when there is no threshold. */
  private resolveMode(): boolean {
    if (this.maximize === undefined) {
      this.maximize = this.mode === 'auto' ? autoMaximize('ModelCheckpoint', this.monitor, this.model) : this.mode === 'max';
      this.best ??= this.maximize ? -Infinity : Infinity;
    }
    return this.maximize;
  }

  /** The path for `epoch` (from 0) and `batch` (from 0, or undefined at epoch end). */
  filePathFor(epoch: number, batch: number | undefined, logs: Logs): string {
    const values: Record<string, TemplateValue> = { ...logs, epoch: { int: epoch + 1 } };
    if (batch !== undefined && !('batch' in logs)) values.batch = { int: batch + 1 };
    return pyFormatTemplate(this.filepath, values, 'ModelCheckpoint');
  }

  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`ModelCheckpoint: Can save best model only with ${this.monitor} available.`);
      return true;
    }
    // At batch level before the first epoch end: decide the direction now.
    const maximize = this.resolveMode();
    const bestStr = this.best === undefined ? 'None' : pyFormat(this.best, '.5f');
    const improved = this.best === undefined || (maximize ? current > this.best : current < this.best);
    if (improved) {
      if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${pyFormat(current, '.5f')}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | undefined, logs: Logs): Promise<void> {
    const path = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    const dir = dirname(path);
    if (dir) mkdirSync(dir, { recursive: true });
    const m = this.model!;
    if (this.saveWeightsOnly) await m.saveWeights!(path);
    else await m.save!(path);
    if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: finished saving model to ${path}`);
  }

  /** Configuration a resumed ModelCheckpoint must share with the checkpointed one. */
  private configKey(): string {
    return JSON.stringify({ filepath: this.filepath, monitor: this.monitor, saveBestOnly: this.saveBestOnly, saveWeightsOnly: this.saveWeightsOnly, mode: this.mode, saveFreq: this.saveFreq });
  }

  /** The best value (exact bits), the batch counters and the current epoch. */
  override getState(): CallbackState {
    return {
      json: { config: this.configKey(), best: this.best === undefined ? null : f64Hex(this.best), batchesSinceSave: this.batchesSinceSave, lastBatchSeen: this.lastBatchSeen, currentEpoch: this.currentEpoch },
      arrays: [],
    };
  }

  override checkState(st: CallbackState): void {
    const j = st?.json ?? {};
    const fail = (what: string): never => {
      throw new DataFormatError(`ModelCheckpoint.setState: ${what}`);
    };
    if (j.config !== this.configKey()) fail(`expected the checkpointed configuration ${String(j.config)}. Received: this callback's ${this.configKey()}`);
    for (const k of ['batchesSinceSave', 'lastBatchSeen', 'currentEpoch']) {
      if (!Number.isSafeInteger(j[k]) || (j[k] as number) < 0) fail(`expected ${k} to be a non-negative integer. Received: ${JSON.stringify(j[k])}`);
    }
    if (j.best !== null) f64FromHex(j.best, 'ModelCheckpoint best');
  }

  override setState(st: CallbackState): void {
    this.checkState(st);
    const j = st.json;
    this.best = j.best === null ? undefined : f64FromHex(j.best, 'ModelCheckpoint best');
    this.batchesSinceSave = j.batchesSinceSave as number;
    this.lastBatchSeen = j.lastBatchSeen as number;
    this.currentEpoch = j.currentEpoch as number;
  }
}
