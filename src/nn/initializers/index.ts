/**
 * Weight initializers (`dt.initializers`), Keras 3 semantics: the random ones draw through the Keras-exact value
 * generators of src/core/random with Keras seeding; `get` resolves Keras names.
 * Part of src/nn: imports src/core only.
 */
export { Initializer, type InitializerConfig } from './initializer.ts';
export { computeFans } from './fans.ts';
export { RandomInitializer, type InitializerSeed, type RandomInitializerOptions, type SeedGeneratorConfig } from './random-initializer.ts';
export { RandomNormal, type NormalInitializerOptions } from './random-normal.ts';
export { RandomUniform, type UniformInitializerOptions } from './random-uniform.ts';
export { TruncatedNormal } from './truncated-normal.ts';
export {
  TRUNCATED_NORMAL_STDDEV, VarianceScaling, type FanMode, type VarianceScalingDistribution, type VarianceScalingOptions,
} from './variance-scaling.ts';
export { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform } from './variance-scaling-presets.ts';
export { Orthogonal, type OrthogonalOptions } from './orthogonal.ts';
export { Constant, Ones, Zeros } from './constant.ts';
export { Identity } from './identity.ts';
export {
  deserialize, get, initializerNames, resolveInitializer, serialize, type InitializerId, type SerializedInitializer,
} from './registry.ts';
