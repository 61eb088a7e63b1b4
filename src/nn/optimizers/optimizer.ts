/**
 * Optimizer base: slot variables, an integer step counter (`iterations`), the learning rate (a
 * number, a schedule or a function of the step) and `applyGradients` in Keras 3's order
 * (keras/src/optimizers/base_optimizer.py): gradient accumulation, clipping, weight decay, the
 * subclass's update, the weights' moving average, then iterations += 1. Updates are compositions
 * of engine ops (exact float32, identical on every backend); scalar coefficients are computed once
 * per step on the host with float32 rounding at each step.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, fmtShape, ops, tidy, withScope } from '../../core/internal.ts';
import { type BaseOptimizerOptions, type BaseSettings, applyWeightDecay, baseConfig, checkBaseOptions, clipGradients } from './base-options.ts';
import { type LearningRate, checkLearningRate, learningRateAt, learningRateConfig } from './schedules/schedule.ts';

const f32 = Math.fround;

/**
 * The base class of optimizers, Keras `keras.optimizers.Optimizer`: slot variables created on the first update (or
 * by {@link Optimizer.build | build}), an integer step counter ({@link Optimizer.iterations | iterations}), the
 * learning rate (a number, a {@link LearningRateSchedule} or a function of the step) and
 * {@link Optimizer.applyGradients | applyGradients}, with Keras 3's base options (weightDecay, clipnorm, clipvalue,
 * globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps). Updates are compositions
 * of engine ops, each rounded to float32, identical on every backend; scalar coefficients are computed once per
 * step on the host.
 *
 * To write an optimizer, implement `createSlots` and `update` (and override `slotCount` and `getConfig` when it has
 * slots or hyperparameters).
 */
export abstract class Optimizer {
  /**
   * Number of `applyGradients` calls so far (Keras's internal `_iterations`; with gradientAccumulationSteps Keras's
   * public `iterations` is this divided by the steps, see {@link Optimizer.updateIterations | updateIterations}).
   * Learning-rate schedules are evaluated at this count.
   */
  iterations = 0;
  private slots = new Map<Variable, Variable[]>();
  private averages = new Map<Variable, Variable>();
  private accumulators = new Map<Variable, Variable>();
  private excludedVars = new Set<Variable>();
  private excludedNames: RegExp | undefined;
  /** The checked base options. */
  private readonly base: BaseSettings;

  /**
   * @param name the optimizer's name, e.g. 'Adam' (used in messages and slot names)
   * @param learningRate a positive finite number, a schedule or a function of the step
   * @param options the base options (already checked for unknown keys by the subclass)
   * @throws {@link ArgumentError} for a learning rate that is not positive and finite (nor a schedule or function),
   * or a bad base option.
   */
  constructor(
    /** The optimizer's name, e.g. 'Adam'. */
    readonly name: string,
    /** The learning rate: a constant, a schedule, or a function of the step. */
    readonly learningRate: LearningRate,
    options: BaseOptimizerOptions = {},
  ) {
    checkLearningRate(name, learningRate);
    this.base = checkBaseOptions(name, options);
  }

  /**
   * Keras's `iterations`: the number of updates applied (iterations divided by gradientAccumulationSteps, rounded
   * down, when accumulating; else iterations).
   */
  get updateIterations(): number {
    const a = this.base.gradientAccumulationSteps;
    return a ? Math.floor(this.iterations / a) : this.iterations;
  }

  /** The float32 learning rate at step `step` (default: the next update's, at {@link Optimizer.iterations}). */
  currentLearningRate(step = this.iterations): number {
    return learningRateAt(this.name, this.assignedLr ?? this.learningRate, step);
  }

  /** The learning rate set by setLearningRate (a float32 value), if any. */
  private assignedLr: number | undefined;

  /**
   * The learning rate set after construction by {@link Optimizer.setLearningRate | setLearningRate} (a float32
   * value), or undefined when the constructor's {@link Optimizer.learningRate | learningRate} is in force.
   * Checkpoints save and restore it.
   */
  get assignedLearningRate(): number | undefined {
    return this.assignedLr;
  }

