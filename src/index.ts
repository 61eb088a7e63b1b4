/**
 * The main entry of ditto-ml, a deterministic deep-learning engine for Node.js: the same seed gives the same bits
 * on the CPU and WebGPU backends, at any thread count. Its API follows Keras and TensorFlow.js:
 *
 * ```ts
 * import * as dt from 'ditto-ml';
 * ```
 *
 * - Tensors and ops: {@link Tensor}, {@link tensor}, {@link matmul}, {@link conv2d}, ..., gradients ({@link grad},
 *   {@link valueAndGrad}), memory ({@link tidy}, {@link dispose}), backends ({@link setBackend}, {@link ready}).
 * - Models: {@link Sequential}, {@link Model} with {@link Input} (the functional API), {@link layers}, {@link losses}, {@link metrics}, {@link optimizers},
 *   {@link callbacks}, {@link History}, {@link Progbar}, {@link checkpoint}.
 * - Data: {@link data} (Dataset pipelines), {@link datasets} (MNIST), {@link image} (resize).
 * - Randomness and settings: {@link random}, {@link initializers}, {@link utils} (setRandomSeed,
 *   weightsDigest), {@link config} (threads).
 * - Errors: {@link TensorEngineError} and its subclasses.
 *
 * The layers below this API (backend registry, primitive ops, gradient primitives) are in the
 * `ditto-ml/advanced` entry, which has no stability promise.
 *
 * Source layout: this module is the composition root: it wires the backends into the core (./backends.ts) and
 * re-exports the public API. Internals are in ./advanced.ts.
 * @module ditto-ml
 */
import './backends.ts';

export * from './core/index.ts';
/** Engine settings (`dt.config`): CPU threads, and Keras's `enableOpDeterminism` (ditto is deterministic anyway). */
export * as config from './config.ts';
/** The tf.data-style input pipeline (`dt.data`): {@link data.Dataset}, `AUTOTUNE`. */
export * as data from './data/index.ts';
/** Image utilities (`dt.image`): bilinear resize with TensorFlow 2 semantics. */
export * as image from './data/image.ts';
/** Built-in datasets (`dt.datasets`), Keras-style: `dt.datasets.mnist.loadData()`. */
export * as datasets from './data/datasets/index.ts';
/**
 * Randomness (`dt.random`): stateless random tensors and dropout with Keras semantics, the raw Philox and Threefry
 * generators, Keras's SeedGenerator, and the process-wide algorithm ('philox', TensorFlow's; 'threefry', JAX's).
 */
export * as random from './random.ts';
/** Weight initializers (`dt.initializers`) with Keras 3's names, formulas and seeding. */
export * as initializers from './nn/initializers/index.ts';
/** Utilities (`dt.utils`): `setRandomSeed` (Keras `set_random_seed`), `weightsDigest`, random-state snapshots. */
export * as utils from './utils.ts';
/** Activation functions (`dt.activations`) with Keras 3's names, formulas and defaults, and `get` by Keras name. */
export { activations } from './nn/index.ts';
/** Weight regularizers (`dt.regularizers`): L1, L2, L1L2, OrthogonalRegularizer with Keras 3's defaults. */
export * as regularizers from './nn/regularizers-namespace.ts';
/** Weight constraints (`dt.constraints`): MaxNorm, MinMaxNorm, NonNeg, UnitNorm, applied after each optimizer update. */
export * as constraints from './nn/constraints-namespace.ts';
export {
  Sequential, layers, losses, metrics, optimizers, callbacks, Callback, EarlyStopping, TerminateOnNaN, History, Progbar, checkpoint,
  type HistoryJSON, type BatchSource, type CompileOptions, type FitOptions, type EvaluateOptions, type PredictOptions,
  type ArrayData, type TrainOnBatchOptions, type TestOnBatchOptions,
} from './nn/index.ts';
/** The functional API: {@link Input} (Keras's `keras.Input`), {@link Model} (`keras.Model(inputs, outputs)`). */
export {
  Model, Functional, ModelBase, Input, SymbolicTensor, type FunctionalArgs, type InputConfig, type Structure, type Node, type GraphLayer, type ShapeOf,
  type SymbolicOf, type SymbolicShape,
} from './nn/index.ts';
/** Models from Keras configs (`dt.models`): `modelFromJSON` (Keras's `keras.models.model_from_json`). */
export { models } from './nn/index.ts';
