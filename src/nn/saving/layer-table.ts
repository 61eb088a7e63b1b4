/**
 * The Keras 3 config translation of every built-in layer class (`dt.layers`), one entry per class:
 * Keras's class name, the positional constructor arguments, the options with their Keras key and
 * translation, and the fixed keys Keras writes (data_format 'channels_last'). A new layer class
 * gets its line here; test/unit/nn/keras-config-layers.test.ts fails for a class without one.
 * Part of src/nn: imports src/core only.
 */
import {
  Activation, Add, AveragePooling2D, Average, BatchNormalization, CenterCrop, Concatenate, Conv2D, Conv2DTranspose, Cropping2D,
  Dense, DepthwiseConv2D, Dot, Dropout, ELU, Flatten, GaussianDropout, GaussianNoise, GlobalAveragePooling2D, GlobalMaxPooling2D,
  GroupNormalization, InputLayer, LayerNormalization, LeakyReLU, MaxPooling2D, Maximum, Minimum, Multiply, Normalization, PReLU,
  Permute, RandomBrightness, RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, ReLU,
  RepeatVector, Rescaling, Reshape, Resizing, SeparableConv2D, Softmax, SpatialDropout2D, Subtract, UpSampling2D, ZeroPadding2D,
} from '../layers/index.ts';
import {
  AveragePooling1D, Conv1D, Cropping1D, Embedding, GlobalAveragePooling1D, GlobalMaxPooling1D, Masking, MaxPooling1D, UpSampling1D, ZeroPadding1D,
} from '../layers/index.ts';
import { resolveInitializer } from '../initializers/index.ts';
import { configError } from './keras-objects.ts';
import { type FieldSpec, type LayerSpec, f, member } from './layer-spec.ts';
import { RNN_LAYER_SPECS } from './rnn-table.ts';

const CL = { data_format: 'channels_last' };
/** Keras's default for the optional value_range of its geometric image layers, which does not enter their math. */
const anyValueRange = { value_range: (v: unknown): boolean => v === null || (Array.isArray(v) && v.length === 2) };

/** activation, use_bias and a kernel + bias initializer pair (read from the layer's private members). */
function actBias(kernelKey: string, kernelMember: string): FieldSpec[] {
  return [
    f('activation', 'activation', 'act', (l) => l.activationName),
    f('use_bias', 'useBias'),
    f(kernelKey, kernelKey.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), 'init', member(kernelMember)),
    f('bias_initializer', 'biasInitializer', 'init', member('biasInit')),
  ];
}

/** The regularizers and constraints of Dense and Conv2D (kept in the layer's weightOptions). */
const WEIGHT_OPTIONS: FieldSpec[] = [
  f('kernel_regularizer', 'kernelRegularizer', 'reg', member('weightOptions', 'kernelRegularizer')),
  f('bias_regularizer', 'biasRegularizer', 'reg', member('weightOptions', 'biasRegularizer')),
  f('activity_regularizer', 'activityRegularizer', 'reg', member('weightOptions', 'activityRegularizer')),
  f('kernel_constraint', 'kernelConstraint', 'con', member('weightOptions', 'kernelConstraint')),
  f('bias_constraint', 'biasConstraint', 'con', member('weightOptions', 'biasConstraint')),
];

/** epsilon, center, scale, beta and gamma initializers (normalization layers' `inits` member). */
const NORM: FieldSpec[] = [
  f('epsilon', 'epsilon'), f('center', 'center'), f('scale', 'scale'),
  f('beta_initializer', 'betaInitializer', 'init', member('inits', 'beta')),
  f('gamma_initializer', 'gammaInitializer', 'init', member('inits', 'gamma')),
];

/** Keras's null regularizers and constraints of the normalization layers' beta and gamma (ditto has none there). */
const NORM_NULLS = { beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null };

/** The seed of a layer whose seed generator does not keep it: written as null (Keras: a fresh seed). */
const SEED_NULL = f('seed', 'seed', 'opt', () => null);
/** The seed of an image augmentation layer (kept as `seed`). */
const SEED = f('seed', 'seed', 'opt');
/** The geometric augmentation options. */
const GEOMETRY: FieldSpec[] = [f('fill_mode', 'fillMode'), f('interpolation', 'interpolation'), f('fill_value', 'fillValue'), SEED];

/** The merge layers: no options. */
const merge = (className: string, cls: LayerSpec['cls']): LayerSpec => ({ className, cls });

