/**
 * `fit` (Keras `model.fit`): the training loop over arrays or a Dataset (fit-data.ts). Per epoch: reset the
 * trackers and call the callbacks, then one optimizer step per batch (a whole pass, or `stepsPerEpoch` batches of
 * a stream, step-stream.ts) (a Dataset's batches disposed after their step; a plain iterable's stay the caller's),
 * the running logs at their cadence, a NaN/Inf check, and a checkpoint when due; at epoch end
 * the epoch's logs, validation (every `validationFreq`-th epoch), History and callbacks. Its parts: fit-arguments.ts (checks),
 * fit-resume.ts (resumeFrom), logging.ts (log reads and their cadence), fit-checkpoints.ts
 * (checkpoint), train-step.ts (one step), progbar-logger.ts (the progress bar).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, currentBackend, debug, inTraceStep } from '../../core/internal.ts';
import { CallbackList, type Logs } from '../callbacks.ts';
import { withBackup } from '../callbacks/backup-and-restore.ts';
import type { TrainingRun } from '../checkpoint/training-run.ts';
import { History } from '../history.ts';
import { checkBatch, iterate, ownsElements, unpack } from './batches.ts';
import { resetTrackers } from './compile.ts';
import { evaluateRun } from './evaluate.ts';
import { checkFitArguments } from './fit-arguments.ts';
import { FitCheckpoints } from './fit-checkpoints.ts';
import { type FitStart, freshStart, openFitResume, prepareFitResume } from './fit-resume.ts';
import { LogCadence, nanError, readLogs } from './logging.ts';
import type { TrainableModel } from './model.ts';
import type { FitOptions } from './options.ts';
import { ProgbarLogger } from './progbar-logger.ts';
import { disposePart } from './outputs.ts';
import { StepSeries } from './step-series.ts';
import { StepStream } from './step-stream.ts';
import { trainStep } from './train-step.ts';

/** The models with a fit in progress: a second fit on one of them is refused. */
const training = new WeakSet<object>();

export async function fitModel(model: TrainableModel, x: unknown, y: unknown, o: FitOptions = {}): Promise<History> {
  if (training.has(model)) {
    throw new ArgumentError(`fit: this model is already training (a fit call on '${(model as { name?: string }).name ?? 'the model'}' has not finished). Await it before calling fit again, or train a second model. Received: a second fit call`);
  }
  training.add(model);
  const cleanup: (() => void)[] = [];
  try {
    if (o.trace !== undefined) return await debug.trace(o.trace, () => runFit(model, x, y, o, cleanup));
    return await runFit(model, x, y, o, cleanup);
  } finally {
    for (const f of cleanup) f();
    training.delete(model);
  }
}

