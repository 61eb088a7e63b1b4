/**
 * Training callbacks (`dt.callbacks`): the Callback base and CallbackList, EarlyStopping and TerminateOnNaN
 * (src/nn/callbacks.ts), and Keras 3's ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, CSVLogger,
 * LambdaCallback and BackupAndRestore, one file each.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export {
  Callback, CallbackList, EarlyStopping, TerminateOnNaN,
  type CallbackLike, type CallbackModel, type CallbackState, type EarlyStoppingOptions, type Logs,
} from '../callbacks.ts';
export { BackupAndRestore, type BackupAndRestoreOptions } from './backup-and-restore.ts';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.ts';
export { LambdaCallback, type LambdaCallbackOptions } from './lambda-callback.ts';
export { LearningRateScheduler, type LearningRateSchedulerOptions } from './learning-rate-scheduler.ts';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.ts';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.ts';
