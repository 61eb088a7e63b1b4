/**
 * Shape-only and elementwise layers: Flatten, Activation, and InputLayer (declares the model's
 * input shape, like keras.Input in a Sequential).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, checkOptions, ops } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type CallContext, LAYER_CONFIG_KEYS, Layer, type LayerConfig, type SymbolicShape, fmtSym } from '../layer.ts';

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

/**
 * Declares a model's input shape (without the batch dimension), as `keras.Input` does at the start of a
 * Sequential; the identity at run time. With it, the model is built (and `summary()` shows shapes) before any data.
 * Usually created with {@link layers.Input}.
 * @throws {@link ArgumentError} without a shape.
 */
export class InputLayer extends Layer {
  constructor(config: LayerConfig & { shape?: readonly number[] }) {
    checkOptions('InputLayer', config, [...LAYER_CONFIG_KEYS, 'shape']);
    if (config === undefined) throw new ArgumentError('InputLayer: expected an options object { shape }. Received: undefined');
    const inputShape = config.shape ?? config.inputShape;
    if (!inputShape) throw new ArgumentError('InputLayer: expected a shape (without the batch dimension). Received: none');
    super({ ...config, inputShape });
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return x;
  }
}

/**
 * keras.Input-style helper: `dt.layers.Input({ shape: [32, 32, 1] })` is an {@link InputLayer} declaring the input
 * shape without the batch dimension. Put it first in a {@link Sequential}.
 */
export function Input(config: { shape: readonly number[]; name?: string }): InputLayer {
  return new InputLayer(config);
}
