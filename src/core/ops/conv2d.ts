/**
 * 2-D convolution (cross-correlation, as in TensorFlow) and its two gradients, NHWC.
 * x: [N, H, W, C], w: [kH, kW, C, F] -> [N, outH, outW, F]; padding 'valid' | 'same' (TF rules),
 * optional dilations [dH, dW] (tap kh reads input row oh*sH + kh*dH - padTop; omitted below where 1,
 * the terms and their order are the same with kh*dH, kw*dW in place of kh, kw).
 * determinism (the order every backend follows; src/core/reduction-order.ts for S):
 *  - conv2d:           y[n,oh,ow,f]  = S over k = (kh*kW + kw)*C + c of x[n, oh*sH+kh-padTop, ow*sW+kw-padLeft, c] * w[kh,kw,c,f]
 *  - conv2dGradInput:  dx[n,ih,iw,c] = S over k = (kh*kW + kw)*F + f of dy[n,oh,ow,f] * w[kh,kw,c,f],
 *                      where oh = (ih + padTop - kh) / sH and ow likewise are integers in range
 *  - conv2dGradFilter: dw[kh,kw,c,f] = S over k = (n*outH + oh)*outW + ow of x[n, ih, iw, c] * dy[n,oh,ow,f]
 *  Terms outside the input (padding) or with no matching output are skipped and keep their index.
 * Part of src/core.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { type TensorSpec, defineOp } from './op-def.ts';
import type { ConvAttrs, Padding } from './op-attrs.ts';
import { checkPadding, convWindow2d, expectRank4, pair } from './window.ts';

function checkFloat(fn: string, a: { dtype: string }, b: { dtype: string }, na: string, nb: string): void {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new DTypeError(`${fn}: expected float32 ${na} and ${nb}. Received: ${na}.dtype=${a.dtype}, ${nb}.dtype=${b.dtype}`);
  }
}

/**
 * conv2d's checks of x and w (rank, dtype, channels, window) with `fn` naming the op in the messages; returns the
 * output shape. conv2dBiasAct runs them too, and Conv2D runs them as 'conv2d' (checkConv2dCall) before its fused
 * op, so that its errors stay those of conv2d.
 * @internal
 */
export function inferConv2d(fn: string, x: TensorSpec, w: TensorSpec, a: ConvAttrs): number[] {
  expectRank4(fn, 'x', x.shape);
  expectRank4(fn, 'w', w.shape, '[kH, kW, C, F]');
  checkFloat(fn, x, w, 'x', 'w');
  if (x.shape[3] !== w.shape[2]) {
    throw new ShapeError(`${fn}: expected x channels (${x.shape[3]}) to equal w input channels (w.shape[2] = ${w.shape[2]}). Received: x.shape=${fmtShape(x.shape)}, w.shape=${fmtShape(w.shape)}`);
  }
  const g = convWindow2d(fn, x.shape, [w.shape[0], w.shape[1]], a.strides, a.padding, a.dilations);
  return [g.n, g.outH, g.outW, w.shape[3]];
}

const conv2dOp = defineOp({
  name: 'conv2d',
  infer: ([x, w], a) => ({ shape: inferConv2d('conv2d', x, w, a), dtype: 'float32' }),
  grad: (dy, { inputs: [x, w], attrs, needs }): (Tensor | null)[] => [
    needs[0] ? runOp(conv2dGradInputOp, [dy, w], { ...attrs, inputShape: [...x.shape] }) : null,
    needs[1] ? runOp(conv2dGradFilterOp, [x, dy], { ...attrs, filterShape: [...w.shape] }) : null,
  ],
});

const conv2dGradInputOp = defineOp({
  name: 'conv2dGradInput',
  infer: ([dy, w], a) => {
    expectRank4('conv2dGradInput', 'dy', dy.shape);
    expectRank4('conv2dGradInput', 'w', w.shape, '[kH, kW, C, F]');
    checkFloat('conv2dGradInput', dy, w, 'dy', 'w');
    const g = convWindow2d('conv2dGradInput', a.inputShape, [w.shape[0], w.shape[1]], a.strides, a.padding, a.dilations);
    if (dy.shape[0] !== g.n || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== w.shape[3] || a.inputShape[3] !== w.shape[2]) {
      throw new ShapeError(`conv2dGradInput: expected dy of shape ${fmtShape([g.n, g.outH, g.outW, w.shape[3]])} for input ${fmtShape(a.inputShape)}. Received: dy.shape=${fmtShape(dy.shape)}, w.shape=${fmtShape(w.shape)}`);
    }
    return { shape: [...a.inputShape], dtype: 'float32' };
  },
  // z = conv2dGradInput(dy, w) is linear in each: dL/ddy = conv2d(dz, w), dL/dw = conv2dGradFilter(dz, dy)
  // (the transposed convolution's gradients, conv2d-transpose.ts).
  grad: (dz, { inputs: [dy, w], attrs: { inputShape: _shape, ...conv }, needs }): (Tensor | null)[] => [
    needs[0] ? runOp(conv2dOp, [dz, w], conv) : null,
    needs[1] ? runOp(conv2dGradFilterOp, [dz, dy], { ...conv, filterShape: [...w.shape] }) : null,
  ],
});

