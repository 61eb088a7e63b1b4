/**
 * conv2dBiasActMaxPool: `maxPool2d(conv2dBiasAct(x, w, b))` in one primitive, what a Conv2D layer followed by a
 * MaxPooling2D runs at inference (when no gradient is being recorded: src/nn/inference-fusion.ts): the backends need not write the
 * convolution's output to memory and read it back for the pooling (the CPU pools each block of convolution outputs
 * while it is in the thread's heap; WebGPU records the two kernels on a scratch buffer).
 * x: [N, H, W, C], w: [kH, kW, C, F], b: [F] -> [N, pooled H, pooled W, F], NHWC.
 * determinism: the bits of the two ops: conv2dBiasAct's sums (src/core/ops/conv2d.ts's order, then one rounded
 * add and the activation) and maxPool2d's selection (src/core/ops/pool.ts: row-major scan, the first maximum wins
 * ties, NaN wins over numbers). No other reduction.
 * Gradient: the unfused graph's, on recomputed values: y = conv2dBiasAct(x, w, b) again, then du =
 * maxPool2dGrad(dy, y) (masked by y > 0 for 'relu': reluGrad's bits) and conv2dBiasAct's input, filter and bias
 * gradients of du. (Layers use this op only when no tape records, so the recomputation never runs there.)
 * Part of src/core.
 */
import { runOp } from '../run-op.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { convAttrs, type Conv2dOptions } from './conv2d.ts';
import { type Conv2dBiasActOptions, type FusedActivation, inferConv2dBiasAct } from './conv2d-bias-act.ts';
import { defineOp } from './op-def.ts';
import { poolAttrs, type PoolOptions } from './pool.ts';
import { window2d } from './window.ts';

declare module './op-attrs.ts' {
  interface OpAttrMap {
    /** conv2dBiasAct then maxPool2d in one primitive (inputs x, w, b). */
    conv2dBiasActMaxPool: ConvAttrs & {
      /** 'relu' or 'linear'. */
      activation: FusedActivation;
      /** The max pooling of the convolution's output. */
      pool: PoolAttrs;
    };
  }
}

const FN = 'conv2dBiasActMaxPool';

const conv2dBiasActMaxPoolOp = defineOp({
  name: 'conv2dBiasActMaxPool',
  infer: ([x, w, b], a) => {
    const [n, h, wd, f] = inferConv2dBiasAct(FN, x, w, b, a);
    const g = window2d(FN, [n, h, wd, f], a.pool.poolSize, a.pool.strides, a.pool.padding);
    return { shape: [g.n, g.outH, g.outW, g.inC], dtype: 'float32' };
  },
  grad: (dy, { inputs: [x, w, b], attrs: { activation, pool, ...conv }, needs }, ops): (Tensor | null)[] => {
    const o: Conv2dOptions = conv;
    const y = ops.conv2dBiasAct(x, w, b, { ...o, activation });
    const du = activation === 'relu' ? ops.maxPool2dGradReluMasked(dy, y, pool) : ops.maxPool2dGrad(dy, y, pool);
    const grads = [
      needs[0] ? ops.conv2dGradInput(du, w, x.shape, o) : null,
      needs[1] ? ops.conv2dGradFilter(x, du, w.shape, o) : null,
      needs[2] ? ops.reduceToShape(du, b.shape) : null,
    ];
    y.dispose();
    du.dispose();
    return grads;
  },
});

/**
 * `maxPool2d(conv2dBiasAct(x, w, b, options), pool)` in one op, with exactly the bits of the two ops (and their
 * gradients, computed on recomputed convolution outputs), without writing the convolution's output: what a
 * `Conv2D` layer (bias, 'relu' or 'linear') followed by a `MaxPooling2D` runs in Sequential and functional models
 * when no gradient is being recorded (predict, evaluate). x [N, H, W, C], w [kH, kW, C, F], b [F] -> [N, pooled H,
 * pooled W, F], float32.
 * @throws as {@link conv2dBiasAct} and {@link ditto-ml!maxPool2d | maxPool2d} (the error names conv2dBiasActMaxPool).
 */
export function conv2dBiasActMaxPool(x: Tensor, w: Tensor, b: Tensor, options: Conv2dBiasActOptions = {}, pool: PoolOptions = {}): Tensor {
  assertLive(FN, x);
  assertLive(FN, w);
  assertLive(FN, b);
  const { activation = 'linear', ...conv } = options;
  return runOp(conv2dBiasActMaxPoolOp, [x, w, b], { ...convAttrs(FN, conv), activation, pool: poolAttrs(FN, pool) });
}
