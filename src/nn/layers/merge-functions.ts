/**
 * Keras's functional forms of the merge layers (keras.layers.add, concatenate, dot, ...): each
 * creates the layer and applies it to a list of tensors or of symbolic tensors at once.
 * Part of src/nn: imports src/core only.
 */
import type { Tensor } from '../../core/internal.ts';
import type { LayerConfig } from '../layer.ts';
import type { SymbolicTensor } from '../symbolic.ts';
import { Concatenate, type ConcatenateConfig } from './concatenate.ts';
import { Dot, type DotConfig } from './dot.ts';
import { Add, Average, Maximum, type Merge, Minimum, Multiply, Subtract } from './merge.ts';

/** A merge function: on symbolic tensors it returns a symbolic tensor, on tensors a tensor. */
export interface MergeFunction<C> {
  (inputs: SymbolicTensor[], config?: C): SymbolicTensor;
  (inputs: Tensor[], config?: C): Tensor;
}

function merger(make: (config?: LayerConfig) => Merge): MergeFunction<LayerConfig> {
  return ((inputs: Tensor[], config?: LayerConfig) => make(config).apply(inputs)) as MergeFunction<LayerConfig>;
}

/** `new Add(config).apply(inputs)` (Keras `keras.layers.add`). */
export const add: MergeFunction<LayerConfig> = merger((c) => new Add(c));
/** `new Subtract(config).apply(inputs)` (Keras `keras.layers.subtract`). */
export const subtract: MergeFunction<LayerConfig> = merger((c) => new Subtract(c));
/** `new Multiply(config).apply(inputs)` (Keras `keras.layers.multiply`). */
export const multiply: MergeFunction<LayerConfig> = merger((c) => new Multiply(c));
/** `new Average(config).apply(inputs)` (Keras `keras.layers.average`). */
export const average: MergeFunction<LayerConfig> = merger((c) => new Average(c));
/** `new Maximum(config).apply(inputs)` (Keras `keras.layers.maximum`). */
export const maximum: MergeFunction<LayerConfig> = merger((c) => new Maximum(c));
/** `new Minimum(config).apply(inputs)` (Keras `keras.layers.minimum`). */
export const minimum: MergeFunction<LayerConfig> = merger((c) => new Minimum(c));
/** `new Concatenate(config).apply(inputs)` (Keras `keras.layers.concatenate`; default axis -1). */
export const concatenate: MergeFunction<ConcatenateConfig> = ((inputs: Tensor[], config?: ConcatenateConfig) => new Concatenate(config).apply(inputs)) as MergeFunction<ConcatenateConfig>;

/** `new Dot(axes, config).apply(inputs)` (Keras `keras.layers.dot(inputs, axes)`). */
export function dot(inputs: SymbolicTensor[], axes: number | readonly [number, number], config?: DotConfig): SymbolicTensor;
export function dot(inputs: Tensor[], axes: number | readonly [number, number], config?: DotConfig): Tensor;
export function dot(inputs: Tensor[] | SymbolicTensor[], axes: number | readonly [number, number], config?: DotConfig): Tensor | SymbolicTensor {
  return new Dot(axes, config).apply(inputs as Tensor[]);
}
