/**
 * Keras 3's TimeDistributed wrapper: applies one layer to every timestep of [N, T, ...] by folding
 * the time axis into the batch ([N*T, ...]), calling the layer once, and unfolding the result; the
 * weights are the wrapped layer's (shared by every timestep). Since each timestep is a separate row
 * of one call, a layer whose rows are computed independently (Dense, Conv2D, ...) gives the bits of
 * per-timestep calls. A mask [N, T] passes through unchanged (the wrapped layer is called without it).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, fmtSym } from '../layer.ts';

/**
 * Keras's TimeDistributed: `layer` applied to every timestep of an input [N, T, ...] (rank >= 3); the output is
 * [N, T, ...the layer's output shape]. In training the call is the layer's training call (a Dropout draws one mask
 * over the whole [N*T, ...] batch).
 * @throws {@link ArgumentError} when `layer` is not a layer; {@link ShapeError} for an input of rank < 3.
 */
export class TimeDistributed extends Layer {
  /** The wrapped layer. */
  readonly layer: Layer;
  /** Passes its input's mask on (Keras `supports_masking`); the wrapped layer does not see it. */
  override supportsMasking = true;

  /**
   * @param layer the layer to apply to each timestep
   * @param config name
   */
  constructor(layer: Layer, config: LayerConfig = {}) {
    super(config, []);
    if (!(layer instanceof Layer)) throw new ArgumentError(`TimeDistributed: expected a layer. Received: ${layer === null ? 'null' : typeof layer}`);
    this.layer = layer;
  }

  /** The wrapped layer, as a list (its seed generator is checkpointed under it). */
  get layers(): Layer[] {
    return [this.layer];
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.layer.trainableWeights : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layer.nonTrainableWeights : this.layer.weights;
  }

  override get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  protected override checkInput(shape: SymbolicShape): void {
    if (shape.length < 3) throw new ShapeError(`${this.label}: expected input of rank >= 3 [N, timesteps, ...]. Received: input shape ${fmtSym(shape)}`);
  }

  protected override build(shape: SymbolicShape): void {
    this.layer.ensureBuilt([null, ...shape.slice(2)]);
  }

  computeOutputShape(shape: SymbolicShape): SymbolicShape {
    const inner = this.layer.computeOutputShape([shape[0] === null || shape[1] === null ? null : shape[0] * shape[1], ...shape.slice(2)]);
    return [shape[0], shape[1], ...inner.slice(1)];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const [n, t, ...rest] = x.shape;
    const flat = ops.reshape(x, [n * t, ...rest]);
    const { mask: _mask, ...inner } = ctx;
    const y = this.layer.apply(flat, inner);
    const out = ops.reshape(y, [n, t, ...y.shape.slice(1)]);
    if (y !== flat) y.dispose();
    flat.dispose();
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: this.layer.getConfig() };
  }

  override dispose(): void {
    this.layer.dispose();
    super.dispose();
  }
}
