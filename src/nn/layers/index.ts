/**
 * Keras layers (`dt.layers`): Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, Dense, Dropout, the pooling layers, Flatten, Activation, Input, and the Layer
 * base class for your own. NHWC layout, Keras's names, defaults and weight layouts.
 * @privateRemarks Part of src/nn: imports src/core only.
 * @packageDocumentation
 */
export { Conv2D, type Conv2DConfig } from './conv2d.ts';
export { Conv2DTranspose, type Conv2DTransposeConfig } from './conv2d-transpose.ts';
export { DepthwiseConv2D, type DepthwiseConv2DConfig } from './depthwise-conv2d.ts';
export { SeparableConv2D, type SeparableConv2DConfig } from './separable-conv2d.ts';
export { Dense, type DenseConfig } from './dense.ts';
export { Dropout, type DropoutConfig } from './dropout.ts';
export { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D, type Pooling2DConfig } from './pooling.ts';
export { Activation, Flatten, Input, InputLayer } from './simple.ts';
export { Layer, type CallContext, type LayerConfig } from '../layer.ts';
