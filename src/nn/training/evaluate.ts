/**
 * `evaluate` (Keras `model.evaluate`): the model over arrays or a BatchSource in inference mode, the loss and
 * metrics accumulated from zero (batch-size-weighted means). As Keras's test step, the loss includes the layers'
 * regularization penalties (weights' and activity's, layer-losses.ts) and is weighted by the data's sample
 * weights. fit's validation uses it too (`val_*` logs). The per-sample metrics get fresh trackers; a stateful
 * metric (the instance fit accumulates in) is zeroed for the run and then put back as it was, so fit's own
 * accumulators (and its checkpoints) never see validation data.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions, currentBackend, tidy, withScope } from '../../core/internal.ts';
import type { Logs } from '../callbacks.ts';
import { collectLosses, totalLoss } from '../layer-losses.ts';
import { MeanMetric } from '../metrics.ts';
import { Progbar } from '../progbar.ts';
import { ArraySource } from './array-source.ts';
import { checkBatch, checkFinite, checkSource, iterate, ownsElements, steps, unpack } from './batches.ts';
import { type Compiled, requireCompiled } from './compile.ts';
import { checkArrays, positiveInt } from './fit-data.ts';
import { readLogs } from './logging.ts';
import { restoreState, snapshotState } from './metric-trackers.ts';
import type { TrainableModel } from './model.ts';
import type { BatchSource, EvaluateOptions } from './options.ts';
import { type BatchPart, batchSizeOf, disposePart, isBatchPart, lossOf, predictionsOf, sampleWeightsOf, targetsOf, trackLoss, updateMetrics } from './outputs.ts';
import { StepStream } from './step-stream.ts';

/** Keras's test step on one batch: the loss (with regularization penalties) and metrics into `c`'s trackers. */
export function testStep(model: TrainableModel, c: Compiled, x: BatchPart, y: BatchPart, sw: BatchPart | undefined, fn: string): void {
  tidy(() => {
    const ys = targetsOf(fn, c, y);
    const [out, activity] = collectLosses(() => model.call(x, { training: false }));
    const preds = predictionsOf(c, out);
    const n = batchSizeOf(x);
    const { total, parts } = lossOf(c, ys, preds, sampleWeightsOf(fn, c, sw));
    trackLoss(c, withScope('loss', () => totalLoss(model, total, activity)), n);
    updateMetrics(c, ys, preds, n, parts);
  });
}

/** `c` with fresh trackers for the loss and the per-sample metrics, and its stateful metrics zeroed (see the header). */
export function withFreshTrackers<T>(c: Compiled, run: (local: Compiled) => Promise<T>): Promise<T> {
  const local: Compiled = {
    ...c,
    lossTracker: new MeanMetric('loss'),
    metrics: c.metrics.map((m) => ({ ...m, tracker: m.stateful ? m.tracker : m.fn ? new MeanMetric(m.id, m.fn) : m.isLoss ? new MeanMetric(m.id) : undefined })),
  };
  const snaps = c.metrics.map((m) => (m.stateful ? snapshotState(m.tracker!) : []));
  for (const m of c.metrics) if (m.stateful) m.tracker!.reset();
  const done = (): void => {
    local.lossTracker.dispose();
    local.metrics.forEach((m, i) => {
      if (m.stateful) restoreState(m.tracker!, snaps[i]);
      else m.tracker?.dispose();
    });
  };
  return run(local).finally(done);
}

/** Runs the model over `data` (all of it, or the next `stream` epoch) accumulating loss and metrics from zero. */
export async function evaluateRun(model: TrainableModel, c: Compiled, data: BatchSource | StepStream, prefix: string, bar?: Progbar): Promise<Logs> {
  return withFreshTrackers(c, async (local) => {
    let batch = 0;
    const stream = data instanceof StepStream ? data : undefined;
    const owned = ownsElements(stream ? stream.source : (data as BatchSource));
    for await (const el of stream ? stream.epoch() : iterate(data as BatchSource, 0, 'evaluate')) {
      const [x, y0, sw] = unpack('evaluate', el);
      try {
        testStep(model, local, x, checkBatch('evaluate', x, y0), sw, 'evaluate');
      } finally {
        if (owned) {
          disposePart(x);
          disposePart(y0);
          disposePart(sw);
        }
      }
      batch++;
      // an asynchronous device (WebGPU) runs at most about a batch behind
      await currentBackend().pace?.();
      if (bar) bar.update(batch, currentBackend().readSync ? await readLogs(local) : {}, false);
    }
    if (batch === 0) throw new ArgumentError('evaluate: the dataset produced no batches');
    const logs = await readLogs(local, prefix);
    bar?.update(batch, await readLogs(local), true);
    return logs;
  });
}

/** evaluate's result: `[loss, ...metrics]` in compile order, or the logs with returnDict. */
export function evaluateResult(c: Compiled, logs: Logs, returnDict: boolean | undefined): number[] | Logs {
  return returnDict ? logs : [logs.loss, ...c.metrics.map((m) => logs[m.id])];
}

export async function evaluateModel(model: TrainableModel, x: unknown, y: unknown, o: EvaluateOptions = {}): Promise<number[] | Logs> {
  checkOptions('evaluate', o, ['verbose', 'sink', 'batchSize', 'steps', 'sampleWeight', 'returnDict'], {
    callbacks: 'evaluate takes no callbacks yet',
  });
  const c = requireCompiled(model, 'evaluate');
  const stepsOption = positiveInt('evaluate', 'steps', o.steps);
  let data: BatchSource;
  if (isBatchPart(x)) {
    if (y === undefined) throw new ArgumentError('evaluate: expected labels y with array x: evaluate(x, y, options). Received: no y');
    checkArrays('evaluate', x, y, o.sampleWeight);
    data = new ArraySource([x, y as BatchPart, o.sampleWeight as BatchPart | undefined], positiveInt('evaluate', 'batchSize', o.batchSize, 32)!, null);
  } else {
    if (y !== undefined) throw new ArgumentError('evaluate: expected evaluate(x, y, options) with array x, or evaluate(dataset, options). Received: a Dataset and a second argument');
    checkSource('evaluate', x);
    for (const k of ['batchSize', 'sampleWeight'] as const) {
      if (o[k] !== undefined) throw new ArgumentError(`evaluate: ${k} applies to array data (a Dataset keeps its own batches and gives sample weights in its elements). Received: ${k} with a Dataset`);
    }
    if (stepsOption === undefined) checkFinite('evaluate', x);
    data = x;
  }
  if (o.returnDict !== undefined && typeof o.returnDict !== 'boolean') throw new ArgumentError(`evaluate: expected returnDict true or false. Received: ${JSON.stringify(o.returnDict)}`);
  const verbose = o.verbose === undefined || o.verbose === 'auto' ? 1 : o.verbose;
  const stream = stepsOption === undefined ? undefined : new StepStream(data, 'evaluate', stepsOption);
  const target = stream ? stream.nextEpochSteps() : steps(data);
  const bar = verbose ? new Progbar({ target: target ?? undefined, verbose: 1, sink: o.sink }) : undefined;
  try {
    const logs = await evaluateRun(model, c, stream ?? data, '', bar);
    return evaluateResult(c, logs, o.returnDict);
  } finally {
    await stream?.close();
  }
}
