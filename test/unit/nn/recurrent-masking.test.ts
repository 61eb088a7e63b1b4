/**
 * Masks in the recurrent layers (Keras semantics): SimpleRNN, LSTM and GRU take the [N, T] mask of their input
 * (Embedding with maskZero, Masking, or ctx.mask); at a masked timestep the states stay and the output repeats the
 * previous one, so a padded sequence ends with the bits of the unpadded one (pre- and post-padding, goBackwards,
 * Bidirectional); the mask travels on with returnSequences only; Bidirectional's layers output zeros at masked steps
 * with returnSequences (Keras's zero_output_for_mask); TimeDistributed passes it through. Gradients through the
 * masked recurrence against float64 central differences; CPU vs WebGPU bits.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { recurrence } from '../../../src/nn/layers/rnn.ts';
import { type AgreementCase, describeAgreement, input, ints } from '../../agreement/harness.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import { rnn64 } from '../../reference/rnn64.ts';
import { describeGradcheck, uniform } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const L = dt.layers;
const unavailable = await webgpuUnavailable();
// The gradcheck cases make a layer while collected: the backend first.
await dt.setBackend('cpu');

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
  dt.utils.setRandomSeed(3);
});

const hex = async (t: dt.Tensor) => Buffer.from((await t.data() as Float32Array).buffer).toString('hex');
const RNNS: [string, () => dt.layers.RNN][] = [
  ['SimpleRNN', () => new L.SimpleRNN(4)],
  ['LSTM', () => new L.LSTM(4)],
  ['GRU', () => new L.GRU(4)],
  ['GRU resetAfter false, goBackwards', () => new L.GRU(4, { resetAfter: false, goBackwards: true })],
];

/** Embedding(maskZero) -> the layer, as a functional model on int ids of any length. */
function embedded(layer: dt.layers.Layer<any, any>): dt.Model {
  const inp = dt.Input({ shape: [null], dtype: 'int32' });
  const e = new L.Embedding(7, 3, { maskZero: true }).apply(inp);
  return new dt.Model({ inputs: inp, outputs: layer.apply(e) as dt.SymbolicTensor });
}

describe('recurrent layers with masks', () => {
  for (const [name, make] of RNNS) {
    it(`${name}: Embedding(maskZero) -> layer: padded sequences end with the unpadded sequence's bits`, async () => {
      const m = embedded(make());
      const run = async (ids: number[][]) => {
        const x = dt.tensor(ids.flat(), [ids.length, ids[0].length], 'int32');
        const y = m.call(x) as dt.Tensor;
        const h = await hex(y);
        dt.dispose([x, y]);
        return h;
      };
      const plain = await run([[3, 1, 5]]);
      expect(await run([[3, 1, 5, 0, 0]])).toBe(plain); // post-padding
      expect(await run([[0, 0, 3, 1, 5]])).toBe(plain); // pre-padding
      expect(await run([[3, 0, 1, 0, 5]])).toBe(plain); // holes
      expect(await run([[3, 1, 5, 6]])).not.toBe(plain); // the check can fail
      m.dispose();
    });
  }

  it('Bidirectional(LSTM): padded = unpadded, bit for bit; TimeDistributed passes the mask on', async () => {
    const m = embedded(new L.Bidirectional(new L.LSTM(3)));
    const run = async (ids: number[]) => {
      const x = dt.tensor(ids, [1, ids.length], 'int32');
      const y = m.call(x) as dt.Tensor;
      const h = await hex(y);
      dt.dispose([x, y]);
      return h;
    };
    const plain = await run([2, 4, 6, 1]);
    expect(await run([2, 4, 6, 1, 0, 0, 0])).toBe(plain);
    expect(await run([0, 2, 4, 0, 6, 1])).toBe(plain);
    m.dispose();

    const inp = dt.Input({ shape: [null], dtype: 'int32' });
    let h = new L.Embedding(7, 3, { maskZero: true }).apply(inp);
    h = new L.TimeDistributed(new L.Dense(3, { activation: 'tanh' })).apply(h);
    const td = new dt.Model({ inputs: inp, outputs: new L.GRU(2).apply(h) as dt.SymbolicTensor });
    const r = async (ids: number[]) => {
      const x = dt.tensor(ids, [1, ids.length], 'int32');
      const y = td.call(x) as dt.Tensor;
      const s = await hex(y);
      dt.dispose([x, y]);
      return s;
    };
    expect(await r([1, 5, 0, 0])).toBe(await r([1, 5]));
    td.dispose();
  });

  it('the output mask: the input\'s with returnSequences, none otherwise or for the states; Bidirectional\'s per output', () => {
    const x = dt.ones([2, 3, 2]);
    const mask = dt.tensor([1, 1, 0, 1, 0, 0], [2, 3], 'uint8');
    const seq = new L.LSTM(2, { returnSequences: true, returnState: true }).applyWithMask(x, { mask });
    expect(seq.mask).toEqual([mask, null, null]);
    expect(new L.GRU(2).applyWithMask(x, { mask }).mask).toBeNull();
    expect(new L.Bidirectional(new L.GRU(2, { returnSequences: true }), { mergeMode: null }).applyWithMask(x, { mask }).mask).toEqual([mask, mask]);
    expect(new L.Bidirectional(new L.GRU(2)).applyWithMask(x, { mask }).mask).toBeNull();
    expect(new L.TimeDistributed(new L.Dense(2)).applyWithMask(x, { mask }).mask).toBe(mask);
    dt.dispose([x, mask]);
  });

  it('sequence outputs at masked steps: the previous output (zeros before any); Bidirectional\'s layers: zeros', async () => {
    const x = dt.tensor(Array.from({ length: 8 }, (_, i) => Math.sin(i)), [1, 4, 2]);
    const mask = dt.tensor([0, 1, 0, 1], [1, 4], 'float32'); // any dtype, nonzero = keep
    const l = new L.SimpleRNN(2, { returnSequences: true });
    const y = await (l.apply(x, { mask }) as dt.Tensor).data();
    const row = (t: number) => Array.from(y.slice(t * 2, t * 2 + 2));
    expect(row(0)).toEqual([0, 0]);
    expect(row(2)).toEqual(row(1));
    expect(row(3)).not.toEqual(row(1));
    const bi = new L.Bidirectional(new L.SimpleRNN(2, { returnSequences: true }), { mergeMode: null });
    const [f, b] = bi.apply(x, { mask }) as dt.Tensor[];
    const fd = await f.data();
    const bd = await b.data();
    for (const t of [0, 2]) expect([fd[2 * t], fd[2 * t + 1], bd[2 * t], bd[2 * t + 1]]).toEqual([0, 0, 0, 0]);
    expect(() => l.apply(x, { mask: dt.ones([1, 3]) })).toThrow('expected a mask of shape [1, 4] (batch, timesteps). Received: a mask of shape [1, 3]');
    dt.dispose([x, mask, f, b]);
  });
});

