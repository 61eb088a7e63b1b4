/**
 * The recurrent layers through Keras 3's `.keras` format: a ditto model with Bidirectional(LSTM), GRU and
 * TimeDistributed(Dense), trained a step, saved and loaded back gives the same weights and predictions bit for bit;
 * its weights sit at Keras 3's structure keys (a recurrent layer's variables under its `cell`, Bidirectional's under
 * `forward_layer` and `backward_layer`, TimeDistributed's under `layer`); a Keras-written Bidirectional config (forward
 * layer named `forward_<name>`, backward layer serialized with zero_output_for_mask) reads back to ditto's default
 * backward copy, and a distinct backward layer is kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { layerFromKerasConfig, layerToKerasConfig } from '../../../src/nn/saving/index.ts';
import { structureOf } from '../../../src/nn/saving/structure-keys.ts';

const L = dt.layers;
let dir: string;
beforeAll(async () => {
  await dt.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'ditto-keras-rnn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  resetNames();
  dt.utils.setRandomSeed(11);
});

const bits = async (t: dt.Tensor) => Buffer.from((await t.data() as Float32Array).buffer).toString('hex');

function model(): dt.Sequential {
  return new dt.Sequential([
    dt.Input({ shape: [5, 3] }),
    // The recurrent layers take a tensor or a list (initial states): typed wider than Sequential's Layer<Tensor, Tensor>.
    new L.Bidirectional(new L.LSTM(4, { returnSequences: true })) as unknown as dt.layers.Layer,
    new L.TimeDistributed(new L.Dense(3, { activation: 'relu' })),
    new L.GRU(2, { resetAfter: false }) as unknown as dt.layers.Layer,
    new L.Dense(2, { activation: 'softmax' }),
  ]);
}

describe('recurrent layers through .keras', () => {
  it('Bidirectional(LSTM), TimeDistributed(Dense), GRU: structure keys are Keras 3\'s', () => {
    const m = model();
    expect(structureOf(m).entries.map((e) => e.key)).toEqual([
      'layers/bidirectional/backward_layer/cell/vars/0', 'layers/bidirectional/backward_layer/cell/vars/1', 'layers/bidirectional/backward_layer/cell/vars/2',
      'layers/bidirectional/forward_layer/cell/vars/0', 'layers/bidirectional/forward_layer/cell/vars/1', 'layers/bidirectional/forward_layer/cell/vars/2',
      'layers/time_distributed/layer/vars/0', 'layers/time_distributed/layer/vars/1',
      'layers/gru/cell/vars/0', 'layers/gru/cell/vars/1', 'layers/gru/cell/vars/2',
      'layers/dense/vars/0', 'layers/dense/vars/1',
    ]);
    const names = new Map(structureOf(m).groups.map((g) => [g.path, g.name]));
    expect(names.get('layers/bidirectional/forward_layer/cell/vars')).toBe('lstm_cell');
    expect(names.get('layers/bidirectional/forward_layer/vars')).toBe('forward_lstm');
    expect(names.get('layers/gru/vars')).toBe('gru');
    m.dispose();
  });

  it('a trained model -> .keras -> ditto: the same weights, predictions and config, bit for bit', async () => {
    const m = model();
    m.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
    const x = dt.tensor(Float32Array.from({ length: 6 * 5 * 3 }, (_, i) => Math.sin(i * 0.41)), [6, 5, 3]);
    const y = dt.tensor(Int32Array.from({ length: 6 }, (_, i) => i % 2), [6], 'int32');
    await m.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
    const path = join(dir, 'rnn.keras');
    await m.save(path);
    const back = await dt.models.loadModel(path);
    expect(back.toJSON()).toBe(m.toJSON());
    expect(back.weights.map((w) => w.name)).toEqual(m.weights.map((w) => w.name));
    expect(await back.weightsDigest()).toBe(await m.weightsDigest());
    expect(await bits(await back.predict(x))).toBe(await bits(await m.predict(x)));
    dt.dispose([x, y]);
    m.dispose();
    back.dispose();
  });

  it('Keras\'s Bidirectional config: forward_<name>, zero_output_for_mask; a distinct backward layer is kept', () => {
    const bi = new L.Bidirectional(new L.SimpleRNN(3, { returnSequences: true, name: 'rnn' }), { name: 'bi' });
    const cfg = layerToKerasConfig(bi);
    const inner = cfg.config.layer as { config: Record<string, unknown> };
    const backCfg = cfg.config.backward_layer as { config: Record<string, unknown> };
    expect([inner.config.name, inner.config.go_backwards, inner.config.zero_output_for_mask]).toEqual(['forward_rnn', false, true]);
    expect([backCfg.config.name, backCfg.config.go_backwards, backCfg.config.zero_output_for_mask]).toEqual(['backward_rnn', true, true]);
    const read = layerFromKerasConfig(JSON.parse(JSON.stringify(cfg))) as dt.layers.Bidirectional;
    expect([read.forwardLayer.name, read.backwardLayer.name]).toEqual(['bi/forward_rnn', 'bi/backward_rnn']);
    // A backward layer with other options (here its activation) is read as given, named under the wrapper.
    const own = new L.Bidirectional(new L.GRU(2, { name: 'g' }), { name: 'b2', backwardLayer: new L.GRU(2, { goBackwards: true, activation: 'relu', name: 'back' }) });
    const read2 = layerFromKerasConfig(JSON.parse(JSON.stringify(layerToKerasConfig(own)))) as dt.layers.Bidirectional;
    expect(read2.backwardLayer.name).toBe('b2/back');
    expect(read2.backwardLayer.cell.activationName).toBe('relu');
    expect(layerToKerasConfig(read2)).toEqual(layerToKerasConfig(own));
  });

  it('a standalone layer with zero_output_for_mask true is refused (ditto keeps the previous output at masked steps)', () => {
    const cfg = layerToKerasConfig(new L.LSTM(2, { name: 'l' }));
    cfg.config.zero_output_for_mask = true;
    expect(() => layerFromKerasConfig(cfg)).toThrow("Keras config: unsupported field zero_output_for_mask=true of LSTM: ditto cannot honour it (at ('l'))");
  });
});
