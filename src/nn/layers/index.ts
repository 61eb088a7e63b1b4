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
export { Activation, Flatten, Input, InputLayer } from './simple.ts';
export { Layer, type CallContext, type LayerConfig } from '../layer.ts';
export { RandomFlip, type FlipMode, type RandomFlipConfig } from './random-flip.ts';
export { RandomRotation, type RandomRotationConfig } from './random-rotation.ts';
export { RandomTranslation, type RandomTranslationConfig } from './random-translation.ts';
export { RandomZoom, type RandomZoomConfig } from './random-zoom.ts';
export { RandomCrop, type RandomCropConfig } from './random-crop.ts';
export { RandomContrast, type RandomContrastConfig } from './random-contrast.ts';
export { RandomBrightness, type RandomBrightnessConfig } from './random-brightness.ts';
export { RandomImageLayer, type Factor, type RandomImageConfig, type RandomGeometryConfig } from './image-augmentation.ts';
