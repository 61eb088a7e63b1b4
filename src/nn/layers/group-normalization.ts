/**
 * GroupNormalization (Keras 3): the channels of `axis` split into `groups` consecutive groups; each
 * sample's group is normalized by its mean and biased variance over the group's channels and every
 * non-batch axis (the input reshaped to [..., groups, channels / groups, ...];
 * normalization-math.ts: two passes, each the engine's fixed-order sum divided by the count), then
 * scaled by gamma and offset by beta per channel. Same in training and inference.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DTypeError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, type WeightInitializer, fmtSym } from '../layer.ts';
import { moments, normalize } from './normalization-math.ts';
import { NORMALIZATION_KEYS, type NormalizationOptions, axisIndex, checkAxisArg, knownDim, resolveNormalization } from './normalization-options.ts';

/** Options of {@link GroupNormalization} (Keras's keyword arguments, camelCase). */
export interface GroupNormalizationConfig extends LayerConfig, NormalizationOptions {
  /**
   * The number of groups, a divisor of the number of channels; default 32 (Keras). -1 takes one group per channel
   * (instance normalization).
   */
  groups?: number;
  /** The channel axis (negative counts from the end); default -1. Any axis but the batch axis. */
  axis?: number;
}

/**
 * Group normalization, Keras 3 `GroupNormalization(groups=32, axis=-1, epsilon=1e-3, center=True, scale=True)`
 * (Wu & He, 2018): the channels along `axis` are split into `groups` groups of consecutive channels, and each
 * sample's group is normalized by its own mean and biased variance over the group's channels and all other non-batch
 * axes, computed as Keras does (`x * inv + (beta - mean * inv)`, `inv = gamma / sqrt(var + epsilon)`); `gamma` and
 * `beta` are per channel. The same in training and inference. `groups: -1` is instance normalization; with one group
 * it normalizes each sample over all its values, with per-channel gamma and beta.
 *
 * Weights: `gamma` [channels] (when `scale`), then `beta` [channels] (when `center`).
 *
 * @example
 * ```ts
 * new dt.layers.GroupNormalization({ groups: 8 });
 * ```
 * @throws {@link ArgumentError} for groups that are not a positive integer or -1, a non-integer axis, an epsilon that is
 * not > 0, a non-boolean center/scale or a bad initializer; {@link ShapeError} when the channels are not a multiple of
 * groups (or fewer), for an input without that axis or with an unknown size along it; {@link DTypeError} for a
 * non-float32 input.
 */
export class GroupNormalization extends Layer {
  /** The number of groups as given (-1: one per channel). */
  readonly groups: number;
  /** The channel axis as given (negative counts from the end). */
  readonly axis: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether beta is added. */
  readonly center: boolean;
  /** Whether gamma multiplies. */
  readonly scale: boolean;
  /** The scale [channels], once built (when `scale`). */
  gamma?: Variable;
  /** The offset [channels], once built (when `center`). */
  beta?: Variable;
  private readonly inits: { gamma: WeightInitializer; beta: WeightInitializer };
  private channelAxis = -1;
  private groupCount = 0;

  /** @param config groups, axis, epsilon, center, scale, initializers, name */
  constructor(config: GroupNormalizationConfig = {}) {
    super(config, ['groups', 'axis', ...NORMALIZATION_KEYS]);
    const groups = config.groups ?? 32;
    if (!Number.isSafeInteger(groups) || (groups < 1 && groups !== -1)) {
      throw new ArgumentError(`GroupNormalization: expected groups to be a positive integer or -1 (one group per channel). Received: groups=${JSON.stringify(groups)}`);
    }
    this.groups = groups;
    this.axis = checkAxisArg('GroupNormalization', config.axis ?? -1);
    const n = resolveNormalization('GroupNormalization', config);
    this.epsilon = n.epsilon;
    this.center = n.center;
    this.scale = n.scale;
    this.inits = { gamma: n.gammaInit, beta: n.betaInit };
  }

  protected override checkInput(shape: SymbolicShape): void {
    axisIndex(this.label, this.axis, shape);
  }

  protected override build(shape: SymbolicShape): void {
    const a = axisIndex(this.label, this.axis, shape);
    const c = knownDim(this.label, shape, a);
    const g = this.groups === -1 ? c : this.groups;
    if (c < g) throw new ShapeError(`${this.label}: expected at least as many channels as groups (${g}) along axis ${this.axis}. Received: ${c} channels, input shape ${fmtSym(shape)}`);
    if (c % g !== 0) throw new ShapeError(`${this.label}: expected the number of channels along axis ${this.axis} to be a multiple of groups (${g}). Received: ${c} channels, input shape ${fmtSym(shape)}`);
    this.channelAxis = a;
    this.groupCount = g;
    if (this.scale) this.gamma = this.addWeight('gamma', [c], this.inits.gamma);
    if (this.center) this.beta = this.addWeight('beta', [c], this.inits.beta);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.dtype !== 'float32') throw new DTypeError(`${this.label}: expected float32 input. Received: dtype ${x.dtype}`);
    return tidy(() => {
      const a = this.channelAxis;
      const g = this.groupCount;
      const c = x.shape[a];
      // [N, ..., groups, c / groups, ...]: the group axis at index a, its channels at a + 1.
      const grouped = [...x.shape.slice(0, a), g, c / g, ...x.shape.slice(a + 1)];
      const xg = ops.reshape(x, grouped);
      const axes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== a);
      const perChannel = grouped.map((d, i) => (i === a || i === a + 1 ? d : 1));
      const wide = (v: Variable | undefined): Tensor | undefined => v && ops.reshape(v, perChannel);
      const { mean, variance } = moments(xg, axes);
      return ops.reshape(normalize(xg, mean, variance, wide(this.gamma), wide(this.beta), this.epsilon), x.shape);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), groups: this.groups, axis: this.axis, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
