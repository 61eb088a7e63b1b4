/**
 * Training callbacks (Keras API): hooks on train/epoch/batch begin and end, the CallbackList that
 * drives them, EarlyStopping and TerminateOnNaN. Hooks may be async. Logs passed to hooks are the
 * History values: batch-size-weighted running means mid-epoch, epoch results at the end.
 * Part of src/nn: imports nothing outside src/nn and src/core.
 */
import { DataFormatError } from '../core/errors.ts';
import { f64FromHex, f64Hex } from './checkpoint/number-bits.ts';
import type { HistoryParams } from './history.ts';

export type Logs = Record<string, number>;

/**
 * What a callback carries from one epoch to the next, for checkpoints: JSON-serialisable fields
 * plus float32 arrays (stored in the checkpoint's safetensors file).
 */
export interface CallbackState {
  json: Record<string, unknown>;
  arrays: Float32Array[];
}

/** A model as seen by callbacks. */
export interface CallbackModel {
  stopTraining: boolean;
  getWeightValues(): Promise<Float32Array[]>;
  setWeightValues(values: readonly Float32Array[]): void;
}

export class Callback {
  model?: CallbackModel;
  params?: HistoryParams;
  setModel(m: CallbackModel): void { this.model = m; }
  setParams(p: HistoryParams): void { this.params = p; }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  onTestBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /**
   * The state a checkpoint must hold to resume this callback exactly; undefined (the default)
   * means the callback keeps no state between hooks. A resumed fit calls onTrainBegin, then
   * setState with what getState returned when the checkpoint was written.
   */
  getState(): CallbackState | undefined | Promise<CallbackState | undefined> {
    return undefined;
  }

  /** Throws (DataFormatError) if `state` cannot be restored; changes nothing. */
  checkState(_state: CallbackState): void {}

  /** Restores a state returned by getState (checked first with checkState). */
  setState(_state: CallbackState): void {}

  /** Whether onBatchEnd needs per-batch logs (they cost a device read on WebGPU). */
  wantsBatchLogs(): boolean {
    return Object.getPrototypeOf(this).onBatchEnd !== Callback.prototype.onBatchEnd;
  }
}

/** Plain-object callbacks: any subset of the hooks. */
export type CallbackLike = Callback | Partial<Pick<Callback, 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd'>>;

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onTestBegin' | 'onTestEnd' | 'onTestBatchEnd';

export class CallbackList {
  readonly callbacks: CallbackLike[];
  constructor(callbacks: readonly CallbackLike[]) {
    this.callbacks = [...callbacks];
  }

  setModel(m: CallbackModel): void {
    for (const c of this.callbacks) if (c instanceof Callback) c.setModel(m);
  }

  setParams(p: HistoryParams): void {
    for (const c of this.callbacks) if (c instanceof Callback) c.setParams(p);
  }

  wantsBatchLogs(): boolean {
    return this.callbacks.some((c) => (c instanceof Callback ? c.wantsBatchLogs() : typeof c.onBatchEnd === 'function'));
  }

  async call(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const f = (c as Record<string, unknown>)[hook];
      if (typeof f === 'function') await (f as (...a: unknown[]) => unknown).apply(c, args);
    }
  }
}

export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: 'auto' | 'min' | 'max';
  baseline?: number;
  restoreBestWeights?: boolean;
  startFromEpoch?: number;
}

/** Stops training when `monitor` stops improving (Keras semantics). */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  private readonly better: (a: number, b: number) => boolean;
  private readonly maximize: boolean;
  wait = 0;
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  private bestWeights?: Float32Array[];

  constructor(o: EarlyStoppingOptions = {}) {
    super();
    this.monitor = o.monitor ?? 'val_loss';
    this.patience = o.patience ?? 0;
    this.baseline = o.baseline;
    this.restoreBestWeights = o.restoreBestWeights ?? false;
    this.startFromEpoch = o.startFromEpoch ?? 0;
    const mode = o.mode ?? 'auto';
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
    if (this.restoreBestWeights && this.bestWeights) this.model!.setWeightValues(this.bestWeights);
  }
}

/** Stops training (without an error) when the loss becomes NaN or infinite, as Keras does. */
export class TerminateOnNaN extends Callback {
  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}