/** InputLayer: Keras 3 writes batch_shape, a dtype string, sparse and ragged; Keras 2 batch_input_shape. */
const INPUT_LAYER: LayerSpec = {
  className: 'InputLayer',
  cls: InputLayer,
  ownBase: true,
  toConfig: (l: InputLayer) => ({ batch_shape: [l.batchSize ?? null, ...l.declaredInputShape!], dtype: l.dtype, sparse: false, ragged: false, name: l.name }),
  fromConfig: (r) => {
    const name = r.take('name');
    const shape = r.take(r.has('batch_shape') ? 'batch_shape' : 'batch_input_shape');
    if (!Array.isArray(shape) || shape.length < 1 || shape.slice(1).some((d) => !(d === null || (Number.isInteger(d) && d > 0)))) {
      throw configError(r.where, `expected InputLayer batch_shape to be [batch, ...dims] with dims positive or null. Received: ${JSON.stringify(shape)}`, !Array.isArray(shape));
    }
    const dtype = r.take('dtype');
    const dt = dtype === undefined || dtype === null ? 'float32' : typeof dtype === 'string' ? dtype : (dtype as { config?: { name?: unknown } }).config?.name;
    if (dt !== 'float32' && dt !== 'int32') throw configError(r.where, `unsupported InputLayer dtype ${JSON.stringify(dt)} (ditto's inputs are float32 or int32)`);
    for (const k of ['sparse', 'ragged', 'optional']) {
      if (r.has(k) && r.take(k) !== false) throw configError(r.where, `unsupported InputLayer field ${k}=${JSON.stringify(r.cfg[k])}: ditto has dense inputs only`);
    }
    if (r.has('input_tensor') && r.take('input_tensor') !== null) throw configError(r.where, 'unsupported InputLayer field input_tensor');
    const b = shape[0];
    return new InputLayer({ shape: shape.slice(1) as (number | null)[], dtype: dt, ...(Number.isInteger(b) ? { batchSize: b as number } : {}), ...(typeof name === 'string' ? { name } : {}) });
  },
};

