/**
 * Keras layers (`dt.layers`): Conv2D, Dense, Dropout, the pooling layers, Flatten, Activation, Input, and the Layer
 * base class for your own. NHWC layout, Keras's names, defaults and weight layouts.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { Conv2D, type Conv2DConfig } from './conv2d.ts';
export { Dense, type DenseConfig } from './dense.ts';
export { Dropout, type DropoutConfig } from './dropout.ts';
export { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D, type Pooling2DConfig } from './pooling.ts';
export { Activation, Flatten, Input, InputLayer, type InputConfig } from './simple.ts';
export { Layer, type CallContext, type LayerConfig } from '../layer.ts';
export { Add, Average, Maximum, Merge, Minimum, Multiply, Subtract } from './merge.ts';
export { Concatenate, type ConcatenateConfig } from './concatenate.ts';
export { Dot, type DotConfig } from './dot.ts';
export { add, average, concatenate, dot, maximum, minimum, multiply, subtract, type MergeFunction } from './merge-functions.ts';
