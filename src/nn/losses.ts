/**
 * Losses with Keras 3 semantics (keras/src/losses/losses.py and the JAX backend's nn.py): the Loss interface,
 * the crossentropies over classes and mean squared error, and `getLoss` (Keras names). The other loss classes are
 * in loss-classes.ts, the formulas in loss-functions.ts, the weighting and reduction (default
 * "sum_over_batch_size": the sum of per-sample losses divided by their count) in loss-reduction.ts.
 *  - sparse_categorical_crossentropy(yTrue int labels [N], yPred [N, C]): probabilities are first
 *    normalised (p / sum p), clipped to [1e-7, 1 - 1e-7], logged; or log-softmax with fromLogits.
 *  - categorical_crossentropy(yTrue one-hot [N, C], yPred [N, C]): the same with a dense target.
 *  - mean_squared_error: mean over the last axis of (yTrue - yPred)^2.
 * Part of src/nn: imports src/core only.
 */
import {
  ArgumentError, DTypeError, ShapeError, type Tensor, assertLive, checkIndices, fmtShape, ops, tidy,
  withSideStream,
} from '../core/internal.ts';
import { deferCheck } from './deferred-checks.ts';
import { KerasLoss, type LossConfig, type PerSample, checkAxisOption, checkBool, checkRange } from './loss-base.ts';
import {
  BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, Huber, KLDivergence, LogCosh,
  MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Poisson, SquaredHinge,
} from './loss-classes.ts';
import { categoricalCrossentropy, clippedLogProbs, meanSquaredError } from './loss-functions.ts';

/** Keras's `backend.epsilon()`: 1e-7, the clipping bound of the crossentropy losses (probabilities are clipped to [EPSILON, 1 - EPSILON]). */
export const EPSILON = 1e-7;

/**
 * A loss: what `compile({ loss })` accepts besides a name. Implement it to use your own loss; `call` must return a
 * float32 scalar built from differentiable ops.
 */
export interface Loss {
  /** Keras name, e.g. 'sparse_categorical_crossentropy'. */
  readonly name: string;
  /**
   * The scalar (float32) loss of a batch: yTrue the labels, yPred the model's output, sampleWeight optional
   * per-sample weights (the built-in losses accept them; Keras's `loss(yTrue, yPred, sampleWeight)`).
   */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;
}

/**
 * Keras `SparseCategoricalCrossentropy`: yTrue integer labels [N] (int32 or uint8, or float32 cast to int32 by
 * truncation as Keras does; [N, 1] works too), yPred
 * probabilities (or logits with `fromLogits`) [N, C]. Probabilities are normalised to sum to 1, clipped to
 * [1e-7, 1 - 1e-7] and logged, as Keras does; the per-sample losses are weighted and reduced as
 * {@link KerasLoss} says (default "sum_over_batch_size": their sum divided by their count).
 *
 * With `ignoreClass`, labels equal to it are masked as Keras's TensorFlow backend does: their losses are 0, and
 * the mask becomes a weight (mask * count / (valid + 1e-7) for the mean reductions), so the mean is over the valid
 * labels. Ditto replaces a masked row's yPred by ones (Keras multiplies it by 0) so that its gradient is 0 rather
 * than NaN; the values are the same.
 * @throws {@link ShapeError} for labels whose shape does not match yPred's; {@link DTypeError} for a yPred that is
 * not float32; {@link ArgumentError} for a label outside [0, C) (on WebGPU at the next log read).
 */
export class SparseCategoricalCrossentropy extends KerasLoss {
  /** Whether yPred holds logits. */
  readonly fromLogits: boolean;
  /** The label to ignore, if any. */
  readonly ignoreClass: number | null;

