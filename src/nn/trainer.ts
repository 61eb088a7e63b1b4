/**
 * The training API behind Sequential: compile, fit, evaluate, predict (Keras 3 semantics).
 * One optimizer step per batch; the loss tracker and metrics accumulate on the device as
 * batch-size-weighted float32 means; validation runs at epoch end; History holds exactly the
 * values the progress bar prints. Every step runs inside `tidy`, and each batch's tensors are
 * disposed after its step, so the live-tensor count does not grow across epochs.
 * Logs are read from the device every batch when the backend reads synchronously (the CPU) or a
 * callback needs them, else at most once per `logInterval` seconds and at epoch end; a NaN or
 * infinite loss stops training with a NumericError (or gracefully, with TerminateOnNaN).
 * With `checkpoint`, fit saves exact-resume checkpoints (checkpoint/); with `resumeFrom`, it
 * continues a run from the newest valid one, ending with the uninterrupted run's bits.
 * Part of src/nn: imports src/core only.
 */
import * as ops from '../core/ops/index.ts';
import { ENGINE } from '../core/engine.ts';
import { ArgumentError, NumericError, ShapeError, fmtShape } from '../core/errors.ts';
import { variableGrads } from '../core/grad.ts';
import { Tensor } from '../core/tensor.ts';
import { Callback, CallbackList, type CallbackLike, type Logs } from './callbacks.ts';
import type { TrainingRun } from './checkpoint/capture.ts';
import { type CheckpointOptions, Checkpointer, openResume, type ResumeSource } from './checkpoint/checkpointer.ts';
import { prepareResume, type ResumePoint } from './checkpoint/restore.ts';
import { verifyDeferredChecks } from './deferred-checks.ts';
import { History } from './history.ts';
import { type Loss, getLoss } from './losses.ts';
import { MeanMetric, type MetricFn, resolveMetric, METRIC_NAMES } from './metrics.ts';
import { type Optimizer, getOptimizer } from './optimizers/index.ts';
import { Progbar, type ProgbarSink } from './progbar.ts';
import type { Sequential } from './sequential.ts';

/**
 * A source of batches for `fit`, `evaluate` and `predict`: a {@link data.Dataset} (iterated once per epoch, reshuffled
 * per epoch) or any async iterable. Each element is `[x, y]` (or `{ x, y }`) of tensors, x [batch, ...] and y with
 * the same batch size; `predict` needs only x. `fit` and `evaluate` dispose every element's tensors after its step.
 */
export interface BatchSource {
  /**
   * The batches of epoch `epoch` (datasets reshuffle per epoch), from batch `options.start`
   * (checkpoints and resumes need it; a Dataset's iterator also reports its `position`).
   */
  iterate?(epoch: number, options?: { start?: number }): AsyncIterable<unknown>;
  /** Plain async iteration, used when there is no `iterate` (the same batches every epoch, unless the iterable changes them). */
  [Symbol.asyncIterator]?(): AsyncIterator<unknown>;
  /** Number of batches if known (>= 0), else negative or undefined. */
  cardinality?(): number;
}

/** Options of `Sequential.compile` (Keras `model.compile(optimizer, loss, metrics)`). */
export interface CompileOptions {
  /** 'adam' (Keras defaults), 'sgd', or an optimizer instance such as `new dt.optimizers.Adam({ learningRate: 1e-3 })`. */
  optimizer: string | Optimizer;
  /**
   * A Keras loss name ('sparse_categorical_crossentropy', 'categorical_crossentropy', 'mean_squared_error' or 'mse')
   * or a loss instance from `dt.losses`.
   */
  loss: string | Loss;
  /**
   * Keras metric names: 'accuracy' or 'acc' (resolved from the label and prediction shapes, as Keras does),
   * 'sparse_categorical_accuracy', 'categorical_accuracy'. They appear in logs and History under these names.
   */
  metrics?: string[];
}

export interface CompiledMetric {
  id: string;
  fn?: MetricFn;
  tracker?: MeanMetric;
}

export interface Compiled {
  optimizer: Optimizer;
  /** Whether compile() created the optimizer from a name (then recompiling releases it). */
  ownsOptimizer?: boolean;
  loss: Loss;
  lossTracker: MeanMetric;
  metrics: CompiledMetric[];
}

