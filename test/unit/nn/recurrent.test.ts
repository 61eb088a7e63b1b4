/**
 * The recurrent layers (issue 17): SimpleRNN, LSTM, GRU (both reset conventions) and their cells against the
 * float64 reference of Keras's formulas (test/reference/rnn64.ts); returnSequences, returnState (on tensors and in
 * functional graphs), goBackwards, initial states, stateful + resetStates; dropout masks (seeded, drawn once per
 * call, the recurrent mask the same at every timestep); Keras's weight names, shapes, order and initial values;
 * Bidirectional (every merge mode, forward-then-backward weights) and TimeDistributed; configuration errors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { layerSeedGenerators } from '../../../src/nn/checkpoint/parts.ts';
import { collectLosses, constraintOf, regularizerOf } from '../../../src/nn/layer-losses.ts';
import { recurrence } from '../../../src/nn/layers/rnn.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import { type Cell64, rnn64 } from '../../reference/rnn64.ts';
import { runTs } from '../../util/subprocess.ts';
import { lcgValues } from './helpers.ts';

const L = dt.layers;
const [N, T, F, U] = [3, 5, 4, 3];

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

type Kind = Cell64;
const GATES: Record<Kind, number> = { simple: 1, lstm: 4, gru: 3, gru_before: 3 };

/** A layer of `kind` with `config`, built for F features, its weights set to seeded values (bias too). */
function makeLayer(kind: Kind, config: Record<string, unknown> = {}, seed = 1): dt.layers.RNN {
  const l = kind === 'simple' ? new L.SimpleRNN(U, config)
    : kind === 'lstm' ? new L.LSTM(U, config)
    : new L.GRU(U, { ...config, resetAfter: kind === 'gru' });
  l.ensureBuilt([null, T, F]);
  for (const [i, w] of l.weights.entries()) {
    const v = dt.tensor(lcgValues(w.size, seed * 10 + i, -0.8, 0.8), w.shape);
    w.assign(v);
    v.dispose();
  }
  return l;
}

const a64 = async (t: dt.Tensor): Promise<A64> => arr(t.shape, await t.data());
const xOf = (seed = 3, n = N, steps = T) => dt.tensor(lcgValues(n * steps * F, seed, -2, 2), [n, steps, F]);

