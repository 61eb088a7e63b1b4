/**
 * BatchNormalization (Keras 3): per channel of `axis`, in training the batch mean and biased
 * variance over every other axis (normalization-math.ts: two passes, each the engine's fixed-order
 * sum divided by the count) normalize x, and the moving statistics are assigned outside the gradient
 * tape as `moving * momentum + batch * (1 - momentum)`; at inference (or when not trainable) the
 * moving statistics normalize x. Weights in Keras order: gamma, beta, moving_mean, moving_variance.
 * With the channels last (axis -1, the common case) training runs on the fused primitives of
 * src/core/ops/batch-norm.ts (batchNormMoments, batchNormTrain and its two-pass gradient): the same bits as
 * the composite for the output and the moving statistics, three passes over x instead of about twenty
 * elementwise ops; inference with the channels last is batchNormInfer, one pass (the bits of the composite's
 * output and input gradient). Other axes use the composite of normalization-math.ts.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, DTypeError, type Tensor, type Variable, noGrad, ops, tidy } from '../../core/internal.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, type WeightInitializer } from '../layer.ts';
import { moments, normalize } from './normalization-math.ts';
import { NORMALIZATION_KEYS, type NormalizationOptions, axisIndex, checkAxisArg, knownDim, resolveNormalization } from './normalization-options.ts';

/** Options of {@link BatchNormalization} (Keras's keyword arguments, camelCase). */
export interface BatchNormalizationConfig extends LayerConfig, NormalizationOptions {
  /** The axis normalized per channel (the features axis); default -1. Any axis but the batch axis. */
  axis?: number;
  /** Momentum of the moving averages, in [0, 1]; default 0.99. */
  momentum?: number;
  /** The initializer of moving_mean; default 'zeros'. */
  movingMeanInitializer?: InitializerId;
  /** The initializer of moving_variance; default 'ones'. */
  movingVarianceInitializer?: InitializerId;
}

/**
 * Batch normalization, Keras 3 `BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True)`.
 *
 * In training (`{ training: true }`, as `fit` calls its layers) it normalizes with the batch's mean and biased
 * variance over every axis but `axis`, `gamma * (x - mean) / sqrt(var + epsilon) + beta`, computed as Keras does
 * (`x * inv + (beta - mean * inv)`, `inv = gamma / sqrt(var + epsilon)`), and updates
 * `moving_mean = moving_mean * momentum + mean * (1 - momentum)` and the same for `moving_variance` with the biased
 * batch variance (Keras 3 applies no Bessel correction). At inference (the default; `evaluate` and `predict`) it
 * uses the moving statistics and changes nothing. A layer with `trainable = false` always runs in inference mode,
 * as in Keras 3.
 *
 * Weights, in Keras's order: `gamma` and `beta` (trainable; absent when `scale` / `center` is false), then
 * `moving_mean` and `moving_variance` (non-trainable), each of shape [channels], named `<layer>/gamma` etc. The
 * moving statistics are part of `weights`, `saveWeights`, checkpoints and `weightsDigest`.
 *
 * @example
 * ```ts
 * new dt.layers.BatchNormalization({ momentum: 0.9 });
 * ```
 * @throws {@link ArgumentError} for a non-integer axis, a momentum outside [0, 1], an epsilon that is not > 0, a
 * non-boolean center/scale or a bad initializer; {@link ShapeError} for an input without that axis or with an unknown
 * size along it; {@link DTypeError} for a non-float32 input.
 */
export class BatchNormalization extends Layer {
  /** The normalized axis as given (negative counts from the end). */
  readonly axis: number;
  /** Momentum of the moving averages. */
  readonly momentum: number;
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
  /** The moving mean [channels] (non-trainable), once built. */
  movingMean?: Variable;
  /** The moving variance [channels] (non-trainable), once built. */
  movingVariance?: Variable;
  private readonly inits: { gamma: WeightInitializer; beta: WeightInitializer; mean: WeightInitializer; variance: WeightInitializer };
  private channelAxis = -1;

