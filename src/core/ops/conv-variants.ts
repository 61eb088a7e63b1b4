/**
 * Convolution variants composed from the conv2d primitives (conv2d.ts), NHWC:
 *  - conv2dTranspose: the transposed convolution, exactly conv2dGradInput (TensorFlow's conv2d_transpose); its
 *    gradients are conv2d and conv2dGradFilter (conv2dGradInput's gradient).
 *  - groupedConv2d: channels in `groups` groups, group g's filters reading only group g's channels: per group a
 *    channel slice of x, a filter slice of w, one conv2d, and the groups' outputs concatenated.
 *  - separableConv2d: depthwiseConv2d (the primitive of depthwise-conv2d.ts) then a 1x1 conv2d.
 * determinism: no new reduction. Each output of a grouped convolution is one conv2d output of its group, so its
 * order is conv2d's over the group's channels: S over k = (kh*kW + kw)*Cg + c (Cg = C / groups), with the dilated
 * taps of conv2d.ts; slice and concat move values only.
 * Part of src/core.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { tidy } from '../tidy.ts';
import { concat } from './concat.ts';
import { type Conv2dOptions, conv2d, conv2dGradInput, convAttrs } from './conv2d.ts';
import { depthwiseConv2d } from './depthwise-conv2d.ts';
import { slice } from './slice.ts';
import { convWindow2d, expectRank4 } from './window.ts';

/**
 * Grouped 2-D convolution: x [N, H, W, C], w [kH, kW, C / groups, F] -> [N, outH, outW, F], output channel f reading
 * input channels [g * C/groups, (g+1) * C/groups) for g = floor(f / (F / groups)) (Keras `Conv2D(groups=...)`).
 * groups = 1 is {@link conv2d} itself.
 *
 * @throws ArgumentError unless groups is a positive integer dividing C and F; ShapeError when w's input channels
 * are not C / groups; conv2d's errors otherwise.
 */
export function groupedConv2d(x: Tensor, w: Tensor, groups: number, options: Conv2dOptions = {}): Tensor {
  assertLive('groupedConv2d', x);
  assertLive('groupedConv2d', w);
  if (groups === 1) return conv2d(x, w, options);
  expectRank4('groupedConv2d', 'x', x.shape);
  expectRank4('groupedConv2d', 'w', w.shape, '[kH, kW, C / groups, F]');
  const [N, H, W, C] = x.shape;
  const [kH, kW, Cg, F] = w.shape;
  if (!Number.isSafeInteger(groups) || groups <= 0 || C % groups !== 0 || F % groups !== 0) {
    throw new ArgumentError(`groupedConv2d: expected groups to be a positive integer dividing the input channels and the filters. Received: groups=${groups}, x.shape=${fmtShape(x.shape)}, w.shape=${fmtShape(w.shape)}`);
  }
  if (Cg * groups !== C) {
    throw new ShapeError(`groupedConv2d: expected w input channels (w.shape[2]) to be C / groups = ${C / groups}. Received: x.shape=${fmtShape(x.shape)}, w.shape=${fmtShape(w.shape)}, groups=${groups}`);
  }
  const Fg = F / groups;
  return tidy(() => {
    const outs: Tensor[] = [];
    for (let g = 0; g < groups; g++) {
      const xg = slice(x, [0, 0, 0, g * Cg], [N, H, W, Cg]);
      const wg = slice(w, [0, 0, 0, g * Fg], [kH, kW, Cg, Fg]);
      outs.push(conv2d(xg, wg, options));
    }
    return concat(outs, 3);
  });
}

/**
 * Depthwise-separable 2-D convolution: {@link depthwiseConv2d} with `depthwiseFilter` [kH, kW, C, M] (strides,
 * padding, dilations apply to it), then a 1x1 {@link conv2d} with `pointwiseFilter` [1, 1, C * M, F]
 * (TF.js `tf.separableConv2d`, Keras `SeparableConv2D`).
 *
 * @throws {@link ShapeError} unless pointwiseFilter is [1, 1, C * M, F]; depthwiseConv2d's errors otherwise.
 */
export function separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options: Conv2dOptions = {}): Tensor {
  assertLive('separableConv2d', pointwiseFilter);
  expectRank4('separableConv2d', 'pointwiseFilter', pointwiseFilter.shape, '[1, 1, C * depthMultiplier, F]');
  expectRank4('separableConv2d', 'depthwiseFilter', depthwiseFilter.shape, '[kH, kW, C, depthMultiplier]');
  const [, , C, M] = depthwiseFilter.shape;
  const p = pointwiseFilter.shape;
  if (p[0] !== 1 || p[1] !== 1 || p[2] !== C * M) {
    throw new ShapeError(`separableConv2d: expected pointwiseFilter of shape [1, 1, ${C * M}, F]. Received: pointwiseFilter.shape=${fmtShape(p)}, depthwiseFilter.shape=${fmtShape(depthwiseFilter.shape)}`);
  }
  return tidy(() => conv2d(depthwiseConv2d(x, depthwiseFilter, options), pointwiseFilter));
}

/**
 * Transposed 2-D convolution (the gradient of {@link conv2d} with respect to its input): x [N, h, w, inC],
 * filter [kH, kW, outC, inC], `outputShape` [N, H, W, outC] or [H, W, outC] -> [N, H, W, outC], where the
 * conv2d of an [N, H, W, outC] input with this filter, strides, padding and dilations has output [N, h, w, inC]
 * (TF.js `tf.conv2dTranspose`, TensorFlow `conv2d_transpose`; `dilations` is an addition to TF.js's options).
 *
 * @example
 * ```ts
 * const y = dt.conv2dTranspose(dt.ones([1, 3, 3, 2]), dt.ones([3, 3, 1, 2]), [1, 6, 6, 1], { strides: 2, padding: 'same' });
 * ```
 * @throws {@link ShapeError} when outputShape does not convolve back to x's shape or the channels differ;
 * {@link ArgumentError} for bad options.
 */
export function conv2dTranspose(x: Tensor, filter: Tensor, outputShape: readonly number[], options: Conv2dOptions = {}): Tensor {
  assertLive('conv2dTranspose', x);
  assertLive('conv2dTranspose', filter);
  expectRank4('conv2dTranspose', 'x', x.shape);
  expectRank4('conv2dTranspose', 'filter', filter.shape, '[kH, kW, outC, inC]');
  const a = convAttrs('conv2dTranspose', options);
  const full = outputShape.length === 3 ? [x.shape[0], ...outputShape] : [...outputShape];
  if (full.length !== 4 || !full.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`conv2dTranspose: expected outputShape [N, H, W, outC] or [H, W, outC] of non-negative integers. Received: outputShape=${fmtShape(outputShape)}`);
  }
  const [kH, kW, outC, inC] = filter.shape;
  const g = convWindow2d('conv2dTranspose', full, [kH, kW], a.strides, a.padding, a.dilations);
  if (full[0] !== x.shape[0] || full[3] !== outC || x.shape[3] !== inC || g.outH !== x.shape[1] || g.outW !== x.shape[2]) {
    throw new ShapeError(`conv2dTranspose: expected x of shape ${fmtShape([full[0], g.outH, g.outW, inC])} and filter [kH, kW, ${full[3]}, x channels] for outputShape ${fmtShape(full)}. Received: x.shape=${fmtShape(x.shape)}, filter.shape=${fmtShape(filter.shape)}`);
  }
  return conv2dGradInput(x, filter, full, a);
}
