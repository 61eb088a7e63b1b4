/**
 * Depthwise 2-D convolution and its two gradients, NHWC: x [N, H, W, C], w [kH, kW, C, M] ->
 * [N, outH, outW, C*M], output channel c*M + m being input channel c convolved with w[:, :, c, m];
 * strides, 'valid' | 'same' padding (TF rules) and dilations as conv2d (conv2d.ts).
 * determinism (the order every backend follows; src/core/reduction-order.ts for S; ih = oh*sH + kh*dH - padTop,
 * iw = ow*sW + kw*dW - padLeft):
 *  - depthwiseConv2d:           y[n,oh,ow,c*M+m] = S over k = kh*kW + kw of x[n, ih, iw, c] * w[kh,kw,c,m]
 *  - depthwiseConv2dGradInput:  dx[n,ih,iw,c]    = S over k = (kh*kW + kw)*M + m of dy[n,oh,ow,c*M+m] * w[kh,kw,c,m],
 *                               where oh = (ih + padTop - kh*dH) / sH and ow likewise are integers in range
 *  - depthwiseConv2dGradFilter: dw[kh,kw,c,m]    = S over p = (n*outH + oh)*outW + ow of x[n, ih, iw, c] * dy[n,oh,ow,c*M+m]
 *  A term outside the input (padding) or with no matching output enters as +0 times the other operand (for finite
 *  values the bits of skipping it). These are exactly the orders of conv2d's per channel group (a grouped conv2d
 *  with one group per channel gives the same bits).
 * Part of src/core.
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { type Conv2dOptions, convAttrs } from './conv2d.ts';
import type { ConvAttrs } from './op-attrs.ts';
import { defineOp } from './op-def.ts';
import { convWindow2d, expectRank4 } from './window.ts';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** Depthwise 2-D convolution, x [N, H, W, C] and w [kH, kW, C, M]. */
    depthwiseConv2d: ConvAttrs;
    /** depthwiseConv2d's gradient with respect to x (inputs dy, w). */
    depthwiseConv2dGradInput: ConvAttrs & {
      /** x's shape [N, H, W, C]. */
      inputShape: number[];
    };
    /** depthwiseConv2d's gradient with respect to w (inputs x, dy). */
    depthwiseConv2dGradFilter: ConvAttrs & {
      /** w's shape [kH, kW, C, M]. */
      filterShape: number[];
    };
  }
}

function checkFloat(fn: string, a: { dtype: string }, b: { dtype: string }, na: string, nb: string): void {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new DTypeError(`${fn}: expected float32 ${na} and ${nb}. Received: ${na}.dtype=${a.dtype}, ${nb}.dtype=${b.dtype}`);
  }
}

const conv = ({ strides, padding, dilations }: ConvAttrs): ConvAttrs => (dilations ? { strides, padding, dilations } : { strides, padding });

const depthwiseOp = defineOp({
  name: 'depthwiseConv2d',
  infer: ([x, w], a) => {
    expectRank4('depthwiseConv2d', 'x', x.shape);
    expectRank4('depthwiseConv2d', 'w', w.shape, '[kH, kW, C, depthMultiplier]');
    checkFloat('depthwiseConv2d', x, w, 'x', 'w');
    if (x.shape[3] !== w.shape[2]) {
      throw new ShapeError(`depthwiseConv2d: expected x channels (${x.shape[3]}) to equal w input channels (w.shape[2] = ${w.shape[2]}). Received: x.shape=${fmtShape(x.shape)}, w.shape=${fmtShape(w.shape)}`);
    }
    const g = convWindow2d('depthwiseConv2d', x.shape, [w.shape[0], w.shape[1]], a.strides, a.padding, a.dilations);
    return { shape: [g.n, g.outH, g.outW, w.shape[2] * w.shape[3]], dtype: 'float32' };
  },
  grad: (dy, { inputs: [x, w], attrs, needs }): (Tensor | null)[] => [
    needs[0] ? runOp(depthwiseGradInputOp, [dy, w], { ...conv(attrs), inputShape: [...x.shape] }) : null,
    needs[1] ? runOp(depthwiseGradFilterOp, [x, dy], { ...conv(attrs), filterShape: [...w.shape] }) : null,
  ],
});

