/**
 * Gradients of the normalization layers against float64 central differences of the references in
 * test/reference/norm64.ts (test/util/gradcheck.ts), through the layers' own call: with respect to the
 * input (in training, through BatchNormalization's batch mean and variance), gamma and beta. Also: the
 * moving-statistics update of a training call records nothing on the gradient tape, and the gradients
 * fit takes (variableGrads over the layer's variables) are those checked here, bit for bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { popTape, pushTape, releaseTape } from '../../../src/core/tape.ts';
import { batchNormInfer64, batchNormTrain64, groupNorm64, layerNorm64 } from '../../reference/norm64.ts';
import { describeGradcheck, uniform } from '../../util/gradcheck.ts';

const L = dt.layers;
const EPS = Math.fround(1e-3);
await dt.setBackend('cpu');

type Weighted = { gamma?: dt.Variable; beta?: dt.Variable };

/**
 * Calls `layer` with gamma and beta replaced by the tensors `g` and `b` (so that they can be differentiated as
 * arguments), then puts its own variables back.
 */
function withWeights(layer: dt.layers.Layer & Weighted, g: dt.Tensor | undefined, b: dt.Tensor | undefined, run: () => dt.Tensor): dt.Tensor {
  const saved = [layer.gamma, layer.beta];
  layer.gamma = g as dt.Variable | undefined;
  layer.beta = b as dt.Variable | undefined;
  try {
    return run();
  } finally {
    [layer.gamma, layer.beta] = saved;
  }
}

function built<T extends dt.layers.Layer>(layer: T, shape: number[]): T {
  dt.dispose(layer.apply(dt.zeros(shape)));
  return layer;
}

const bnTrain = built(new L.BatchNormalization({ name: 'bn_train' }), [6, 4]);
const bnAxis1 = built(new L.BatchNormalization({ name: 'bn_axis1', axis: 1 }), [3, 2, 2, 2]);
const bnInfer = built(new L.BatchNormalization({ name: 'bn_infer' }), [5, 3]);
bnInfer.movingMean!.assign(dt.tensor([0.5, -0.25, 1]));
bnInfer.movingVariance!.assign(dt.tensor([0.75, 2, 1.5]));
const lnLast = built(new L.LayerNormalization({ name: 'ln_last' }), [3, 5]);
const lnAxes = built(new L.LayerNormalization({ name: 'ln_axes', axis: [1, 2] }), [2, 3, 2]);
const lnRms = built(new L.LayerNormalization({ name: 'ln_rms', rmsScaling: true }), [3, 4]);
const gn = built(new L.GroupNormalization({ name: 'gn', groups: 2 }), [2, 3, 4]);
const gnAxis1 = built(new L.GroupNormalization({ name: 'gn_axis1', groups: 3, axis: 1 }), [2, 6, 2]);

