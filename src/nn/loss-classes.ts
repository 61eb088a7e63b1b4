/**
 * Keras 3's loss classes besides the ones of losses.ts: each one's per-sample losses are the function of
 * loss-functions.ts of the same name, weighted and reduced by KerasLoss (loss-base.ts, loss-reduction.ts).
 * Part of src/nn: imports src/core only.
 */
import type { Tensor } from '../core/internal.ts';
import { KerasLoss, type LossConfig, type PerSample, checkAxisOption, checkBool, checkRange } from './loss-base.ts';
import * as f from './loss-functions.ts';

/** Options of {@link BinaryCrossentropy} (Keras's arguments, camelCase). */
export interface BinaryCrossentropyConfig extends LossConfig {
  /** Whether yPred holds logits (default false). */
  fromLogits?: boolean;
  /** Label smoothing in [0, 1]: yTrue * (1 - ls) + 0.5 * ls (default 0). */
  labelSmoothing?: number;
  /** The axis the mean is taken over (default -1). */
  axis?: number;
}

/** Keras `BinaryCrossentropy`: {@link f.binaryCrossentropy}, weighted and reduced. */
export class BinaryCrossentropy extends KerasLoss {
  /** Whether yPred holds logits. */
  readonly fromLogits: boolean;
  /** The label smoothing. */
  readonly labelSmoothing: number;
  /** The mean's axis. */
  readonly axis: number;

  /** @param options fromLogits, labelSmoothing, axis, reduction, name */
  constructor(options: BinaryCrossentropyConfig = {}) {
    super('BinaryCrossentropy', 'binary_crossentropy', options, ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = checkBool('BinaryCrossentropy', 'fromLogits', options.fromLogits);
    this.labelSmoothing = checkRange('BinaryCrossentropy', 'labelSmoothing', options.labelSmoothing, 0, 1, 0);
    this.axis = checkAxisOption('BinaryCrossentropy', options.axis);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis }) };
  }
}

/** Options of {@link BinaryFocalCrossentropy} (Keras's arguments, camelCase). */
export interface BinaryFocalCrossentropyConfig extends BinaryCrossentropyConfig {
  /** Whether to weight by alpha / (1 - alpha) (default false). */
  applyClassBalancing?: boolean;
  /** The weight of the positives when balancing, in [0, 1] (default 0.25). */
  alpha?: number;
  /** The focusing exponent, >= 0 (default 2). */
  gamma?: number;
}

/** Keras `BinaryFocalCrossentropy`: {@link f.binaryFocalCrossentropy}, weighted and reduced. */
export class BinaryFocalCrossentropy extends KerasLoss {
  /** The options, checked, with Keras's defaults filled in. */
  readonly config: Required<Omit<BinaryFocalCrossentropyConfig, 'reduction' | 'name'>>;

  /** @param options applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis, reduction, name */
  constructor(options: BinaryFocalCrossentropyConfig = {}) {
    const cls = 'BinaryFocalCrossentropy';
    super(cls, 'binary_focal_crossentropy', options, ['applyClassBalancing', 'alpha', 'gamma', 'fromLogits', 'labelSmoothing', 'axis']);
    this.config = {
      applyClassBalancing: checkBool(cls, 'applyClassBalancing', options.applyClassBalancing),
      alpha: checkRange(cls, 'alpha', options.alpha, 0, 1, 0.25),
      gamma: checkRange(cls, 'gamma', options.gamma, 0, Infinity, 2),
      fromLogits: checkBool(cls, 'fromLogits', options.fromLogits),
      labelSmoothing: checkRange(cls, 'labelSmoothing', options.labelSmoothing, 0, 1, 0),
      axis: checkAxisOption(cls, options.axis),
    };
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.binaryFocalCrossentropy(yTrue, yPred, this.config) };
  }
}

/** Options of {@link Huber}. */
export interface HuberConfig extends LossConfig {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** Keras `Huber`: {@link f.huber}, weighted and reduced. */
export class Huber extends KerasLoss {
  /** The quadratic-to-linear point. */
  readonly delta: number;

