/**
 * The recurrent layers give the same bits everywhere: CPU vs WebGPU (the shared agreement harness; skipped without
 * an adapter, failing under REQUIRE_WEBGPU=1) and 1 vs 2 CPU threads, for the forward pass, training with seeded
 * dropout and recurrent dropout, and the BPTT gradient with respect to the input and every weight; Bidirectional too.
 * On WebGPU a call queues a fixed number of dispatches per timestep and reads nothing back (counted with the
 * backend's stream statistics).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as adv from '../../../src/advanced.ts';
import { setParallelMinWork } from '../../../src/kernels/cpu/thread-pool.ts';
import type { WebGpuBackend } from '../../../src/kernels/webgpu/index.ts';
import { type AgreementCase, describeAgreement, input, uni } from '../../agreement/harness.ts';
import { Lcg, hashString } from '../../util/gradcheck.ts';
import { describeWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { lcgValues } from './helpers.ts';

const unavailable = await webgpuUnavailable();
const L = dt.layers;
const [N, T, F, U] = [3, 6, 5, 4];

type Make = () => dt.layers.Layer<dt.Tensor | dt.Tensor[], dt.Tensor | dt.Tensor[]>;
const MAKERS: [string, Make][] = [
  ['SimpleRNN', () => new L.SimpleRNN(U, { returnSequences: true, dropout: 0.2, recurrentDropout: 0.3, seed: 5 })],
  ['LSTM', () => new L.LSTM(U, { returnSequences: true, dropout: 0.2, recurrentDropout: 0.3, seed: 5 })],
  ['GRU', () => new L.GRU(U, { returnSequences: true, dropout: 0.2, recurrentDropout: 0.3, seed: 5 })],
  ['GRU resetAfter false goBackwards', () => new L.GRU(U, { returnSequences: true, resetAfter: false, goBackwards: true, dropout: 0.2, seed: 5 })],
  ['Bidirectional(LSTM, ave)', () => new L.Bidirectional(new L.LSTM(U, { returnSequences: true, recurrentDropout: 0.3, seed: 5 }), { mergeMode: 'ave' })],
];

/** A fresh layer built for F features, its weights set to seeded values (the same on every backend). */
function built(make: Make): dt.layers.Layer<dt.Tensor | dt.Tensor[], dt.Tensor | dt.Tensor[]> {
  const l = make();
  l.ensureBuilt([null, T, F]);
  for (const [i, w] of l.weights.entries()) {
    const v = dt.tensor(lcgValues(w.size, 20 + i, -0.7, 0.7), w.shape);
    w.assign(v);
    v.dispose();
  }
  return l;
}

/** The forward output (inference, then training with dropout) and every gradient of sum(y^2), flattened into one tensor. */
function everything(make: Make, x: dt.Tensor): dt.Tensor {
  return dt.tidy(() => {
    const l = built(make);
    const inference = l.apply(x) as dt.Tensor;
    const training = l.apply(x, { training: true }) as dt.Tensor;
    const { value, grads } = dt.variableGrads(() => dt.sum(dt.square(l.apply(x, { training: true }) as dt.Tensor)), l.trainableWeights);
    const dx = dt.grad((t: dt.Tensor) => dt.sum(dt.square(l.apply(t) as dt.Tensor)))(x)[0];
    const flat = [inference, training, value, dx, ...grads].map((t) => dt.reshape(t, [-1]));
    const out = dt.concat(flat, 0);
    l.dispose();
    return out;
  });
}

const cases: AgreementCase[] = MAKERS.map(([name, make]) => ({
  name: `${name}: forward, training with dropout, gradients`,
  inputs: [input([N, T, F], uni(-2, 2))],
  run: ([x]) => everything(make, x),
}));

describeAgreement('recurrent layers: CPU vs WebGPU bits', unavailable, cases);

describe('recurrent layers: 1 vs 2 CPU threads, bit for bit', () => {
  for (const [name, make] of MAKERS) {
    it(name, async () => {
      await dt.setBackend('cpu');
      const rng = new Lcg(hashString(name));
      const host = Float32Array.from({ length: N * T * F }, () => rng.uniform(-2, 2));
      const results: Buffer[] = [];
      const saved = dt.config.getNumThreads();
      try {
        for (const threads of [1, 2]) {
          dt.config.setNumThreads(threads);
          setParallelMinWork(threads === 1 ? undefined : 1);
          const x = dt.tensor(host, [N, T, F]);
          const y = everything(make, x);
          results.push(Buffer.from(((await y.data()) as Float32Array).buffer));
          dt.dispose([x, y]);
        }
      } finally {
        dt.config.setNumThreads(saved);
        setParallelMinWork();
      }
      expect(results[0].equals(results[1])).toBe(true);
      expect(new Float32Array(results[0].buffer, results[0].byteOffset, results[0].length / 4).every(Number.isFinite)).toBe(true);
    });
  }
});

describeWebGpu('recurrent layers on WebGPU: a fixed dispatch count per timestep, no readback inside the loop', unavailable, () => {
  it('counts the dispatches of LSTM, GRU and SimpleRNN calls of 4 and 8 timesteps', async () => {
    await dt.setBackend('webgpu');
    const b = adv.currentBackend() as unknown as WebGpuBackend;
    const per: Record<string, number> = {};
    for (const [name, make] of [['SimpleRNN', () => new L.SimpleRNN(U)], ['LSTM', () => new L.LSTM(U)], ['GRU', () => new L.GRU(U)]] as const) {
      const l = make();
      const count = async (steps: number) => {
        const x = dt.tensor(lcgValues(N * steps * F, 3), [N, steps, F]);
        await x.data();
        const before = b.stats().stream;
        const y = l.apply(x) as dt.Tensor;
        const after = b.stats().stream;
        await y.data();
        dt.dispose([x, y]);
        expect(after.readbacks - before.readbacks, `${name}: readbacks during the call`).toBe(0);
        return after.dispatches - before.dispatches;
      };
      await count(4); // builds the layer (initializers upload, pipelines compile)
      const [d4, d8] = [await count(4), await count(8)];
      per[name] = (d8 - d4) / 4;
      expect(Number.isInteger(per[name]) && per[name] > 0).toBe(true);
      l.dispose();
    }
    console.log(`WebGPU dispatches per timestep (forward, inference): ${JSON.stringify(per)}`);
  });
});
