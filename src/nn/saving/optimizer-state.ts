/**
 * The optimizer's state in Keras 3's weights file: the group `optimizer/vars` (its `name` attribute
 * the optimizer's Keras name, 'adam'), datasets by index in Keras's `optimizer.variables` order:
 * `0` the iteration count (int64 scalar), `1` the learning rate (float32 scalar; absent when the
 * learning rate is a schedule or a function), then the slots. Keras stores them by index only, and
 * the slot order depends on the optimizer and on the Keras version, so only the layouts that are
 * the same in the Keras versions ditto was checked against are read and written: optimizers with
 * at most one slot per weight (SGD, Adagrad, Lion, RMSprop without momentum or centering), and
 * Adam / AdamW without amsgrad, whose momentum and velocity alternate per weight (Keras 3.9, 3.10
 * and 3.14 files); no EMA, no gradient accumulation. Any other optimizer is left out on writing and
 * its group skipped on reading, as Keras skips an optimizer whose variable count differs.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError, type Variable, ops, tidy } from '../../core/internal.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import type { H5Dataset, H5DatasetSpec, H5Group } from './hdf5.ts';
import { datasetValues } from './weight-values.ts';

const f32 = Math.fround;

/** Slots per weight when `opt`'s layout is one ditto reads and writes, else undefined. */
function kerasSlots(opt: Optimizer): number | undefined {
  const cfg = opt.getConfig();
  if (cfg.useEma || cfg.gradientAccumulationSteps) return undefined;
  const k = opt.slotsPerVariable;
  if (opt.name === 'Adam' || opt.name === 'AdamW') return k === 2 ? 2 : undefined;
  return ['SGD', 'Adagrad', 'Lion', 'RMSprop'].includes(opt.name) && k <= 1 ? k : undefined;
}

/** The datasets of `optimizer/vars` ("0", "1", ...) for `opt` over `trainable`, or undefined when not written. */
export async function optimizerDatasets(opt: Optimizer | undefined, trainable: readonly Variable[]): Promise<[string, H5DatasetSpec][] | undefined> {
  if (!opt || !trainable.length) return undefined;
  const k = kerasSlots(opt);
  if (k === undefined || (k > 0 && !trainable.every((v) => opt.slotsOf(v)?.length === k))) return undefined;
  const out: H5DatasetSpec[] = [{ shape: [], dtype: '<q', data: BigInt64Array.of(BigInt(opt.iterations)) }];
  if (typeof opt.learningRate === 'number') out.push({ shape: [], dtype: '<f', data: Float32Array.of(opt.currentLearningRate()) });
  for (const v of trainable) {
    for (const s of opt.slotsOf(v) ?? []) out.push({ shape: [...s.shape], dtype: '<f', data: (await s.data()) as Float32Array });
  }
  return out.map((d, i) => [String(i), d]);
}

/**
 * Checks `optimizer/vars` of a read file against `opt` and returns the function that applies it (creating the
 * slots, assigning them, the iteration count and the learning rate), or undefined when the file has no optimizer
 * state or its layout is not one ditto reads (the group is then skipped, as Keras does).
 * @throws {@link ditto-ml!DataFormatError | DataFormatError} naming the file and the dataset when the group has
 * the layout's variable count but a value of the wrong shape or type.
 */
export function matchOptimizerState(fn: string, opt: Optimizer | undefined, trainable: readonly Variable[], root: H5Group, source: string): (() => void) | undefined {
  const og = root.children.get('optimizer');
  const g = og?.kind === 'group' ? og.children.get('vars') : undefined;
  if (!opt || !g || g.kind !== 'group' || !trainable.length) return undefined;
  const k = kerasSlots(opt);
  const head = typeof opt.learningRate === 'number' ? 2 : 1;
  const count = [...g.children.values()].filter((c) => c.kind === 'dataset').length;
  if (k === undefined || count !== head + k * trainable.length) return undefined;
  const at = (i: number): H5Dataset => {
    const d = g.children.get(String(i));
    if (!d || d.kind !== 'dataset') throw new DataFormatError(`${fn}: ${source}: the dataset 'optimizer/vars/${i}' is missing`);
    return d;
  };
  const scalar = (i: number, what: string): number => {
    const d = at(i);
    const x = d.shape.length === 0 && d.data && d.data.length === 1 ? Number(d.data[0]) : NaN;
    if (!(x >= 0) || !Number.isFinite(x)) throw new DataFormatError(`${fn}: ${source}: expected 'optimizer/vars/${i}' (${what}) to be a finite scalar >= 0. Received: ${d.dtype}[${d.shape.join(', ')}]`);
    return x;
  };
  const iterations = scalar(0, 'the iteration count');
  if (!Number.isSafeInteger(iterations)) throw new DataFormatError(`${fn}: ${source}: expected 'optimizer/vars/0' to be an integer iteration count. Received: ${iterations}`);
  const lr = head === 2 ? f32(scalar(1, 'the learning rate')) : undefined;
  const values: Float32Array[][] = trainable.map((v, i) => Array.from({ length: k }, (_, j) => {
    const idx = head + i * k + j;
    return datasetValues(fn, source, `optimizer/vars/${idx}`, at(idx), v) as Float32Array;
  }));
  return () => {
    opt.build(trainable);
    trainable.forEach((v, i) => opt.slotsOf(v)?.forEach((s, j) => tidy(() => s.assign(ops.tensor(values[i][j], s.shape)))));
    opt.iterations = iterations;
    if (lr !== undefined && lr !== opt.currentLearningRate()) opt.setLearningRate(lr);
  };
}
