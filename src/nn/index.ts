/**
 * The neural-network API: layers, Sequential and functional models (Model, Input), losses, metrics, optimizers, callbacks, History,
 * the progress bar, safetensors, weight digests and exact-resume checkpoints.
 * Part of src/nn: imports src/core only.
 */
export * as layers from './layers/index.ts';
export { Sequential } from './sequential.ts';
export { Functional, Functional as Model, type FunctionalArgs } from './functional.ts';
export { ModelBase } from './model-base.ts';
export { SymbolicTensor, type GraphLayer, type Node, type Structure } from './symbolic.ts';
export { Input, type InputConfig } from './layers/simple.ts';
export { Layer, type CallContext, type LayerConfig, type ShapeOf, type SymbolicOf, type SymbolicShape } from './layer.ts';
export * as losses from './losses-namespace.ts';
export * as metrics from './metrics-namespace.ts';
export * as regularizers from './regularizers-namespace.ts';
export * as constraints from './constraints-namespace.ts';
export * as optimizers from './optimizers/index.ts';
export * as callbacks from './callbacks/index.ts';
export { Callback, EarlyStopping, TerminateOnNaN } from './callbacks.ts';
export { History, type HistoryJSON } from './history.ts';
export { Progbar } from './progbar.ts';
export { encodeSafetensors, decodeSafetensors } from './safetensors.ts';
export { digestTensors } from './digest.ts';
export { writeFileDurable, cleanupTemporaries } from './durable-write.ts';
export { resetNames } from './naming.ts';
export type { BatchSource, CompileOptions, FitOptions, EvaluateOptions, PredictOptions } from './training/options.ts';
export type { ArrayData, TrainOnBatchOptions, TestOnBatchOptions } from './training/options.ts';
export * as checkpoint from './checkpoint/index.ts';
export * as activations from './activations-namespace.ts';
export * as models from './models-namespace.ts';
export { registerKerasSerializable, type RegisterOptions, type SerializableLayerClass } from './saving/index.ts';
