/**
 * conv2dBiasAct: a convolution with its bias and activation in one primitive, the bits of
 * `relu(add(conv2d(x, w), b))` (or `add(conv2d(x, w), b)` for 'linear') without the two extra
 * passes over the output: the backends add the bias and apply relu to each output as it leaves
 * the convolution (src/kernels/cpu/gemm-tasks.ts's epilogue), with the same float32 operations
 * as the separate ops: y = f32(z + b[f]), then relu's y > 0 || y is NaN ? y : +0.
 * x: [N, H, W, C], w: [kH, kW, C, F], b: [F] -> [N, outH, outW, F], NHWC, as conv2d.
 * determinism: z[n,oh,ow,f] is conv2d's sum (src/core/ops/conv2d.ts, order S over
 * k = (kh*kW + kw)*C + c); then one rounded add and the activation, elementwise. No other reduction.
 * Gradient: the ops the unfused graph runs, on the same values: du = reluGrad(dy, y) (relu's
 * gradient from its output: y > 0 exactly where the pre-activation is > 0; skipped for a dy that
 * is already masked so, src/core/ops/relu-mask.ts) or dy, then
 * db = reduceToShape(du, [F]) (add's gradient), dx = conv2dGradInput(du, w), dw = conv2dGradFilter(x, du).
 * Part of src/core.
 */
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { type Conv2dOptions, conv2dGradFilter, conv2dGradInput, convAttrs, inferConv2d } from './conv2d.ts';
import { defineOp, type TensorSpec } from './op-def.ts';
import type { ConvAttrs } from './op-attrs.ts';
import { isReluMasked } from './relu-mask.ts';

/** The activations conv2dBiasAct fuses. */
export type FusedActivation = 'relu' | 'linear';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** conv2d + bias + activation in one primitive (inputs x, w, b). */
    conv2dBiasAct: ConvAttrs & {
      /** 'relu' or 'linear'. */
      activation: FusedActivation;
    };
  }
}

/** conv2dBiasAct's checks (conv2d's, then b [F] float32 and the activation) under the name `fn`; the output shape. */
export function inferConv2dBiasAct(fn: string, x: TensorSpec, w: TensorSpec, b: TensorSpec, a: ConvAttrs & { activation: FusedActivation }): number[] {
  const shape = inferConv2d(fn, x, w, a);
  if (b.dtype !== 'float32') throw new DTypeError(`${fn}: expected float32 b. Received: b.dtype=${b.dtype}`);
  if (b.shape.length !== 1 || b.shape[0] !== w.shape[3]) {
    throw new ShapeError(`${fn}: expected b of shape [${w.shape[3]}] (one per filter). Received: b.shape=${fmtShape(b.shape)}`);
  }
  if (a.activation !== 'relu' && a.activation !== 'linear') {
    throw new ArgumentError(`${fn}: expected activation 'relu' or 'linear'. Received: ${JSON.stringify(a.activation)}`);
  }
  return shape;
}

const conv2dBiasActOp = defineOp({
  name: 'conv2dBiasAct',
  infer: ([x, w, b], a) => ({ shape: inferConv2dBiasAct('conv2dBiasAct', x, w, b, a), dtype: 'float32' }),
  // A dy already masked by output > 0 (a pool gradient folded the mask in: relu-mask.ts) is du itself.
  masksOutputGrad: (a) => a.activation === 'relu',
  grad: (dy, { inputs: [x, w, b], output, attrs: { activation, ...conv }, needs }, { reluGrad, reduceToShape }): (Tensor | null)[] => {
    const du = activation === 'relu' && !isReluMasked(dy, output) ? reluGrad(dy, output) : dy;
    const o: Conv2dOptions = conv;
    return [
      needs[0] ? conv2dGradInput(du, w, x.shape, o) : null,
      needs[1] ? conv2dGradFilter(x, du, w.shape, o) : null,
      needs[2] ? reduceToShape(du, b.shape) : null,
    ];
  },
});

/** Options of {@link conv2dBiasAct}: those of {@link ditto-ml!conv2d | conv2d} and the activation. */
export interface Conv2dBiasActOptions extends Conv2dOptions {
  /** 'relu' or 'linear' (the default: no activation). */
  activation?: FusedActivation;
}

/**
 * `activation(conv2d(x, w) + b)` in one op, with exactly the bits of the separate ops (conv2d, add, relu) and
 * their gradients, but without the passes over the output between them: what `Conv2D` layers with a bias and a
 * 'relu' or 'linear' activation run. x [N, H, W, C], w [kH, kW, C, F], b [F] -> [N, outH, outW, F], float32.
 *
 * @example
 * ```ts
 * const y = conv2dBiasAct(x, w, b, { activation: 'relu', padding: 'same' }); // = relu(add(conv2d(x, w, ...), b))
 * ```
 * @throws {@link ditto-ml!ShapeError | ShapeError} as {@link ditto-ml!conv2d | conv2d}, and unless b has shape [F];
 * {@link ditto-ml!DTypeError | DTypeError} unless all are float32; {@link ditto-ml!ArgumentError | ArgumentError} for bad
 * strides, padding or activation.
 */
export function conv2dBiasAct(x: Tensor, w: Tensor, b: Tensor, options: Conv2dBiasActOptions = {}): Tensor {
  assertLive('conv2dBiasAct', x);
  assertLive('conv2dBiasAct', w);
  assertLive('conv2dBiasAct', b);
  const { activation = 'linear', ...conv } = options;
  return runOp(conv2dBiasActOp, [x, w, b], { ...convAttrs('conv2dBiasAct', conv), activation });
}
