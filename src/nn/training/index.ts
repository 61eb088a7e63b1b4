/**
 * The training API behind Sequential (Keras 3 semantics): compile, fit, evaluate, predict, and
 * their option types. One optimizer step per batch; the loss tracker and metrics accumulate on the
 * device as batch-size-weighted float32 means; validation runs at epoch end; History holds exactly
 * the values the progress bar prints. Every step runs inside `tidy`, and each batch's tensors are
 * disposed after its step, so the live-tensor count does not grow across epochs.
 * With `checkpoint`, fit saves exact-resume checkpoints (../checkpoint/); with `resumeFrom`, it
 * continues a run from the newest valid one, ending with the uninterrupted run's bits.
 * Part of src/nn: imports src/core only.
 */
export { type Compiled, compileModel, releaseTrackers } from './compile.ts';
export { splitArguments } from './fit-data.ts';
export { predictOnBatch, testOnBatch, trainOnBatch } from './on-batch.ts';
export { evaluateModel } from './evaluate.ts';
export { fitModel } from './fit.ts';
export type { TrainableModel } from './model.ts';
export type {
  ArrayData, BatchSource, CompileOptions, EvaluateOptions, FitOptions, PredictOptions, TestOnBatchOptions, TrainOnBatchOptions,
} from './options.ts';
export type { BatchPart } from './outputs.ts';
export { predictModel } from './predict.ts';
