/**
 * The core surface for the sibling layers (src/nn, src/data): the user surface (index.ts) plus
 * the internals they build on: the op functions as a namespace, argument checks and message
 * helpers, tensors from host values, the current backend, and the host random generators.
 * Not part of the package's API: the entries re-export index.ts, never this file.
 * Part of src/core.
 */
export * from './index.ts';
export * as ops from './ops/index.ts';
export { currentBackend } from './backend-registry.ts';
export { withScope, withSideStream } from './debug/scope.ts';
export { inTraceStep, type TraceOptions } from './debug/trace.ts';
export { checkDType } from './dtype.ts';
export { fmtShape } from './errors.ts';
export { checkOptions } from './options.ts';
export { checkShape } from './shape.ts';
export { assertLive } from './tensor.ts';
export { isRecording } from './tape.ts';
export { peekNextId } from './tensor-bookkeeping.ts';
export { upload } from './tensor-factory.ts';
export { checkIndices } from './ops/gather.ts';
export { checkSize } from './ops/resize-bilinear.ts';
export { pair } from './ops/window.ts';
export { checkAlgorithm, getAlgorithm, type RandomAlgorithm } from './random/algorithm.ts';
export { normalValues } from './random/distributions.ts';
export { uniformValues } from './random/distributions.ts';
export { glibcSincosf } from './random/glibc-sincosf.ts';
export { IMAGE_TRANSFORM_FILL_MODES, IMAGE_TRANSFORM_INTERPOLATIONS } from './ops/image-transform.ts';
export { int64ToWords } from './random/int64-words.ts';
export { MT19937 } from './random/mt19937.ts';
export { philox4x32Into } from './random/philox.ts';
export {
  SeedGenerator, getRandomState, makeDefaultSeed, setRandomState, type RandomLayerState, type SeedGeneratorState,
} from './random/seed-generator.ts';
export { statelessDropout, statelessNormal, statelessTruncatedNormal, statelessUniform } from './random/tensor-random.ts';
export { fmtValue } from './random/validate.ts';
export { cos32, exp32, log32, pow32, powIntF64 } from './math/index.ts';
