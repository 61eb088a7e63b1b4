/**
 * The `dt.random` namespace: stateless random tensors and dropout, the raw counter-based generators, Keras's
 * SeedGenerator and the process-wide algorithm choice ('philox' = TensorFlow semantics, 'threefry' = JAX).
 * Composition-root module: re-exports src/core only.
 */
export {
  philox4x32, threefry2x32, SeedGenerator, setAlgorithm, getAlgorithm,
  type RandomAlgorithm, type SeedGeneratorState, type SeedDtypeOptions,
} from './core/random/index.ts';
export {
  statelessUniform, statelessNormal, statelessTruncatedNormal, statelessDropout,
  type StatelessOptions, type StatelessUniformOptions, type StatelessNormalOptions, type StatelessDropoutOptions,
} from './core/random/tensor-random.ts';
