/**
 * The options of the training API (compile, fit, evaluate, predict) and the batch sources it reads:
 * the public types behind `Sequential`'s methods, Keras keyword arguments in camelCase.
 * Part of src/nn: imports src/core only.
 */
import type { TraceOptions } from '../../core/internal.ts';
import type { CallbackLike } from '../callbacks.ts';
import type { CheckpointOptions, ResumeSource } from '../checkpoint/checkpointer.ts';
import type { Tensor } from '../../core/internal.ts';
import type { Loss } from '../losses.ts';
import type { Metric } from '../metric-base.ts';
import type { Optimizer } from '../optimizers/index.ts';
import type { ProgbarSink } from '../progbar.ts';

/**
 * A source of batches for `fit`, `evaluate` and `predict`: a {@link data.Dataset} (iterated once per epoch, reshuffled
 * per epoch) or any async iterable. Each element is `[x, y]` (or `{ x, y }`) of tensors, x [batch, ...] and y with
 * the same batch size; `predict` needs only x. For a model with several inputs x is a list (or an object keyed by
 * input name) of tensors; with several outputs y is a list (by position) or an object keyed by output name. `fit`, `evaluate` and `predict` dispose the elements of a Dataset (of
 * `iterate`) after each step; the tensors of a plain async iterable stay the caller's and are never disposed.
 */
export interface BatchSource {
  /**
   * The batches of epoch `epoch` (datasets reshuffle per epoch), from batch `options.start`
   * (checkpoints and resumes need it; a Dataset's iterator also reports its `position`).
   */
  iterate?(epoch: number, options?: { start?: number }): AsyncIterable<unknown>;
  /** Plain async iteration, used when there is no `iterate` (the same batches every epoch, unless the iterable changes them). */
  [Symbol.asyncIterator]?(): AsyncIterator<unknown>;
  /**
   * Number of batches if known (>= 0); -1 (tf.data's INFINITE_CARDINALITY) for an endless source, which fit, evaluate
   * and predict refuse; -2 (tf.data's UNKNOWN_CARDINALITY) or no method when unknown.
   */
  cardinality?(): number;
}

/** Options of `compile` (Keras `model.compile(optimizer, loss, metrics, loss_weights)`). */
export interface CompileOptions {
  /** 'adam' (Keras defaults), 'sgd', or an optimizer instance such as `new dt.optimizers.Adam({ learningRate: 1e-3 })`. */
  optimizer: string | Optimizer;
  /**
   * A Keras loss name ('sparse_categorical_crossentropy', 'categorical_crossentropy', 'mean_squared_error' or 'mse')
   * or a loss instance from `dt.losses`. For a model with several outputs: one loss for all outputs, a list (one per
   * output, by position) or an object keyed by output name.
   */
  loss: string | Loss | readonly (string | Loss)[] | { readonly [output: string]: string | Loss };
  /**
   * Keras metric names: 'accuracy' or 'acc' (resolved from the label and prediction shapes, as Keras does),
   * 'sparse_categorical_accuracy', 'categorical_accuracy'. They appear in logs and History under these names. For a
   * model with several outputs: a list with one entry per output (a name or a list of names), or an object keyed by
   * output name; they appear as `<output>_<metric>`.
   */
  metrics?: readonly (string | Metric)[] | readonly (string | Metric | readonly (string | Metric)[])[] | { readonly [output: string]: string | Metric | readonly (string | Metric)[] };
  /**
   * Models with several outputs: the weight of each output's loss in the total loss (a list by position or an object
   * keyed by output name; default 1 each, Keras `loss_weights`).
   */
  lossWeights?: readonly number[] | { readonly [output: string]: number };
}

