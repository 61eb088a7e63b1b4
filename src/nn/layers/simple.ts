/**
 * Shape-only and elementwise layers: Flatten, Activation, and InputLayer with its helper Input
 * (keras.Input: the symbolic tensor a functional model starts from; first in a Sequential, it
 * declares the model's input shape).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, checkOptions, ops } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type CallContext, LAYER_CONFIG_KEYS, Layer, type LayerConfig, type SymbolicShape, fmtSym } from '../layer.ts';
import { Node, SymbolicTensor } from '../symbolic.ts';

/** Flattens all but the batch axis, Keras `Flatten`: [N, d1, d2, ...] -> [N, d1 * d2 * ...] ([N] -> [N, 1]). */
export class Flatten extends Layer {
  /** @param config name, inputShape, trainable */
  constructor(config: LayerConfig = {}) {
    super(config, []);
  }

  /** Flatten needs a batch axis: a rank-0 input is refused. */
  protected override checkInput(shape: SymbolicShape): void {
    if (shape.length < 1) throw new ShapeError(`${this.label}: expected input of rank >= 1 [N, ...]. Received: input shape ${fmtSym(shape)}`);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    const rest = shape.slice(1);
    return [shape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1)];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    // The size of the flattened axis, not -1: with an empty batch (N = 0) -1 cannot be inferred.
    return ops.reshape(x, [x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }
}

/**
 * Applies an activation by Keras name, Keras `Activation`: 'relu', 'gelu', 'softmax' (last axis), ... (every name of
 * `dt.activations.get`).
 * @throws {@link ArgumentError} for an unknown name.
 */
export class Activation extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** The activation's Keras name. */
  readonly activationName: string;
  private readonly fn: ActivationFn;

  constructor(activation: string, config: LayerConfig = {}) {
    super(config, []);
    this.activationName = activation;
    this.fn = getActivation('Activation', activation);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.fn(x);
  }
}

/** Options of {@link InputLayer} and {@link Input} (Keras's `keras.Input` arguments). */
export interface InputConfig extends LayerConfig {
  /**
   * The input shape without the batch dimension, e.g. `[28, 28, 1]`; null for a dimension that may change from batch
   * to batch (`[null]` for token-id sequences padded to each batch's longest, Keras's `shape=(None,)`).
   */
  shape?: readonly (number | null)[];
  /** The dtype of the model input (default 'float32'): a model casts what it is given to it. */
  dtype?: 'float32' | 'int32';
  /** A fixed batch size for the symbolic tensor's shape (default: none, the batch dimension is null). */
  batchSize?: number;
}

/**
 * Declares a model's input (Keras `InputLayer`): its shape without the batch dimension, its dtype and, optionally, a
 * batch size; the identity at run time. It is built when created, and its {@link InputLayer.output | output} is the
 * symbolic tensor a {@link Functional} model starts from. Usually created with {@link Input}, which returns that
 * tensor; at the start of a {@link Sequential} it builds the model (and `summary()` shows shapes) before any data.
 * @throws {@link ArgumentError} without a shape, or for a bad dtype or batch size.
 */
export class InputLayer extends Layer {
  /** Passes the input's mask on unchanged (Keras: `supports_masking = True`). */
  override supportsMasking = true;
  /** The dtype of the model input. */
  readonly dtype: 'float32' | 'int32';
  /** The fixed batch size, if any. */
  readonly batchSize?: number;
  /** The symbolic tensor that stands for the model input (Keras `input_layer.output`). */
  readonly output: SymbolicTensor;

  constructor(config: InputConfig) {
    checkOptions('InputLayer', config, [...LAYER_CONFIG_KEYS, 'shape', 'dtype', 'batchSize']);
    if (config === undefined) throw new ArgumentError('InputLayer: expected an options object { shape }. Received: undefined');
    const inputShape = config.shape ?? config.inputShape;
    if (!inputShape) throw new ArgumentError('InputLayer: expected a shape (without the batch dimension). Received: none');
    const { shape: _shape, dtype, batchSize, ...rest } = config;
    super({ ...rest, inputShape });
    if (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32') {
      throw new ArgumentError(`InputLayer: expected dtype 'float32' or 'int32'. Received: ${JSON.stringify(dtype)}`);
    }
    if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ArgumentError(`InputLayer: expected batchSize to be a positive integer. Received: ${JSON.stringify(batchSize)}`);
    }
    this.dtype = dtype ?? 'float32';
    this.batchSize = batchSize;
    this.buildShape = [null, ...this.declaredInputShape!];
    this.built = true;
    const node = new Node(this, undefined);
    this.output = new SymbolicTensor([batchSize ?? null, ...this.declaredInputShape!], this.dtype, node, 0, this.name);
    node.setOutputs(this.output);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), batchShape: [this.batchSize ?? null, ...this.declaredInputShape!], dtype: this.dtype };
  }
}

/**
 * Keras's `keras.Input`: `dt.Input({ shape: [32, 32, 1] })` is the symbolic tensor that stands for a model input of
 * that shape (without the batch dimension). Call layers on it to build a graph, then make a model with
 * `new dt.Model({ inputs, outputs })`. Put first in a {@link Sequential}, it declares the model's input shape.
 * @throws {@link ArgumentError} without a shape, or for a bad dtype or batch size.
 */
export function Input(config: InputConfig): SymbolicTensor {
  return new InputLayer(config).output;
}