  constructor(
    /** Loss options. */
    readonly options: LossConfig & {
      /** Whether yPred holds logits (log-softmax is applied) rather than probabilities (default false). */
      fromLogits?: boolean;
      /** A label whose entries count for nothing (default null: none). */
      ignoreClass?: number | null;
    } = {},
  ) {
    super('SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', options, ['fromLogits', 'ignoreClass']);
    this.fromLogits = checkBool('SparseCategoricalCrossentropy', 'fromLogits', options.fromLogits);
    const ic = options.ignoreClass;
    if (ic !== undefined && ic !== null && !Number.isSafeInteger(ic)) {
      throw new ArgumentError(`SparseCategoricalCrossentropy: expected ignoreClass to be an integer or null. Received: ignoreClass=${JSON.stringify(ic)}`);
    }
    this.ignoreClass = ic ?? null;
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    const fn = 'sparse_categorical_crossentropy';
    assertLive(fn, yTrue);
    assertLive(fn, yPred);
    if (yPred.dtype !== 'float32') throw new DTypeError(`${fn}: expected yPred of dtype float32. Received: yPred.dtype=${yPred.dtype}`);
    const C = yPred.shape[yPred.rank - 1];
    const labelShape = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? yTrue.shape.slice(0, -1) : yTrue.shape;
    if (yPred.rank < 1 || labelShape.length !== yPred.rank - 1 || labelShape.some((d, i) => d !== yPred.shape[i])) {
      throw new ShapeError(`${fn}: expected labels of shape ${fmtShape(yPred.shape.slice(0, -1))} for yPred of shape ${fmtShape(yPred.shape)}. Received: yTrue.shape=${fmtShape(yTrue.shape)}`);
    }
    let mask: Tensor | undefined;
    let pred = yPred;
    let given = yTrue;
    if (this.ignoreClass !== null) {
      mask = ops.reshape(ops.notEqual(yTrue, this.ignoreClass), labelShape);
      given = ops.mul(yTrue, ops.cast(ops.reshape(mask, yTrue.shape), yTrue.dtype));
      pred = ops.where(ops.expandDims(mask, -1), yPred, 1);
    }
    if (given.dtype !== 'float32') checkLabels(fn, given, C);
    // Keras casts float labels to int (truncating toward zero): float32 class ids such as 3.0 work.
    const ints = given.dtype === 'float32' ? ops.cast(given, 'int32') : given;
    if (ints !== given) checkLabels(fn, ints, C);
    const logp = clippedLogProbs(pred, this.fromLogits);
    const labels = ops.reshape(ints, labelShape);
    let values = ops.neg(ops.sum(ops.mul(ops.oneHot(labels, C), logp), -1));
    if (mask) values = ops.where(mask, values, 0);
    return { values, mask };
  }
}

/**
 * Keras `sparse_categorical_crossentropy` (the function): the per-sample losses of
 * {@link SparseCategoricalCrossentropy} (with ignoreClass, ignored entries are 0), unreduced.
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: { fromLogits?: boolean; ignoreClass?: number | null } = {}): Tensor {
  return tidy(() => new SparseCategoricalCrossentropy(options).perSample(yTrue, yPred).values);
}

/**
 * Labels must lie in [0, C): checked now when the labels can be read synchronously, else counted on
 * the device and verified at the training loop's next log read (deferred-checks.ts).
 */
function checkLabels(fn: string, labels: Tensor, C: number): void {
  const read = labels.storage.backend.readSync;
  if (!read) {
    // A side stream for op traces: only backends without synchronous reads run these ops.
    withSideStream('check', () => {
      const bad = tidy(() => {
        const high = ops.cast(ops.greaterEqual(labels, C), 'int32');
        const out = labels.dtype === 'int32' ? ops.add(high, ops.cast(ops.less(labels, 0), 'int32')) : high;
        return ops.sum(out);
      });
      deferCheck(`${fn}/labels`, bad, `${fn}: expected labels in [0, ${C}). Received: labels outside that range`);
      bad.dispose();
    });
    return;
  }
  if (labels.dtype === 'int32') return checkIndices(fn, labels, C);
  const d = read.call(labels.storage.backend, labels.storage.handle, labels.dtype, labels.size);
  for (let i = 0; i < d.length; i++) {
    if (d[i] >= C) throw new ArgumentError(`${fn}: expected labels in [0, ${C}). Received: label ${d[i]} at index ${i}`);
  }
}

/**
 * Keras `CategoricalCrossentropy`: yTrue one-hot (or any distribution) [N, C], yPred probabilities (or logits with
 * `fromLogits`) [N, C]; clipped as {@link SparseCategoricalCrossentropy}; label smoothing ls makes yTrue
 * `yTrue * (1 - ls) + ls / C` (see {@link categoricalCrossentropy}); weighted and reduced as {@link KerasLoss}.
 * @throws {@link ShapeError} unless yTrue and yPred have the same shape.
 */
export class CategoricalCrossentropy extends KerasLoss {
  /** Whether yPred holds logits. */
  readonly fromLogits: boolean;
  /** The label smoothing. */
  readonly labelSmoothing: number;
  /** The class axis. */
  readonly axis: number;

  constructor(
    /** Loss options. */
    readonly options: LossConfig & {
      /** Whether yPred holds logits (log-softmax is applied) rather than probabilities (default false). */
      fromLogits?: boolean;
      /** Label smoothing in [0, 1] (default 0). */
      labelSmoothing?: number;
      /** The class axis (default -1). */
      axis?: number;
    } = {},
  ) {
    super('CategoricalCrossentropy', 'categorical_crossentropy', options, ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = checkBool('CategoricalCrossentropy', 'fromLogits', options.fromLogits);
    this.labelSmoothing = checkRange('CategoricalCrossentropy', 'labelSmoothing', options.labelSmoothing, 0, 1, 0);
    this.axis = checkAxisOption('CategoricalCrossentropy', options.axis);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis }) };
  }
}