const depthwiseGradInputOp = defineOp({
  name: 'depthwiseConv2dGradInput',
  infer: ([dy, w], a) => {
    expectRank4('depthwiseConv2dGradInput', 'dy', dy.shape);
    expectRank4('depthwiseConv2dGradInput', 'w', w.shape, '[kH, kW, C, depthMultiplier]');
    checkFloat('depthwiseConv2dGradInput', dy, w, 'dy', 'w');
    expectRank4('depthwiseConv2dGradInput', 'inputShape', a.inputShape);
    const g = convWindow2d('depthwiseConv2dGradInput', a.inputShape, [w.shape[0], w.shape[1]], a.strides, a.padding, a.dilations);
    const want = [g.n, g.outH, g.outW, w.shape[2] * w.shape[3]];
    if (a.inputShape[3] !== w.shape[2] || dy.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`depthwiseConv2dGradInput: expected dy of shape ${fmtShape(want)} for input ${fmtShape(a.inputShape)}. Received: dy.shape=${fmtShape(dy.shape)}, w.shape=${fmtShape(w.shape)}`);
    }
    return { shape: [...a.inputShape], dtype: 'float32' };
  },
  // z = gradInput(dy, w) is linear in each: dL/ddy = depthwiseConv2d(dz, w), dL/dw = gradFilter(dz, dy).
  grad: (dz, { inputs: [dy, w], attrs, needs }): (Tensor | null)[] => [
    needs[0] ? runOp(depthwiseOp, [dz, w], conv(attrs)) : null,
    needs[1] ? runOp(depthwiseGradFilterOp, [dz, dy], { ...conv(attrs), filterShape: [...w.shape] }) : null,
  ],
});

const depthwiseGradFilterOp = defineOp({
  name: 'depthwiseConv2dGradFilter',
  infer: ([x, dy], a) => {
    expectRank4('depthwiseConv2dGradFilter', 'x', x.shape);
    expectRank4('depthwiseConv2dGradFilter', 'dy', dy.shape);
    checkFloat('depthwiseConv2dGradFilter', x, dy, 'x', 'dy');
    expectRank4('depthwiseConv2dGradFilter', 'filterShape', a.filterShape, '[kH, kW, C, depthMultiplier]');
    const f = a.filterShape;
    const g = convWindow2d('depthwiseConv2dGradFilter', x.shape, [f[0], f[1]], a.strides, a.padding, a.dilations);
    const want = [g.n, g.outH, g.outW, f[2] * f[3]];
    if (x.shape[3] !== f[2] || dy.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`depthwiseConv2dGradFilter: expected dy of shape ${fmtShape(want)}. Received: dy.shape=${fmtShape(dy.shape)}, x.shape=${fmtShape(x.shape)}, filterShape=${fmtShape(f)}`);
    }
    return { shape: [...f], dtype: 'float32' };
  },
});

/**
 * Depthwise 2-D convolution: x [N, H, W, C], w [kH, kW, C, M] -> [N, outH, outW, C * M], output channel c * M + m
 * = the convolution of input channel c with w[:, :, c, m] (TF.js `tf.depthwiseConv2d`, Keras `DepthwiseConv2D`).
 * Options: strides, padding, dilations as {@link conv2d}. Each output is one fixed-order sum over the kH * kW taps,
 * so every backend gives the same bits.
 *
 * @example
 * ```ts
 * const y = dt.depthwiseConv2d(dt.ones([1, 5, 5, 3]), dt.ones([3, 3, 3, 2]), { padding: 'same' }); // [1, 5, 5, 6]
 * ```
 * @throws {@link ShapeError} for operands that are not rank 4 or whose channels differ; {@link DTypeError} unless
 * both are float32; {@link ArgumentError} for bad strides, padding or dilations.
 */
export function depthwiseConv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  assertLive('depthwiseConv2d', x);
  assertLive('depthwiseConv2d', w);
  return runOp(depthwiseOp, [x, w], convAttrs('depthwiseConv2d', options));
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its input: dy [N, outH, outW, C*M] and w [kH, kW, C, M] ->
 * [N, H, W, C] (`inputShape`), for the same strides, padding and dilations. TensorFlow's
 * DepthwiseConv2dNativeBackpropInput.
 */
export function depthwiseConv2dGradInput(dy: Tensor, w: Tensor, inputShape: readonly number[], options: Conv2dOptions = {}): Tensor {
  expectRank4('depthwiseConv2dGradInput', 'inputShape', inputShape);
  return runOp(depthwiseGradInputOp, [dy, w], { ...convAttrs('depthwiseConv2dGradInput', options), inputShape: [...inputShape] });
}

/**
 * Gradient of {@link depthwiseConv2d} with respect to its filter: x [N, H, W, C] and dy [N, outH, outW, C*M] ->
 * [kH, kW, C, M] (`filterShape`), for the same strides, padding and dilations. TensorFlow's
 * DepthwiseConv2dNativeBackpropFilter.
 */
export function depthwiseConv2dGradFilter(x: Tensor, dy: Tensor, filterShape: readonly number[], options: Conv2dOptions = {}): Tensor {
  expectRank4('depthwiseConv2dGradFilter', 'filterShape', filterShape, '[kH, kW, C, depthMultiplier]');
  return runOp(depthwiseGradFilterOp, [x, dy], { ...convAttrs('depthwiseConv2dGradFilter', options), filterShape: [...filterShape] });
}