/** Max |got - want| relative to max(1, |want|). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 2e-6): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  expect(worst).toBeLessThan(tol);
}

async function reference(l: dt.layers.RNN, kind: Kind, x: dt.Tensor, o: { goBackwards?: boolean; init?: dt.Tensor[]; inMasks?: dt.Tensor[]; recMasks?: dt.Tensor[] } = {}) {
  const [k, r, b] = await Promise.all(l.weights.map(a64));
  const all = async (ts?: dt.Tensor[]) => (ts ? Promise.all(ts.map(a64)) : undefined);
  return rnn64(kind, await a64(x), k, r, b, { goBackwards: o.goBackwards, init: await all(o.init), inMasks: await all(o.inMasks), recMasks: await all(o.recMasks) });
}

const bitsOf = async (t: dt.Tensor) => Buffer.from(((await t.data()) as Float32Array).buffer);

describe('forward values vs the float64 reference of Keras\'s formulas', () => {
  for (const kind of ['simple', 'lstm', 'gru', 'gru_before'] as Kind[]) {
    it(`${kind}: returnSequences, last output, goBackwards, initial states`, async () => {
      const x = xOf();
      const seqL = makeLayer(kind, { returnSequences: true });
      const ref = await reference(seqL, kind, x);
      expect((seqL.apply(x) as dt.Tensor).shape).toEqual([N, T, U]);
      expectClose(await (seqL.apply(x) as dt.Tensor).data(), ref.seq.data);
      const last = makeLayer(kind);
      expectClose(await (last.apply(x) as dt.Tensor).data(), ref.states[0].data);
      const back = makeLayer(kind, { goBackwards: true, returnSequences: true });
      expectClose(await (back.apply(x) as dt.Tensor).data(), (await reference(back, kind, x, { goBackwards: true })).seq.data);
      const init = (kind === 'lstm' ? [5, 6] : [5]).map((s) => dt.tensor(lcgValues(N * U, s), [N, U]));
      const withInit = makeLayer(kind, { returnState: true });
      const [out, ...states] = withInit.apply([x, ...init]) as dt.Tensor[];
      const refInit = await reference(withInit, kind, x, { init });
      expectClose(await out.data(), refInit.states[0].data);
      for (const [i, s] of states.entries()) expectClose(await s.data(), refInit.states[i].data);
      // The initial states the caller passed are not disposed.
      expect(init.every((t) => !t.isDisposed)).toBe(true);
    });
  }

  it('a cell applied to [x, ...states] computes one timestep (Keras\'s cell protocol)', async () => {
    for (const kind of ['simple', 'lstm', 'gru'] as Kind[]) {
      const layer = makeLayer(kind, { returnState: true });
      const x = xOf(9, N, 1);
      const [y, ...states] = layer.apply(x) as dt.Tensor[];
      const step = dt.reshape(x, [N, F]);
      const zeros = layer.cell.stateSize.map((s) => dt.zeros([N, s]));
      const [cy, ...cs] = layer.cell.apply([step, ...zeros]);
      expect(cs.length).toBe(states.length);
      expect((await bitsOf(cy)).equals(await bitsOf(y))).toBe(true);
      for (const [i, s] of cs.entries()) expect((await bitsOf(s)).equals(await bitsOf(states[i]))).toBe(true);
    }
  });
});

describe('the projection of the inputs', () => {
  it('x @ kernel over all timesteps in one matmul has the bits of the per-step matmuls (the reduction is per element)', async () => {
    const layer = makeLayer('lstm');
    const k = layer.weights[0];
    const x = dt.tensor(lcgValues(N * 28 * 300, 8, -2, 2), [N * 28, 300]); // K = 300 > 256: two chunks of the summation tree
    const k300 = dt.tensor(lcgValues(300 * 4 * U, 9), [300, 4 * U]);
    for (const [xs, w] of [[x, k300], [dt.reshape(xOf(), [N * T, F]), k]] as const) {
      const rows = xs.shape[0] / N;
      const whole = await bitsOf(dt.matmul(xs, w));
      const steps = dt.concat(Array.from({ length: rows }, (_, t) => dt.matmul(dt.slice(xs, [t * N, 0], [N, xs.shape[1]]), w)), 0);
      expect((await bitsOf(steps)).equals(whole)).toBe(true);
    }
  });
});

describe('returnState, stateful, functional graphs', () => {
  it('returnState returns [output, ...states]; the last output equals h; symbolic shapes match', async () => {
    const layer = makeLayer('lstm', { returnSequences: true, returnState: true });
    const [seq, h, c] = layer.apply(xOf()) as dt.Tensor[];
    expect([seq.shape, h.shape, c.shape]).toEqual([[N, T, U], [N, U], [N, U]]);
    const lastStep = dt.reshape(dt.slice(seq, [0, T - 1, 0], [N, 1, U]), [N, U]);
    expect((await bitsOf(lastStep)).equals(await bitsOf(h))).toBe(true);
    const inp = dt.Input({ shape: [T, F] });
    const outs = new L.LSTM(U, { returnSequences: true, returnState: true }).apply(inp) as dt.SymbolicTensor[];
    expect(outs.map((o) => o.shape)).toEqual([[null, T, U], [null, U], [null, U]]);
  });

  it('a functional model with returnState outputs and initial states computes what the layer computes', async () => {
    const inp = dt.Input({ shape: [T, F] });
    const h0 = dt.Input({ shape: [U] });
    const layer = new L.GRU(U, { returnState: true });
    const [o, h] = layer.apply([inp, h0]) as dt.SymbolicTensor[];
    const model = new dt.Model({ inputs: [inp, h0], outputs: [o, h] });
    const x = xOf();
    const init = dt.tensor(lcgValues(N * U, 4), [N, U]);
    const [mo, mh] = model.call([x, init]) as dt.Tensor[];
    const [lo, lh] = layer.apply([x, init]) as dt.Tensor[];
    expect((await bitsOf(mo)).equals(await bitsOf(lo))).toBe(true);
    expect((await bitsOf(mh)).equals(await bitsOf(lh))).toBe(true);
    expect(model.weights.map((w) => w.name)).toEqual(['gru/gru_cell/kernel', 'gru/gru_cell/recurrent_kernel', 'gru/gru_cell/bias']);
  });

  it('stateful: two calls on the halves equal one call on the whole sequence; resetStates starts from zeros', async () => {
    const x = xOf(4, N, 6);
    const whole = makeLayer('lstm', { returnSequences: true });
    const want = await bitsOf(whole.apply(x) as dt.Tensor);
    const st = makeLayer('lstm', { returnSequences: true, stateful: true });
    const a = st.apply(dt.slice(x, [0, 0, 0], [N, 3, F])) as dt.Tensor;
    const b = st.apply(dt.slice(x, [0, 3, 0], [N, 3, F])) as dt.Tensor;
    expect((await bitsOf(dt.concat([a, b], 1))).equals(want)).toBe(true);
    expect(st.states?.length).toBe(2);
    // States are not weights (Keras 3 creates them untracked): not in the weights, not in checkpoints.
    expect(st.weights.length).toBe(3);
    expect(() => st.apply(xOf(4, N + 1, 3))).toThrow(/expected the batch size 3 of the previous call/);
    st.resetStates();
    expect(st.states).toBeNull();
    const again = st.apply(x) as dt.Tensor;
    expect((await bitsOf(again)).equals(want)).toBe(true);
  });

  it('a step mask keeps the previous states where it is 0 (the hook for masking layers)', async () => {
    const layer = makeLayer('simple', {});
    const x = xOf();
    const keepAll = recurrence(layer.cell, x, [dt.zeros([N, U])], { goBackwards: false, allOutputs: false, inputMasks: null, recurrentMasks: null, stepMask: () => dt.ones([N, 1]) });
    expect((await bitsOf(keepAll.states[0])).equals(await bitsOf(layer.apply(x) as dt.Tensor))).toBe(true);
    // Masking the last two timesteps equals running the first three.
    const masked = recurrence(layer.cell, x, [dt.zeros([N, U])], {
      goBackwards: false, allOutputs: false, inputMasks: null, recurrentMasks: null, stepMask: (t) => dt.fill([N, 1], t < 3 ? 1 : 0),
    });
    const first3 = layer.apply(dt.slice(x, [0, 0, 0], [N, 3, F])) as dt.Tensor;
    expect((await bitsOf(masked.states[0])).equals(await bitsOf(first3))).toBe(true);
  });
});

describe('dropout', () => {
  it('masks drawn once per call and used at every timestep; one per gate with recurrentDropout (Keras\'s implementation 1)', async () => {
    const cases: [Kind, Record<string, number>, number][] = [
      ['simple', { dropout: 0.3, recurrentDropout: 0.4 }, 1], ['lstm', { dropout: 0.3, recurrentDropout: 0.4 }, 4],
      ['gru', { dropout: 0.3, recurrentDropout: 0.4 }, 3], ['gru_before', { dropout: 0.3, recurrentDropout: 0.4 }, 3],
      ['lstm', { dropout: 0.3 }, 1], ['gru', { recurrentDropout: 0.5 }, 3],
    ];
    for (const [kind, rates, count] of cases) {
      const cfg = { ...rates, seed: 7, returnSequences: true };
      const layer = makeLayer(kind, cfg);
      const twin = makeLayer(kind, cfg);
      const x = xOf();
      const y = layer.apply(x, { training: true }) as dt.Tensor;
      // The twin's generator is in the same state: its masks are the ones the layer drew.
      const m = twin.cell.dropoutMasks(N, F, true);
      expect([m.input?.length, m.recurrent?.length]).toEqual([rates.dropout ? count : undefined, rates.recurrentDropout ? count : undefined]);
      if (count > 1 && m.input) expect((await bitsOf(m.input[0])).equals(await bitsOf(m.input[1]))).toBe(false);
      const ref = await reference(layer, kind, x, { inMasks: m.input ?? undefined, recMasks: m.recurrent ?? undefined });
      expectClose(await y.data(), ref.seq.data);
      // Inference: no dropout.
      const inf = await reference(layer, kind, x);
      expectClose(await (layer.apply(x) as dt.Tensor).data(), inf.seq.data);
    }
  });

  it('same seed: same bits, in fresh layers and in a fresh process; another seed and the next call differ', async () => {
    const digest = async (seed: number) => {
      const l = makeLayer('lstm', { dropout: 0.25, recurrentDropout: 0.25, seed, returnSequences: true });
      const first = await bitsOf(l.apply(xOf(), { training: true }) as dt.Tensor);
      const second = await bitsOf(l.apply(xOf(), { training: true }) as dt.Tensor);
      return { first, second };
    };
    const a = await digest(11);
    const b = await digest(11);
    const c = await digest(12);
    expect(a.first.equals(b.first)).toBe(true);
    expect(a.first.equals(a.second)).toBe(false);
    expect(a.first.equals(c.first)).toBe(false);
    const r = await runTs('test/unit/nn/scripts/rnn-dropout-digest.ts', [], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    const child = r.stdout.toString().trim();
    const { createHash } = await import('node:crypto');
    expect(child).toBe(`digest ${createHash('sha256').update(a.first).digest('hex')}`);
  });

  it('checkpoints find the seed generators of recurrent layers, inside Bidirectional and TimeDistributed too', () => {
    const inp = dt.Input({ shape: [T, F] });
    let h = new L.Bidirectional(new L.LSTM(U, { dropout: 0.2, returnSequences: true })).apply(inp) as dt.SymbolicTensor;
    h = new L.TimeDistributed(new L.Dropout(0.5)).apply(h);
    h = new L.GRU(U, { recurrentDropout: 0.1 }).apply(h) as dt.SymbolicTensor;
    const model = new dt.Model({ inputs: inp, outputs: h });
    expect([...layerSeedGenerators(model as never).keys()]).toEqual([
      'bidirectional/bidirectional/forward_lstm', 'bidirectional/bidirectional/backward_lstm', 'time_distributed/dropout', 'gru',
    ]);
  });

  it('the layer exposes its cell\'s seedGenerator (saved in checkpoints); none without dropout', () => {
    const l = new L.GRU(2, { recurrentDropout: 0.1, seed: 3 });
    expect(l.seedGenerator).toBe(l.cell.seedGenerator);
    expect(l.seedGenerator).toBeInstanceOf(dt.random.SeedGenerator);
    expect(new L.GRU(2).seedGenerator).toBeUndefined();
  });
});

describe('weights: Keras names, shapes, order and initial values', () => {
  it('kernel [in, G*units], recurrent_kernel [units, G*units], bias per Keras; parameter counts', () => {
    for (const kind of ['simple', 'lstm', 'gru', 'gru_before'] as Kind[]) {
      const l = makeLayer(kind);
      const g = GATES[kind];
      const cellName = kind === 'simple' ? 'simple_rnn_cell' : kind === 'lstm' ? 'lstm_cell' : 'gru_cell';
      expect(l.weights.map((w) => w.name.slice(w.name.indexOf('/') + 1))).toEqual([`${cellName}/kernel`, `${cellName}/recurrent_kernel`, `${cellName}/bias`]);
      expect(l.weights.map((w) => w.shape)).toEqual([[F, g * U], [U, g * U], kind === 'gru' ? [2, g * U] : [g * U]]);
    }
    // Keras: LSTM(4) on 3 features has 128 parameters, GRU(4) 108 (reset_after), SimpleRNN(4) 32.
    const count = (l: dt.layers.RNN) => { l.ensureBuilt([null, 2, 3]); return l.countParams(); };
    expect([count(new L.LSTM(4)), count(new L.GRU(4)), count(new L.SimpleRNN(4)), count(new L.GRU(4, { resetAfter: false }))]).toEqual([128, 108, 32, 96]);
  });

  it('initial values: LSTM bias [0, 1 (forget), 0, 0] (unitForgetBias), orthogonal recurrent kernel, zero GRU bias', async () => {
    const l = new L.LSTM(3);
    l.ensureBuilt([null, 2, 5]);
    expect(Array.from(await l.weights[2].data())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const off = new L.LSTM(3, { unitForgetBias: false });
    off.ensureBuilt([null, 2, 5]);
    expect(Array.from(await off.weights[2].data()).every((v) => v === 0)).toBe(true);
    // Orthogonal [3, 12]: orthonormal rows.
    const r = await l.weights[1].data();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let dot = 0;
        for (let k = 0; k < 12; k++) dot += r[i * 12 + k] * r[j * 12 + k];
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
    const gru = new L.GRU(2);
    gru.ensureBuilt([null, 2, 5]);
    expect(Array.from(await gru.weights[2].data())).toEqual(new Array(12).fill(0));
  });

  it('getConfig has Keras\'s defaults', () => {
    const c = new L.LSTM(4).getConfig();
    expect(c).toMatchObject({ units: 4, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, unitForgetBias: true, dropout: 0, recurrentDropout: 0, returnSequences: false, returnState: false, goBackwards: false, stateful: false });
    expect(new L.GRU(4).getConfig()).toMatchObject({ resetAfter: true, recurrentActivation: 'sigmoid' });
  });
});

describe('Bidirectional and TimeDistributed', () => {
  it('concat = [forward(x), flip(backward(x))]; sum, mul, ave and null; forward weights first under Keras\'s paths', async () => {
    const x = xOf();
    const results: Record<string, dt.Tensor | dt.Tensor[]> = {};
    let fwd: dt.Tensor | null = null;
    let bwd: dt.Tensor | null = null;
    for (const mode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      resetNames();
      const b = new L.Bidirectional(new L.LSTM(U, { returnSequences: true }), { mergeMode: mode });
      b.ensureBuilt([null, T, F]);
      b.weights.forEach((w, i) => w.assign(dt.tensor(lcgValues(w.size, 40 + i, -0.8, 0.8), w.shape)));
      expect(b.weights.map((w) => w.name)).toEqual([
        'bidirectional/forward_lstm/lstm_cell/kernel', 'bidirectional/forward_lstm/lstm_cell/recurrent_kernel', 'bidirectional/forward_lstm/lstm_cell/bias',
        'bidirectional/backward_lstm/lstm_cell/kernel', 'bidirectional/backward_lstm/lstm_cell/recurrent_kernel', 'bidirectional/backward_lstm/lstm_cell/bias',
      ]);
      expect(b.backwardLayer.goBackwards).toBe(true);
      results[String(mode)] = b.apply(x);
      fwd ??= b.forwardLayer.apply(x) as dt.Tensor;
      bwd ??= dt.gather(b.backwardLayer.apply(x) as dt.Tensor, [4, 3, 2, 1, 0], 1);
    }
    const same = async (a: dt.Tensor, b: dt.Tensor) => expect((await bitsOf(a)).equals(await bitsOf(b))).toBe(true);
    await same(results.concat as dt.Tensor, dt.concat([fwd!, bwd!], 2));
    await same(results.sum as dt.Tensor, dt.add(fwd!, bwd!));
    await same(results.mul as dt.Tensor, dt.mul(fwd!, bwd!));
    await same(results.ave as dt.Tensor, dt.div(dt.add(fwd!, bwd!), 2));
    const [nf, nb] = results.null as dt.Tensor[];
    await same(nf, fwd!);
    await same(nb, bwd!);
    // Symbolic shapes, returnState: [output, ...forward states, ...backward states].
    const inp = dt.Input({ shape: [T, F] });
    const outs = new L.Bidirectional(new L.LSTM(U, { returnState: true })).apply(inp) as dt.SymbolicTensor[];
    expect(outs.map((o) => o.shape)).toEqual([[null, 2 * U], [null, U], [null, U], [null, U], [null, U]]);
    const real = new L.Bidirectional(new L.GRU(U, { returnState: true }), { mergeMode: 'sum' }).apply(x) as dt.Tensor[];
    expect(real.map((t) => t.shape)).toEqual([[N, U], [N, U], [N, U]]);
  });

  it('TimeDistributed(Dense) equals Dense on every timestep, bit for bit', async () => {
    const x = xOf();
    const dense = new L.Dense(2);
    const td = new L.TimeDistributed(dense);
    const y = td.apply(x);
    expect(y.shape).toEqual([N, T, 2]);
    expect(td.weights).toEqual(dense.weights);
    for (let t = 0; t < T; t++) {
      const step = dense.apply(dt.reshape(dt.slice(x, [0, t, 0], [N, 1, F]), [N, F]));
      expect((await bitsOf(dt.reshape(dt.slice(y, [0, t, 0], [N, 1, 2]), [N, 2]))).equals(await bitsOf(step))).toBe(true);
    }
    const inp = dt.Input({ shape: [T, F] });
    expect(new L.TimeDistributed(new L.Dense(6)).apply(inp).shape).toEqual([null, T, 6]);
  });
});

describe('regularizers and constraints (Keras\'s kernel/recurrent/bias/activity options)', () => {
  it('are attached to the right weights; the activity penalty covers every output', async () => {
    const l = new L.LSTM(U, { kernelRegularizer: 'l2', recurrentRegularizer: 'l1', biasConstraint: 'non_neg', recurrentConstraint: 'max_norm', activityRegularizer: 'l2', returnState: true });
    l.ensureBuilt([null, T, F]);
    const [k, r, b] = l.weights;
    expect([regularizerOf(k)?.constructor.name, regularizerOf(r)?.constructor.name, regularizerOf(b)]).toEqual(['L2', 'L1', undefined]);
    expect([constraintOf(k), constraintOf(r)?.constructor.name, constraintOf(b)?.constructor.name]).toEqual([undefined, 'MaxNorm', 'NonNeg']);
    const [outs, losses] = collectLosses(() => l.apply(xOf()) as dt.Tensor[]);
    expect(losses.length).toBe(3);
    const want = 0.01 * Array.from(await outs[0].data()).reduce((a, v) => a + v * v, 0);
    expect((await losses[0].data())[0]).toBeCloseTo(want, 5);
    expect(() => new L.GRU(2, { recurrentRegularizer: 'l3' as never })).toThrow(/GRUCell: /);
  });
});

describe('configuration and input errors', () => {
  it('names the layer and what was expected', () => {
    expect(() => new L.LSTM(0)).toThrow(/LSTMCell: expected units to be a positive integer. Received: units=0/);
    expect(() => new L.GRU(2, { dropout: 1.5 })).toThrow(/expected dropout in \[0, 1\]. Received: dropout=1.5/);
    expect(() => new L.LSTM(2, { unitsForgetBias: true } as never)).toThrow(/LSTM: unrecognized options \{unitsForgetBias\}/);
    expect(() => new L.SimpleRNN(2, { resetAfter: true } as never)).toThrow(/SimpleRNN: unrecognized options \{resetAfter\}/);
    expect(() => new L.LSTM(2, { returnSequences: 1 } as never)).toThrow(/expected returnSequences to be a boolean/);
    expect(() => new L.LSTM(2).apply(dt.zeros([2, 3]))).toThrow(/expected input of rank 3 \[N, timesteps, features\]/);
    expect(() => new L.LSTM(2).apply([dt.zeros([2, 3, 4]), dt.zeros([2, 2])])).toThrow(/expected 2 initial state\(s\) of shape \(N, 2\), \(N, 2\)/);
    expect(() => new L.GRU(2).apply([dt.zeros([2, 3, 4]), dt.zeros([2, 3])])).toThrow(/expected 1 initial state\(s\) of shape \(N, 2\)/);
    expect(() => new L.Bidirectional(new L.Dense(2) as never)).toThrow(/Bidirectional: expected a recurrent layer/);
    expect(() => new L.Bidirectional(new L.LSTM(2), { mergeMode: 'max' as never })).toThrow(/expected mergeMode one of/);
    expect(() => new L.Bidirectional(new L.LSTM(2), { backwardLayer: new L.LSTM(2) })).toThrow(/goBackwards to differ/);
    expect(() => new L.Bidirectional(new L.LSTM(2), { backwardLayer: new L.LSTM(2, { goBackwards: true, returnSequences: true }) })).toThrow(/returnSequences equal/);
    expect(() => new L.TimeDistributed(new L.Dense(2)).apply(dt.zeros([2, 3]))).toThrow(/TimeDistributed '.*': expected input of rank >= 3/);
    expect(() => new L.LSTM(2).apply(dt.zeros([2, 3, 4]), { trainig: true } as never)).toThrow(/LSTM 'lstm.*'\.apply: unrecognized options \{trainig\}/);
    expect(() => new L.Bidirectional(new L.GRU(2)).apply(dt.zeros([2, 3, 4]), 'x' as never)).toThrow(/Bidirectional '.*'\.apply: expected an options object/);
    const built = new L.LSTM(2);
    built.apply(dt.zeros([2, 3, 4]));
    expect(() => built.apply(dt.zeros([2, 3, 5]))).toThrow(/expected input of shape \(None, None, 4\)/);
    // Any number of timesteps once built.
    expect((built.apply(dt.zeros([2, 7, 4])) as dt.Tensor).shape).toEqual([2, 2]);
  });
});
