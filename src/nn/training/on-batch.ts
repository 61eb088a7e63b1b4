/**
 * Keras's single-batch methods: `trainOnBatch(x, y, { sampleWeight, classWeight, returnDict })` (one optimizer
 * step), `testOnBatch(x, y, { sampleWeight, returnDict })` (one test step, regularization penalties included) and
 * `predictOnBatch(x)`. As Keras 3, trainOnBatch and testOnBatch do not reset the metrics: they accumulate in the
 * model's trackers (fit resets them at each epoch's start), and the values returned are those trackers' results:
 * `[loss, ...metrics]` in compile order, or the logs object with `returnDict`.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, assertLive, checkOptions, tidy } from '../../core/internal.ts';
import type { Logs } from '../callbacks.ts';
import type { Structure } from '../symbolic.ts';
import { checkClassWeight } from './class-weight.ts';
import { requireCompiled } from './compile.ts';
import { evaluateResult, testStep } from './evaluate.ts';
import { checkArrays } from './fit-data.ts';
import { readLogs } from './logging.ts';
import type { TrainableModel } from './model.ts';
import type { TestOnBatchOptions, TrainOnBatchOptions } from './options.ts';
import { type BatchPart, isBatchPart, leaves } from './outputs.ts';
import { trainStep } from './train-step.ts';

function checkReturnDict(fn: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`${fn}: expected returnDict true or false. Received: ${JSON.stringify(v)}`);
}

function checkXY(fn: string, x: unknown, y: unknown, sw: unknown): asserts x is BatchPart {
  if (!isBatchPart(x)) throw new ArgumentError(`${fn}: expected x to be a tensor, or a list or object of tensors. Received: ${x === null ? 'null' : Array.isArray(x) ? 'an array of non-tensors' : typeof x}`);
  if (y === undefined) throw new ArgumentError(`${fn}: expected labels y. Received: no y`);
  checkArrays(fn, x, y, sw);
}

/** One optimizer step on (x, y); resolves to the trackers' results. */
export async function trainOnBatch(model: TrainableModel, x: unknown, y: unknown, o: TrainOnBatchOptions = {}): Promise<number[] | Logs> {
  checkOptions('trainOnBatch', o, ['sampleWeight', 'classWeight', 'returnDict']);
  const c = requireCompiled(model, 'trainOnBatch');
  checkXY('trainOnBatch', x, y, o.sampleWeight);
  checkReturnDict('trainOnBatch', o.returnDict);
  let table;
  if (o.classWeight !== undefined) {
    table = checkClassWeight('trainOnBatch', o.classWeight);
    if (c.outputs) throw new ArgumentError(`trainOnBatch: classWeight is only supported for models with a single output (as Keras). Received: a model with ${c.outputs.length} outputs`);
    if (o.sampleWeight !== undefined) throw new ArgumentError('trainOnBatch: expected classWeight or sampleWeight, not both (as Keras). Received: both');
  }
  trainStep(model, c, x, y as BatchPart, o.sampleWeight as BatchPart | undefined, table, 'trainOnBatch');
  const logs = await readLogs(c);
  return evaluateResult(c, logs, o.returnDict);
}

/** One test step on (x, y), into the model's trackers; resolves to their results. */
export async function testOnBatch(model: TrainableModel, x: unknown, y: unknown, o: TestOnBatchOptions = {}): Promise<number[] | Logs> {
  checkOptions('testOnBatch', o, ['sampleWeight', 'returnDict']);
  const c = requireCompiled(model, 'testOnBatch');
  checkXY('testOnBatch', x, y, o.sampleWeight);
  checkReturnDict('testOnBatch', o.returnDict);
  testStep(model, c, x, y as BatchPart, o.sampleWeight as BatchPart | undefined, 'testOnBatch');
  const logs = await readLogs(c);
  return evaluateResult(c, logs, o.returnDict);
}

/** The model in inference mode on x as one batch (the caller owns the result). */
export function predictOnBatch(model: TrainableModel, x: unknown): Structure<Tensor> {
  if (!isBatchPart(x)) throw new ArgumentError(`predictOnBatch: expected x to be a tensor, or a list or object of tensors. Received: ${x === null ? 'null' : typeof x}`);
  for (const t of leaves(x)) assertLive('predictOnBatch', t);
  return tidy(() => model.call(x, { training: false }));
}