  /**
   * Sets the learning rate of later steps, Keras `optimizer.learning_rate = value` (Keras keeps it in a float32
   * variable: later steps and {@link Optimizer.currentLearningRate | currentLearningRate} use f32(value)); what
   * ReduceLROnPlateau and LearningRateScheduler call. `undefined` returns to the constructor's learning rate.
   * {@link Optimizer.learningRate | learningRate} and getConfig keep the constructor's value (checkpoints compare
   * it); checkpoints save the assigned one.
   * @throws {@link ArgumentError} when the optimizer was created with a schedule or a function of the step (Keras:
   * not settable), or for a value that is not a finite number >= 0.
   */
  setLearningRate(value: number | undefined): void {
    if (value !== undefined) {
      if (typeof this.learningRate !== 'number') {
        throw new ArgumentError(`${this.name}.setLearningRate: this optimizer was created with a ${typeof this.learningRate === 'function' ? 'function of the step' : 'LearningRateSchedule'} as its learningRate, hence its learning rate is not settable. Create it with a number learningRate to set it. Received: ${String(value)}`);
      }
      if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
        throw new ArgumentError(`${this.name}.setLearningRate: expected a finite number >= 0. Received: ${String(value)}`);
      }
    }
    this.assignedLr = value === undefined ? undefined : f32(value);
  }

  /** The weight decay factor, or undefined when there is none. */
  get weightDecay(): number | undefined {
    return this.base.weightDecay;
  }

  /** Slot variables of `v` (created on first use). */
  protected slotsFor(v: Variable, count: number): Variable[] {
    let s = this.slots.get(v);
    if (!s) {
      s = this.createSlots(v, count);
      this.slots.set(v, s);
    }
    return s;
  }

  /** For subclasses: creates the `count` slot variables of model variable `v` (zero-filled unless stated). */
  protected abstract createSlots(v: Variable, count: number): Variable[];

  /**
   * Slot variables per model variable that `update` creates (Adam 2, SGD with momentum 1, plain
   * SGD 0). Subclasses with slots override it, so that `build` can create them ahead of time.
   */
  protected slotCount(): number {
    return 0;
  }

  /** For subclasses: one slot per name, `<prefix>/<weight>_<name>`, filled with `value` (default 0). */
  protected namedSlots(v: Variable, names: readonly string[], value = 0): Variable[] {
    return names.map((n) => ops.variable(value === 0 ? ops.zerosLike(v) : ops.fill(v.shape, value), { name: `${this.slotPrefix}/${v.name}_${n}`, trainable: false }));
  }

  /** The slot-name prefix: the name in lower case ('adam/...'). */
  protected get slotPrefix(): string {
    return this.name.toLowerCase();
  }

  /**
   * Creates the slot variables of `vars` that do not exist yet, in `vars` order (Keras
   * `optimizer.build`): the same variables, in the same order, as the first update would create
   * (the subclass's slots, then with useEma the averages, then with gradientAccumulationSteps the
   * accumulators). Loading a checkpoint calls it so that slots can be assigned before any step.
   */
  build(vars: readonly Variable[]): void {
    const n = this.slotCount();
    if (n > 0) for (const v of vars) this.slotsFor(v, n);
    if (this.base.useEma) {
      for (const v of vars) if (!this.averages.has(v)) this.averages.set(v, ops.variable(ops.zerosLike(v), { name: `${this.slotPrefix}/${v.name}_average`, trainable: false }));
    }
    if (this.base.gradientAccumulationSteps) {
      for (const v of vars) if (!this.accumulators.has(v)) this.accumulators.set(v, ops.variable(ops.zerosLike(v), { name: `${this.slotPrefix}/${v.name}_gradient_accumulator`, trainable: false }));
    }
  }

  /**
   * Excludes variables from weight decay (Keras `exclude_from_weight_decay`): those in `varList`, and those whose
   * name matches one of `varNames` (joined into one regular expression, as Keras does).
   */
  excludeFromWeightDecay(o: { varList?: readonly Variable[]; varNames?: readonly string[] } = {}): void {
    this.excludedVars = new Set(o.varList ?? []);
    this.excludedNames = o.varNames && o.varNames.length > 0 ? new RegExp(o.varNames.join('|')) : undefined;
  }

  private usesWeightDecay(v: Variable): boolean {
    return !this.excludedVars.has(v) && !(this.excludedNames && this.excludedNames.test(v.name));
  }

  /**
   * Hyperparameters (Keras get_config); checkpoints record them to refuse resuming with others. The base options
   * appear only when set; a schedule's learning rate is its config as JSON text, a function's is 'function'.
   */
  getConfig(): Record<string, number | boolean | string> {
    return { name: this.name, learningRate: learningRateConfig(this.learningRate), ...baseConfig(this.base) };
  }

  /**
   * One update of each variable from its gradient (`[gradient, variable]` pairs), then iterations += 1 (Keras
   * `apply_gradients`), in Keras's order: with gradientAccumulationSteps k, a call whose (iterations + 1) is not a
   * multiple of k only adds the gradients to the accumulators; otherwise the gradients are `(g + acc) / k`, then
   * clipped, the weights decayed (`var - var * weightDecay * lr`), the subclass's update applied with the float32
   * learning rate at `iterations`, the accumulators zeroed. Then with useEma every call updates the averages
   * (`avg = m * avg + (1 - m) * var`, m = 0 on the first update, else emaMomentum) and, every
   * emaOverwriteFrequency updates, copies them into the weights.
   * @throws {@link ShapeError} for a gradient whose shape differs from its variable's.
   */
  applyGradients(pairs: readonly (readonly [Tensor, Variable])[]): void {
    for (const [g, v] of pairs) {
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new ShapeError(`${this.name}.applyGradients: expected a gradient of shape ${fmtShape(v.shape)} for '${v.name}'. Received: ${fmtShape(g.shape)}`);
      }
    }
    const vars = pairs.map(([, v]) => v);
    // Scoped for op traces (dt.debug.trace): the slots' creation and the update's ops run under 'optimizer'.
    withScope('optimizer', () => this.build(vars));
    withScope('optimizer', () => tidy(() => {
      const k = this.base.gradientAccumulationSteps;
      let grads = pairs.map(([g]) => g);
      if (k) {
        const accs = vars.map((v) => this.accumulators.get(v)!);
        if ((this.iterations + 1) % k !== 0) {
          accs.forEach((a, i) => a.assign(ops.add(grads[i], a)));
          this.afterUpdate(vars);
          return;
        }
        grads = grads.map((g, i) => ops.div(ops.add(g, accs[i]), k));
        this.step(grads, vars);
        for (const a of accs) a.assign(ops.zerosLike(a));
      } else {
        this.step(grads, vars);
      }
      this.afterUpdate(vars);
    }));
    this.iterations++;
  }

  /** Clipping, weight decay and the subclass's update. */
  private step(grads: readonly Tensor[], vars: readonly Variable[]): void {
    const lr = this.currentLearningRate();
    const clipped = clipGradients(this.base, grads);
    const wd = this.base.weightDecay;
    if (wd !== undefined) for (const v of vars) if (this.usesWeightDecay(v)) applyWeightDecay(v, wd, lr);
    this.update(clipped.map((g, i) => [g, vars[i]] as const), lr);
  }

  /** The moving average of the weights and its periodic overwrite (Keras, after every call). */
  private afterUpdate(vars: readonly Variable[]): void {
    if (!this.base.useEma) return;
    const it = this.updateIterations;
    const m = it !== 0 ? f32(this.base.emaMomentum) : 0;
    for (const v of vars) {
      const avg = this.averages.get(v)!;
      avg.assign(ops.add(ops.mul(avg, m), ops.mul(v, f32(1 - m))));
    }
    const freq = this.base.emaOverwriteFrequency;
    if (freq && (it + 1) % freq === 0) for (const v of vars) v.assign(this.averages.get(v)!);
  }

  /**
   * Copies the moving averages into the weights when useEma is set (Keras `finalize_variable_values`, which Keras's
   * fit calls at the end of training); otherwise does nothing.
   */
  finalizeVariableValues(vars: readonly Variable[]): void {
    if (!this.base.useEma) return;
    tidy(() => {
      for (const v of vars) {
        const avg = this.averages.get(v);
        if (avg) v.assign(avg);
      }
    });
  }

  /**
   * For subclasses: updates every variable from its (clipped) gradient with the step's float32 learning rate
   * `lr` (called inside `tidy`, before iterations += 1; the step's number is {@link Optimizer.updateIterations}).
   */
  protected abstract update(pairs: readonly (readonly [Tensor, Variable])[], lr: number): void;

  /** The slot variables of model variable `v`, in the optimizer's slot order (Adam: momentum, velocity), or undefined before they exist. */
  slotsOf(v: Variable): readonly Variable[] | undefined {
    return this.slots.get(v);
  }

  /** The number of slot variables per model variable that {@link Optimizer.build | build} creates (Adam 2, SGD with momentum 1). */
  get slotsPerVariable(): number {
    return this.slotCount();
  }

  /** Optimizer variables in a fixed order: the slots (by variable, then slot index), the averages, the accumulators. */
  variables(): Variable[] {
    return [...[...this.slots.values()].flat(), ...this.averages.values(), ...this.accumulators.values()];
  }

  /** Number of scalar slot values (for model.summary's "Optimizer params"). */
  countParams(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  /** Releases the slot variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
    this.slots.clear();
    this.averages.clear();
    this.accumulators.clear();
  }
}

/** For subclasses: `o[k]` as a number in [lo, hi) or [lo, hi] (default `dflt`). */
export function rangeOption(cls: string, o: Record<string, unknown>, k: string, dflt: number, lo: number, hi: number, hiOpen: boolean): number {
  const v = o[k] ?? dflt;
  if (typeof v !== 'number' || !(v >= lo && (hiOpen ? v < hi : v <= hi))) {
    throw new ArgumentError(`${cls}: expected ${k} in [${lo}, ${hi}${hiOpen ? ')' : ']'}. Received: ${k}=${String(v)}`);
  }
  return v;
}

/** For subclasses: `o[k]` as a finite number >= 0 (default `dflt`). */
export function nonNegativeOption(cls: string, o: Record<string, unknown>, k: string, dflt: number): number {
  const v = o[k] ?? dflt;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ArgumentError(`${cls}: expected ${k} >= 0. Received: ${k}=${String(v)}`);
  return v;
}

/** For subclasses: `o[k]` as a boolean (default false). */
export function boolOption(cls: string, o: Record<string, unknown>, k: string): boolean {
  const v = o[k] ?? false;
  if (typeof v !== 'boolean') throw new ArgumentError(`${cls}: expected ${k} to be a boolean. Received: ${k}=${String(v)}`);
  return v;
}
