/**
 * `classWeight` (Keras `class_weight`): a weight per class index that becomes each training sample's weight in the
 * loss, by Keras's rules (data_adapter_utils.class_weight_to_sample_weights / make_class_weight_map_fn): the class
 * of a sample is argmax(y) for one-hot labels [N, C>1], else round(y) (round half to even) of [N] or [N, 1] labels;
 * a class not in `classWeight` has weight 1. Only for models with one output, and not together with sampleWeight.
 * The weights are computed on the device from each batch's labels (a gather from the table
 * [w(0), ..., w(max class)], classes outside it weighing 1): the same for arrays and Datasets.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops, tidy } from '../../core/internal.ts';

/** A checked classWeight: the table of weights for classes 0..max (1 where not given). */
export type ClassWeights = Float32Array;

/** Checks `classWeight` ({ [class index]: weight }) and returns its table. */
export function checkClassWeight(fn: string, cw: unknown): ClassWeights {
  if (cw === null || typeof cw !== 'object' || Array.isArray(cw)) {
    throw new ArgumentError(`${fn}: expected classWeight to be an object { [class index]: weight }, e.g. { 0: 1, 1: 5 }. Received: ${Array.isArray(cw) ? 'an array' : cw === null ? 'null' : typeof cw}`);
  }
  const entries = Object.entries(cw as Record<string, unknown>);
  if (entries.length === 0) throw new ArgumentError(`${fn}: expected classWeight to give at least one class. Received: {}`);
  for (const [k, v] of entries) {
    if (!/^(0|[1-9][0-9]{0,8})$/.test(k)) throw new ArgumentError(`${fn}: expected classWeight keys to be class indices (non-negative integers). Received: '${k}'`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${fn}: expected classWeight values to be finite numbers. Received: ${JSON.stringify(v)} for class ${k}`);
  }
  const max = Math.max(...entries.map(([k]) => Number(k)));
  const table = new Float32Array(max + 1).fill(1);
  for (const [k, v] of entries) table[Number(k)] = v as number;
  return table;
}

/** round(x) half to even for float32 x, as int32 (-1 for x < -0.5: no class). */
function roundLabels(x: Tensor): Tensor {
  const a = ops.abs(x);
  const t = ops.cast(ops.cast(a, 'int32'), 'float32');
  const frac = ops.sub(a, t);
  const odd = ops.equal(ops.sub(t, ops.mul(ops.cast(ops.cast(ops.mul(t, 0.5), 'int32'), 'float32'), 2)), 1);
  const up = ops.where(ops.greater(frac, 0.5), 1, ops.where(ops.equal(frac, 0.5), ops.where(odd, 1, 0), 0));
  const r = ops.add(t, up);
  return ops.cast(ops.where(ops.less(x, -0.5), -1, ops.where(ops.less(x, 0), 0, r)), 'int32');
}

/** The class of each sample of labels `y` (Keras's rule, see the header), int32 [N]. */
function classesOf(y: Tensor): Tensor {
  if (y.rank >= 2 && y.shape[y.rank - 1] > 1) return ops.argmax(y, -1);
  const v = y.rank >= 2 ? ops.squeeze(y, [y.rank - 1]) : y;
  if (v.dtype === 'int32') return v;
  return roundLabels(v.dtype === 'float32' ? v : ops.cast(v, 'float32'));
}

/** The sample weights [N] float32 of a batch's labels. */
export function classSampleWeights(table: ClassWeights, y: Tensor): Tensor {
  return tidy(() => {
    const c = classesOf(y);
    const inRange = ops.mul(ops.cast(ops.greaterEqual(c, 0), 'int32'), ops.cast(ops.less(c, table.length), 'int32'));
    const idx = ops.mul(c, inRange);
    const w = ops.gather(ops.tensor(table, [table.length]), idx);
    const flat = ops.where(ops.equal(inRange, 1), w, 1);
    return flat.rank === 1 ? flat : ops.reshape(flat, [flat.size]);
  });
}
