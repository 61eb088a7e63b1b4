/**
 * Masks travel with outputs (Keras 3 semantics): Embedding(maskZero) and Masking make a mask; Dense, Dropout,
 * Activation, ... pass it on; GlobalAveragePooling1D consumes it, averaging the unmasked timesteps only; a layer that
 * does not support masking drops it with a warning (Keras 3 warns). Checked through Sequential, Functional (also a
 * nested model), eager calls with an explicit `ctx.mask`, training (gradients vs finite differences through the mask)
 * and CPU vs WebGPU bits. A model without masks computes the same bits as before (no mask work at all).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { describeAgreement, input, ints, type AgreementCase } from '../../agreement/harness.ts';
import { expectGradcheck, uniform } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const L = dt.layers;
const unavailable = await webgpuUnavailable();

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});
afterEach(() => vi.restoreAllMocks());

const IDS = [[3, 1, 0, 0, 2], [0, 4, 4, 1, 0], [2, 2, 2, 2, 2]];
const idTensor = (dtype: 'int32' | 'float32' = 'int32'): dt.Tensor => dt.tensor(IDS.flat(), [3, 5], dtype);

/** float64 reference: mean over the timesteps whose id is not 0 of relu(E[id] W + b), in float64. */
async function reference(emb: dt.layers.Embedding, dense: dt.layers.Dense): Promise<number[]> {
  const E = await emb.embeddings!.data();
  const W = await dense.kernel!.data();
  const b = await dense.bias!.data();
  const [D, U] = [emb.outputDim, dense.units];
  const out: number[] = [];
  for (const row of IDS) {
    const acc = new Float64Array(U);
    let n = 0;
    for (const id of row) {
      if (id === 0) continue;
      n++;
      for (let u = 0; u < U; u++) {
        let s = b[u];
        for (let d = 0; d < D; d++) s += E[id * D + d] * W[d * U + u];
        acc[u] += Math.max(s, 0);
      }
    }
    out.push(...Array.from(acc, (v) => v / n));
  }
  return out;
}

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `element ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
}

describe('mask propagation to GlobalAveragePooling1D', () => {
  it('Sequential: Embedding(maskZero) -> Dense -> Dropout -> GlobalAveragePooling1D averages unmasked steps only', async () => {
    dt.utils.setRandomSeed(1);
    const emb = new L.Embedding(5, 4, { maskZero: true });
    const dense = new L.Dense(3, { activation: 'relu', biasInitializer: 'ones' });
    const model = new dt.Sequential([emb, dense, new L.Dropout(0.5), new L.GlobalAveragePooling1D()]);
    const y = model.call(idTensor());
    expect(y.shape).toEqual([3, 3]);
    expectNear(await y.data(), await reference(emb, dense));
    // without maskZero the average runs over every step: another result
    const plain = new dt.Sequential([new L.Embedding(5, 4), new L.GlobalAveragePooling1D()]);
    const p = await plain.call(idTensor()).data();
    const E = await (plain.layers[0] as dt.layers.Embedding).embeddings!.data();
    expectNear(p.subarray(0, 4), [0, 1, 2, 3].map((d) => (E[12 + d] + E[4 + d] + 2 * E[d] + E[8 + d]) / 5));
  });

  it('Functional (int32 Input), and the same model nested in another', async () => {
    dt.utils.setRandomSeed(2);
    const inp = dt.Input({ shape: [5], dtype: 'int32' });
    const emb = new L.Embedding(5, 4, { maskZero: true });
    const dense = new L.Dense(3, { activation: 'relu', biasInitializer: 'ones' });
    const h = dense.apply(emb.apply(inp));
    const out = new L.GlobalAveragePooling1D().apply(h);
    const model = new dt.Model({ inputs: inp, outputs: out });
    const y = await model.call(idTensor()).data();
    expectNear(y, await reference(emb, dense));
    // the model's own output mask: none (pooled away); a model ending before the pooling returns the mask
    const inner = new dt.Model({ inputs: inp, outputs: h });
    const r = inner.applyWithMask(idTensor());
    expect([...(await (r.mask as dt.Tensor).data())]).toEqual(IDS.flat().map((v) => (v ? 1 : 0)));
    // nested: the inner model's output mask reaches the outer pooling
    const inp2 = dt.Input({ shape: [5], dtype: 'int32' });
    const outer = new dt.Model({ inputs: inp2, outputs: new L.GlobalAveragePooling1D().apply(inner.apply(inp2)) });
    expect([...(await outer.call(idTensor()).data())]).toEqual([...y]);
    // a Sequential inside a Sequential
    const seq = new dt.Sequential([new dt.Sequential([emb, dense]), new L.GlobalAveragePooling1D()]);
    expect([...(await seq.call(idTensor()).data())]).toEqual([...y]);
  });

  it('merge layers AND their inputs\' masks (Keras 3 Merge.compute_mask)', async () => {
    const a = dt.Input({ shape: [4], dtype: 'int32' });
    const b = dt.Input({ shape: [4], dtype: 'int32' });
    const ea = new L.Embedding(5, 1, { maskZero: true, embeddingsInitializer: 'ones' }).apply(a);
    const eb = new L.Embedding(5, 1, { maskZero: true, embeddingsInitializer: 'ones' }).apply(b);
    const ec = new L.Embedding(5, 1, { embeddingsInitializer: 'ones' }).apply(b); // no mask: does not restrict
    const sum = new L.Add().apply([ea, eb, ec]);
    const model = new dt.Model({ inputs: [a, b], outputs: new L.GlobalAveragePooling1D().apply(new L.Dense(1, { kernelInitializer: 'ones', useBias: false }).apply(sum)) });
    const xa = dt.tensor([1, 0, 2, 3, 0, 0, 0, 4], [2, 4], 'int32');
    const xb = dt.tensor([1, 1, 0, 3, 4, 0, 0, 4], [2, 4], 'int32');
    expect([...(await (model.call([xa, xb]) as dt.Tensor).data())]).toEqual([3, 3]); // steps kept: {0, 3} and {3}; each step sums 3 ones
    const r = new L.Add().applyWithMask([dt.ones([1, 2, 1]), dt.ones([1, 2, 1])], { mask: [dt.tensor([1, 0], [1, 2], 'uint8'), null] });
    expect([...(await (r.mask as dt.Tensor).data())]).toEqual([1, 0]);
    expect(new L.Add().computeMask([], [null, null])).toBeNull();
  });

  it('Masking -> GlobalAveragePooling1D in a model equals the masked mean; a mask given to the model is used', async () => {
    const x = dt.tensor([1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 7, 8], [2, 3, 2]);
    const model = new dt.Sequential([new L.Masking(), new L.GlobalAveragePooling1D()]);
    expect([...(await model.call(x).data())]).toEqual([2, 3, 6, 7]);
    const gap = new dt.Sequential([new L.GlobalAveragePooling1D()]);
    const mask = dt.tensor([1, 0, 0, 0, 1, 1], [2, 3], 'uint8');
    expect([...(await gap.call(x, { mask }).data())]).toEqual([1, 2, 6, 7]);
    expect(mask.isDisposed).toBe(false);
    // eager: an explicit mask
    expect([...(await new L.GlobalAveragePooling1D().apply(x, { mask }).data())]).toEqual([1, 2, 6, 7]);
    // a fully masked sample gives NaN (0 / 0), as in Keras
    const none = dt.tensor([0, 0, 0, 0, 1, 1], [2, 3], 'uint8');
    const z = await new L.GlobalAveragePooling1D({ keepdims: true }).apply(x, { mask: none }).data();
    expect(Number.isNaN(z[0]) && Number.isNaN(z[1])).toBe(true);
    expect([...z.subarray(2)]).toEqual([6, 7]);
  });

  it('a layer that does not support masking drops the mask, with one warning (Keras 3)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = new dt.Sequential([new L.Embedding(5, 2, { maskZero: true }), new L.Conv1D(2, 1), new L.GlobalAveragePooling1D()]);
    const y = model.call(idTensor());
    const conv = model.layers[1] as dt.layers.Conv1D;
    const ref = new L.GlobalAveragePooling1D().apply(conv.apply(model.layers[0].apply(idTensor())));
    expect([...(await y.data())]).toEqual([...(await ref.data())]); // the plain mean: the mask was dropped
    model.call(idTensor());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/Layer 'conv1d' \(of type Conv1D\) was passed an input with a mask attached to it/);
  });

  it('explicit masks: refused by layers without masking support and on symbolic tensors', () => {
    const m = dt.ones([1, 3], 'int32');
    expect(() => new L.Conv1D(2, 1).apply(dt.zeros([1, 3, 2]), { mask: m })).toThrow(/^Conv1D 'conv1d': expected no mask: this layer does not support masking/);
    expect(() => new L.Dense(2).apply(dt.Input({ shape: [3, 2] }), { mask: m })).toThrow(/expected no mask on symbolic tensors/);
    expect(() => new L.GlobalAveragePooling1D().apply(dt.zeros([1, 3, 2]), { mask: dt.ones([1, 2], 'int32') })).toThrow(/expected a mask of shape \[1, 3\]/);
    const inp = dt.Input({ shape: [3] });
    expect(() => new dt.Model({ inputs: inp, outputs: new L.Dense(1).apply(inp) }).call(dt.zeros([1, 3]), { mask: [m, m] })).toThrow(/expected one mask per input \(1\)/);
  });

  it('supportsMasking defaults to Keras 3\'s rule: true when the class overrides computeMask', async () => {
    class Plain extends dt.layers.Layer {
      computeOutputShape(s: readonly (number | null)[]) { return [...s]; }
      call(x: dt.Tensor) { return x; }
    }
    class Shift extends Plain {
      override computeMask(x: dt.Tensor): dt.Tensor { return dt.notEqual(x, 1); }
    }
    expect(new Plain({}).supportsMasking).toBe(false);
    expect(new Shift({}).supportsMasking).toBe(true);
    expect([new L.Dense(1), new L.Dropout(0.1), new L.Activation('relu'), new L.LayerNormalization(), new L.Embedding(2, 2), new L.Masking(), new L.GlobalAveragePooling1D()].every((l) => l.supportsMasking)).toBe(true);
    expect([new L.Flatten(), new L.Conv1D(1, 1), new L.GlobalMaxPooling1D(), new L.Softmax(), new L.BatchNormalization()].some((l) => l.supportsMasking)).toBe(false);
    const r = new Shift({}).applyWithMask(dt.tensor([[1, 2]], [1, 2]));
    expect([...(await (r.mask as dt.Tensor).data())]).toEqual([0, 1]);
  });

  it('models without masks compute what they computed before (no mask work)', async () => {
    dt.utils.setRandomSeed(3);
    const model = new dt.Sequential([new L.Dense(4, { activation: 'relu' }), new L.Dense(2)]);
    const x = dt.tensor(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), [3, 4]);
    const direct = model.layers[1].apply(model.layers[0].apply(x));
    expect([...(await model.call(x).data())]).toEqual([...(await direct.data())]);
    expect(model.applyWithMask(x).mask).toBeNull();
  });
});

describe('gradients through a mask', () => {
  it('masked mean pooling vs float64 finite differences', async () => {
    const maskVals = [1, 0, 1, 1, 0, 0, 1, 1];
    await expectGradcheck({
      name: 'GlobalAveragePooling1D with mask',
      f: (x) => {
        const mask = dt.tensor(maskVals, [2, 4], 'uint8');
        const y = new L.GlobalAveragePooling1D().apply(dt.tanh(x), { mask });
        mask.dispose();
        return y;
      },
      ref: (x) => {
        const out = new Float64Array(6);
        for (let n = 0; n < 2; n++) {
          const kept = [0, 1, 2, 3].filter((t) => maskVals[n * 4 + t]);
          for (let c = 0; c < 3; c++) out[n * 3 + c] = kept.reduce((s, t) => s + Math.tanh(x.data[(n * 4 + t) * 3 + c]), 0) / kept.length;
        }
        return { shape: [2, 3], data: out };
      },
      inputs: [uniform([2, 4, 3])],
    });
  });

  it('Masking then pooling vs float64 finite differences (masked steps: maskValue, whatever x is)', async () => {
    const keepSteps = [1, 1, 0, 0, 1, 1, 1, 0]; // [2, 4] timesteps
    await expectGradcheck({
      name: 'Masking + GlobalAveragePooling1D',
      f: (x) => {
        const keep = dt.tensor(keepSteps.flatMap((k) => [k, k]), [2, 4, 2], 'uint8');
        const y = new dt.Sequential([new L.Masking({ maskValue: -100 }), new L.GlobalAveragePooling1D()]).call(dt.where(keep, dt.mul(x, x), -100));
        keep.dispose();
        return y;
      },
      ref: (x) => {
        const out = new Float64Array(4);
        for (let n = 0; n < 2; n++) {
          const steps = [0, 1, 2, 3].filter((t) => keepSteps[n * 4 + t]);
          for (let c = 0; c < 2; c++) out[n * 2 + c] = steps.reduce((s, t) => s + x.data[(n * 4 + t) * 2 + c] ** 2, 0) / steps.length;
        }
        return { shape: [2, 2], data: out };
      },
      inputs: [uniform([2, 4, 2])],
    });
  });
});

const pooled = ([ids]: dt.Tensor[]): dt.Tensor => {
  dt.utils.setRandomSeed(11);
  const model = new dt.Sequential([new L.Embedding(7, 6, { maskZero: true }), new L.Dense(5, { activation: 'tanh' }), new L.GlobalAveragePooling1D()]);
  model.call(ids).dispose();
  const { value, grads } = dt.variableGrads(() => dt.sum(dt.square(model.call(ids))), model.trainableWeights);
  const out = dt.concat([dt.reshape(model.call(ids), [-1]), dt.reshape(value, [1]), ...grads.map((g) => dt.reshape(g, [-1]))], 0);
  model.dispose();
  return out;
};
const cases: AgreementCase[] = [
  { name: 'Embedding(maskZero) -> Dense -> masked GlobalAveragePooling1D, forward and gradients', inputs: [input([4, 10], ints(0, 6), 'int32')], run: pooled },
];
describeAgreement('masked pooling, CPU vs WebGPU', unavailable, cases);
