/**
 * The text pieces together: TextVectorization.adapt over a corpus, a generator dataset of token-id sequences of
 * different lengths, paddedBatch, then fit on Embedding(maskZero) -> GlobalAveragePooling1D (mask-aware) -> Dense.
 * The model (Input shape [null]: any sequence length) learns the toy task, two runs give the same weights digest, and the padding really is masked (the
 * prediction of a sentence does not change when more padding is added). CPU vs WebGPU: the same digest.
 */
import { describe, expect, it, vi } from 'vitest';
import * as dt from '../../../src/index.ts';
import { itWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';

const L = dt.layers;
const unavailable = await webgpuUnavailable();

const GOOD = ['great', 'good', 'fine', 'lovely'];
const BAD = ['awful', 'bad', 'poor', 'dull'];
const FILL = ['the', 'movie', 'was', 'plot', 'a', 'really', 'quite'];

/** 48 sentences of 2..7 words: label 1 when it holds a GOOD word, 0 for a BAD word. */
function corpus(): [string[], number[]] {
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 48; i++) {
    const label = i % 2;
    const words = Array.from({ length: 1 + (i % 6) }, (_, k) => FILL[(i * 3 + k) % FILL.length]);
    words.splice((i * 5) % (words.length + 1), 0, (label ? GOOD : BAD)[(i >> 1) % 4]);
    texts.push(`${words.join(' ')}${i % 3 === 0 ? '!' : '.'}`);
    labels.push(label);
  }
  return [texts, labels];
}

async function train(backend: dt.BackendName): Promise<{ digest: string; accuracy: number; padded: number[]; unpadded: number[] }> {
  await dt.setBackend(backend);
  const [texts, labels] = corpus();
  const tv = new L.TextVectorization();
  await tv.adapt(texts);
  const seqs = texts.map((t) => tv.apply([t]));
  const data = dt.data.Dataset.fromGenerator(function* () {
    for (let i = 0; i < seqs.length; i++) yield [dt.reshape(seqs[i], [-1]), dt.tensor([labels[i]], [1])] as [dt.Tensor, dt.Tensor];
  }).shuffle(48, { seed: 5 }).paddedBatch(8);
  dt.utils.setRandomSeed(3);
  const model = new dt.Sequential([
    L.Input({ shape: [null], dtype: 'int32' }), // batches of any length (paddedBatch pads to each batch's longest)
    new L.Embedding(tv.vocabularySize(), 8, { maskZero: true }), new L.GlobalAveragePooling1D(), new L.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(data, { epochs: 8, verbose: 0 });
  const digest = await model.weightsDigest();
  const probe = tv.apply(['a really good movie']);
  const padded = await model.call(dt.pad(probe, [[0, 0], [0, 5]])).data();
  const unpadded = await model.call(probe).data();
  dt.dispose(seqs);
  model.dispose();
  return { digest, accuracy: history.history.accuracy.at(-1)!, padded: [...padded], unpadded: [...unpadded] };
}

let first: Awaited<ReturnType<typeof train>> | undefined;

describe('a masked text classifier', () => {
  it('learns, is reproducible, and ignores padding', async () => {
    const a = await train('cpu');
    first = a;
    const b = await train('cpu');
    expect(a.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(b.digest).toBe(a.digest);
    expect(a.padded).toEqual(a.unpadded); // the mask removes padding from the average exactly
    expect(a.unpadded[0]).toBeGreaterThan(0.5);
  }, 60_000);

  itWebGpu('CPU and WebGPU train to the same weights digest', unavailable, async () => {
    const cpu = first ?? await train('cpu');
    try {
      const gpu = await train('webgpu');
      expect(gpu.digest).toBe(cpu.digest);
    } finally {
      await dt.setBackend('cpu');
    }
  }, 120_000);
});

describe('Keras config of a text model', () => {
  it('Input([null], int32) -> Embedding(maskZero) -> Conv1D(causal) -> GlobalAveragePooling1D -> Dense round-trips, and computes the same', async () => {
    await dt.setBackend('cpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // Conv1D drops the mask, as in Keras
    dt.utils.setRandomSeed(9);
    const model = new dt.Sequential([
      L.Input({ shape: [null], dtype: 'int32' }), new L.Embedding(20, 6, { maskZero: true }), new L.Masking({ maskValue: 0 }),
      new L.Conv1D(4, 3, { padding: 'causal', dilationRate: 2 }), new L.MaxPooling1D(2, { padding: 'same' }), new L.GlobalAveragePooling1D(), new L.Dense(2),
    ]);
    const json = model.toJSON();
    const cfg = JSON.parse(json);
    expect(cfg.config.layers[0].config.batch_shape).toEqual([null, null]);
    expect(cfg.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'Embedding', 'Masking', 'Conv1D', 'MaxPooling1D', 'GlobalAveragePooling1D', 'Dense']);
    expect(cfg.config.layers[3].config).toMatchObject({ kernel_size: [3], strides: [1], padding: 'causal', dilation_rate: [2], data_format: 'channels_last' });
    const back = dt.models.modelFromJSON(json);
    expect(back.toJSON()).toBe(json);
    back.setWeights(model.getWeights());
    const ids = dt.tensor([[3, 5, 0, 0, 0], [1, 2, 3, 4, 19]], [2, 5], 'int32');
    expect([...(await (back.call(ids, {}) as dt.Tensor).data())]).toEqual([...(await model.call(ids).data())]);
    expect(warn).toHaveBeenCalledTimes(2); // once per model's conv1d layer
    warn.mockRestore();
  });
});
