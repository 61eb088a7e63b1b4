/**
 * Losses with Keras 3 semantics (keras/src/losses/losses.py and the JAX backend's nn.py), each
 * reduced with "sum_over_batch_size": the sum of per-sample losses divided by their count.
 *  - sparse_categorical_crossentropy(yTrue int labels [N], yPred [N, C]): probabilities are first
 *    normalised (p / sum p), clipped to [1e-7, 1 - 1e-7], logged; or log-softmax with fromLogits.
 *  - categorical_crossentropy(yTrue one-hot [N, C], yPred [N, C]): the same with a dense target.
 *  - mean_squared_error: mean over the last axis of (yTrue - yPred)^2.
 * Part of src/nn: imports src/core only.
 */
import {
  ArgumentError, DTypeError, ShapeError, type Tensor, assertLive, checkIndices, checkOptions, fmtShape, ops, tidy,
  withSideStream,
} from '../core/internal.ts';
import { deferCheck } from './deferred-checks.ts';

/** Keras's `backend.epsilon()`: 1e-7, the clipping bound of the crossentropy losses (probabilities are clipped to [EPSILON, 1 - EPSILON]). */
export const EPSILON = 1e-7;

/**
 * A loss: what `compile({ loss })` accepts besides a name. Implement it to use your own loss; `call` must return a
 * float32 scalar built from differentiable ops.
 */
export interface Loss {
  /** Keras name, e.g. 'sparse_categorical_crossentropy'. */
  readonly name: string;
  /** The scalar (float32) loss of a batch: yTrue the labels, yPred the model's output. */
  call(yTrue: Tensor, yPred: Tensor): Tensor;
}

/** sum(values) / count: Keras's "sum_over_batch_size" reduction. */
function sumOverBatch(values: Tensor): Tensor {
  return ops.div(ops.sum(values), Math.max(values.size, 1));
}

function clippedLogProbs(yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return ops.logSoftmax(yPred, -1);
  const p = ops.div(yPred, ops.sum(yPred, -1, true));
  return ops.log(ops.clipByValue(p, EPSILON, 1 - EPSILON));
}

/**
 * Keras `SparseCategoricalCrossentropy`: yTrue integer labels [N] (int32 or uint8, or float32 cast to int32 by
 * truncation as Keras does; [N, 1] works too), yPred
 * probabilities (or logits with `fromLogits`) [N, C]. Probabilities are normalised to sum to 1, clipped to
 * [1e-7, 1 - 1e-7] and logged, as Keras does; the per-sample losses are averaged over the batch
 * ("sum_over_batch_size").
 * @throws {@link ShapeError} for labels whose shape does not match yPred's; {@link DTypeError} for a yPred that is
 * not float32; {@link ArgumentError} for a label outside [0, C) (on WebGPU at the next log read).
 */