/** Every built-in layer class with its Keras 3 config translation. */
export const BUILTIN_LAYER_SPECS: readonly LayerSpec[] = [
  INPUT_LAYER,
  {
    className: 'Dense', cls: Dense,
    args: [f('units', 'units')],
    fields: [...actBias('kernel_initializer', 'kernelInit'), ...WEIGHT_OPTIONS],
  },
  {
    className: 'Conv2D', cls: Conv2D,
    args: [f('filters', 'filters'), f('kernel_size', 'kernelSize')],
    fields: [f('strides', 'strides'), f('padding', 'padding'), f('dilation_rate', 'dilationRate'), f('groups', 'groups'), ...actBias('kernel_initializer', 'kernelInit'), ...WEIGHT_OPTIONS],
    fixed: CL,
  },
  {
    className: 'Conv2DTranspose', cls: Conv2DTranspose,
    args: [f('filters', 'filters'), f('kernel_size', 'kernelSize')],
    fields: [f('strides', 'strides'), f('padding', 'padding'), f('output_padding', 'outputPadding'), f('dilation_rate', 'dilationRate'), ...actBias('kernel_initializer', 'kernelInit')],
    fixed: CL,
  },
  {
    className: 'DepthwiseConv2D', cls: DepthwiseConv2D,
    args: [f('kernel_size', 'kernelSize')],
    fields: [f('strides', 'strides'), f('padding', 'padding'), f('depth_multiplier', 'depthMultiplier'), f('dilation_rate', 'dilationRate'), ...actBias('depthwise_initializer', 'depthwiseInit')],
    fixed: CL,
  },
  {
    className: 'SeparableConv2D', cls: SeparableConv2D,
    args: [f('filters', 'filters'), f('kernel_size', 'kernelSize')],
    fields: [
      f('strides', 'strides'), f('padding', 'padding'), f('depth_multiplier', 'depthMultiplier'), f('dilation_rate', 'dilationRate'),
      ...actBias('depthwise_initializer', 'depthwiseInit'), f('pointwise_initializer', 'pointwiseInitializer', 'init', member('pointwiseInit')),
    ],
    fixed: CL,
  },
  { className: 'Dropout', cls: Dropout, args: [f('rate', 'rate')], fields: [SEED_NULL, f('noise_shape', 'noiseShape', 'opt')] },
  { className: 'MaxPooling2D', cls: MaxPooling2D, args: [f('pool_size', 'poolSize')], fields: [f('padding', 'padding'), f('strides', 'strides', 'opt')], fixed: CL },
  { className: 'AveragePooling2D', cls: AveragePooling2D, args: [f('pool_size', 'poolSize')], fields: [f('padding', 'padding'), f('strides', 'strides', 'opt')], fixed: CL },
  { className: 'GlobalAveragePooling2D', cls: GlobalAveragePooling2D, fields: [f('keepdims', 'keepdims')], fixed: CL },
  { className: 'GlobalMaxPooling2D', cls: GlobalMaxPooling2D, fields: [f('keepdims', 'keepdims')], fixed: CL },
  { className: 'Flatten', cls: Flatten, fixed: CL },
  { className: 'Activation', cls: Activation, args: [f('activation', 'activation', 'act', (l) => l.activationName)] },
  { className: 'UpSampling2D', cls: UpSampling2D, args: [f('size', 'size')], fields: [f('interpolation', 'interpolation')], fixed: CL },
  { className: 'ZeroPadding2D', cls: ZeroPadding2D, args: [f('padding', 'padding')], fixed: CL },
  { className: 'Cropping2D', cls: Cropping2D, args: [f('cropping', 'cropping')], fixed: CL },
  { className: 'Reshape', cls: Reshape, args: [f('target_shape', 'targetShape')] },
  { className: 'Permute', cls: Permute, args: [f('dims', 'dims')] },
  { className: 'RepeatVector', cls: RepeatVector, args: [f('n', 'n')] },
  { className: 'Rescaling', cls: Rescaling, args: [f('scale', 'scale')], fields: [f('offset', 'offset')] },
  {
    className: 'Resizing', cls: Resizing,
    args: [f('height', 'height'), f('width', 'width')],
    fields: [f('interpolation', 'interpolation'), f('crop_to_aspect_ratio', 'cropToAspectRatio')],
    fixed: CL,
    harmless: { pad_to_aspect_ratio: (v) => v === false, antialias: (v) => v === false, fill_mode: () => true, fill_value: () => true }, // fill_* only with pad_to_aspect_ratio
  },
  { className: 'CenterCrop', cls: CenterCrop, args: [f('height', 'height'), f('width', 'width')], fixed: CL },
  {
    className: 'Normalization', cls: Normalization,
    fields: [f('axis', 'axis', 'raw', (l: Normalization) => (l.axis.length === 0 ? null : [...l.axis])), f('invert', 'invert'), f('mean', 'mean', 'opt', member('inputMean')), f('variance', 'variance', 'opt', member('inputVariance'))],
  },
  { className: 'GaussianNoise', cls: GaussianNoise, args: [f('stddev', 'stddev')], fields: [SEED_NULL] },
  { className: 'GaussianDropout', cls: GaussianDropout, args: [f('rate', 'rate')], fields: [SEED_NULL] },
  { className: 'SpatialDropout2D', cls: SpatialDropout2D, args: [f('rate', 'rate')], fields: [SEED_NULL], fixed: CL },
  {
    className: 'BatchNormalization', cls: BatchNormalization,
    fields: [
      f('axis', 'axis', 'axis'), f('momentum', 'momentum'), ...NORM,
      f('moving_mean_initializer', 'movingMeanInitializer', 'init', member('inits', 'mean')),
      f('moving_variance_initializer', 'movingVarianceInitializer', 'init', member('inits', 'variance')),
    ],
    fixed: { ...NORM_NULLS, synchronized: false },
  },
  { className: 'LayerNormalization', cls: LayerNormalization, fields: [f('axis', 'axis'), ...NORM, f('rms_scaling', 'rmsScaling')], fixed: NORM_NULLS },
  { className: 'GroupNormalization', cls: GroupNormalization, fields: [f('groups', 'groups'), f('axis', 'axis'), ...NORM], fixed: NORM_NULLS },
  { className: 'ReLU', cls: ReLU, fields: [f('max_value', 'maxValue', 'opt'), f('negative_slope', 'negativeSlope'), f('threshold', 'threshold')] },
  {
    className: 'LeakyReLU', cls: LeakyReLU, fields: [f('negative_slope', 'negativeSlope')],
    // Keras 2 (tf.keras) names the slope `alpha`.
    fromConfig: (r, base) => new LeakyReLU({ ...base, ...(r.has('negative_slope') ? { negativeSlope: r.take('negative_slope') as number } : r.has('alpha') ? { negativeSlope: r.take('alpha') as number } : {}) }),
  },
  { className: 'ELU', cls: ELU, fields: [f('alpha', 'alpha')] },
  { className: 'Softmax', cls: Softmax, fields: [f('axis', 'axis')] },
  {
    className: 'PReLU', cls: PReLU,
    fields: [f('alpha_initializer', 'alphaInitializer', 'init', (l) => resolveInitializer('PReLU', member('alphaInitId')(l) as never)), f('shared_axes', 'sharedAxes', 'opt')],
  },
  { className: 'RandomFlip', cls: RandomFlip, args: [f('mode', 'mode')], fields: [SEED], harmless: anyValueRange },
  { className: 'RandomRotation', cls: RandomRotation, args: [f('factor', 'factor')], fields: GEOMETRY, fixed: CL, harmless: anyValueRange },
  { className: 'RandomTranslation', cls: RandomTranslation, args: [f('height_factor', 'heightFactor'), f('width_factor', 'widthFactor')], fields: GEOMETRY, fixed: CL, harmless: anyValueRange },
  { className: 'RandomZoom', cls: RandomZoom, args: [f('height_factor', 'heightFactor'), f('width_factor', 'widthFactor')], fields: GEOMETRY, fixed: CL, harmless: anyValueRange },
  { className: 'RandomCrop', cls: RandomCrop, args: [f('height', 'height'), f('width', 'width')], fields: [SEED], fixed: CL },
  { className: 'RandomContrast', cls: RandomContrast, args: [f('factor', 'factor')], fields: [f('value_range', 'valueRange'), SEED] },
  { className: 'RandomBrightness', cls: RandomBrightness, args: [f('factor', 'factor')], fields: [f('value_range', 'valueRange'), SEED] },
  merge('Add', Add), merge('Subtract', Subtract), merge('Multiply', Multiply), merge('Average', Average), merge('Maximum', Maximum), merge('Minimum', Minimum),
  { className: 'Concatenate', cls: Concatenate, fields: [f('axis', 'axis')] },
  { className: 'Dot', cls: Dot, args: [f('axes', 'axes')], fields: [f('normalize', 'normalize')] },
  {
    className: 'Embedding', cls: Embedding,
    args: [f('input_dim', 'inputDim'), f('output_dim', 'outputDim')],
    fields: [
      f('embeddings_initializer', 'embeddingsInitializer', 'init', member('init')), f('embeddings_regularizer', 'embeddingsRegularizer', 'reg', member('regularizer')),
      f('embeddings_constraint', 'embeddingsConstraint', 'con', member('constraint')), f('mask_zero', 'maskZero'),
    ],
    fixed: { activity_regularizer: null },
    // Keras 2's input_length only declared the input shape; lora_rank null is no LoRA.
    harmless: { input_length: () => true, lora_rank: (v) => v === null, lora_alpha: () => true },
  },
  { className: 'Masking', cls: Masking, fields: [f('mask_value', 'maskValue')] },
  {
    className: 'Conv1D', cls: Conv1D,
    args: [f('filters', 'filters'), f('kernel_size', 'kernelSize', 'raw', (l: Conv1D) => [l.kernelSize])],
    fields: [
      f('strides', 'strides', 'raw', (l: Conv1D) => [l.strides]), f('padding', 'padding'), f('dilation_rate', 'dilationRate', 'raw', (l: Conv1D) => [l.dilationRate]),
      f('groups', 'groups'), ...actBias('kernel_initializer', 'kernelInit'), ...WEIGHT_OPTIONS,
    ],
    fixed: CL,
  },
  { className: 'MaxPooling1D', cls: MaxPooling1D, args: [f('pool_size', 'poolSize', 'raw', (l: MaxPooling1D) => [l.poolSize])], fields: [f('padding', 'padding'), f('strides', 'strides', 'raw', (l: MaxPooling1D) => [l.strides])], fixed: CL },
  { className: 'AveragePooling1D', cls: AveragePooling1D, args: [f('pool_size', 'poolSize', 'raw', (l: AveragePooling1D) => [l.poolSize])], fields: [f('padding', 'padding'), f('strides', 'strides', 'raw', (l: AveragePooling1D) => [l.strides])], fixed: CL },
  { className: 'GlobalAveragePooling1D', cls: GlobalAveragePooling1D, fields: [f('keepdims', 'keepdims')], fixed: CL },
  { className: 'GlobalMaxPooling1D', cls: GlobalMaxPooling1D, fields: [f('keepdims', 'keepdims')], fixed: CL },
  { className: 'UpSampling1D', cls: UpSampling1D, args: [f('size', 'size')] },
  { className: 'ZeroPadding1D', cls: ZeroPadding1D, args: [f('padding', 'padding')], fixed: CL },
  { className: 'Cropping1D', cls: Cropping1D, args: [f('cropping', 'cropping')] },
  ...RNN_LAYER_SPECS,
];
