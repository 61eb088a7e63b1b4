/**
 * The pure (host-side, tensor-free) randomness layer: counter-based generators, TensorFlow and JAX sampling
 * semantics, CPython's MT19937, and Keras seed handling. Re-exports the public pieces of src/core/random.
 * Part of src/core: imports nothing outside src/core.
 */
export { checkAlgorithm, getAlgorithm, seedDtypeFor, setAlgorithm, type RandomAlgorithm, type SeedDtype } from './algorithm.ts';
export { philoxKeyCounterForSeed, threefryKeyForSeed } from './backend-keys.ts';
export {
  normalValues, truncatedNormalValues, uniformValues, type RandomValuesOptions,
} from './distributions.ts';
export {
  checkDropoutRate, dropoutKeepMask, dropoutKeepRule, dropoutScale, dropoutValues,
  type DropoutKeepRule, type DropoutOptions,
} from './dropout.ts';
export { bitsToF32, f32ToBits, hexFloat, nextAfterF32 } from './float-bits.ts';
export { fma32 } from './fma32.ts';
export { glibcLogf } from './glibc-logf.ts';
export { glibcSincosf } from './glibc-sincosf.ts';
export { int64ToWords } from './int64-words.ts';
export { jaxFoldIn, jaxPRNGKey, jaxRandomBits, jaxSplit } from './jax-prng.ts';
export {
  NORMAL_UNIFORM_LOW, SQRT2_F32, jaxBernoulli, jaxNormal, jaxRandint, jaxTruncatedNormal, jaxUniform, jaxUnitFromBits,
} from './jax-random.ts';
export { MT19937, type MT19937State } from './mt19937.ts';
export { philox4x32, philox4x32Into, philoxSkip, philoxSkipOne } from './philox.ts';
export {
  DEFAULT_PYTHON_RANDOM_SEED, getPythonRandomState, pythonRandom, seedPythonRandom, setPythonRandomState,
} from './python-random.ts';
export {
  SeedGenerator, TF_CAST_SEED_MODULUS, drawSeed, getRandomState, globalSeedGenerator, makeDefaultSeed, setGlobalSeed,
  setRandomState, tfCastSeed, type RandomLayerState, type SeedDtypeOptions, type SeedGeneratorState,
} from './seed-generator.ts';
export { TF_BOX_MULLER_EPSILON, tfBoxMuller, tfUint32ToFloat } from './tf-box-muller.ts';
export { tfNormalRaw, tfPhiloxWords, tfTruncatedNormalRaw, tfUniformRaw } from './tf-philox-stream.ts';
export { TF_SEED_SCRAMBLE_KEY, tfGenerateKey, type PhiloxKeyCounter } from './tf-seed.ts';
export {
  tfStatelessFoldIn, tfStatelessNormal, tfStatelessSplit, tfStatelessTruncatedNormal, tfStatelessUniform, type TfSeed,
} from './tf-stateless.ts';
export { threefry2x32, threefry2x32Into } from './threefry.ts';
export { erf32, erfinv32 } from './xla-erf.ts';
export { log1p32, logfXla } from './xla-log.ts';
