/**
 * ReduceLROnPlateau (Keras 3 `keras.callbacks.ReduceLROnPlateau`): multiplies the optimizer's learning rate by
 * `factor` when the monitored value has not improved for `patience` epochs, and logs `learning_rate`.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DataFormatError, checkOptions } from '../../core/internal.ts';
import { Callback, type CallbackState, type Logs, callbackOptimizer, checkMode, printMessage } from '../callbacks.ts';
import { f64FromHex, f64Hex } from '../checkpoint/number-bits.ts';
import { pyRepr } from './py-format.ts';

/** Options of {@link ReduceLROnPlateau} (Keras's keyword arguments, camelCase). */
export interface ReduceLROnPlateauOptions {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** The factor the learning rate is multiplied by, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement after which the learning rate is reduced (default 10). */
  patience?: number;
  /** 0 (default) silent, 1 prints a line at each reduction. */
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto' (the default: 'max' when the monitor's name contains 'acc', else 'min'; Keras's rule). */
  mode?: 'auto' | 'min' | 'max';
  /** The threshold of a significant improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The lower bound of the learning rate (default 0). */
  minLr?: number;
}

/**
 * Reduces the learning rate when a metric has stopped improving, Keras 3 semantics: at each epoch end it puts the
 * optimizer's current learning rate into the logs as `learning_rate` (so History and later callbacks such as
 * CSVLogger see it), then, when `monitor` is in the logs: in cooldown the cooldown counter falls and `wait` is 0;
 * an improvement (`current < best - minDelta` when minimising, `current > best + minDelta` when maximising)
 * becomes the best and resets `wait`; otherwise, out of cooldown, `wait` grows and when it reaches `patience` and
 * the learning rate is above f32(minLr) it becomes `max(lr * factor, minLr)` (rounded to float32 by the optimizer,
 * as Keras's float32 variable does), the cooldown starts and `wait` is 0. A missing monitor warns (console.warn).
 * The optimizer must have a constant learning rate (Keras: a schedule's is not settable). Its counters and best
 * value, and the optimizer's learning rate, are saved in fit checkpoints.
 */
export class ReduceLROnPlateau extends Callback {
  /** The log key watched. */
  readonly monitor: string;
  /** The reduction factor. */
  readonly factor: number;
  /** Epochs without improvement before a reduction. */
  readonly patience: number;
  /** 0 silent, 1 messages. */
  readonly verbose: number;
  /** 'auto', 'min' or 'max'. */
  readonly mode: 'auto' | 'min' | 'max';
  /** The improvement threshold. */
  readonly minDelta: number;
  /** Epochs of cooldown after a reduction. */
  readonly cooldown: number;
  /** The lower bound of the learning rate. */
  readonly minLr: number;
  private readonly maximize: boolean;
  /** Epochs since the last improvement (or reduction). */
  wait = 0;
  /** Cooldown epochs left. */
  cooldownCounter = 0;
  /** The best monitored value so far. */
  best: number;

  /** @throws {@link ArgumentError} for unknown options, a factor >= 1 or another bad value, a bad mode. */
  constructor(o: ReduceLROnPlateauOptions = {}) {
    super();
    checkOptions('ReduceLROnPlateau', o, ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr']);
    this.monitor = o.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string') throw new ArgumentError(`ReduceLROnPlateau: expected monitor to be a log key. Received: monitor=${String(this.monitor)}`);
    this.factor = o.factor ?? 0.1;
    if (typeof this.factor !== 'number' || !(this.factor < 1)) throw new ArgumentError(`ReduceLROnPlateau: does not support a factor >= 1.0. Received: factor=${String(o.factor)}`);
    if (!(this.factor >= 0)) throw new ArgumentError(`ReduceLROnPlateau: expected factor >= 0. Received: factor=${this.factor}`);
    const num = (k: 'patience' | 'cooldown' | 'minDelta' | 'minLr', dflt: number, int: boolean): number => {
      const v = o[k] ?? dflt;
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v) || (int && !Number.isInteger(v))) throw new ArgumentError(`ReduceLROnPlateau: expected ${k} to be a${int ? 'n integer' : ' number'} >= 0. Received: ${k}=${String(v)}`);
      return v;
    };
    this.patience = num('patience', 10, true);
    this.cooldown = num('cooldown', 0, true);
    this.minDelta = num('minDelta', 1e-4, false);
    this.minLr = num('minLr', 0, false);
    this.verbose = o.verbose ?? 0;
    this.mode = checkMode('ReduceLROnPlateau', o.mode);
    this.maximize = this.mode === 'max' || (this.mode === 'auto' && this.monitor.includes('acc'));
    this.best = this.maximize ? -Infinity : Infinity;
  }

  /** Keras `_reset`: wait, cooldown and best start over. */
  override onTrainBegin(): void {
    this.best = this.maximize ? -Infinity : Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const opt = callbackOptimizer('ReduceLROnPlateau', this.model);
    logs.learning_rate = opt.currentLearningRate();
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`ReduceLROnPlateau: Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(',')}.`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    const improved = this.maximize ? current > this.best + this.minDelta : current < this.best - this.minDelta;
    if (improved) {
      this.best = current;
      this.wait = 0;
    } else if (!(this.cooldownCounter > 0)) {
      this.wait++;
      if (this.wait >= this.patience) {
        const oldLr = opt.currentLearningRate();
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          opt.setLearningRate(newLr);
          if (this.verbose > 0) printMessage(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyRepr(newLr)}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  /** Configuration a resumed ReduceLROnPlateau must share with the checkpointed one. */
  private configKey(): string {
    return JSON.stringify({ monitor: this.monitor, factor: f64Hex(this.factor), patience: this.patience, mode: this.mode, minDelta: f64Hex(this.minDelta), cooldown: this.cooldown, minLr: f64Hex(this.minLr) });
  }

  /** wait, the cooldown counter and best (exact bits); the learning rate is the optimizer's, saved with it. */
  override getState(): CallbackState {
    return { json: { config: this.configKey(), wait: this.wait, cooldownCounter: this.cooldownCounter, best: f64Hex(this.best) }, arrays: [] };
  }

  override checkState(st: CallbackState): void {
    const j = st?.json ?? {};
    const fail = (what: string): never => {
      throw new DataFormatError(`ReduceLROnPlateau.setState: ${what}`);
    };
    if (j.config !== this.configKey()) fail(`expected the checkpointed configuration ${String(j.config)}. Received: this callback's ${this.configKey()}`);
    for (const k of ['wait', 'cooldownCounter']) {
      if (!Number.isSafeInteger(j[k]) || (j[k] as number) < 0) fail(`expected ${k} to be a non-negative integer. Received: ${JSON.stringify(j[k])}`);
    }
    f64FromHex(j.best, 'ReduceLROnPlateau best');
  }

  override setState(st: CallbackState): void {
    this.checkState(st);
    this.wait = st.json.wait as number;
    this.cooldownCounter = st.json.cooldownCounter as number;
    this.best = f64FromHex(st.json.best, 'ReduceLROnPlateau best');
  }
}
