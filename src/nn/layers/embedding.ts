/**
 * Embedding and Masking (Keras 3): the two layers that start a mask. Embedding looks rows of its
 * `embeddings` matrix up by `gather`; its gradient is gather's, the op gatherGrad: a scatter-add
 * written as a gather, dE[r, j] = S over i = 0..n-1 (ids flattened row-major, ascending) with
 * ids[i] == r of dy[i, j], in the engine's summation tree (src/core/reduction-order.ts: a sequential
 * float32 sum from +0 within each block of 256 consecutive positions, the blocks' sums combined by
 * the same rule; positions holding another id are +0 terms), the same on the CPU and WebGPU
 * backends, never with atomics. So a repeated id accumulates its gradients in index order.
 * Masking zeroes the timesteps whose features all equal `maskValue` and masks them.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkIndices, ops, tidy } from '../../core/internal.ts';
import { type ConstraintId, getConstraint } from '../constraints.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { attachWeightOptions } from '../layer-losses.ts';
import { type CallContext, Layer, type LayerConfig, type LayerMask, type SymbolicShape, type WeightInitializer } from '../layer.ts';
import { type RegularizerId, getRegularizer } from '../regularizers.ts';

/** Options of {@link Embedding} (Keras's keyword arguments, camelCase). */
export interface EmbeddingConfig extends LayerConfig {
  /** The initializer of `embeddings`; default 'uniform' (Keras's RandomUniform(-0.05, 0.05)). */
  embeddingsInitializer?: InitializerId;
  /** A penalty on `embeddings` added to the training loss; default none. */
  embeddingsRegularizer?: RegularizerId | null;
  /** A projection applied to `embeddings` after each optimizer update; default none. */
  embeddingsConstraint?: ConstraintId | null;
  /**
   * Whether id 0 is padding (default false): the layer then gives a mask, nonzero where the id is not 0, that
   * travels to the next layers (GlobalAveragePooling1D, the recurrent layers). Id 0 still has a row of weights.
   */
  maskZero?: boolean;
}

/**
 * Turns ids into dense vectors, Keras `Embedding(input_dim, output_dim)`: input [N, ...] of ids in [0, inputDim)
 * (int32, or float32 values truncated to int32 as Keras casts them) -> [N, ..., outputDim], row `id` of the weight
 * `embeddings` [inputDim, outputDim]. With `maskZero`, {@link Embedding.computeMask} gives `ids != 0`.
 *
 * Out-of-range ids: on the CPU backend an {@link ArgumentError} naming the layer and the first bad position; on
 * WebGPU the ids are not read back (that would stall the pipeline), and a bad id gives a zero vector, as Keras does
 * on GPUs (TensorFlow's GPU gather), with a zero gradient.
 *
 * @example
 * ```ts
 * const emb = new dt.layers.Embedding(1000, 16, { maskZero: true });
 * const y = emb.apply(dt.tensor([[5, 7, 0]], [1, 3], 'int32')); // [1, 3, 16]
 * ```
 * @throws {@link ArgumentError} for a non-positive inputDim or outputDim, or a bad option.
 */
export class Embedding extends Layer {
  /** Makes a mask when `maskZero`, else none (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** Number of ids (the vocabulary size). */
  readonly inputDim: number;
  /** Size of each vector. */
  readonly outputDim: number;
  /** Whether id 0 is masked. */
  readonly maskZero: boolean;
  private readonly init: WeightInitializer;
  private readonly regularizer;
  private readonly constraint;
  /** The weight [inputDim, outputDim], once built. */
  embeddings?: Variable;

  /**
   * @param inputDim the number of ids (largest id + 1)
   * @param outputDim the size of each embedding vector
   * @param config embeddingsInitializer, embeddingsRegularizer, embeddingsConstraint, maskZero, name
   */
  constructor(inputDim: number, outputDim: number, config: EmbeddingConfig = {}) {
    super(config, ['embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero']);
    if (!Number.isSafeInteger(inputDim) || inputDim <= 0) throw new ArgumentError(`Embedding: expected inputDim to be a positive integer. Received: inputDim=${inputDim}`);
    if (!Number.isSafeInteger(outputDim) || outputDim <= 0) throw new ArgumentError(`Embedding: expected outputDim to be a positive integer. Received: outputDim=${outputDim}`);
    if (config.maskZero !== undefined && typeof config.maskZero !== 'boolean') {
      throw new ArgumentError(`Embedding: expected maskZero to be a boolean. Received: maskZero=${JSON.stringify(config.maskZero)}`);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = config.maskZero ?? false;
    this.init = resolveInitializer('Embedding', config.embeddingsInitializer ?? 'uniform');
    this.regularizer = getRegularizer('Embedding', config.embeddingsRegularizer);
    this.constraint = getConstraint('Embedding', config.embeddingsConstraint);
  }

  protected override build(_shape: SymbolicShape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.init);
    attachWeightOptions(this.embeddings, this.regularizer, this.constraint);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape, this.outputDim];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => {
      const ids = x.dtype === 'int32' ? x : ops.cast(x, 'int32');
      checkIndices(this.label, ids, this.inputDim); // reads the ids where that is synchronous (CPU); see the class doc
      return ops.gather(this.embeddings!, ids, 0);
    });
  }

  /** `ids != 0` (uint8, the input's shape) with `maskZero`, else null (Keras's compute_mask). */
  override computeMask(x: Tensor, _previousMask: LayerMask): Tensor | null {
    return this.maskZero ? ops.notEqual(x, 0) : null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, maskZero: this.maskZero };
  }
}

/** Options of {@link Masking}. */
export interface MaskingConfig extends LayerConfig {
  /** The value that marks a timestep to skip when all its features equal it; default 0. */
  maskValue?: number;
}

/**
 * Masks timesteps, Keras `Masking(mask_value=0.0)`: for input [N, T, ...], timestep t of sample n is masked when
 * every feature equals `maskValue`; the output is the input with masked timesteps multiplied by 0 (Keras's
 * `inputs * mask`: -0 and NaN follow IEEE), and the mask (uint8 [N, T, ...all but the last axis]) travels to the
 * next layers. NaN features never equal `maskValue`, so they keep their timestep.
 * @throws {@link ArgumentError} for a maskValue that is not a number.
 */
export class Masking extends Layer {
  /** Makes the mask (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** The value that marks masked timesteps. */
  readonly maskValue: number;

  /** @param config maskValue, name */
  constructor(config: MaskingConfig = {}) {
    super(config, ['maskValue']);
    if (config.maskValue !== undefined && typeof config.maskValue !== 'number') {
      throw new ArgumentError(`Masking: expected maskValue to be a number. Received: maskValue=${JSON.stringify(config.maskValue)}`);
    }
    this.maskValue = config.maskValue ?? 0;
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  /** 1 where any feature differs from maskValue, float32, the input's shape without the last axis. */
  private keep(x: Tensor): Tensor {
    return ops.max(ops.cast(ops.notEqual(x, this.maskValue), 'float32'), -1);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => ops.mul(x, ops.expandDims(this.keep(x), -1)));
  }

  /** The mask: uint8, nonzero where any feature of the timestep differs from maskValue. */
  override computeMask(x: Tensor, _previousMask: LayerMask): Tensor {
    return tidy(() => ops.notEqual(this.keep(x), 0));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
