/**
 * Embedding and Masking (Keras 3):
 * - Embedding's forward is a row lookup (int32 ids, float ids truncated as Keras casts them), default weights from
 *   RandomUniform(-0.05, 0.05), weight name/shape as Keras, out-of-range ids a clear error on the CPU;
 * - its gradient is a scatter-add in index order: a repeated id's rows are summed in ascending position order
 *   (checked to the bit against a sequential float32 sum), and the gradient matches float64 finite differences;
 * - maskZero's mask and Masking's output/mask values;
 * - CPU vs WebGPU bits for the forward and gradient with repeated ids, and for Masking.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { sumTree } from '../../../src/core/reduction-order.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { describeAgreement, input, ints, type AgreementCase } from '../../agreement/harness.ts';
import { expectGradcheck, uniform } from '../../util/gradcheck.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';

const L = dt.layers;
const unavailable = await webgpuUnavailable();

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

describe('Embedding', () => {
  it('looks rows up; weight [inputDim, outputDim] named embeddings; default uniform in [-0.05, 0.05]', async () => {
    const emb = new L.Embedding(7, 3);
    const ids = dt.tensor([[1, 6, 0], [6, 6, 2]], [2, 3], 'int32');
    const y = emb.apply(ids);
    expect(y.shape).toEqual([2, 3, 3]);
    expect(emb.weights.map((w) => [w.name, [...w.shape]])).toEqual([['embedding/embeddings', [7, 3]]]);
    const E = await emb.embeddings!.data();
    expect(Math.max(...E.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(new Set(E).size).toBeGreaterThan(15); // random, not constant
    const want = [1, 6, 0, 6, 6, 2].flatMap((r) => [...E.subarray(r * 3, r * 3 + 3)]);
    expect([...(await y.data())]).toEqual(want);
    // float ids (a Sequential casts its input to float32) are truncated to int32, as Keras's cast
    const yf = emb.apply(dt.tensor([[1.7, 6, 0.2], [6, 6, 2.9]], [2, 3]));
    expect([...(await yf.data())]).toEqual(want);
    expect(emb.computeOutputShape([null, 5])).toEqual([null, 5, 3]);
    expect(emb.computeMask(ids, null)).toBeNull();
  });

  it('out-of-range ids are a clear error on the CPU', () => {
    const emb = new L.Embedding(4, 2);
    expect(() => emb.apply(dt.tensor([[0, 4]], [1, 2], 'int32'))).toThrow(/^Embedding 'embedding': expected indices in \[0, 4\)\. Received: indices\[1\]=4/);
    expect(() => new L.Embedding(4, 2).apply(dt.tensor([-1], [1], 'int32'))).toThrow(/indices\[0\]=-1/);
  });

  it('the gradient of a repeated id accumulates in index order (sequential float32 sum, bit for bit)', async () => {
    const emb = new L.Embedding(5, 4, { embeddingsInitializer: 'ones' });
    const idList = [3, 1, 3, 3, 0, 1, 3];
    const ids = dt.tensor(idList, [1, 7], 'int32');
    emb.apply(ids).dispose();
    // dy values chosen so that the order of summation changes float32 results
    const dyVals = Float32Array.from({ length: 28 }, (_, i) => [1e8, 1, -1e8, 3.5, 1e-3, 7, 2 ** -20][i % 7] * (1 + (i % 4) / 3));
    const dy = dt.tensor(dyVals, [1, 7, 4]);
    const { grads } = dt.variableGrads(() => dt.sum(dt.mul(emb.apply(ids), dy)), emb.trainableWeights);
    const g = await grads[0].data();
    for (let r = 0; r < 5; r++) {
      for (let j = 0; j < 4; j++) {
        let acc = 0;
        idList.forEach((id, i) => { if (id === r) acc = Math.fround(acc + dyVals[i * 4 + j]); });
        expect(Object.is(g[r * 4 + j], acc) || g[r * 4 + j] === acc, `row ${r} col ${j}`).toBe(true);
      }
    }
    expect([...g.subarray(8, 12)]).toEqual([0, 0, 0, 0]); // id 2 never used
  });

  it('over more than 256 positions: the engine\'s summation tree over positions, unused positions as +0 terms', async () => {
    const n = 700;
    const idList = Array.from({ length: n }, (_, i) => (i * 7 + (i >> 5)) % 3);
    const emb = new L.Embedding(3, 2);
    const ids = dt.tensor(idList, [2, n / 2], 'int32');
    emb.apply(ids).dispose();
    const dyVals = Float32Array.from({ length: 2 * n }, (_, i) => Math.fround(Math.sin(i) * 10 ** ((i % 9) - 4)));
    const dy = dt.tensor(dyVals, [2, n / 2, 2]);
    const { grads } = dt.variableGrads(() => dt.sum(dt.mul(emb.apply(ids), dy)), emb.trainableWeights);
    const g = await grads[0].data();
    for (let r = 0; r < 3; r++) {
      for (let j = 0; j < 2; j++) {
        const terms = idList.map((id, i) => (id === r ? dyVals[i * 2 + j] : 0));
        expect(g[r * 2 + j], `row ${r} col ${j}`).toBe(sumTree(terms, 0, n));
      }
    }
  });

  it('gradient matches float64 finite differences', async () => {
    const idList = [2, 0, 2, 1, 2, 0];
    await expectGradcheck({
      name: 'embedding lookup',
      f: (E) => {
        const ids = dt.tensor(idList, [2, 3], 'int32');
        const y = dt.gather(E, ids, 0);
        ids.dispose();
        return dt.tanh(y);
      },
      ref: (E) => ({ shape: [2, 3, 4], data: Float64Array.from(idList.flatMap((r) => [...E.data.subarray(r * 4, r * 4 + 4)]).map(Math.tanh)) }),
      inputs: [uniform([3, 4])],
    });
  });

  it('maskZero: the mask is ids != 0 (uint8), for int and float ids', async () => {
    const emb = new L.Embedding(5, 2, { maskZero: true });
    const ids = dt.tensor([[3, 0, 1], [0, 0, 4]], [2, 3], 'int32');
    const m = emb.computeMask(ids, null)!;
    expect(m.dtype).toBe('uint8');
    expect([...(await m.data())]).toEqual([1, 0, 1, 0, 0, 1]);
    expect([...(await emb.computeMask(dt.cast(ids, 'float32'), null)!.data())]).toEqual([1, 0, 1, 0, 0, 1]);
    const r = emb.applyWithMask(ids);
    expect([...(await (r.mask as dt.Tensor).data())]).toEqual([1, 0, 1, 0, 0, 1]);
    expect(r.output.shape).toEqual([2, 3, 2]);
  });

  it('config errors', () => {
    expect(() => new L.Embedding(0, 2)).toThrow(/^Embedding: expected inputDim to be a positive integer. Received: inputDim=0/);
    expect(() => new L.Embedding(3, 1.5)).toThrow(/^Embedding: expected outputDim to be a positive integer/);
    expect(() => new L.Embedding(3, 2, { maskZero: 1 as never })).toThrow(/^Embedding: expected maskZero to be a boolean/);
    expect(() => new L.Embedding(3, 2, { inputLength: 4 } as never)).toThrow(/inputLength/);
    expect(() => new L.Embedding(3, 2, { embeddingsInitializer: 'nope' })).toThrow(/Embedding/);
    expect(new L.Embedding(3, 2, { maskZero: true }).getConfig()).toMatchObject({ inputDim: 3, outputDim: 2, maskZero: true });
  });
});

describe('Masking', () => {
  it('zeroes the timesteps whose features all equal maskValue, and masks them', async () => {
    const x = dt.tensor([1, 2, 0, 0, -1, 0, 0, 0, 5, 5, 5, 5, NaN, 5, 0, 0], [2, 4, 2]);
    const layer = new L.Masking();
    const y = layer.apply(x);
    expect([...(await y.data())]).toEqual([1, 2, 0, 0, -1, 0, 0, 0, 5, 5, 5, 5, NaN, 5, 0, 0]);
    expect([...(await layer.computeMask(x, null).data())]).toEqual([1, 0, 1, 0, 1, 1, 1, 0]);
    const m5 = new L.Masking({ maskValue: 5 });
    expect([...(await m5.apply(x).data())]).toEqual([1, 2, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, NaN, 5, 0, 0]);
    expect([...(await m5.computeMask(x, null).data())]).toEqual([1, 1, 1, 1, 0, 0, 1, 1]);
    expect(() => new L.Masking({ maskValue: '0' as never })).toThrow(/^Masking: expected maskValue to be a number/);
    expect(() => new L.Masking({ mask_value: 0 } as never)).toThrow(/mask_value/);
  });
});

const embGrads = ([ids]: dt.Tensor[]): dt.Tensor => {
  dt.utils.setRandomSeed(7);
  const emb = new L.Embedding(6, 5);
  emb.apply(ids).dispose();
  const n = ids.size * 5;
  const dy = dt.reshape(dt.tensor(Float32Array.from({ length: n }, (_, i) => ((i * 37) % 11 - 5) * (1 + (i % 7) / 3)), [n]), [...ids.shape, 5]);
  const { value, grads } = dt.variableGrads(() => dt.sum(dt.mul(dt.square(emb.apply(ids)), dy)), emb.trainableWeights);
  const out = dt.concat([dt.reshape(emb.apply(ids), [-1]), dt.reshape(value, [1]), dt.reshape(grads[0], [-1])], 0);
  emb.dispose();
  return out;
};
const cases: AgreementCase[] = [
  { name: 'Embedding forward and gradient, repeated ids', inputs: [input([4, 9], ints(0, 5), 'int32')], run: embGrads },
  // 1200 positions: a repeated id's sum spans several 256-term blocks (the summation tree's upper levels)
  { name: 'Embedding gradient over 1200 positions', inputs: [input([8, 150], ints(0, 5), 'int32')], run: embGrads },
  {
    name: 'Masking values and mask',
    inputs: [input([3, 5, 2], ints(-1, 1))],
    run: ([x]) => {
      const m = new L.Masking();
      return dt.concat([dt.reshape(m.apply(x), [-1]), dt.reshape(dt.cast(m.computeMask(x, null), 'float32'), [-1])], 0);
    },
  },
];
describeAgreement('Embedding and Masking, CPU vs WebGPU', unavailable, cases);

describe('Embedding on WebGPU', () => {
  itWebGpu('out-of-range ids give zero vectors and a zero gradient (ids are not read back; Keras on GPUs does the same)', unavailable, async () => {
    await dt.setBackend('webgpu');
    try {
      const emb = new L.Embedding(3, 2, { embeddingsInitializer: 'ones' });
      const ids = dt.tensor([[0, 3, -1, 2]], [1, 4], 'int32');
      expect([...(await emb.apply(ids).data())]).toEqual([1, 1, 0, 0, 0, 0, 1, 1]);
      const { grads } = dt.variableGrads(() => dt.sum(emb.apply(ids)), emb.trainableWeights);
      expect([...(await grads[0].data())]).toEqual([1, 1, 0, 0, 1, 1]);
      emb.dispose();
    } finally {
      await dt.setBackend('cpu');
    }
  });
});