  /** @param config axis, momentum, epsilon, center, scale, initializers, name, trainable */
  constructor(config: BatchNormalizationConfig = {}) {
    super(config, ['axis', 'momentum', 'movingMeanInitializer', 'movingVarianceInitializer', ...NORMALIZATION_KEYS]);
    this.axis = checkAxisArg('BatchNormalization', config.axis ?? -1);
    const momentum = config.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new ArgumentError(`BatchNormalization: expected momentum in [0, 1]. Received: momentum=${String(momentum)}`);
    }
    this.momentum = momentum;
    const n = resolveNormalization('BatchNormalization', config);
    this.epsilon = n.epsilon;
    this.center = n.center;
    this.scale = n.scale;
    this.inits = {
      gamma: n.gammaInit,
      beta: n.betaInit,
      mean: resolveInitializer('BatchNormalization', config.movingMeanInitializer ?? 'zeros'),
      variance: resolveInitializer('BatchNormalization', config.movingVarianceInitializer ?? 'ones'),
    };
  }

  protected override checkInput(shape: SymbolicShape): void {
    axisIndex(this.label, this.axis, shape);
  }

  protected override build(shape: SymbolicShape): void {
    this.channelAxis = axisIndex(this.label, this.axis, shape);
    const c = knownDim(this.label, shape, this.channelAxis);
    if (this.scale) this.gamma = this.addWeight('gamma', [c], this.inits.gamma);
    if (this.center) this.beta = this.addWeight('beta', [c], this.inits.beta);
    this.movingMean = this.addWeight('moving_mean', [c], this.inits.mean, false);
    this.movingVariance = this.addWeight('moving_variance', [c], this.inits.variance, false);
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.dtype !== 'float32') throw new DTypeError(`${this.label}: expected float32 input. Received: dtype ${x.dtype}`);
    return tidy(() => {
      const rank = x.rank;
      const a = this.channelAxis;
      const c = x.shape[a];
      // [1, ..., c, ..., 1]: a per-channel vector broadcast along `axis` (no reshape needed for the last axis).
      const perChannel = (v: Tensor): Tensor => (a === rank - 1 ? v : ops.reshape(v, x.shape.map((d, i) => (i === a ? d : 1))));
      let mean: Tensor;
      let variance: Tensor;
      if (a === rank - 1) {
        if (ctx.training && this.trainable) return this.fusedTraining(x, c);
        const stats = ops.stack([this.movingMean!, this.movingVariance!]);
        return ops.batchNormInfer(x, stats, this.gamma, this.beta, this.epsilon);
      }
      if (ctx.training && this.trainable) {
        ({ mean, variance } = moments(x, x.shape.map((_, i) => i).filter((i) => i !== a)));
        const [bm, bv] = [mean, variance];
        // State, not part of the differentiated computation: nothing here is recorded on a gradient tape.
        noGrad(() => this.updateMoving(bm, bv, c));
      } else {
        mean = perChannel(this.movingMean!);
        variance = perChannel(this.movingVariance!);
      }
      return normalize(x, mean, variance, this.gamma && perChannel(this.gamma), this.beta && perChannel(this.beta), this.epsilon);
    });
  }

  /**
   * Training with the channels last: the fused primitives of src/core/ops/batch-norm.ts, the same bits as the
   * composite (moments + normalize) in three passes over x, and a two-pass gradient.
   */
  private fusedTraining(x: Tensor, c: number): Tensor {
    const m = noGrad(() => ops.batchNormMoments(x));
    noGrad(() => this.updateMoving(ops.reshape(ops.slice(m, [0, 0], [1, c]), [c]), ops.reshape(ops.slice(m, [1, 0], [1, c]), [c]), c));
    return ops.batchNormTrain(x, m, this.gamma, this.beta, this.epsilon);
  }

  /** moving = moving * momentum + batch * (1 - momentum), for the mean and the variance. */
  private updateMoving(bm: Tensor, bv: Tensor, c: number): void {
    const m = this.momentum;
    const mm = this.movingMean!;
    const mv = this.movingVariance!;
    mm.assign(ops.add(ops.mul(mm, m), ops.mul(ops.reshape(bm, [c]), 1 - m)));
    mv.assign(ops.add(ops.mul(mv, m), ops.mul(ops.reshape(bv, [c]), 1 - m)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