// Gradients through a masked LSTM recurrence vs float64 central differences. Reference: each sample runs rnn64 on its
// kept timesteps only; the output at step t is the output after the last kept step <= t (zeros before any).
const [N, T, F, U] = [2, 4, 2, 2];
const MASK = [[1, 0, 1, 1], [0, 1, 1, 0]];
const lstm = new L.LSTM(U);
lstm.ensureBuilt([null, T, F]);

function masked64(x: A64, k: A64, r: A64, b: A64): A64 {
  const out = arr([N, T, U]);
  for (let s = 0; s < N; s++) {
    const kept = MASK[s].flatMap((m, t) => (m ? [t] : []));
    const xs = arr([1, kept.length, F], kept.flatMap((t) => Array.from(x.data.slice((s * T + t) * F, (s * T + t + 1) * F))));
    const seq = rnn64('lstm', xs, k, r, b).seq;
    for (let t = 0; t < T; t++) {
      const j = kept.filter((q) => q <= t).length - 1;
      for (let u = 0; u < U; u++) out.data[(s * T + t) * U + u] = j < 0 ? 0 : seq.data[j * U + u];
    }
  }
  return out;
}

describeGradcheck('masked LSTM recurrence: d/d(x, kernel, recurrent_kernel, bias) of every output', [{
  name: 'mask [[1,0,1,1],[0,1,1,0]]',
  f: (x, k, r, b) => {
    Object.assign(lstm.cell, { kernel: k, recurrentKernel: r, bias: b });
    const keep = dt.tensor(MASK.flat(), [N, T], 'uint8');
    const { outputs } = recurrence(lstm.cell, x, lstm.cell.getInitialState(N), {
      goBackwards: false, allOutputs: true, inputMasks: null, recurrentMasks: null, stepMask: (t) => dt.slice(keep, [0, t], [N, 1]),
    });
    return dt.stack(outputs, 1);
  },
  ref: masked64,
  inputs: [uniform([N, T, F], -1.5, 1.5), uniform([F, 4 * U], -0.9, 0.9), uniform([U, 4 * U], -0.9, 0.9), uniform([4 * U], -0.5, 0.5)],
}]);

/** Embedding(maskZero) -> Bidirectional(LSTM, sequences) -> GRU: forward and every gradient, flattened. */
const maskedModel = ([ids]: dt.Tensor[]): dt.Tensor => dt.tidy(() => {
  resetNames();
  dt.utils.setRandomSeed(9);
  const inp = dt.Input({ shape: [ids.shape[1]], dtype: 'int32' });
  let h = new L.Embedding(6, 3, { maskZero: true }).apply(inp);
  h = new L.Bidirectional(new L.LSTM(3, { returnSequences: true })).apply(h) as dt.SymbolicTensor;
  const model = new dt.Model({ inputs: inp, outputs: new L.GRU(2).apply(h) as dt.SymbolicTensor });
  const { value, grads } = dt.variableGrads(() => dt.sum(dt.square(model.call(ids) as dt.Tensor)), model.trainableWeights);
  const out = dt.concat([dt.reshape(model.call(ids) as dt.Tensor, [-1]), dt.reshape(value, [1]), ...grads.map((g) => dt.reshape(g, [-1]))], 0);
  model.dispose();
  return out;
});
const cases: AgreementCase[] = [
  { name: 'Embedding(maskZero) -> Bidirectional(LSTM) -> GRU, forward and gradients', inputs: [input([3, 6], ints(0, 5), 'int32')], run: maskedModel },
];
describeAgreement('masked recurrent layers, CPU vs WebGPU', unavailable, cases);