const conv2dGradFilterOp = defineOp({
  name: 'conv2dGradFilter',
  infer: ([x, dy], a) => {
    expectRank4('conv2dGradFilter', 'x', x.shape);
    expectRank4('conv2dGradFilter', 'dy', dy.shape);
    checkFloat('conv2dGradFilter', x, dy, 'x', 'dy');
    const f = a.filterShape;
    const g = convWindow2d('conv2dGradFilter', x.shape, [f[0], f[1]], a.strides, a.padding, a.dilations);
    if (dy.shape[0] !== g.n || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== f[3] || x.shape[3] !== f[2]) {
      throw new ShapeError(`conv2dGradFilter: expected dy of shape ${fmtShape([g.n, g.outH, g.outW, f[3]])}. Received: dy.shape=${fmtShape(dy.shape)}, x.shape=${fmtShape(x.shape)}, filterShape=${fmtShape(f)}`);
    }
    return { shape: [...f], dtype: 'float32' };
  },
});

/** Options of {@link conv2d} (and of its gradient primitives in the advanced entry). */
export interface Conv2dOptions {
  /** Step of the window: one number for both axes, or [strideH, strideW]. Positive integers; default 1. */
  strides?: number | readonly [number, number];
  /**
   * 'valid' (the default: no padding, output size floor((H - kH) / strideH) + 1) or 'same' (zero padding so that
   * the output size is ceil(H / strideH), the extra row or column going at the bottom/right, as in TensorFlow).
   */
  padding?: Padding;
  /**
   * Spacing of the kernel's taps in the input (atrous convolution): one number for both axes, or
   * [dilationH, dilationW]. Positive integers; default 1. The window then spans (k - 1) * d + 1 input
   * rows/columns, and output size and padding follow from that extent. TF.js's `dilations`.
   */
  dilations?: number | readonly [number, number];
}

/** Normalized attributes of a convolution (dilations left out when [1, 1]: the undilated op's exact attributes). */
export function convAttrs(fn: string, o: Conv2dOptions): ConvAttrs {
  checkOptions(fn, o, ['strides', 'padding', 'dilations']);
  const a: ConvAttrs = { strides: pair(fn, 'strides', o.strides, [1, 1]), padding: checkPadding(fn, o.padding) };
  const d = pair(fn, 'dilations', o.dilations, [1, 1]);
  if (d[0] !== 1 || d[1] !== 1) a.dilations = d;
  return a;
}

/**
 * 2-D convolution (cross-correlation, as in TensorFlow): x [N, H, W, C], w [kH, kW, C, F] -> [N, outH, outW, F],
 * float32, NHWC layout. TF.js `tf.conv2d(x, filter, strides, pad)`; Keras `Conv2D` uses it. Each output is one
 * fixed-order sum over (kH, kW, C), so every backend gives the same bits.
 *
 * @example
 * ```ts
 * const y = dt.conv2d(dt.ones([1, 5, 5, 1]), dt.ones([3, 3, 1, 2]), { padding: 'same' }); // [1, 5, 5, 2]
 * ```
 * @throws {@link ShapeError} for operands that are not rank 4 or whose channels differ; {@link DTypeError} unless
 * both are float32; {@link ArgumentError} for bad strides or padding.
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  assertLive('conv2d', x);
  assertLive('conv2d', w);
  return runOp(conv2dOp, [x, w], convAttrs('conv2d', options));
}

/**
 * Every check {@link conv2d} makes before it runs (live operands, options, shapes and dtypes), with conv2d's
 * messages, running nothing: for callers that run a fused op in its place (Conv2D and conv2dBiasAct).
 * @internal
 */
export function checkConv2dCall(x: Tensor, w: Tensor, options: Conv2dOptions = {}): void {
  assertLive('conv2d', x);
  assertLive('conv2d', w);
  inferConv2d('conv2d', x, w, convAttrs('conv2d', options));
}

/**
 * Gradient of {@link conv2d} with respect to its input: dy [N, outH, outW, F] and w [kH, kW, C, F] ->
 * [N, H, W, C] (`inputShape`), for the same strides and padding. TensorFlow's Conv2DBackpropInput.
 */
export function conv2dGradInput(dy: Tensor, w: Tensor, inputShape: readonly number[], options: Conv2dOptions = {}): Tensor {
  expectRank4('conv2dGradInput', 'inputShape', inputShape);
  return runOp(conv2dGradInputOp, [dy, w], { ...convAttrs('conv2dGradInput', options), inputShape: [...inputShape] });
}

/**
 * Gradient of {@link conv2d} with respect to its filter: x [N, H, W, C] and dy [N, outH, outW, F] ->
 * [kH, kW, C, F] (`filterShape`), for the same strides and padding. TensorFlow's Conv2DBackpropFilter.
 */
export function conv2dGradFilter(x: Tensor, dy: Tensor, filterShape: readonly number[], options: Conv2dOptions = {}): Tensor {
  expectRank4('conv2dGradFilter', 'filterShape', filterShape, '[kH, kW, C, F]');
  return runOp(conv2dGradFilterOp, [x, dy], { ...convAttrs('conv2dGradFilter', options), filterShape: [...filterShape] });
}
