/**
 * `evaluate` (Keras `model.evaluate`): the model over a BatchSource in inference mode, the loss
 * and metrics accumulated in fresh trackers (batch-size-weighted means). fit's validation uses it
 * too (`val_*` logs).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions, currentBackend, tidy } from '../../core/internal.ts';
import type { Logs } from '../callbacks.ts';
import { MeanMetric } from '../metrics.ts';
import { Progbar } from '../progbar.ts';
import { checkBatch, checkFinite, checkSource, iterate, ownsElements, steps, unpack } from './batches.ts';
import { type Compiled, requireCompiled } from './compile.ts';
import { readLogs } from './logging.ts';
import type { TrainableModel } from './model.ts';
import type { BatchSource, EvaluateOptions } from './options.ts';
import { batchSizeOf, disposePart, lossOf, predictionsOf, targetsOf, updateMetrics } from './outputs.ts';

/** Runs the model over `data` accumulating loss and metrics in fresh trackers. */
export async function evaluateRun(model: TrainableModel, c: Compiled, data: BatchSource, prefix: string, bar?: Progbar): Promise<Logs> {
  const local: Compiled = {
    ...c,
    lossTracker: new MeanMetric('loss'),
    metrics: c.metrics.map((m) => ({ ...m, tracker: m.fn ? new MeanMetric(m.id, m.fn) : m.isLoss ? new MeanMetric(m.id) : undefined })),
  };
  try {
    let batch = 0;
    const owned = ownsElements(data);
    for await (const el of iterate(data, 0, 'evaluate')) {
      const [x, y0] = unpack('evaluate', el);
      try {
        const y = checkBatch('evaluate', x, y0);
        tidy(() => {
          const ys = targetsOf('evaluate', local, y);
          const preds = predictionsOf(local, model.call(x, { training: false }));
          const n = batchSizeOf(x);
          const { total, parts } = lossOf(local, ys, preds);
          local.lossTracker.updateValues(total, n);
          updateMetrics(local, ys, preds, n, parts);
        });
      } finally {
        if (owned) {
          disposePart(x);
          disposePart(y0);
        }
      }
      batch++;
      if (bar) bar.update(batch, currentBackend().readSync ? await readLogs(local) : {}, false);
    }
    if (batch === 0) throw new ArgumentError('evaluate: the dataset produced no batches');
    const logs = await readLogs(local, prefix);
    bar?.update(batch, await readLogs(local), true);
    return logs;
  } finally {
    local.lossTracker.dispose();
    for (const m of local.metrics) m.tracker?.dispose();
  }
}

export async function evaluateModel(model: TrainableModel, data: BatchSource, o: EvaluateOptions = {}): Promise<number[]> {
  checkOptions('evaluate', o, ['verbose', 'sink'], {
    batchSize: 'batch the Dataset instead (dataset.batch(n))',
    steps: 'take a finite number of batches instead (dataset.take(n))',
    callbacks: 'evaluate takes no callbacks yet',
    sampleWeight: 'ditto has no sample weights',
    returnDict: 'evaluate returns [loss, ...metrics]',
  });
  const c = requireCompiled(model, 'evaluate');
  checkSource('evaluate', data);
  checkFinite('evaluate', data);
  const verbose = o.verbose === undefined || o.verbose === 'auto' ? 1 : o.verbose;
  const bar = verbose ? new Progbar({ target: steps(data) ?? undefined, verbose: 1, sink: o.sink }) : undefined;
  const logs = await evaluateRun(model, c, data, '', bar);
  return [logs.loss, ...c.metrics.map((m) => logs[m.id])];
}