/** Options of `Sequential.fit` (Keras `model.fit` keyword arguments, camelCase). */
export interface FitOptions {
  /** Number of passes over the data (default 1). */
  epochs?: number;
  /** First epoch index (for resuming). */
  initialEpoch?: number;
  /** Data evaluated at the end of every epoch; its loss and metrics enter the logs and History as `val_*`. */
  validationData?: BatchSource;
  /** Callbacks (instances of {@link callbacks.Callback} subclasses), called in order after the progress bar. */
  callbacks?: CallbackLike[];
  /** 0 silent, 1 progress bar, 2 one line per epoch; 'auto' = 1. */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Where progress output goes (default: process.stdout). */
  sink?: ProgbarSink;
  /**
   * Minimum seconds (default 1) between device reads of the running logs on backends that cannot read
   * synchronously (WebGPU) when no callback needs per-batch logs; the CPU reads them every batch.
   */
  logInterval?: number;
  /**
   * Save exact-resume checkpoints into `checkpoint.dir` every `everySteps` optimizer steps and/or
   * after every epoch ({@link checkpoint.CheckpointOptions}). Needs a Dataset as training data. Each save
   * reads every weight, optimizer slot and metric accumulator back from the device and fsyncs
   * three files and two directories.
   */
  checkpoint?: CheckpointOptions;
  /**
   * Continue from the newest valid checkpoint of this directory (or from a checkpoint returned by
   * findLatestCheckpoint): weights, optimizer state, seed generators, random state, data position,
   * metric accumulators, History and callback states are restored, and training continues at the
   * saved epoch and step (`initialEpoch` is then ignored). The program must build the same model,
   * optimizer, metrics, callbacks and data pipeline (same shuffle seeds) and pass the same epochs;
   * anything else fails with a DataFormatError before any state is changed.
   */
  resumeFrom?: ResumeSource;
}

/** Options of `Sequential.evaluate`. */
export interface EvaluateOptions {
  /** 0 silent, 1 (or 'auto', the default) a progress bar. */
  verbose?: 0 | 1 | 'auto';
  /** Where progress output goes (default: process.stdout). */
  sink?: ProgbarSink;
}

/** Options of `Sequential.predict`. */
export interface PredictOptions {
  /** Batch size when predicting a tensor (default 32, as in Keras); a dataset keeps its own batches. */
  batchSize?: number;
}

export function compileModel(model: Sequential, o: CompileOptions): Compiled {
  if (!o || typeof o !== 'object') throw new ArgumentError(`compile: expected an options object { optimizer, loss, metrics }. Received: ${typeof o}`);
  if (o.optimizer === undefined) throw new ArgumentError("compile: expected an optimizer (e.g. 'adam'). Received: undefined");
  if (o.loss === undefined) throw new ArgumentError("compile: expected a loss (e.g. 'sparse_categorical_crossentropy'). Received: undefined");
  const metrics = (o.metrics ?? []).map((id) => {
    if (!METRIC_NAMES.includes(id)) throw new ArgumentError(`compile: unknown metric '${id}'. Expected one of: ${METRIC_NAMES.join(', ')}`);
    return { id };
  });
  // Resolve everything before releasing the previous configuration: a rejected compile() must
  // leave a compiled model usable (its trackers were disposed first before).
  const optimizer = getOptimizer(o.optimizer);
  const loss = getLoss(o.loss);
  const previous = model.compiled;
  if (previous) {
    previous.lossTracker.dispose();
    for (const m of previous.metrics) m.tracker?.dispose();
    // An optimizer the model made from a name is the model's to release (its slots leaked before).
    if (previous.ownsOptimizer && previous.optimizer !== optimizer) previous.optimizer.dispose();
  }
  return { optimizer, ownsOptimizer: typeof o.optimizer === 'string', loss, lossTracker: new MeanMetric('loss'), metrics };
}

function requireCompiled(model: Sequential, fn: string): Compiled {
  if (!model.compiled) throw new ArgumentError(`${fn}: the model must be compiled first: call model.compile({ optimizer, loss, metrics })`);
  return model.compiled;
}

/** Splits a dataset element into (x, y). */
function unpack(fn: string, el: unknown): [Tensor, Tensor | undefined] {
  if (el instanceof Tensor) return [el, undefined];
  if (Array.isArray(el) && el[0] instanceof Tensor) return [el[0], el[1] instanceof Tensor ? el[1] : undefined];
  if (el && typeof el === 'object' && (el as { x?: unknown }).x instanceof Tensor) {
    const o = el as { x: Tensor; y?: Tensor };
    return [o.x, o.y];
  }
  throw new ArgumentError(`${fn}: expected dataset elements [x, y] of tensors. Received: ${Array.isArray(el) ? 'an array of non-tensors' : typeof el}`);
}

