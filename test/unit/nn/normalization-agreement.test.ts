/**
 * The normalization layers give the same bits everywhere: on the CPU with 1 and 2 threads, and on the CPU
 * and WebGPU (test/agreement/harness.ts): training and inference outputs, BatchNormalization's moving
 * statistics after two training calls, and gradients with respect to the input, gamma and beta. The
 * shapes reach the summation tree's second level (> 256 terms per statistic); with 2 threads every CPU job
 * is split between them (setParallelMinWork(1)).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { setParallelMinWork } from '../../../src/kernels/cpu/thread-pool.ts';
import { type AgreementCase, describeAgreement, input, uni } from '../../agreement/harness.ts';
import { hashString, Lcg } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const L = dt.layers;

type Weighted = dt.layers.Layer & { gamma?: dt.Variable; beta?: dt.Variable };

/** Builds `layer` for x and sets gamma and beta from g and b (when it has them). */
function prepared<T extends Weighted>(layer: T, x: dt.Tensor, g?: dt.Tensor, b?: dt.Tensor): T {
  dt.dispose(layer.apply(x));
  if (g && layer.gamma) layer.gamma.assign(dt.clone(g));
  if (b && layer.beta) layer.beta.assign(dt.clone(b));
  return layer;
}

/** Output, and gradients of sum(v * y) with respect to x and the trainable weights, flattened into one tensor. */
function outputAndGrads(layer: Weighted, x: dt.Tensor, v: dt.Tensor, training: boolean): dt.Tensor {
  return dt.tidy(() => {
    const y = layer.apply(x, { training });
    const [dx] = dt.grad((t: dt.Tensor) => dt.sum(dt.mul(layer.apply(t, { training }), v)))(x);
    const { grads } = dt.variableGrads(() => dt.sum(dt.mul(layer.apply(x, { training }), v)), layer.trainableWeights);
    return dt.concat([y, dx, ...grads].map((t) => dt.reshape(t, [-1])), 0);
  });
}

/** The cases, each a function of its input tensors [x, v, gamma, beta]. */
const CASES: { name: string; shape: number[]; channels: number; run: (x: dt.Tensor, v: dt.Tensor, g: dt.Tensor, b: dt.Tensor) => dt.Tensor }[] = [
  {
    name: 'BatchNormalization training: output, gradients, moving statistics after 2 calls',
    shape: [8, 9, 9, 6], channels: 6,
    run: (x, v, g, b) => {
      const bn = prepared(new L.BatchNormalization({ momentum: 0.9 }), x, g, b);
      const out = outputAndGrads(bn, x, v, true); // 3 training calls
      const y2 = bn.apply(x); // inference with the moving statistics
      const all = dt.concat([out, dt.reshape(y2, [-1]), bn.movingMean!, bn.movingVariance!], 0);
      bn.dispose();
      return all;
    },
  },
  {
    name: 'BatchNormalization axis 1, inference',
    shape: [4, 6, 5, 7], channels: 6,
    run: (x, v, g, b) => {
      const bn = prepared(new L.BatchNormalization({ axis: 1 }), x, g, b);
      const out = outputAndGrads(bn, x, v, false);
      bn.dispose();
      return out;
    },
  },
  {
    name: 'LayerNormalization axis -1',
    shape: [6, 300], channels: 300,
    run: (x, v, g, b) => {
      const ln = prepared(new L.LayerNormalization(), x, g, b);
      const out = outputAndGrads(ln, x, v, true);
      ln.dispose();
      return out;
    },
  },
  {
    name: 'LayerNormalization rmsScaling',
    shape: [5, 16, 8], channels: 8,
    run: (x, v, g) => {
      const ln = prepared(new L.LayerNormalization({ rmsScaling: true }), x, g);
      const out = outputAndGrads(ln, x, v, false);
      ln.dispose();
      return out;
    },
  },
  {
    name: 'GroupNormalization 4 groups NHWC',
    shape: [3, 10, 10, 8], channels: 8,
    run: (x, v, g, b) => {
      const gn = prepared(new L.GroupNormalization({ groups: 4 }), x, g, b);
      const out = outputAndGrads(gn, x, v, true);
      gn.dispose();
      return out;
    },
  },
];

const inputsOf = (c: (typeof CASES)[number]) => [input(c.shape, uni(-2, 3)), input(c.shape, uni(-1, 1)), input([c.channels], uni(0.5, 1.5)), input([c.channels], uni(-1, 1))];

describe('normalization: 1 vs 2 CPU threads, bit for bit', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      await dt.setBackend('cpu');
      const rng = new Lcg(hashString(c.name));
      const host = inputsOf(c).map((s) => Float32Array.from(s.gen(rng, s.shape.reduce((a, d) => a * d, 1))));
      const results: Float32Array[] = [];
      const saved = dt.config.getNumThreads();
      try {
        for (const threads of [1, 2]) {
          dt.config.setNumThreads(threads);
          // Every job, however small, is shared between the threads (the default keeps small ones on one).
          setParallelMinWork(threads === 1 ? undefined : 1);
          const xs = host.map((h, i) => dt.tensor(h, inputsOf(c)[i].shape));
          const y = c.run(xs[0], xs[1], xs[2], xs[3]);
          results.push((await y.data()) as Float32Array);
          dt.dispose([y, ...xs]);
        }
      } finally {
        dt.config.setNumThreads(saved);
        setParallelMinWork();
      }
      expect(Buffer.from(results[0].buffer).equals(Buffer.from(results[1].buffer))).toBe(true);
      expect(results[0].every(Number.isFinite)).toBe(true);
    });
  }
});

const agreement: AgreementCase[] = CASES.map((c) => ({ name: c.name, inputs: inputsOf(c), run: ([x, v, g, b]) => c.run(x, v, g, b) }));
describeAgreement('agreement: normalization layers (CPU vs WebGPU bits)', unavailable, agreement);