export class SparseCategoricalCrossentropy implements Loss {
  /** 'sparse_categorical_crossentropy'. */
  readonly name = 'sparse_categorical_crossentropy';
  constructor(
    /** Loss options. */
    readonly options: {
      /** Whether yPred holds logits (log-softmax is applied) rather than probabilities (default false). */
      fromLogits?: boolean;
    } = {},
  ) {
    checkOptions('SparseCategoricalCrossentropy', options, ['fromLogits']);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const fn = 'sparse_categorical_crossentropy';
    assertLive(fn, yTrue);
    assertLive(fn, yPred);
    if (yPred.dtype !== 'float32') throw new DTypeError(`${fn}: expected yPred of dtype float32. Received: yPred.dtype=${yPred.dtype}`);
    const C = yPred.shape[yPred.rank - 1];
    const labelShape = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? yTrue.shape.slice(0, -1) : yTrue.shape;
    if (yPred.rank < 1 || labelShape.length !== yPred.rank - 1 || labelShape.some((d, i) => d !== yPred.shape[i])) {
      throw new ShapeError(`${fn}: expected labels of shape ${fmtShape(yPred.shape.slice(0, -1))} for yPred of shape ${fmtShape(yPred.shape)}. Received: yTrue.shape=${fmtShape(yTrue.shape)}`);
    }
    if (yTrue.dtype !== 'float32') checkLabels(fn, yTrue, C);
    return tidy(() => {
      // Keras casts float labels to int (truncating toward zero): float32 class ids such as 3.0 work.
      const ints = yTrue.dtype === 'float32' ? ops.cast(yTrue, 'int32') : yTrue;
      if (ints !== yTrue) checkLabels(fn, ints, C);
      const logp = clippedLogProbs(yPred, !!this.options.fromLogits);
      const labels = ops.reshape(ints, labelShape);
      const perSample = ops.neg(ops.sum(ops.mul(ops.oneHot(labels, C), logp), -1));
      return sumOverBatch(perSample);
    });
  }
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
 * `fromLogits`) [N, C]; clipped as {@link SparseCategoricalCrossentropy}, averaged over the batch.
 * @throws {@link ShapeError} unless yTrue and yPred have the same shape.
 */
export class CategoricalCrossentropy implements Loss {
  /** 'categorical_crossentropy'. */
  readonly name = 'categorical_crossentropy';
  constructor(
    /** Loss options. */
    readonly options: {
      /** Whether yPred holds logits (log-softmax is applied) rather than probabilities (default false). */
      fromLogits?: boolean;
    } = {},
  ) {
    checkOptions('CategoricalCrossentropy', options, ['fromLogits']);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const fn = 'categorical_crossentropy';
    assertLive(fn, yTrue);
    assertLive(fn, yPred);
    if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
      throw new ShapeError(`${fn}: expected yTrue and yPred of the same shape. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
    }
    return tidy(() => {
      const t = yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32');
      const perSample = ops.neg(ops.sum(ops.mul(t, clippedLogProbs(yPred, !!this.options.fromLogits)), -1));
      return sumOverBatch(perSample);
    });
  }
}

/**
 * Keras `MeanSquaredError`: the mean over the last axis of (yTrue - yPred)^2, averaged over the batch. yTrue is
 * cast to float32.
 * @throws {@link ShapeError} unless yTrue and yPred have the same shape.
 */
export class MeanSquaredError implements Loss {
  /** 'mean_squared_error'. */
  readonly name = 'mean_squared_error';

  /** @param options none yet (Keras's reduction and name are not supported) */
  constructor(options: Record<string, never> = {}) {
    checkOptions('MeanSquaredError', options, []);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const fn = 'mean_squared_error';
    assertLive(fn, yTrue);
    assertLive(fn, yPred);
    return tidy(() => {
      const t = yTrue.dtype === 'float32' ? yTrue : ops.cast(yTrue, 'float32');
      if (t.rank !== yPred.rank || t.shape.some((d, i) => d !== yPred.shape[i])) {
        throw new ShapeError(`${fn}: expected yTrue and yPred of the same shape. Received: yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}`);
      }
      return sumOverBatch(ops.mean(ops.square(ops.sub(t, yPred)), -1));
    });
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
};

/**
 * A loss from a Keras name ('sparse_categorical_crossentropy', 'categorical_crossentropy', 'mean_squared_error',
 * 'mse', or a class name) or an object with a `call` method (returned as is). Exported as `dt.losses.get`.
 * @throws {@link ArgumentError} for an unknown name.
 */
export function getLoss(id: string | Loss): Loss {
  if (typeof id !== 'string') {
    if (id && typeof id.call === 'function') return id;
    throw new ArgumentError(`losses.get: expected a loss name or object. Received: ${typeof id}`);
  }
  const make = ALIASES[id];
  if (!make) throw new ArgumentError(`losses.get: unknown loss '${id}'. Expected one of: ${Object.keys(ALIASES).join(', ')}`);
  return make();
}
