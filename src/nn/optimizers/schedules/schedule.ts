/**
 * The learning-rate schedule base (Keras `keras.optimizers.schedules.LearningRateSchedule`), the
 * `LearningRate` an optimizer accepts (a number, a schedule or a function of the step), and the
 * float32 evaluation of it at a step. Schedules are pure functions of the optimizer's step count,
 * so a checkpoint's step count restores them exactly.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../../core/internal.ts';

/**
 * A learning-rate schedule: a pure function of the optimizer step (the number of updates applied before this one,
 * from 0), evaluated on the host in float32, one rounded operation at a time in Keras's order (each schedule's doc
 * lists its sequence). Subclass it and implement `call` and `getConfig` for a custom schedule.
 */
export abstract class LearningRateSchedule {
  /** The learning rate at `step` (an integer >= 0), a float32 value. */
  abstract call(step: number): number;

  /** The schedule's class name and arguments (Keras get_config); optimizers record it in their config. */
  abstract getConfig(): Record<string, number | boolean | string | null | readonly number[]>;
}

/** An optimizer's learning rate: a constant, a {@link LearningRateSchedule}, or a function of the step (from 0). */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

/** Checks a learning rate given to optimizer `name`: a positive finite number, a schedule or a function. */
export function checkLearningRate(name: string, lr: unknown): LearningRate {
  if (lr instanceof LearningRateSchedule || typeof lr === 'function') return lr as LearningRate;
  if (!(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) {
    throw new ArgumentError(`${name}: expected a positive finite learningRate. Received: learningRate=${String(lr)} (a LearningRateSchedule or a function of the step also works)`);
  }
  return lr;
}

/**
 * The float32 learning rate at `step`: f32(lr) for a number, `schedule.call(step)` rounded to float32, or
 * `fn(step)` rounded to float32.
 * @throws {@link ArgumentError} when a schedule or function gives something other than a finite number.
 */
export function learningRateAt(name: string, lr: LearningRate, step: number): number {
  if (typeof lr === 'number') return Math.fround(lr);
  const v = lr instanceof LearningRateSchedule ? lr.call(step) : lr(step);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ArgumentError(`${name}: expected the learning rate at step ${step} to be a finite number. Received: ${String(v)}`);
  }
  return Math.fround(v);
}

/** The learning rate as a config value: the number, the schedule's config as JSON text, or 'function'. */
export function learningRateConfig(lr: LearningRate): number | string {
  if (typeof lr === 'number') return lr;
  if (lr instanceof LearningRateSchedule) return JSON.stringify(lr.getConfig());
  return 'function';
}

/** For schedules: `o[k]` as a finite number (required unless a default is given). */
export function num(cls: string, o: Record<string, unknown>, k: string, dflt?: number): number {
  const v = o[k] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${cls}: expected ${k} to be a finite number. Received: ${k}=${String(v)}`);
  return v;
}

/** For schedules: `o[k]` as a finite number > 0. */
export function positive(cls: string, o: Record<string, unknown>, k: string, dflt?: number): number {
  const v = num(cls, o, k, dflt);
  if (!(v > 0)) throw new ArgumentError(`${cls}: expected ${k} > 0. Received: ${k}=${v}`);
  return v;
}

/** For schedules: `o[k]` as a boolean (default false). */
export function bool(cls: string, o: Record<string, unknown>, k: string): boolean {
  const v = o[k] ?? false;
  if (typeof v !== 'boolean') throw new ArgumentError(`${cls}: expected ${k} to be a boolean. Received: ${k}=${String(v)}`);
  return v;
}

/** For schedules: `o.name` as a string (default `dflt`). */
export function nameOf(cls: string, o: Record<string, unknown>, dflt: string): string {
  const v = o.name ?? dflt;
  if (typeof v !== 'string') throw new ArgumentError(`${cls}: expected name to be a string. Received: name=${String(v)}`);
  return v;
}