/** Options of `Sequential.fit` (Keras `model.fit` keyword arguments, camelCase). */
export interface FitOptions {
  /** Number of passes over the data (default 1). */
  epochs?: number;
  /** First epoch index (for resuming). */
  initialEpoch?: number;
  /**
   * Data evaluated at the end of every epoch (every `validationFreq`-th); its loss and metrics enter the logs and
   * History as `val_*`: a Dataset (or async iterable), or arrays `[x, y]` / `[x, y, sampleWeight]`.
   */
  validationData?: BatchSource | readonly [ArrayData, ArrayData] | readonly [ArrayData, ArrayData, ArrayData];
  /** Arrays: samples per batch (default 32; the last batch may be smaller). A Dataset keeps its own batches. */
  batchSize?: number;
  /**
   * Arrays: visit the samples in a new random order every epoch (default true), drawn from a seed taken once per
   * fit from the global seed (`dt.utils.setRandomSeed`); checkpoints record it.
   */
  shuffle?: boolean;
  /**
   * Arrays: the fraction in (0, 1) of the samples held out for validation, taken from the end (before shuffling):
   * the first `floor(n * (1 - validationSplit))` train. Ignored when `validationData` is given (as Keras).
   */
  validationSplit?: number;
  /** Validate after epoch e (1-based) when e % validationFreq == 0 (a number, default 1), or when e is in the list. */
  validationFreq?: number | readonly number[];
  /** Arrays as validation data: samples per batch (default batchSize). */
  validationBatchSize?: number;
  /**
   * Batches drawn for each validation (default: all). With it, the validation data is read as one stream across
   * validations (Keras's cached evaluation iterator).
   */
  validationSteps?: number;
  /**
   * Batches per epoch (default: one pass over the data). With it, the training data is one stream cut into epochs
   * of this many batches: a finite source that runs out ends the epoch early and restarts; an infinite Dataset
   * (e.g. after `.repeat()`) needs it.
   */
  stepsPerEpoch?: number;
  /**
   * A weight per class index for the training loss (Keras's class_weight), e.g. `{ 0: 1, 1: 5 }`: each sample
   * weighs its class's weight (classes not given weigh 1). One-output models only; not with sampleWeight.
   */
  classWeight?: { readonly [classIndex: number]: number };
  /** Arrays: per-sample weights [N] of the training loss (several outputs: one tensor, a list or an object by output). */
  sampleWeight?: ArrayData;
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
   * after every epoch ({@link checkpoint.CheckpointOptions}). Needs a Dataset or arrays as training data. Each save
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
  /**
   * Record an op trace of this fit ({@link debug.TraceOptions}: path, steps, ops, values), as `dt.debug.trace` does;
   * compare two traces with `npx ditto diff`.
   */
  trace?: TraceOptions;
}

/** Options of `Sequential.evaluate`. */
export interface EvaluateOptions {
  /** 0 silent, 1 (or 'auto', the default) a progress bar. */
  verbose?: 0 | 1 | 'auto';
  /** Where progress output goes (default: process.stdout). */
  sink?: ProgbarSink;
  /** Arrays: samples per batch (default 32). A Dataset keeps its own batches. */
  batchSize?: number;
  /** The number of batches to evaluate (default: all of them). */
  steps?: number;
  /** Arrays: per-sample weights of the loss. */
  sampleWeight?: ArrayData;
  /** Resolve to `{ loss, <metric>: value, ... }` instead of `[loss, ...metrics]` (default false). */
  returnDict?: boolean;
}

/** Options of `Sequential.predict`. */
export interface PredictOptions {
  /** Batch size when predicting a tensor (default 32, as in Keras); a dataset keeps its own batches. */
  batchSize?: number;
  /** The number of batches to predict (default: all of them). */
  steps?: number;
}

/**
 * Array data for fit, evaluate, trainOnBatch...: one tensor, or a list or an object (by input or output name) of
 * tensors with the same number of samples.
 */
export type ArrayData = Tensor | readonly Tensor[] | { readonly [name: string]: Tensor };

/** Options of `trainOnBatch` (Keras `train_on_batch`). */
export interface TrainOnBatchOptions {
  /** Per-sample weights of the loss. */
  sampleWeight?: ArrayData;
  /** A weight per class index (see {@link FitOptions.classWeight}). */
  classWeight?: { readonly [classIndex: number]: number };
  /** Resolve to `{ loss, <metric>: value, ... }` instead of `[loss, ...metrics]` (default false). */
  returnDict?: boolean;
}

/** Options of `testOnBatch` (Keras `test_on_batch`). */
export interface TestOnBatchOptions {
  /** Per-sample weights of the loss. */
  sampleWeight?: ArrayData;
  /** Resolve to `{ loss, <metric>: value, ... }` instead of `[loss, ...metrics]` (default false). */
  returnDict?: boolean;
}