  /** @param options delta, reduction, name */
  constructor(options: HuberConfig = {}) {
    super('Huber', 'huber_loss', options, ['delta']);
    this.delta = checkRange('Huber', 'delta', options.delta, 0, Number.MAX_VALUE, 1);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.huber(yTrue, yPred, this.delta) };
  }
}

/** Options of {@link CosineSimilarity}. */
export interface CosineSimilarityConfig extends LossConfig {
  /** The axis along which the similarity is computed (default -1). */
  axis?: number;
}

/** Keras `CosineSimilarity`: {@link f.cosineSimilarity}, weighted and reduced. */
export class CosineSimilarity extends KerasLoss {
  /** The similarity's axis. */
  readonly axis: number;

  /** @param options axis, reduction, name */
  constructor(options: CosineSimilarityConfig = {}) {
    super('CosineSimilarity', 'cosine_similarity', options, ['axis']);
    this.axis = checkAxisOption('CosineSimilarity', options.axis);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.cosineSimilarity(yTrue, yPred, this.axis) };
  }
}

/** Keras `MeanAbsoluteError`: `mean(abs(yTrue - yPred), -1)`, weighted and reduced (see {@link KerasLoss}). */
export class MeanAbsoluteError extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('MeanAbsoluteError', 'mean_absolute_error', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.meanAbsoluteError(yTrue, yPred) };
  }
}

/** Keras `MeanAbsolutePercentageError`: `100 * mean(abs((yTrue - yPred) / maximum(abs(yTrue), 1e-7)), -1)`, weighted and reduced (see {@link KerasLoss}). */
export class MeanAbsolutePercentageError extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('MeanAbsolutePercentageError', 'mean_absolute_percentage_error', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.meanAbsolutePercentageError(yTrue, yPred) };
  }
}

/** Keras `MeanSquaredLogarithmicError`: `mean(square(log(maximum(yPred, 1e-7) + 1) - log(maximum(yTrue, 1e-7) + 1)), -1)`, weighted and reduced (see {@link KerasLoss}). */
export class MeanSquaredLogarithmicError extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.meanSquaredLogarithmicError(yTrue, yPred) };
  }
}

/** Keras `LogCosh`: `mean(x + softplus(-2x) - log 2, -1)`, x = yPred - yTrue, weighted and reduced (see {@link KerasLoss}). */
export class LogCosh extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('LogCosh', 'log_cosh', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.logCosh(yTrue, yPred) };
  }
}

/** Keras `KLDivergence`: `sum(t * log(t / p), -1)` with t, p clipped to [1e-7, 1], weighted and reduced (see {@link KerasLoss}). */
export class KLDivergence extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('KLDivergence', 'kl_divergence', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.klDivergence(yTrue, yPred) };
  }
}

/** Keras `Poisson`: `mean(yPred - yTrue * log(yPred + 1e-7), -1)`, weighted and reduced (see {@link KerasLoss}). */
export class Poisson extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('Poisson', 'poisson', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.poisson(yTrue, yPred) };
  }
}

/** Keras `Hinge`: `mean(maximum(1 - yTrue * yPred, 0), -1)` (0/1 labels become -1/1), weighted and reduced (see {@link KerasLoss}). */
export class Hinge extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('Hinge', 'hinge', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.hinge(yTrue, yPred) };
  }
}

/** Keras `SquaredHinge`: `mean(square(maximum(1 - yTrue * yPred, 0)), -1)` (0/1 labels become -1/1), weighted and reduced (see {@link KerasLoss}). */
export class SquaredHinge extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('SquaredHinge', 'squared_hinge', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.squaredHinge(yTrue, yPred) };
  }
}

/** Keras `CategoricalHinge`: `maximum(max((1 - yTrue) * yPred, -1) - sum(yTrue * yPred, -1) + 1, 0)`, weighted and reduced (see {@link KerasLoss}). */
export class CategoricalHinge extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('CategoricalHinge', 'categorical_hinge', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: f.categoricalHinge(yTrue, yPred) };
  }
}

