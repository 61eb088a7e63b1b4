/**
 * Backpropagation through time of every recurrent cell, and of Bidirectional, against float64 central differences
 * of the reference (test/reference/rnn64.ts) via test/util/gradcheck.ts: the gradient with respect to the input
 * sequence, the kernel, the recurrent kernel, the bias and (GRU, LSTM) the initial states, through the layer's own
 * recurrence (its weights replaced by the checked tensors), goBackwards and fixed dropout masks included.
 */
import * as dt from '../../../src/index.ts';
import type { RNNCell } from '../../../src/nn/layers/rnn-cells.ts';
import { recurrence } from '../../../src/nn/layers/rnn.ts';
import { type A64, arr } from '../../reference/ops64.ts';
import { type Cell64, rnn64 } from '../../reference/rnn64.ts';
import { type GradCheckSpec, describeGradcheck, uniform } from '../../util/gradcheck.ts';

// The layers are made while the cases are collected: choose the backend first.
await dt.setBackend('cpu');

const [N, T, F, U] = [2, 3, 2, 2];
const GATES: Record<Cell64, number> = { simple: 1, lstm: 4, gru: 3, gru_before: 3 };

function layerOf(kind: Cell64, config: Record<string, unknown> = {}): dt.layers.RNN {
  const l = kind === 'simple' ? new dt.layers.SimpleRNN(U, config)
    : kind === 'lstm' ? new dt.layers.LSTM(U, config)
    : new dt.layers.GRU(U, { ...config, resetAfter: kind === 'gru' });
  l.ensureBuilt([null, T, F]);
  return l;
}

/** Points the cell's weights at the given tensors (the check differentiates them). */
function setWeights(cell: RNNCell, k: dt.Tensor, r: dt.Tensor, b: dt.Tensor): void {
  Object.assign(cell, { kernel: k, recurrentKernel: r, bias: b });
}

const biasShape = (kind: Cell64) => (kind === 'gru' ? [2, GATES[kind] * U] : [GATES[kind] * U]);
const weightInputs = (kind: Cell64) => [uniform([F, GATES[kind] * U], -0.9, 0.9), uniform([U, GATES[kind] * U], -0.9, 0.9), uniform(biasShape(kind), -0.5, 0.5)];

// Fixed dropout masks (0 or 1 / (1 - rate)), as the layer draws them.
const IN_MASK = [1.25, 0, 1.25, 1.25];
const REC_MASK = [0, 1.25, 1.25, 1.25];

const cases: GradCheckSpec[] = [];
for (const kind of ['simple', 'lstm', 'gru', 'gru_before'] as Cell64[]) {
  for (const goBackwards of [false, true]) {
    const layer = layerOf(kind);
    cases.push({
      name: `${kind}${goBackwards ? ' goBackwards' : ''}: d/d(x, kernel, recurrent_kernel, bias) of every output`,
      f: (x, k, r, b) => {
        setWeights(layer.cell, k, r, b);
        const init = layer.cell.getInitialState(N);
        const { outputs } = recurrence(layer.cell, x, init, { goBackwards, allOutputs: true, inputMasks: null, recurrentMasks: null });
        return dt.stack(outputs, 1);
      },
      ref: (x, k, r, b) => rnn64(kind, x, k, r, b, { goBackwards }).seq,
      inputs: [uniform([N, T, F], -1.5, 1.5), ...weightInputs(kind)],
    });
  }
}

for (const kind of ['lstm', 'gru'] as Cell64[]) {
  const layer = layerOf(kind);
  const nStates = kind === 'lstm' ? 2 : 1;
  cases.push({
    name: `${kind}: d/d(initial states) and through fixed dropout masks`,
    f: (x, k, r, b, ...init) => {
      setWeights(layer.cell, k, r, b);
      // One mask per gate (recurrentDropout's implementation 1): the gate index rotates the fixed masks.
      const inputMasks = Array.from({ length: GATES[kind] }, (_, g) => dt.tensor(rotate(IN_MASK, g), [N, F]));
      const recurrentMasks = Array.from({ length: GATES[kind] }, (_, g) => dt.tensor(rotate(REC_MASK, g), [N, U]));
      const { states } = recurrence(layer.cell, x, init, { goBackwards: false, allOutputs: false, inputMasks, recurrentMasks });
      return dt.concat(states, 1);
    },
    ref: (x, k, r, b, ...init) => {
      const gates = Array.from({ length: GATES[kind] }, (_, g) => g);
      const out = rnn64(kind, x, k, r, b, { init, inMasks: gates.map((g) => arr([N, F], rotate(IN_MASK, g))), recMasks: gates.map((g) => arr([N, U], rotate(REC_MASK, g))) });
      return concat64(out.states);
    },
    inputs: [uniform([N, T, F], -1.5, 1.5), ...weightInputs(kind), ...Array.from({ length: nStates }, () => uniform([N, U], -0.8, 0.8))],
  });
}

/** The values rotated left by g. */
function rotate(v: readonly number[], g: number): number[] {
  return v.map((_, i) => v[(i + g) % v.length]);
}

/** Concatenates [N, U] arrays along axis 1. */
function concat64(xs: A64[]): A64 {
  const [n, u] = xs[0].shape;
  const out = arr([n, u * xs.length]);
  for (let s = 0; s < n; s++) xs.forEach((x, i) => { for (let j = 0; j < u; j++) out.data[s * u * xs.length + i * u + j] = x.data[s * u + j]; });
  return out;
}

{
  const bi = new dt.layers.Bidirectional(new dt.layers.GRU(U, { returnSequences: true }));
  bi.ensureBuilt([null, T, F]);
  cases.push({
    name: 'Bidirectional(GRU, concat): d/d(x and both directions\' weights)',
    f: (x, kf, rf, bf, kb, rb, bb) => {
      setWeights(bi.forwardLayer.cell, kf, rf, bf);
      setWeights(bi.backwardLayer.cell, kb, rb, bb);
      return bi.apply(x) as dt.Tensor;
    },
    ref: (x, kf, rf, bf, kb, rb, bb) => {
      const f = rnn64('gru', x, kf, rf, bf).seq;
      const b = rnn64('gru', x, kb, rb, bb, { goBackwards: true }).seq;
      const out = arr([N, T, 2 * U]);
      for (let s = 0; s < N; s++) {
        for (let t = 0; t < T; t++) {
          for (let j = 0; j < U; j++) {
            out.data[(s * T + t) * 2 * U + j] = f.data[(s * T + t) * U + j];
            out.data[(s * T + t) * 2 * U + U + j] = b.data[(s * T + (T - 1 - t)) * U + j];
          }
        }
      }
      return out;
    },
    inputs: [uniform([N, T, F], -1.5, 1.5), ...weightInputs('gru'), ...weightInputs('gru')],
  });
}

describeGradcheck('recurrent layers: BPTT vs float64 central differences', cases);
