/**
 * Optimizer base: slot variables created on the first update, an integer step counter
 * (`iterations`), and `applyGradients`. Updates are compositions of engine ops (exact float32,
 * identical on every backend); scalar coefficients are computed once on the host with float32
 * rounding at each step.
 * Part of src/nn: imports src/core only.
 */
import { ENGINE } from '../../core/engine.ts';
import { ArgumentError, ShapeError, fmtShape } from '../../core/errors.ts';
import type { Tensor, Variable } from '../../core/tensor.ts';

export abstract class Optimizer {
  /** Number of applied update steps (Keras `optimizer.iterations`). */
  iterations = 0;
  private slots = new Map<Variable, Variable[]>();

  constructor(readonly name: string, readonly learningRate: number) {
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

  protected abstract createSlots(v: Variable, count: number): Variable[];

  /** One update of each variable from its gradient, then iterations += 1. */
  applyGradients(pairs: readonly (readonly [Tensor, Variable])[]): void {
    for (const [g, v] of pairs) {
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new ShapeError(`${this.name}.applyGradients: expected a gradient of shape ${fmtShape(v.shape)} for '${v.name}'. Received: ${fmtShape(g.shape)}`);
      }
    }
    ENGINE.tidy(() => this.update(pairs));
    this.iterations++;
  }

  protected abstract update(pairs: readonly (readonly [Tensor, Variable])[]): void;

  /** Slot variables in a fixed order (by variable order of first use, then slot index). */
  variables(): Variable[] {
    return [...this.slots.values()].flat();
  }

  /** Number of scalar slot values (for model.summary's "Optimizer params"). */
  countParams(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
    this.slots.clear();
  }
}
