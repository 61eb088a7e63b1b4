/**
 * Contiguous sub-blocks and their inverse: slice(x, begin, size) and pad(x, paddings, value).
 * tfjs conventions: size -1 means "to the end"; a number begin/size applies to axis 0.
 * Part of src/core.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.ts';
import { checkValue } from './creation.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';

const padOp = defineOp({
  name: 'pad',
  infer: ([x], a) => ({ shape: x.shape.map((d, i) => d + a.paddings[i][0] + a.paddings[i][1]), dtype: x.dtype }),
  grad: (dy, { inputs: [x], attrs }) => [slice(dy, attrs.paddings.map((p) => p[0]), [...x.shape])],
});

const sliceOp = defineOp({
  name: 'slice',
  infer: ([x], a) => ({ shape: [...a.size], dtype: x.dtype }),
  grad: (dy, { inputs: [x], attrs }) => [pad(dy, x.shape.map((d, i) => [attrs.begin[i], d - attrs.begin[i] - attrs.size[i]] as [number, number]))],
});

/** The block starting at `begin` of extent `size` (-1: to the end). */
export function slice(x: Tensor, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  assertLive('slice', x);
  const b = typeof begin === 'number' ? [begin, ...new Array<number>(Math.max(x.rank - 1, 0)).fill(0)] : [...begin];
  const s0 = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (b.length > x.rank || s0.length > x.rank) {
    throw new ShapeError(`slice: expected begin and size of length <= rank ${x.rank}. Received: begin=${JSON.stringify(begin)}, size=${JSON.stringify(size)} for x.shape=${fmtShape(x.shape)}`);
  }
  while (b.length < x.rank) b.push(0);
  const s = x.shape.map((d, i) => (i < s0.length && s0[i] !== -1 ? s0[i] : d - b[i]));
  for (let i = 0; i < x.rank; i++) {
    if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > x.shape[i]) {
      throw new ShapeError(`slice: expected 0 <= begin[i] and begin[i] + size[i] <= x.shape[i] for every axis. Received: begin=${fmtShape(b)}, size=${fmtShape(s)} for x.shape=${fmtShape(x.shape)}`);
    }
  }
  return runOp(sliceOp, [x], { begin: b, size: s });
}

/** Pads each axis with paddings[i] = [before, after] elements of `value`. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  assertLive('pad', x);
  // Every padded dimension must stay a safe integer (exact sizes): a padding of 2^53 is refused, not rounded.
  if (paddings.length !== x.rank || !paddings.every((p, i) => p.length === 2 && p.every((v) => Number.isSafeInteger(v) && v >= 0) && Number.isSafeInteger(x.shape[i] + p[0] + p[1]))) {
    throw new ArgumentError(`pad: expected ${x.rank} pairs of non-negative integers. Received: paddings=${JSON.stringify(paddings)}`);
  }
  if (typeof value !== 'number') throw new ArgumentError(`pad: expected a number value. Received: ${typeof value}`);
  // an integer tensor is padded with an integer it can hold: 1.5 or 300 (uint8) are refused, not truncated or wrapped
  checkValue('pad', value, x.dtype);
  return runOp(padOp, [x], { paddings: paddings.map((p) => [p[0], p[1]] as [number, number]), value });
}