function iterate(source: BatchSource, epoch: number, fn: string, start = 0): AsyncIterable<unknown> {
  if (source && typeof source.iterate === 'function') return start > 0 ? source.iterate(epoch, { start }) : source.iterate(epoch);
  if (source && typeof source[Symbol.asyncIterator] === 'function') return source as AsyncIterable<unknown>;
  throw new ArgumentError(`${fn}: expected a Dataset or an async iterable of [x, y] batches. Received: ${typeof source}`);
}

function steps(source: BatchSource): number | null {
  const n = typeof source.cardinality === 'function' ? source.cardinality() : -1;
  return n >= 0 ? n : null;
}

/** Resolves 'accuracy' etc. from the first batch's shapes and creates the trackers. */
function ensureMetrics(c: Compiled, y: Tensor, yPred: Tensor): void {
  for (const m of c.metrics) {
    if (m.fn) continue;
    m.fn = resolveMetric(m.id, y.shape, yPred.shape);
    m.tracker = new MeanMetric(m.id, m.fn);
  }
}

function checkBatch(fn: string, x: Tensor, y: Tensor | undefined): Tensor {
  if (!y) throw new ArgumentError(`${fn}: expected dataset elements [x, y] with labels. Received: elements without y`);
  if (y.shape[0] !== x.shape[0]) {
    throw new ShapeError(`${fn}: expected x and y with the same number of samples. Received: x.shape=${fmtShape(x.shape)}, y.shape=${fmtShape(y.shape)}`);
  }
  return y;
}

/** One optimizer step on a batch; updates the loss tracker and metrics. */
function trainStep(model: Sequential, c: Compiled, x: Tensor, y: Tensor): void {
  // Build before listing the weights: a model without a declared input shape creates them on its
  // first call, which would otherwise happen after `vars` was read (and find no variables).
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  ENGINE.tidy(() => {
    const vars = model.trainableWeights;
    let yPred: Tensor | undefined;
    try {
      // The kept prediction is released in `finally`, also when the loss throws (bad labels).
      const { value, grads } = variableGrads(() => {
        yPred = ENGINE.keep(model.call(x, { training: true }));
        return c.loss.call(y, yPred);
      }, vars);
      c.optimizer.applyGradients(grads.map((g, i) => [g, vars[i]] as const));
      c.lossTracker.updateValues(value, x.shape[0]);
      ensureMetrics(c, y, yPred!);
      for (const m of c.metrics) m.tracker!.update(y, yPred!);
    } finally {
      yPred?.dispose();
    }
  });
}

/** Current values of the loss tracker and metrics, keys sorted as Keras logs are. */
async function readLogs(c: Compiled, prefix = ''): Promise<Logs> {
  const trackers: [string, MeanMetric][] = [['loss', c.lossTracker], ...c.metrics.filter((m) => m.tracker).map((m) => [m.id, m.tracker!] as [string, MeanMetric])];
  const packed = ENGINE.tidy(() => ops.stack(trackers.map(([, t]) => t.result())));
  const values = await packed.data();
  packed.dispose();
  // Input checks that could not run synchronously (e.g. label ranges on WebGPU) fail here.
  await verifyDeferredChecks();
  const logs: Logs = {};
  const sorted = trackers.map(([k], i) => [k, values[i]] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [k, v] of sorted) logs[prefix + k] = v;
  return logs;
}

function resetTrackers(c: Compiled): void {
  c.lossTracker.reset();
  for (const m of c.metrics) m.tracker?.reset();
}

