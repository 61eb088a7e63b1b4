/**
 * Gradient checks (float64 central differences + vᵀJu) through compositions used in training:
 * sparse categorical cross-entropy from logits (one-hot and gather forms) and from clipped softmax
 * probabilities (Keras), mean squared error, and two small conv + dense networks differentiated
 * with respect to the input and every weight and bias at once (conv, bias, relu/sigmoid, pooling,
 * reshape, matmul, softmax and reductions chained).
 */
import * as dt from '../../src/index.ts';
import * as N from '../reference/nn64.ts';
import * as R from '../reference/ops64.ts';
import { type GradCheckSpec, describeGradcheck, uniform } from '../util/gradcheck.ts';

const LABELS = [1, 3, 0];

/** -mean(logSoftmax(logits)[b, label_b]) via a one-hot mask. */
function crossEntropyOneHot(logits: dt.Tensor, labels: number[]): dt.Tensor {
  const k = logits.shape[1];
  const mask = dt.oneHot(dt.tensor(labels, [labels.length], 'int32'), k);
  return dt.neg(dt.mean(dt.sum(dt.mul(dt.logSoftmax(logits), mask), 1)));
}

/** The same loss via gather on the flattened log-probabilities. */
function crossEntropyGather(logits: dt.Tensor, labels: number[]): dt.Tensor {
  const k = logits.shape[1];
  const flat = dt.reshape(dt.logSoftmax(logits, 1), [-1]);
  return dt.neg(dt.mean(dt.gather(flat, labels.map((l, b) => b * k + l))));
}

/** conv(3x3, same) + bias -> relu -> maxPool 2 -> flatten -> dense -> sparse cross-entropy. */
function net1(x: dt.Tensor, w1: dt.Tensor, b1: dt.Tensor, w2: dt.Tensor, b2: dt.Tensor): dt.Tensor {
  const h = dt.maxPool2d(dt.relu(dt.add(dt.conv2d(x, w1, { padding: 'same' }), b1)), { poolSize: 2 });
  const logits = dt.add(dt.matmul(dt.reshape(h, [x.shape[0], -1]), w2), b2);
  return crossEntropyOneHot(logits, LABELS.slice(0, x.shape[0]));
}
function net1Ref(x: R.A64, w1: R.A64, b1: R.A64, w2: R.A64, b2: R.A64): R.A64 {
  const h = N.maxPool2d(R.relu(R.add(N.conv2d(x, w1, { padding: 'same' }), b1)), { poolSize: 2 });
  const logits = R.add(N.matmul(R.reshape(h, [x.shape[0], -1]), w2), b2);
  return N.sparseCrossEntropy(logits, LABELS.slice(0, x.shape[0]));
}

/** conv(2x2, stride 2, valid) -> sigmoid -> avgPool(3, stride 1, same) -> dense(tanh) -> softmax -> mean squared error. */
const TARGET = [0.1, 0.7, 0.2, 0.5, 0.25, 0.25];
function net2(x: dt.Tensor, w1: dt.Tensor, w2: dt.Tensor): dt.Tensor {
  const h = dt.avgPool2d(dt.sigmoid(dt.conv2d(x, w1, { strides: 2, padding: 'valid' })), { poolSize: 3, strides: 1, padding: 'same' });
  const p = dt.softmax(dt.tanh(dt.matmul(dt.reshape(h, [2, -1]), w2)));
  return dt.mean(dt.square(dt.sub(p, dt.tensor(TARGET, [2, 3]))));
}
function net2Ref(x: R.A64, w1: R.A64, w2: R.A64): R.A64 {
  const h = N.avgPool2d(R.sigmoid(N.conv2d(x, w1, { strides: 2, padding: 'valid' })), { poolSize: 3, strides: 1, padding: 'same' });
  const p = N.softmax(R.tanh(N.matmul(R.reshape(h, [2, -1]), w2)));
  return R.mean(R.square(R.sub(p, R.arr([2, 3], TARGET))));
}

/** Keras-style: softmax probabilities, clipped to [eps, 1 - eps], then -mean(log p[label]). */
function crossEntropyFromProbs(logits: dt.Tensor, labels: number[]): dt.Tensor {
  const k = logits.shape[1];
  const p = dt.clipByValue(dt.softmax(logits), 1e-7, 1 - 1e-7);
  return dt.neg(dt.mean(dt.log(dt.gather(dt.reshape(p, [-1]), labels.map((l, b) => b * k + l)))));
}

const cases: GradCheckSpec[] = [
  {
    name: 'sparse cross-entropy (one-hot) from logits [3, 5]',
    f: (z) => crossEntropyOneHot(z, LABELS), ref: (z) => N.sparseCrossEntropy(z, LABELS), inputs: [uniform([3, 5], -3, 3)],
  },
  {
    name: 'sparse cross-entropy (gather) from logits [3, 5]',
    f: (z) => crossEntropyGather(z, LABELS), ref: (z) => N.sparseCrossEntropy(z, LABELS), inputs: [uniform([3, 5], -3, 3)],
  },
  {
    name: 'sparse cross-entropy from clipped softmax probabilities [3, 5]',
    f: (z) => crossEntropyFromProbs(z, LABELS), ref: (z) => N.sparseCrossEntropyFromProbs(N.softmax(z), LABELS), inputs: [uniform([3, 5], -3, 3)],
  },
  {
    name: 'mean squared error of tanh(x) against a target',
    f: (z) => dt.mean(dt.square(dt.sub(dt.tanh(z), dt.tensor(TARGET, [2, 3])))),
    ref: (z) => N.meanSquaredError(R.tanh(z), R.arr([2, 3], TARGET)),
    inputs: [uniform([2, 3], -2, 2)],
  },
  {
    name: 'net1: conv+bias+relu+maxPool+dense+cross-entropy, d/d(x, w1, b1, w2, b2)',
    f: net1, ref: net1Ref,
    inputs: [uniform([2, 6, 6, 2]), uniform([3, 3, 2, 3], -0.5, 0.5), uniform([3], -0.1, 0.1), uniform([27, 4], -0.5, 0.5), uniform([4], -0.1, 0.1)],
  },
  {
    name: 'net2: conv(stride 2)+sigmoid+avgPool(same)+dense+tanh+softmax+MSE, d/d(x, w1, w2)',
    f: net2, ref: net2Ref,
    inputs: [uniform([2, 7, 7, 2]), uniform([2, 2, 2, 2]), uniform([18, 3])],
  },
];

describeGradcheck('composite gradients', cases);
