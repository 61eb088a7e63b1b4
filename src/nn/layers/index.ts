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
export { Activation, Flatten, Input, InputLayer, type InputConfig } from './simple.ts';
export { UpSampling2D, type UpSampling2DConfig } from './upsampling.ts';
export { Cropping2D, ZeroPadding2D, type SpatialAmounts, type SpatialAmountsConfig } from './padding-cropping.ts';
export { GlobalMaxPooling2D, type GlobalPooling2DConfig } from './global-pooling.ts';
export { Permute, RepeatVector, Reshape } from './reshaping.ts';
export { CenterCrop, type CenterCropConfig, Rescaling, type RescalingConfig, Resizing, type ResizingConfig } from './preprocessing.ts';
export { Normalization, type AdaptData, type NestedNumbers, type NormalizationConfig } from './normalization-preprocessing.ts';
export { GaussianDropout, GaussianNoise, type NoiseConfig, SpatialDropout2D, type SpatialDropout2DConfig } from './noise.ts';
export type { DataFormat } from './data-format.ts';
export type { Interpolation } from './image-resize.ts';
export { Layer, type CallContext, type LayerConfig } from '../layer.ts';
export { BatchNormalization, type BatchNormalizationConfig } from './batch-normalization.ts';
export { LayerNormalization, type LayerNormalizationConfig } from './layer-normalization.ts';
export { GroupNormalization, type GroupNormalizationConfig } from './group-normalization.ts';
export type { NormalizationOptions } from './normalization-options.ts';
export { ELU, LeakyReLU, PReLU, ReLU, Softmax, type ELUConfig, type LeakyReLUConfig, type PReLUConfig, type ReLUConfig, type SoftmaxConfig } from './activation-layers.ts';
export { RandomFlip, type FlipMode, type RandomFlipConfig } from './random-flip.ts';
export { RandomRotation, type RandomRotationConfig } from './random-rotation.ts';
export { RandomTranslation, type RandomTranslationConfig } from './random-translation.ts';
export { RandomZoom, type RandomZoomConfig } from './random-zoom.ts';
export { RandomCrop, type RandomCropConfig } from './random-crop.ts';
export { RandomContrast, type RandomContrastConfig } from './random-contrast.ts';
export { RandomBrightness, type RandomBrightnessConfig } from './random-brightness.ts';
export { RandomImageLayer, type Factor, type RandomImageConfig, type RandomGeometryConfig } from './image-augmentation.ts';
export { Add, Average, Maximum, Merge, Minimum, Multiply, Subtract } from './merge.ts';
export { Concatenate, type ConcatenateConfig } from './concatenate.ts';
export { Dot, type DotConfig } from './dot.ts';
export { add, average, concatenate, dot, maximum, minimum, multiply, subtract, type MergeFunction } from './merge-functions.ts';
export { Embedding, type EmbeddingConfig, Masking, type MaskingConfig } from './embedding.ts';
export { Conv1D, type Conv1DConfig } from './conv1d.ts';
export { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, type GlobalPooling1DConfig, type Pooling1DConfig } from './pooling1d.ts';
export { Cropping1D, UpSampling1D, ZeroPadding1D } from './reshaping1d.ts';
export { TextVectorization, type TextBatch, type TextStandardize, type TextVectorizationConfig } from './text-vectorization.ts';
export type { LayerMask, MaskedOutput } from '../layer.ts';
export { type BiasSpec, type DropoutMasks, GRUCell, type GRUCellConfig, LSTMCell, type LSTMCellConfig, RNNCell, type RNNCellConfig, SimpleRNNCell } from './rnn-cells.ts';
export { RNN, type RNNConfig } from './rnn.ts';
export { GRU, type GRUConfig, LSTM, type LSTMConfig, type RecurrentLayerConfig, SimpleRNN, type SimpleRNNConfig } from './recurrent.ts';
export { Bidirectional, type BidirectionalConfig, type BidirectionalMergeMode } from './bidirectional.ts';
export { TimeDistributed } from './time-distributed.ts';
