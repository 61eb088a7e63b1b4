/**
 * Max and average pooling (NHWC) and their gradients.
 * determinism:
 *  - maxPool2d: the window is scanned row-major (ph, then pw) skipping padding; the first
 *    maximum wins ties; NaN wins over numbers. maxPool2dGrad gives each input position a
 *    sequential sum from +0 over windows (oh, ow) row-major of dy[n,oh,ow,c] for the windows
 *    whose first maximum is that position (a gather; no scatter-add). With the internal attr
 *    reluMask, then x > 0 ? sum : +0 (the bits of reluGrad of that result; relu-mask.ts).
 *  - avgPool2d: a sequential sum from +0 (no chunk tree, whatever the window size) over the
 *    window's valid elements in row-major order (ph, then pw), divided (IEEE float32 division)
 *    by the number of valid elements (TensorFlow excludes padding).
 *    avgPool2dGrad: a sequential sum from +0 over the windows (oh, ow) row-major containing the
 *    position of f32(dy[n,oh,ow,c] / count(oh,ow)).
 * Part of src/core.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { defineOp } from './op-def.ts';
import type { Padding, PoolAttrs } from './op-attrs.ts';
import { markReluMasked } from './relu-mask.ts';
import { checkPadding, expectRank4, pair, window2d } from './window.ts';

function inferPool(fn: string) {
  return ([x]: readonly { shape: readonly number[]; dtype: string }[], a: PoolAttrs) => {
    expectRank4(fn, 'x', x.shape);
    if (x.dtype !== 'float32') throw new DTypeError(`${fn}: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
    const g = window2d(fn, x.shape, a.poolSize, a.strides, a.padding);
    return { shape: [g.n, g.outH, g.outW, g.inC], dtype: 'float32' as const };
  };
}

function checkGradShapes(fn: string, dy: readonly number[], inShape: readonly number[], a: PoolAttrs): void {
  const g = window2d(fn, inShape, a.poolSize, a.strides, a.padding);
  const want = [g.n, g.outH, g.outW, g.inC];
  if (dy.length !== 4 || want.some((d, i) => d !== dy[i])) {
    throw new ShapeError(`${fn}: expected dy of shape ${fmtShape(want)}. Received: dy.shape=${fmtShape(dy)}`);
  }
}

const maxPoolGradOp = defineOp({
  name: 'maxPool2dGrad',
  infer: ([dy, x], a) => {
    checkGradShapes('maxPool2dGrad', dy.shape, x.shape, a);
    return { shape: [...x.shape], dtype: 'float32' };
  },
});

// When x is a relu output on the same tape (reluMasked), relu's gradient mask x > 0 is applied in
// the pool gradient's own pass and the result marked, so relu's (or conv2dBiasAct's) gradient skips
// its reluGrad pass: the bits of reluGrad(maxPool2dGrad(dy, x), x) either way (relu-mask.ts).
const maxPoolOp = defineOp({
  name: 'maxPool2d',
  infer: inferPool('maxPool2d'),
  grad: (dy, { inputs: [x], attrs, reluMasked }) => [
    reluMasked[0] ? markReluMasked(runOp(maxPoolGradOp, [dy, x], { ...attrs, reluMask: true }), x) : runOp(maxPoolGradOp, [dy, x], attrs),
  ],
});

const avgPoolGradOp = defineOp({
  name: 'avgPool2dGrad',
  infer: ([dy], a) => {
    checkGradShapes('avgPool2dGrad', dy.shape, a.inputShape, a);
    return { shape: [...a.inputShape], dtype: 'float32' };
  },
});

const avgPoolOp = defineOp({
  name: 'avgPool2d',
  infer: inferPool('avgPool2d'),
  grad: (dy, { inputs: [x], attrs }) => [runOp(avgPoolGradOp, [dy], { ...attrs, inputShape: [...x.shape] })],
});

/** Options of {@link maxPool2d} and {@link avgPool2d}. */
export interface PoolOptions {
  /** Window size: one number for both axes or [poolH, poolW]; default [2, 2]. */
  poolSize?: number | readonly [number, number];
  /** Step of the window; default: the pool size (Keras and TensorFlow.js convention). */
  strides?: number | readonly [number, number];
  /** 'valid' (default) or 'same', as in {@link Conv2dOptions.padding}. */
  padding?: Padding;
}

/** Checked pool attributes of the options (defaults: [2, 2] windows, strides = the pool size, 'valid'). */
export function poolAttrs(fn: string, o: PoolOptions): PoolAttrs {
  checkOptions(fn, o, ['poolSize', 'strides', 'padding']);
  const poolSize = pair(fn, 'poolSize', o.poolSize, [2, 2]);
  return { poolSize, strides: pair(fn, 'strides', o.strides, poolSize), padding: checkPadding(fn, o.padding) };
}

/**
 * 2-D max pooling: x [N, H, W, C] -> [N, outH, outW, C]. TF.js `tf.maxPool`; Keras `MaxPooling2D` uses it. The
 * gradient goes to the first maximum of each window in scan order (ties are decided the same way on every backend).
 * @throws {@link ShapeError} unless x has rank 4; {@link ArgumentError} for bad pool size, strides or padding.
 */
export function maxPool2d(x: Tensor, options: PoolOptions = {}): Tensor {
  assertLive('maxPool2d', x);
  return runOp(maxPoolOp, [x], poolAttrs('maxPool2d', options));
}

/**
 * 2-D average pooling over each window's valid (non-padding) elements: x [N, H, W, C] -> [N, outH, outW, C],
 * float32. TF.js `tf.avgPool`; Keras `AveragePooling2D` uses it.
 * @throws {@link ShapeError} unless x has rank 4; {@link ArgumentError} for bad pool size, strides or padding.
 */
export function avgPool2d(x: Tensor, options: PoolOptions = {}): Tensor {
  assertLive('avgPool2d', x);
  return runOp(avgPoolOp, [x], poolAttrs('avgPool2d', options));
}

/** Gradient of maxPool2d: routes dy to each window's first maximum in x. */
export function maxPool2dGrad(dy: Tensor, x: Tensor, options: PoolOptions = {}): Tensor {
  assertLive('maxPool2dGrad', dy);
  assertLive('maxPool2dGrad', x);
  expectRank4('maxPool2dGrad', 'x', x.shape);
  return runOp(maxPoolGradOp, [dy, x], poolAttrs('maxPool2dGrad', options));
}

/**
 * Internal (not part of the public API; for tests): `reluGrad(maxPool2dGrad(dy, x), x)` in one pass, the op
 * maxPool2d's gradient runs when x is a relu output (relu-mask.ts): dx where x > 0, +0 elsewhere.
 */
export function maxPool2dGradReluMasked(dy: Tensor, x: Tensor, options: PoolOptions = {}): Tensor {
  assertLive('maxPool2dGrad', dy);
  assertLive('maxPool2dGrad', x);
  expectRank4('maxPool2dGrad', 'x', x.shape);
  return runOp(maxPoolGradOp, [dy, x], { ...poolAttrs('maxPool2dGrad', options), reluMask: true });
}

/** Gradient of avgPool2d: spreads dy evenly over each window's valid elements. */
export function avgPool2dGrad(dy: Tensor, inputShape: readonly number[], options: PoolOptions = {}): Tensor {
  assertLive('avgPool2dGrad', dy);
  expectRank4('avgPool2dGrad', 'inputShape', inputShape);
  return runOp(avgPoolGradOp, [dy], { ...poolAttrs('avgPool2dGrad', options), inputShape: [...inputShape] });
}
