/**
 * Indexing: gather(x, indices, axis) and oneHot(indices, depth).
 * determinism: the gradient of gather is the op gatherGrad, a gather formulation of scatter-add:
 * dx[.., r, ..] = S over i = 0..len(indices)-1 with indices[i] == r of dy[.., i, ..]
 * (non-matching i are skipped and keep their index in the summation tree).
 * Out-of-range indices are an error, checked on the host before the kernel runs when the
 * indices are readable synchronously, and otherwise give zeros (never out-of-bounds reads).
 * Part of src/core.
 */
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { runOp } from '../run-op.ts';
import { normalizeAxis } from '../shape.ts';
import { Tensor, assertLive } from '../tensor.ts';
import { checkValue, tensor } from './creation.ts';
import { defineOp } from './op-def.ts';

const gatherGradOp = defineOp({
  name: 'gatherGrad',
  infer: ([dy, idx], a) => {
    const shape = [...dy.shape];
    shape.splice(a.axis, idx.shape.length, a.dimSize);
    return { shape, dtype: dy.dtype };
  },
});

const gatherOp = defineOp({
  name: 'gather',
  infer: ([x, idx], { axis }) => {
    if (idx.dtype !== 'int32') throw new DTypeError(`gather: expected indices of dtype int32. Received: indices.dtype=${idx.dtype}`);
    const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    return { shape, dtype: x.dtype };
  },
  grad: (dy, { inputs: [x, idx], attrs }) => [runOp(gatherGradOp, [dy, idx], { axis: attrs.axis, dimSize: x.shape[attrs.axis] }), null],
});

const oneHotOp = defineOp({
  name: 'oneHot',
  infer: ([idx], a) => {
    if (idx.dtype !== 'int32' && idx.dtype !== 'uint8') {
      throw new DTypeError(`oneHot: expected indices of dtype int32 or uint8. Received: indices.dtype=${idx.dtype}`);
    }
    return { shape: [...idx.shape, a.depth], dtype: a.dtype };
  },
});

/** Selects slices of `x` along `axis` at `indices` (int32); output shape x[:axis] + indices + x[axis+1:]. */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  assertLive('gather', x);
  if (x.rank === 0) throw new ShapeError(`gather: expected x of rank >= 1. Received: x.shape=${fmtShape(x.shape)}`);
  const ax = normalizeAxis('gather', axis, x.rank);
  const idx = indices instanceof Tensor ? indices : tensor([...indices], [indices.length], 'int32');
  try {
    checkIndices('gather', idx, x.shape[ax]);
    return runOp(gatherOp, [x, idx], { axis: ax });
  } finally {
    if (idx !== indices) idx.dispose();
  }
}

/**
 * One-hot encoding, TF.js `tf.oneHot`: indices [...] (int32 or uint8) -> [..., depth], `onValue` (default 1) at each
 * index and `offValue` (default 0) elsewhere, of `dtype` (default float32).
 *
 * An index outside [0, depth) (negative, or depth or more) is not an error: it gives a row of `offValue` only (a
 * zero row by default), as in TensorFlow. Check your labels first if that would hide a bug
 * (`sparse_categorical_crossentropy` does: it refuses labels outside [0, C)).
 *
 * @example
 * ```ts
 * dt.oneHot(dt.tensor([0, 2, 5], [3], 'int32'), 3);   // [[1, 0, 0], [0, 0, 1], [0, 0, 0]]: 5 is out of range
 * ```
 */
export function oneHot(indices: Tensor, depth: number, options: { onValue?: number; offValue?: number; dtype?: 'float32' | 'int32' } = {}): Tensor {
  assertLive('oneHot', indices);
  if (!Number.isSafeInteger(depth) || depth < 1) throw new ArgumentError(`oneHot: expected depth to be a positive integer. Received: depth=${depth}`);
  checkOptions('oneHot', options, ['onValue', 'offValue', 'dtype']);
  // int32 output: onValue and offValue must be int32 values (1.5 is refused, not truncated)
  const outDtype = options.dtype ?? 'float32';
  if (options.onValue !== undefined) checkValue('oneHot', options.onValue, outDtype);
  if (options.offValue !== undefined) checkValue('oneHot', options.offValue, outDtype);
  return runOp(oneHotOp, [indices], { depth, onValue: options.onValue ?? 1, offValue: options.offValue ?? 0, dtype: options.dtype ?? 'float32' });
}

/** Gradient of gather: sums slices of dy into rows of a [.., dimSize, ..] result by index. */
export function gatherGrad(dy: Tensor, indices: Tensor, axis: number, dimSize: number): Tensor {
  assertLive('gatherGrad', dy);
  assertLive('gatherGrad', indices);
  if (!Number.isInteger(dimSize) || dimSize < 0) throw new ArgumentError(`gatherGrad: expected a non-negative integer dimSize. Received: ${dimSize}`);
  return runOp(gatherGradOp, [dy, indices], { axis, dimSize });
}

/** Throws when an index is outside [0, size), if the indices can be read synchronously. */
export function checkIndices(fn: string, idx: Tensor, size: number): void {
  assertLive(fn, idx);
  if (idx.dtype !== 'int32') return; // the op's infer reports the dtype
  const read = idx.storage.backend.readSync;
  if (!read) return;
  const data = read.call(idx.storage.backend, idx.storage.handle, idx.dtype, idx.size);
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= size) {
      throw new ArgumentError(`${fn}: expected indices in [0, ${size}). Received: indices[${i}]=${data[i]}`);
    }
  }
}
