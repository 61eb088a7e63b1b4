/**
 * The layers namespace (`dt.layers`).
 * Part of src/nn: imports src/core only.
 */
export { Conv2D, type Conv2DConfig } from './conv2d.ts';
export { Dense, type DenseConfig } from './dense.ts';
export { Dropout, type DropoutConfig } from './dropout.ts';
export { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D, type Pooling2DConfig } from './pooling.ts';
export { Activation, Flatten, Input, InputLayer } from './simple.ts';
export { Layer, type CallContext, type LayerConfig } from '../layer.ts';
