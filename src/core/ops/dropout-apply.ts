/**
 * dropoutApply: dropout's mask generation and application in one primitive, the bits of the composite
 * statelessDropout runs without it (src/core/random/tensor-random.ts), in one pass over x instead of four:
 *   philox:   u = randomUniform(x.shape, key, counter); out = where(greaterEqual(u, f32(rate)), mul(x, f32(1 / (1 - rate))), 0)
 *   threefry: u = randomUniform(x.shape, key);          out = where(less(u, f32(1 - rate)), div(x, f32(1 - rate)), 0)
 * Element i draws the word randomUniform draws for position i (the exact stream recipe is in
 * src/core/ops/random-uniform.ts: philox block i >> 2 word i & 3, threefry the halves layout of n = x.size),
 * decides keep with the integer rule of src/core/random/dropout.ts (dropoutKeepRule: philox m >= ceil(f32(rate) * 2^23)
 * on the low 23 bits, threefry m < ceil(f32(1 - rate) * 2^23) on the high 23 bits, which is exactly the float
 * comparison of the uniform m * 2^-23), and writes keep ? f32(x * factor) (philox) or f32(x / factor) (threefry) : +0,
 * one correctly rounded operation with the factor of dropoutScale: the bits of mul/div then where, NaN, Inf, -0
 * and subnormals included (a dropped NaN is +0, as where gives).
 * determinism: no reduction; each element is a function of (key, counter, i, n, x[i]) only.
 * Gradient: the same op on dy with the same attributes (the mask is regenerated, not stored). The composite's
 * backward is mul(where(keep, dy, 0), factor) (resp. div): keep ? f32(dy * factor) : f32(+0 * factor) = +0, the
 * same bits, since factor is finite and positive.
 * Part of src/core.
 */
import { ArgumentError, DTypeError } from '../errors.ts';
import { checkAlgorithm, type RandomAlgorithm } from '../random/algorithm.ts';
import { checkU32Words, fmtValue } from '../random/validate.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import type { OpAttrMap } from './op-attrs.ts';
import { type OpDef, defineOp } from './op-def.ts';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** Dropout of x with the mask of a counter-based stream, in one pass (input x). */
    dropoutApply: {
      /** 'philox' or 'threefry'. */
      algorithm: RandomAlgorithm;
      /** The generator key, two uint32 words. */
      key: [number, number];
      /** The starting counter, four uint32 words (threefry: zeros). */
      counter: [number, number, number, number];
      /** Drop probability, strictly between 0 and 1. */
      rate: number;
    };
  }
}

/** Attributes of dropoutApply: algorithm, key [2] u32, counter [4] u32, rate in (0, 1). */
export type DropoutApplyAttrs = OpAttrMap['dropoutApply'];

function checkAttrs(fn: string, a: DropoutApplyAttrs): void {
  checkAlgorithm(fn, a?.algorithm);
  checkU32Words(fn, 'key', a.key, 2);
  checkU32Words(fn, 'counter', a.counter, 4);
  if (a.algorithm === 'threefry' && (a.counter[0] | a.counter[1] | a.counter[2] | a.counter[3]) !== 0) {
    throw new ArgumentError(`${fn}: expected counter [0, 0, 0, 0] for algorithm 'threefry' (its stream is fixed by the key). Received: counter=${fmtValue(a.counter)}`);
  }
  if (typeof a.rate !== 'number' || !(a.rate > 0 && a.rate < 1)) {
    throw new ArgumentError(`${fn}: expected rate strictly between 0 and 1 (statelessDropout handles 0 and 1 without drawing). Received: rate=${fmtValue(a.rate)}`);
  }
}

const dropoutApplyOp: OpDef<'dropoutApply'> = defineOp({
  name: 'dropoutApply',
  infer: ([x], a) => {
    checkAttrs('dropoutApply', a);
    if (x.dtype !== 'float32') throw new DTypeError(`dropoutApply: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
    return { shape: [...x.shape], dtype: 'float32' };
  },
  grad: (dy, { attrs, needs }): (Tensor | null)[] => [needs[0] ? runOp(dropoutApplyOp, [dy], attrs) : null],
});

/**
 * Dropout of x in one pass: each element is kept when the uniform that `randomUniform(x.shape, options)` draws for
 * its position passes the keep test of `rate`, and is then scaled (philox: times f32(1 / (1 - rate)); threefry:
 * divided by f32(1 - rate)); dropped elements are +0. Bit for bit the composite
 * `where(greaterEqual(randomUniform(...), f32(rate)), mul(x, f32(1 / (1 - rate))), 0)` (threefry:
 * `where(less(u, f32(1 - rate)), div(x, f32(1 - rate)), 0)`), with the same gradient bits, without materializing
 * the uniforms or the mask. Its gradient is the same op applied to dy (the mask is regenerated).
 *
 * Most users want `dt.random.statelessDropout(x, rate, seed)` or the `Dropout` layer, which run it.
 * @param x float32 tensor of any shape
 * @param rate drop probability, strictly between 0 and 1
 * @throws {@link ditto-ml!ArgumentError | ArgumentError} for a rate outside (0, 1), an unknown algorithm, key or counter
 * words that are not uint32, or a non-zero counter with 'threefry'; {@link ditto-ml!DTypeError | DTypeError} unless
 * x is float32.
 */
export function dropoutApply(
  x: Tensor,
  rate: number,
  options: { algorithm: RandomAlgorithm; key: ArrayLike<number>; counter?: ArrayLike<number> },
): Tensor {
  assertLive('dropoutApply', x);
  if (options?.key && options.key.length !== 2) checkU32Words('dropoutApply', 'key', options.key, 2);
  if (options?.counter && options.counter.length !== 4) checkU32Words('dropoutApply', 'counter', options.counter, 4);
  const attrs: DropoutApplyAttrs = {
    algorithm: options?.algorithm,
    key: options?.key ? [options.key[0], options.key[1]] : (options?.key as never),
    counter: options?.counter
      ? [options.counter[0], options.counter[1], options.counter[2], options.counter[3]]
      : [0, 0, 0, 0],
    rate,
  };
  return runOp(dropoutApplyOp, [x], attrs);
}
