/**
 * Inputs, labels and predictions of models with several inputs or outputs, for fit, evaluate and
 * predict (Keras 3's compile_utils semantics): a batch part (x or y) is one tensor, a list or an
 * object of tensors; labels are matched to outputs by position (a list) or by output name (an
 * object); the total loss is the sum, in output order, of each output's loss times its weight
 * ((l0 * w0 + l1 * w1) + ...), each output's unweighted loss is tracked as `<output>_loss` and its
 * metrics as `<output>_<metric>`. A model with one output takes the single-output path unchanged.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, Tensor, fmtShape, ops, withScope } from '../../core/internal.ts';
import { MeanMetric, resolveMetric } from '../metrics.ts';
import { type Structure, flattenStructure, isPlainObject } from '../symbolic.ts';
import { type Compiled, ensureMetrics } from './compile.ts';

/** A batch's x or y: one tensor, or a list or an object of tensors. */
export type BatchPart = Structure<Tensor>;

/** Whether `v` is a batch part (a tensor, or a non-empty list or plain object of tensors). */
export function isBatchPart(v: unknown): v is BatchPart {
  if (v instanceof Tensor) return true;
  if (Array.isArray(v) || isPlainObject(v)) {
    const l = flattenStructure(v as Structure<unknown>);
    return l.length > 0 && l.every((t) => t instanceof Tensor);
  }
  return false;
}

/** The tensors of a batch part (an object's in sorted key order). */
export function leaves(s: BatchPart): Tensor[] {
  return flattenStructure(s);
}

/** The number of samples of a batch part (its first tensor's batch dimension). */
export function batchSizeOf(s: BatchPart): number {
  return leaves(s)[0].shape[0];
}

/** "one tensor", "a list of 2", "an object {a, b}" */
function describe(s: unknown): string {
  if (s instanceof Tensor) return `one tensor of shape ${fmtShape(s.shape)}`;
  if (Array.isArray(s)) return `a list of ${s.length}`;
  if (isPlainObject(s)) return `an object {${Object.keys(s).join(', ')}}`;
  return typeof s;
}

/** The predictions, one per output: a one-output model's prediction unwrapped from a list or object of one. */
export function predictionsOf(c: Compiled, yPred: BatchPart): Tensor[] {
  const p = leaves(yPred);
  const n = c.outputs?.length ?? 1;
  if (p.length !== n) throw new ArgumentError(`fit: expected the model to return ${n} output(s). Received: ${describe(yPred)}`);
  return p;
}

/** The labels, one per output in output order: by position (a list) or by output name (an object). */
export function targetsOf(fn: string, c: Compiled, y: BatchPart): Tensor[] {
  if (!c.outputs) {
    const l = leaves(y);
    if (l.length !== 1) throw new ArgumentError(`${fn}: expected one label tensor for a model with one output. Received: ${describe(y)}`);
    return l;
  }
  const names = c.outputs.map((o) => o.name);
  const want = `labels for each of the ${names.length} outputs: a list by position or an object keyed by [${names.join(', ')}]`;
  if (Array.isArray(y)) {
    if (y.length !== names.length) throw new ArgumentError(`${fn}: expected ${want}. Received: ${describe(y)}`);
    return [...y];
  }
  if (isPlainObject(y)) {
    const keys = Object.keys(y);
    if (keys.length !== names.length || names.some((k) => !keys.includes(k))) throw new ArgumentError(`${fn}: expected ${want}. Received: ${describe(y)}`);
    return names.map((k) => (y as Record<string, Tensor>)[k]);
  }
  throw new ArgumentError(`${fn}: expected ${want}. Received: ${describe(y)}`);
}

/** Throws unless every tensor of x and y has the same number of samples. */
export function checkSameBatch(fn: string, x: BatchPart, y: BatchPart): void {
  const n = batchSizeOf(x);
  const bad = [...leaves(x), ...leaves(y)].find((t) => t.shape[0] !== n);
  if (bad) {
    const shapes = (s: BatchPart) => (s instanceof Tensor ? fmtShape(s.shape) : `[${leaves(s).map((t) => fmtShape(t.shape)).join(', ')}]`);
    throw new ShapeError(`${fn}: expected x and y with the same number of samples. Received: x.shape=${shapes(x)}, y.shape=${shapes(y)}`);
  }
}