describeGradcheck('normalization gradients (float64 central differences)', [
  {
    name: 'BatchNormalization training: d/dx (through the batch statistics), d/dgamma, d/dbeta',
    f: (x, g, b) => withWeights(bnTrain, g, b, () => bnTrain.apply(x, { training: true })),
    ref: (x, g, b) => batchNormTrain64(x, g, b, -1, EPS).y,
    inputs: [uniform([6, 4], -2, 2), uniform([4], 0.5, 1.5), uniform([4], -1, 1)],
  },
  {
    name: 'BatchNormalization training, NHWC axis 1',
    f: (x, g, b) => withWeights(bnAxis1, g, b, () => bnAxis1.apply(x, { training: true })),
    ref: (x, g, b) => batchNormTrain64(x, g, b, 1, EPS).y,
    inputs: [uniform([3, 2, 2, 2], -1, 2), uniform([2], 0.5, 1.5), uniform([2], -1, 1)],
  },
  {
    name: 'BatchNormalization inference (moving statistics)',
    f: (x, g, b) => withWeights(bnInfer, g, b, () => bnInfer.apply(x)),
    ref: (x, g, b) => batchNormInfer64(x, g, b, { shape: [3], data: Float64Array.from([0.5, -0.25, 1]) }, { shape: [3], data: Float64Array.from([0.75, 2, 1.5]) }, -1, EPS),
    inputs: [uniform([5, 3], -2, 2), uniform([3], 0.5, 1.5), uniform([3], -1, 1)],
  },
  {
    name: 'LayerNormalization axis -1',
    f: (x, g, b) => withWeights(lnLast, g, b, () => lnLast.apply(x)),
    ref: (x, g, b) => layerNorm64(x, g, b, [-1], EPS),
    inputs: [uniform([3, 5], -2, 2), uniform([5], 0.5, 1.5), uniform([5], -1, 1)],
  },
  {
    name: 'LayerNormalization axes [1, 2]',
    f: (x, g, b) => withWeights(lnAxes, g, b, () => lnAxes.apply(x)),
    ref: (x, g, b) => layerNorm64(x, g, b, [1, 2], EPS),
    inputs: [uniform([2, 3, 2], -2, 2), uniform([3, 2], 0.5, 1.5), uniform([3, 2], -1, 1)],
  },
  {
    name: 'LayerNormalization rmsScaling',
    f: (x, g) => withWeights(lnRms, g, undefined, () => lnRms.apply(x)),
    ref: (x, g) => layerNorm64(x, g, null, [-1], EPS, true),
    inputs: [uniform([3, 4], -2, 2), uniform([4], 0.5, 1.5)],
  },
  {
    name: 'GroupNormalization 2 groups',
    f: (x, g, b) => withWeights(gn, g, b, () => gn.apply(x)),
    ref: (x, g, b) => groupNorm64(x, g, b, 2, -1, EPS),
    inputs: [uniform([2, 3, 4], -2, 2), uniform([4], 0.5, 1.5), uniform([4], -1, 1)],
  },
  {
    name: 'GroupNormalization 3 groups along axis 1',
    f: (x, g, b) => withWeights(gnAxis1, g, b, () => gnAxis1.apply(x)),
    ref: (x, g, b) => groupNorm64(x, g, b, 3, 1, EPS),
    inputs: [uniform([2, 6, 2], -2, 2), uniform([6], 0.5, 1.5), uniform([6], -1, 1)],
  },
]);

describe('the gradient tape and the moving statistics', () => {
  beforeAll(() => {
    bnTrain.gamma!.assign(dt.tensor([0.5, 1, 1.5, 2]));
    bnTrain.beta!.assign(dt.tensor([-1, 0, 1, 2]));
  });

  it('a training call (axis -1) records exactly the fused primitive batchNormTrain: the moving update is not on the tape', () => {
    const x = dt.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, -1, -2, -3, 4, 4, 4, 4, 2, 3, 5, 8], [6, 4]);
    const recorded = (f: () => dt.Tensor): string[] => {
      const tape = pushTape([x, bnTrain.gamma!, bnTrain.beta!]);
      try {
        dt.tidy(f);
        return tape.nodes.map((n) => n.def.name);
      } finally {
        popTape(tape);
        releaseTape(tape);
      }
    };
    const before = bnTrain.movingMean!.dataSync().slice();
    const layer = recorded(() => bnTrain.apply(x, { training: true }));
    expect(bnTrain.movingMean!.dataSync()).not.toEqual(before); // the update did happen
    // The statistics (batchNormMoments) are computed outside the tape: batchNormTrain's gradient covers them.
    expect(layer).toEqual(['batchNormTrain']);
    x.dispose();
  });

  it("fit's gradients (variableGrads over gamma and beta) equal dt.grad's through the same call, bit for bit", async () => {
    const x = dt.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 2), [6, 4]);
    const v = dt.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.3)), [6, 4]);
    const loss = (y: dt.Tensor) => dt.sum(dt.mul(y, v));
    const { value, grads } = dt.variableGrads(() => loss(bnTrain.apply(x, { training: true })), [bnTrain.gamma!, bnTrain.beta!]);
    const ours = dt.grad((g, b) => loss(withWeights(bnTrain, g, b, () => bnTrain.apply(x, { training: true }))))(bnTrain.gamma!, bnTrain.beta!);
    for (let i = 0; i < 2; i++) expect([...await grads[i].data()]).toEqual([...await ours[i].data()]);
    // d/dbeta of sum(v * y) is the per-channel sum of v; d/dgamma is sum(v * x_hat): nonzero
    expect([...await grads[1].data()].every((g) => g !== 0)).toBe(true);
    dt.dispose([x, v, value, ...grads, ...ours]);
  });
});
