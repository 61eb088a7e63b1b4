/**
 * The options of the training API (compile, fit, evaluate, predict) and the batch sources it reads:
 * the public types behind `Sequential`'s methods, Keras keyword arguments in camelCase.
 * Part of src/nn: imports src/core only.
 */
import type { TraceOptions } from '../../core/internal.ts';
import type { CallbackLike } from '../callbacks.ts';
import type { CheckpointOptions, ResumeSource } from '../checkpoint/checkpointer.ts';
import type { Loss } from '../losses.ts';
import type { Optimizer } from '../optimizers/index.ts';
import type { ProgbarSink } from '../progbar.ts';

/**
 * A source of batches for `fit`, `evaluate` and `predict`: a {@link data.Dataset} (iterated once per epoch, reshuffled
 * per epoch) or any async iterable. Each element is `[x, y]` (or `{ x, y }`) of tensors, x [batch, ...] and y with
 * the same batch size; `predict` needs only x. `fit`, `evaluate` and `predict` dispose the elements of a Dataset (of
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
}

/** Options of `Sequential.predict`. */
export interface PredictOptions {
  /** Batch size when predicting a tensor (default 32, as in Keras); a dataset keeps its own batches. */
  batchSize?: number;
}