/**
 * The sample weights of each output (Keras's CompileLoss): none, one tensor for every output, or a list by position
 * or an object by output name (as the labels).
 */
export function sampleWeightsOf(fn: string, c: Compiled, sw: BatchPart | undefined): (Tensor | undefined)[] | undefined {
  if (sw === undefined) return undefined;
  const n = c.outputs?.length ?? 1;
  if (sw instanceof Tensor) return Array.from({ length: n }, () => sw);
  if (!c.outputs) throw new ArgumentError(`${fn}: expected sampleWeight to be one tensor for a model with one output. Received: ${describe(sw)}`);
  return targetsOf(`${fn}: sampleWeight`, c, sw);
}

/**
 * The total loss and, with several outputs, each output's unweighted loss (each weighted by its sample weights, if any).
 * Op traces record it under the scope `loss`, each output's loss under `loss/<output name>`.
 */
export function lossOf(c: Compiled, ys: readonly Tensor[], preds: readonly Tensor[], sws?: readonly (Tensor | undefined)[]): { total: Tensor; parts?: Tensor[] } {
  return withScope('loss', () => {
    if (!c.outputs) return { total: sws?.[0] ? c.loss.call(ys[0], preds[0], sws[0]) : c.loss.call(ys[0], preds[0]) };
    const parts = c.outputs.map((o, i) => withScope(o.name, () => (sws?.[i] ? o.loss.call(ys[i], preds[i], sws[i]) : o.loss.call(ys[i], preds[i]))));
    let total: Tensor | undefined;
    parts.forEach((p, i) => {
      const w = c.outputs![i].weight;
      const v = w === undefined ? p : ops.mul(p, w);
      total = total === undefined ? v : ops.add(total, v);
    });
    return { total: total!, parts };
  });
}

/** Adds a batch's total loss to the loss tracker (op traces: scope `metrics/loss`, as Keras's tracker 'loss'). */
export function trackLoss(c: Compiled, value: Tensor, n: number): void {
  withScope('metrics', () => withScope('loss', () => c.lossTracker.updateValues(value, n)));
}

/**
 * Updates the metrics (and, with several outputs, the outputs' loss trackers) with a batch of `n` samples. As
 * Keras's `metrics` (not `weighted_metrics`), the metrics are not weighted by sample weights. Op traces record each
 * under `metrics/<name>` (the name Keras logs, e.g. `metrics/accuracy`, `metrics/out_1_loss`).
 */
export function updateMetrics(c: Compiled, ys: readonly Tensor[], preds: readonly Tensor[], n: number, parts?: readonly Tensor[]): void {
  // MeanMetric.update pushes its own name; other trackers (user Metric objects, the loss parts) get it here.
  const scoped = (m: { id: string; tracker?: unknown }, f: () => void): void => (m.tracker instanceof MeanMetric ? f() : withScope(m.id, f));
  withScope('metrics', () => {
    if (!c.outputs) {
      ensureMetrics(c, ys[0], preds[0]);
      for (const m of c.metrics) scoped(m, () => m.tracker!.update(ys[0], preds[0]));
      return;
    }
    for (const m of c.metrics) {
      const o = m.output!;
      if (m.isLoss) {
        withScope(m.id, () => (m.tracker as MeanMetric).updateValues(parts![o], n));
        continue;
      }
      if (!m.fn && !m.stateful) {
        m.fn = resolveMetric(m.metric!, ys[o].shape, preds[o].shape);
        m.tracker = new MeanMetric(m.id, m.fn);
      }
      scoped(m, () => m.tracker!.update(ys[o], preds[o]));
    }
  });
}

/** Disposes every tensor of a batch part. */
export function disposePart(s: BatchPart | undefined): void {
  if (s !== undefined) for (const t of leaves(s)) t.dispose();
}