/**
 * Keras `MeanSquaredError`: the mean over the last axis of (yTrue - yPred)^2, weighted and reduced as
 * {@link KerasLoss} says. yTrue is cast to float32.
 * @throws {@link ShapeError} unless yTrue and yPred have the same shape (after Keras's squeeze-or-expand).
 */
export class MeanSquaredError extends KerasLoss {
  /** @param options reduction, name */
  constructor(options: LossConfig = {}) {
    super('MeanSquaredError', 'mean_squared_error', options, []);
  }

  perSample(yTrue: Tensor, yPred: Tensor): PerSample {
    return { values: meanSquaredError(yTrue, yPred) };
  }
}

const ALIASES: Record<string, () => Loss> = {
  sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
  SparseCategoricalCrossentropy: () => new SparseCategoricalCrossentropy(),
  categorical_crossentropy: () => new CategoricalCrossentropy(),
  CategoricalCrossentropy: () => new CategoricalCrossentropy(),
  mean_squared_error: () => new MeanSquaredError(),
  mse: () => new MeanSquaredError(),
  MeanSquaredError: () => new MeanSquaredError(),
  // Keras 3's other names (keras/src/losses/__init__.py): function names, class names, short aliases.
  MSE: () => new MeanSquaredError(),
  binary_crossentropy: () => new BinaryCrossentropy(),
  BinaryCrossentropy: () => new BinaryCrossentropy(),
  bce: () => new BinaryCrossentropy(),
  BCE: () => new BinaryCrossentropy(),
  binary_focal_crossentropy: () => new BinaryFocalCrossentropy(),
  BinaryFocalCrossentropy: () => new BinaryFocalCrossentropy(),
  mean_absolute_error: () => new MeanAbsoluteError(),
  MeanAbsoluteError: () => new MeanAbsoluteError(),
  mae: () => new MeanAbsoluteError(),
  MAE: () => new MeanAbsoluteError(),
  mean_absolute_percentage_error: () => new MeanAbsolutePercentageError(),
  MeanAbsolutePercentageError: () => new MeanAbsolutePercentageError(),
  mape: () => new MeanAbsolutePercentageError(),
  MAPE: () => new MeanAbsolutePercentageError(),
  mean_squared_logarithmic_error: () => new MeanSquaredLogarithmicError(),
  MeanSquaredLogarithmicError: () => new MeanSquaredLogarithmicError(),
  msle: () => new MeanSquaredLogarithmicError(),
  MSLE: () => new MeanSquaredLogarithmicError(),
  huber: () => new Huber(),
  Huber: () => new Huber(),
  log_cosh: () => new LogCosh(),
  LogCosh: () => new LogCosh(),
  kl_divergence: () => new KLDivergence(),
  KLDivergence: () => new KLDivergence(),
  kld: () => new KLDivergence(),
  KLD: () => new KLDivergence(),
  poisson: () => new Poisson(),
  Poisson: () => new Poisson(),
  cosine_similarity: () => new CosineSimilarity(),
  CosineSimilarity: () => new CosineSimilarity(),
  hinge: () => new Hinge(),
  Hinge: () => new Hinge(),
  squared_hinge: () => new SquaredHinge(),
  SquaredHinge: () => new SquaredHinge(),
  categorical_hinge: () => new CategoricalHinge(),
  CategoricalHinge: () => new CategoricalHinge(),
};

/**
 * A loss from a Keras 3 name (a function name such as 'binary_crossentropy', a class name such as 'Huber', or an
 * alias: 'mse', 'mae', 'mape', 'msle', 'kld', 'bce' and their upper-case forms) with Keras's defaults, or an object
 * with a `call` method (returned as is). Exported as `dt.losses.get`.
 * @throws {@link ArgumentError} for an unknown name.
 */
export function getLoss(id: string | Loss): Loss {
  if (typeof id !== 'string') {
    if (id && typeof id.call === 'function') return id;
    throw new ArgumentError(`losses.get: expected a loss name or object. Received: ${typeof id}`);
  }
  const make = Object.hasOwn(ALIASES, id) ? ALIASES[id] : undefined;
  if (!make) throw new ArgumentError(`losses.get: unknown loss '${id}'. Expected one of: ${Object.keys(ALIASES).join(', ')}`);
  return make();
}
