/**
 * Optimizer base: slot variables created on the first update, an integer step counter
 * (`iterations`), and `applyGradients`. Updates are compositions of engine ops (exact float32,
 * identical on every backend); scalar coefficients are computed once on the host with float32
 * rounding at each step.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, fmtShape, tidy } from '../../core/internal.ts';

/**
 * The base class of optimizers, Keras `keras.optimizers.Optimizer`: slot variables (zero-filled) created on the first
 * update, an integer step counter ({@link Optimizer.iterations | iterations}) and
 * {@link Optimizer.applyGradients | applyGradients}. Updates are compositions of engine ops, each rounded to float32,
 * identical on every backend; scalar coefficients are computed once per step on the host.
 *
 * To write an optimizer, implement `createSlots` and `update` (and override `slotCount` and `getConfig` when it has
 * slots or hyperparameters).
 */
export abstract class Optimizer {
  /** Number of applied update steps (Keras `optimizer.iterations`). */
  iterations = 0;
  private slots = new Map<Variable, Variable[]>();

  /**
   * @param name the optimizer's name, e.g. 'Adam' (used in messages and slot names)
   * @param learningRate the learning rate, a positive finite number
   * @throws {@link ArgumentError} for a learning rate that is not positive and finite.
   */
  constructor(
    /** The optimizer's name, e.g. 'Adam'. */
    readonly name: string,
    /** The learning rate (constant; no schedules in this version). */
    readonly learningRate: number,
  ) {
    if (!(typeof learningRate === 'number' && learningRate > 0 && Number.isFinite(learningRate))) {
      throw new ArgumentError(`${name}: expected a positive finite learningRate. Received: learningRate=${learningRate}`);
    }
  }

  /** Slot variables of `v` (created zero-filled on first use). */
  protected slotsFor(v: Variable, count: number): Variable[] {
    let s = this.slots.get(v);
    if (!s) {
      s = this.createSlots(v, count);
      this.slots.set(v, s);
    }
    return s;
  }

  /** For subclasses: creates the `count` zero-filled slot variables of model variable `v`. */
  protected abstract createSlots(v: Variable, count: number): Variable[];

  /**
   * Slot variables per model variable that `update` creates (Adam 2, SGD with momentum 1, plain
   * SGD 0). Subclasses with slots override it, so that `build` can create them ahead of time.
   */
  protected slotCount(): number {
    return 0;
  }

  /**
   * Creates the slot variables of `vars` that do not exist yet, in `vars` order (Keras
   * `optimizer.build`): the same zero-filled variables, in the same order, as the first update
   * would create. Loading a checkpoint calls it so that slots can be assigned before any step.
   */
  build(vars: readonly Variable[]): void {
    const n = this.slotCount();
    if (n > 0) for (const v of vars) this.slotsFor(v, n);
  }

  /** Hyperparameters (Keras get_config); checkpoints record them to refuse resuming with others. */
  getConfig(): Record<string, number | boolean | string> {
    return { name: this.name, learningRate: this.learningRate };
  }

  /**
   * One update of each variable from its gradient (`[gradient, variable]` pairs), then iterations += 1 (Keras
   * `apply_gradients`).
   * @throws {@link ShapeError} for a gradient whose shape differs from its variable's.
   */
  applyGradients(pairs: readonly (readonly [Tensor, Variable])[]): void {
    for (const [g, v] of pairs) {
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new ShapeError(`${this.name}.applyGradients: expected a gradient of shape ${fmtShape(v.shape)} for '${v.name}'. Received: ${fmtShape(g.shape)}`);
      }
    }
    tidy(() => this.update(pairs));
    this.iterations++;
  }

  /** For subclasses: updates every variable from its gradient (called inside `tidy`, before iterations += 1). */
  protected abstract update(pairs: readonly (readonly [Tensor, Variable])[]): void;

  /** Slot variables in a fixed order (by variable order of first use, then slot index). */
  variables(): Variable[] {
    return [...this.slots.values()].flat();
  }

  /** Number of scalar slot values (for model.summary's "Optimizer params"). */
  countParams(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  /** Releases the slot variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
    this.slots.clear();
  }
}