async function runFit(model: TrainableModel, x: unknown, y: unknown, options: FitOptions, cleanup: (() => void)[]): Promise<History> {
  // A BackupAndRestore callback turns into checkpoint (and resumeFrom when its directory holds a backup).
  const o = withBackup(options);
  const args = checkFitArguments(model, x, y, o);
  const { compiled: c, epochs, initialEpoch, verbose, stepsPerEpoch } = args;
  const data = args.data.train;
  const history = new History();
  history.params = { verbose, epochs, steps: stepsPerEpoch };
  const validationData = args.data.validation;
  const run: TrainingRun = { model, compiled: c, history, callbacks: o.callbacks ?? [], data, epochs, stepsPerEpoch, validation: validationData !== undefined };
  const opened = openFitResume(o);
  const checkpoints = o.checkpoint ? new FitCheckpoints(o.checkpoint, opened) : undefined;
  const resume = opened ? prepareFitResume(run, opened) : undefined;
  const bar = verbose ? new ProgbarLogger(verbose, epochs, run.stepsPerEpoch, o.sink) : undefined;
  const callbacks = new CallbackList([...(bar ? [bar] : []), ...(o.callbacks ?? [])]);
  callbacks.setModel(model);
  callbacks.setParams(history.params);
  const cadence = new LogCadence(o.callbacks ?? [], o.logInterval ?? 1);
  const series = new StepSeries(c);
  cleanup.push(() => series.dispose());
  model.stopTraining = false;
  const first: FitStart = resume ? resume.apply() : freshStart(initialEpoch);
  // stepsPerEpoch / validationSteps: the data are streams cut into epochs (step-stream.ts); a resume re-enters them
  // where the interrupted run was (a pure function of the epochs since initialEpoch and of the validations run).
  const stream = args.stepsOption !== undefined ? new StepStream(data, 'fit', args.stepsOption) : undefined;
  const valStream = validationData && args.validationSteps !== undefined ? new StepStream(validationData, 'fit', args.validationSteps) : undefined;
  stream?.skipEpochs(first.epoch - initialEpoch);
  for (let e = initialEpoch; e < first.epoch; e++) if (args.shouldValidate(e)) valStream?.skipEpochs(1);
  let globalStep = first.globalStep;
  try {
    await callbacks.call('onTrainBegin');
    first.applyCallbackStates();
    for (let epoch = first.epoch; epoch < epochs && !model.stopTraining; epoch++) {
      const start = epoch === first.epoch ? first.step : 0;
      if (start === 0) {
        resetTrackers(c);
        await callbacks.call('onEpochBegin', epoch);
      } else {
        // The epoch began before the checkpoint: its trackers and callbacks carry on from there.
        bar?.resume(epoch);
      }
      let batch = start;
      let logs: Logs = {};
      cadence.startEpoch();
      const batches = stream ? stream.epoch(start) : iterate(data, epoch, 'fit', start);
      const owned = ownsElements(data);
      for await (const el of batches) {
        const [bx, y0, sw] = unpack('fit', el);
        try {
          const by = checkBatch('fit', bx, y0);
          await callbacks.call('onBatchBegin', batch);
          inTraceStep(globalStep + 1, () => trainStep(model, c, bx, by, sw, args.data.classWeights));
        } finally {
          if (owned) {
            disposePart(bx);
            disposePart(y0);
            disposePart(sw);
          }
        }
        series.add(globalStep + 1);
        // an asynchronous device (WebGPU) runs at most about a step behind: the host does not queue an epoch ahead
        await currentBackend().pace?.();
        if (cadence.due()) logs = await readLogs(c);
        await callbacks.call('onBatchEnd', batch, logs);
        batch++;
        globalStep++;
        if (model.stopTraining) break;
        if (logs.loss !== undefined && !Number.isFinite(logs.loss)) throw nanError(epoch, batch, logs.loss);
        if (checkpoints?.dueAfterStep(run, batch, globalStep)) {
          await series.flush(history);
          await checkpoints.saveAfterStep(run, batches, epoch, batch, globalStep);
        }
      }
      if (batch === 0) throw new ArgumentError(`fit: the dataset produced no batches in epoch ${epoch + 1}`);
      if (run.stepsPerEpoch === null) {
        history.params.steps = batch;
        run.stepsPerEpoch = batch;
      }
      await series.flush(history);
      const epochLogs = await readLogs(c);
      if (!model.stopTraining && !Number.isFinite(epochLogs.loss)) throw nanError(epoch, batch, epochLogs.loss);
      if (validationData && args.shouldValidate(epoch)) Object.assign(epochLogs, await evaluateRun(model, c, valStream ?? validationData, 'val_'));
      // Keras order: the callbacks first (they may add logs, as ReduceLROnPlateau adds learning_rate), then History
      // and the progress bar.
      await callbacks.call('onEpochEnd', epoch, epochLogs);
      history.record(epoch, epochLogs);
      bar?.finish(batch, epochLogs);
      if (checkpoints?.dueAfterEpoch) await checkpoints.saveAfterEpoch(run, epoch, globalStep);
    }
  } finally {
    await stream?.close();
    await valStream?.close();
  }
  // Keras's fit: with useEma the weights become their moving averages at the end of training.
  c.optimizer.finalizeVariableValues(model.trainableWeights);
  await callbacks.call('onTrainEnd');
  return history;
}