/** The Keras progress bar as a callback (Keras's ProgbarLogger). */
class ProgbarLogger extends Callback {
  private bar?: Progbar;
  constructor(private readonly verbose: 1 | 2, private readonly epochs: number, private target: number | null, private readonly sink?: ProgbarSink) {
    super();
  }
  private write(s: string): void {
    if (this.sink) this.sink.write(s);
    else process.stdout.write(s);
  }
  override onEpochBegin(epoch: number): void {
    this.bar = new Progbar({ target: this.target ?? undefined, verbose: this.verbose, sink: this.sink });
    if (this.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }
  /** A resumed fit re-enters an epoch that began before the checkpoint: a new bar, same header. */
  resume(epoch: number): void {
    this.onEpochBegin(epoch);
  }
  override onBatchEnd(batch: number, logs?: Logs): void {
    if (this.verbose === 1) this.bar?.update(batch + 1, logs ?? {}, false);
  }
  finish(steps: number, logs: Logs): void {
    // As Keras's _finalize_progbar: an unknown step count is learnt from the first epoch, so the
    // final line shows "n/n" and a bar (and verbose 2's line) in later epochs has its target.
    if (this.target === null) this.target = steps;
    if (this.bar && this.bar.target === undefined) this.bar.target = this.target;
    this.bar?.update(steps, logs, true);
  }
}

export async function fitModel(model: Sequential, data: BatchSource, o: FitOptions = {}): Promise<History> {
  const c = requireCompiled(model, 'fit');
  const epochs = o.epochs ?? 1;
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError(`fit: expected epochs to be a positive integer. Received: epochs=${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ArgumentError(`fit: expected 0 <= initialEpoch < epochs. Received: initialEpoch=${initialEpoch}, epochs=${epochs}`);
  }
  const verbose = o.verbose === undefined || o.verbose === 'auto' ? 1 : o.verbose;
  const history = new History();
  let target = steps(data);
  history.params = { verbose, epochs, steps: target };
  if ((o.checkpoint || o.resumeFrom !== undefined) && typeof data?.iterate !== 'function') {
    throw new ArgumentError('fit: expected a Dataset (a source with iterate(epoch, { start })) as training data with checkpoint or resumeFrom: the data position must be saved and restored. Received: a plain async iterable');
  }
  const run: TrainingRun = { model, compiled: c, history, callbacks: o.callbacks ?? [], data, epochs, stepsPerEpoch: target, validation: o.validationData !== undefined };
  const opened = o.resumeFrom !== undefined ? openResume(o.resumeFrom) : undefined;
  const checkpointer = o.checkpoint ? new Checkpointer(o.checkpoint, opened) : undefined;
  const applyResume = opened ? prepareResume(run, opened.checkpoint) : undefined;
  if (opened && target === null && opened.checkpoint.state.fit.stepsPerEpoch !== null) {
    // A source without cardinality(): the interrupted run had learnt the epoch length already.
    target = run.stepsPerEpoch = history.params.steps = opened.checkpoint.state.fit.stepsPerEpoch;
  }
  const bar = verbose ? new ProgbarLogger(verbose, epochs, target, o.sink) : undefined;
  const callbacks = new CallbackList([...(bar ? [bar] : []), ...(o.callbacks ?? [])]);
  callbacks.setModel(model);
  callbacks.setParams(history.params);
  const userWantsBatchLogs = new CallbackList(o.callbacks ?? []).wantsBatchLogs();
  const backend = ENGINE.backend;
  const syncReads = typeof backend.readSync === 'function';
  const interval = o.logInterval ?? 1;
  model.stopTraining = false;
  // Everything was checked by prepareResume; this assigns the model, optimizer, trackers and RNGs.
  const resumed: ResumePoint | undefined = applyResume?.();
  if (resumed) {
    history.history = resumed.history.history;
    history.epoch = resumed.history.epoch;
  }
  let globalStep = resumed?.globalStep ?? 0;
  await callbacks.call('onTrainBegin');
  resumed?.applyCallbackStates();
  for (let epoch = resumed ? resumed.epoch : initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    const start = resumed && epoch === resumed.epoch ? resumed.step : 0;
    if (start === 0) {
      resetTrackers(c);
      await callbacks.call('onEpochBegin', epoch);
    } else {
      // The epoch began before the checkpoint: its trackers and callbacks carry on from there.
      bar?.resume(epoch);
    }
    let batch = start;
    let logs: Logs = {};
    let lastRead = -Infinity;
    const batches = iterate(data, epoch, 'fit', start);
    for await (const el of batches) {
      const [x, y0] = unpack('fit', el);
      try {
        const y = checkBatch('fit', x, y0);
        await callbacks.call('onBatchBegin', batch);
        trainStep(model, c, x, y);
      } finally {
        x.dispose();
        y0?.dispose();
      }
      const now = performance.now() / 1000;
      if (syncReads || userWantsBatchLogs || now - lastRead >= interval) {
        logs = await readLogs(c);
        lastRead = now;
      }
      await callbacks.call('onBatchEnd', batch, logs);
      batch++;
      globalStep++;
      if (model.stopTraining) break;
      if (logs.loss !== undefined && !Number.isFinite(logs.loss)) throw nanError(epoch, batch, logs.loss);
      if (checkpointer?.dueAfterStep(globalStep, batch, target)) {
        const position = (batches as { position?: { epoch: number; index: number } }).position ?? { epoch, index: batch };
        await checkpointer.save(run, { epoch, step: batch, globalStep, data: position });
      }
    }
    if (batch === 0) throw new ArgumentError(`fit: the dataset produced no batches in epoch ${epoch + 1}`);
    if (target === null) {
      target = batch;
      history.params.steps = batch;
      run.stepsPerEpoch = batch;
    }
    const epochLogs = await readLogs(c);
    if (!model.stopTraining && !Number.isFinite(epochLogs.loss)) throw nanError(epoch, batch, epochLogs.loss);
    if (o.validationData) Object.assign(epochLogs, await evaluateInternal(model, c, o.validationData, 'val_'));
    bar?.finish(batch, epochLogs);
    history.record(epoch, epochLogs);
    await callbacks.call('onEpochEnd', epoch, epochLogs);
    if (checkpointer?.everyEpoch) await checkpointer.save(run, { epoch: epoch + 1, step: 0, globalStep, data: { epoch: epoch + 1, index: 0 } });
  }
  await callbacks.call('onTrainEnd');
  return history;
}

function nanError(epoch: number, batch: number, loss: number): NumericError {
  return new NumericError(`fit: the loss became ${loss} in epoch ${epoch + 1} by batch ${batch}; training stopped (lower the learning rate, check the inputs for NaN/Inf, or add TerminateOnNaN to stop without an error)`);
}

/** Runs the model over `data` accumulating loss and metrics in fresh trackers. */
async function evaluateInternal(model: Sequential, c: Compiled, data: BatchSource, prefix: string, bar?: Progbar): Promise<Logs> {
  const local: Compiled = { ...c, lossTracker: new MeanMetric('loss'), metrics: c.metrics.map((m) => ({ id: m.id, fn: m.fn, tracker: m.fn ? new MeanMetric(m.id, m.fn) : undefined })) };
  try {
    let batch = 0;
    for await (const el of iterate(data, 0, 'evaluate')) {
      const [x, y0] = unpack('evaluate', el);
      try {
        const y = checkBatch('evaluate', x, y0);
        ENGINE.tidy(() => {
          const yPred = model.call(x, { training: false });
          local.lossTracker.updateValues(local.loss.call(y, yPred), x.shape[0]);
          ensureMetrics(local, y, yPred);
          for (const m of local.metrics) m.tracker!.update(y, yPred);
        });
      } finally {
        x.dispose();
        y0?.dispose();
      }
      batch++;
      if (bar) bar.update(batch, ENGINE.backend.readSync ? await readLogs(local) : {}, false);
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

export async function evaluateModel(model: Sequential, data: BatchSource, o: EvaluateOptions = {}): Promise<number[]> {
  const c = requireCompiled(model, 'evaluate');
  const verbose = o.verbose === undefined || o.verbose === 'auto' ? 1 : o.verbose;
  const bar = verbose ? new Progbar({ target: steps(data) ?? undefined, verbose: 1, sink: o.sink }) : undefined;
  const logs = await evaluateInternal(model, c, data, '', bar);
  return [logs.loss, ...c.metrics.map((m) => logs[m.id])];
}

export async function predictModel(model: Sequential, x: Tensor | BatchSource, o: PredictOptions = {}): Promise<Tensor> {
  const batchSize = o.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`predict: expected a positive integer batchSize. Received: ${batchSize}`);
  const parts: Tensor[] = [];
  try {
    if (x instanceof Tensor) {
      ENGINE.assertLive('predict', x);
      for (let i = 0; i < x.shape[0]; i += batchSize) {
        const n = Math.min(batchSize, x.shape[0] - i);
        parts.push(ENGINE.tidy(() => model.call(ops.slice(x, i, n), { training: false })));
      }
    } else {
      for await (const el of iterate(x, 0, 'predict')) {
        const [bx, by] = unpack('predict', el);
        try {
          parts.push(model.call(bx, { training: false }));
        } finally {
          bx.dispose();
          by?.dispose();
        }
      }
    }
    if (!parts.length) throw new ArgumentError('predict: no input samples');
    return parts.length === 1 ? parts[0].clone() : ops.concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}
