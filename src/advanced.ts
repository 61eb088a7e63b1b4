/**
 * The package's advanced entry (`ditto-ml/advanced`): the parts of the engine below the Keras/TF.js-style API,
 * for people who write backends, kernels or tools, and for ditto's own tests. Not covered by the semver promise
 * of the main entry: names here may change in a minor release.
 *
 * - The backend interface and registry: `registerBackend`, `currentBackend`, `Backend`, `BackendFactory`,
 *   `TensorInfo`.
 * - The primitive op table: `OP_NAMES`, `OpName`, `OpAttrMap`, and the primitives that the public ops'
 *   gradients and the optimizers are built from (conv2d/pool/gather/relu gradients, the fused Adam updates, the raw
 *   counter-based `randomUniform`, `reduceToShape`).
 * - The fixed reduction order (`SUM_CHUNK`, `sumTree`), the dataset shuffle's order function and its state
 *   words, safetensors encoding and weight digests.
 * It loads the same core and backend wiring as the main entry, so both share one engine, its registered backends and
 * its current backend.
 * Composition-root module: may import any layer.
 *
 * ```ts
 * import * as dt from 'ditto-ml';
 * import { currentBackend, OP_NAMES } from 'ditto-ml/advanced';
 * ```
 * @module ditto-ml/advanced
 */
// The main entry's wiring: the backends, and the core surface (which gives tensors their methods).
import './backends.ts';
import './core/index.ts';

export type { Backend, BackendFactory, BackendRequest, TensorInfo } from './core/backend.ts';
export { registerBackend, currentBackend } from './core/backend-registry.ts';
export type { OpName, OpAttrMap } from './core/ops/op-attrs.ts';
export { OP_NAMES } from './core/ops/op-def.ts';
export { SUM_CHUNK, sumTree } from './core/reduction-order.ts';
export { fmtShape } from './core/errors.ts';
export { reduceToShape } from './core/ops/broadcast.ts';
export { conv2dGradInput, conv2dGradFilter } from './core/ops/conv2d.ts';
export { depthwiseConv2dGradInput, depthwiseConv2dGradFilter } from './core/ops/depthwise-conv2d.ts';
export { groupedConv2d } from './core/ops/conv-variants.ts';
export { maxPool2dGrad, avgPool2dGrad } from './core/ops/pool.ts';
export { gatherGrad } from './core/ops/gather.ts';
export { reluGrad } from './core/ops/unary.ts';
export { conv2dBiasAct, type Conv2dBiasActOptions, type FusedActivation } from './core/ops/conv2d-bias-act.ts';
export { conv2dBiasActMaxPool } from './core/ops/conv2d-bias-act-pool.ts';
export { adamMoment, adamVelocity, adamStep } from './core/ops/adam.ts';
export { randomUniform, type RandomUniformAttrs } from './core/ops/random-uniform.ts';
export { dropoutApply, type DropoutApplyAttrs } from './core/ops/dropout-apply.ts';
export { AUTOTUNE_PARALLEL_CALLS, AUTOTUNE_PREFETCH } from './data/dataset.ts';
export { SHUFFLE_TAG, shuffleOrder, shuffleSampler, shuffleStateWords, type ShuffleSampler } from './data/shuffle-order.ts';
export { encodeSafetensors, decodeSafetensors } from './nn/safetensors.ts';
export { digestTensors } from './nn/digest.ts';

