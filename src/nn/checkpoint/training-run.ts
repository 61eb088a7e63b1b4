/**
 * What checkpointing sees of a running fit: a narrow view of the model, its compiled
 * configuration, History, callbacks and data, and the position a checkpoint records. The trainer
 * hands one TrainingRun to the checkpoint code for each fit; nothing in checkpoint/ imports the
 * trainer or Sequential, so the dependency runs one way (training -> checkpoint).
 * Part of src/nn: imports src/core only.
 */
import type { Tensor, Variable } from '../../core/internal.ts';
import type { CallbackLike } from '../callbacks.ts';
import type { History } from '../history.ts';
import type { SymbolicShape } from '../layer.ts';
import type { MeanMetric, MetricFn } from '../metrics.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';

/** The model as a checkpoint reads and restores it (Sequential has this shape). */
export interface CheckpointedModel {
  /**
   * The layers in order: their names (a layer's own seed generator is found by name) and build shapes (a list of
   * shapes for a layer that takes a list; the first layer, whose shape is the model's input shape, takes one).
   */
  readonly layers: readonly { readonly name: string; readonly buildShape?: unknown }[];
  readonly weights: Variable[];
  readonly trainableWeights: Variable[];
  readonly built: boolean;
  build(inputShape: SymbolicShape): void;
  stopTraining: boolean;
}

/** A metric's accumulator as a checkpoint sees it: its state variables (a MeanMetric's are total and count). */
export interface CheckpointedTracker {
  variables(): Variable[];
  update(yTrue: Tensor, yPred: Tensor): void;
}

/** A compiled metric: its name and, once resolved from the first batch, its function and accumulator. */
export interface CheckpointedMetric {
  id: string;
  fn?: MetricFn;
  tracker?: CheckpointedTracker;
  /** Whether the tracker is a stateful metric (a dt.metrics.Metric), saved variable by variable. */
  stateful?: boolean;
  /** Whether it is an output's loss tracker (several outputs): no function, a tracker from compile on. */
  isLoss?: boolean;
}

/** The compiled configuration a checkpoint saves and restores. */
export interface CheckpointedCompile {
  optimizer: Optimizer;
  lossTracker: MeanMetric;
  metrics: CheckpointedMetric[];
}

/** The pieces of a fit that a checkpoint captures. */
export interface TrainingRun {
  model: CheckpointedModel;
  compiled: CheckpointedCompile;
  history: History;
  /** The user's callbacks (not the progress bar), in order. */
  callbacks: readonly CallbackLike[];
  /** The training data (a Dataset reports its shuffle seeds). */
  data: object;
  epochs: number;
  stepsPerEpoch: number | null;
  validation: boolean;
}

/** Where the run continues: see CheckpointState.position; `data` is the iterator's position. */
export interface RunPosition {
  epoch: number;
  step: number;
  globalStep: number;
  data: { epoch: number; index: number };
}
