/**
 * Callbacks in fit: hooks run in Keras order with the History values (async hooks awaited);
 * EarlyStopping's Keras 3 rules, scripted and in fit; a NaN or infinite loss stops fit with a
 * NumericError, or gracefully with TerminateOnNaN; fit's and evaluate's progress output prints
 * exactly the History / returned values (plain lines, terminal redraws, verbose 2, verbose 0).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as dt from '../../../src/index.ts';
import type { CallbackModel, Logs } from '../../../src/nn/callbacks.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { formatValue } from '../../../src/nn/progbar.ts';
import { RecordingSink, bandImages, batches, bits, smallCnn } from './helpers.ts';

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());
afterEach(() => vi.restoreAllMocks());

describe('hook order and logs', () => {
  it('train/epoch/batch hooks run in order; logs are the running and epoch values of History', async () => {
    const [x, y] = bandImages(24, 1);
    const [vx, vy] = bandImages(8, 2);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const events: string[] = [];
    const batchLogs: Logs[] = [];
    const epochLogs: Logs[] = [];
    let slowDone = false;
    class Recorder extends dt.Callback {
      override onTrainBegin() { events.push('trainBegin'); }
      override onEpochBegin(e: number) { events.push(`epochBegin ${e}`); }
      override onBatchBegin(b: number) { events.push(`batchBegin ${b}`); }
      override onBatchEnd(b: number, logs?: Logs) { events.push(`batchEnd ${b}`); batchLogs.push({ ...logs }); }
      override async onEpochEnd(e: number, logs?: Logs) {
        await new Promise((r) => setTimeout(r, 5));
        slowDone = true;
        events.push(`epochEnd ${e}`);
        epochLogs.push({ ...logs });
      }
      override onTrainEnd() { events.push('trainEnd'); }
    }
    const rec = new Recorder();
    const plain = {
      onEpochBegin: () => { events.push(`plain epochBegin (after async: ${slowDone})`); slowDone = false; },
    };
    const h = await model.fit(batches(x, y, 8), { epochs: 2, verbose: 0, validationData: batches(vx, vy, 8), callbacks: [rec, plain] });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0', 'plain epochBegin (after async: false)',
      'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'batchBegin 2', 'batchEnd 2', 'epochEnd 0',
      'epochBegin 1', 'plain epochBegin (after async: true)',
      'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'batchBegin 2', 'batchEnd 2', 'epochEnd 1',
      'trainEnd',
    ]);
    expect(rec.model).toBe(model);
    expect(rec.params).toEqual({ verbose: 0, epochs: 2, steps: 3 });
    // batch logs: sorted training keys; the last batch's running means are the epoch's values
    for (const l of batchLogs) expect(Object.keys(l)).toEqual(['accuracy', 'loss']);
    for (let e = 0; e < 2; e++) {
      expect(Object.keys(epochLogs[e])).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
      for (const k of Object.keys(epochLogs[e])) expect(bits(epochLogs[e][k]), `${k} epoch ${e}`).toBe(bits(h.history[k][e]));
      expect(batchLogs[3 * e + 2].loss).toBe(epochLogs[e].loss);
      expect(batchLogs[3 * e + 2].accuracy).toBe(epochLogs[e].accuracy);
    }
    // the first batch's logs are that batch's own loss; later ones are batch-size-weighted running means
    expect(batchLogs[0].loss).not.toBe(batchLogs[2].loss);
    dt.dispose([x, y, vx, vy]);
    model.dispose();
  });
});

/** A stand-in model for EarlyStopping: "weights" are the epoch index they were taken at. */
function fakeModel(): CallbackModel & { epoch: number; restored?: number } {
  const m = {
    stopTraining: false,
    epoch: 0,
    restored: undefined as number | undefined,
    getWeightValues: async () => [Float32Array.from([m.epoch])],
    setWeightValues: (v: readonly Float32Array[]) => { m.restored = v[0][0]; },
  };
  return m;
}

/** Runs EarlyStopping over scripted values; returns the epoch it stopped at (or null) and the model. */
async function script(o: ConstructorParameters<typeof dt.EarlyStopping>[0], values: number[], key = 'val_loss') {
  const es = new dt.EarlyStopping(o);
  const m = fakeModel();
  es.setModel(m);
  es.onTrainBegin();
  let stopped: number | null = null;
  for (let e = 0; e < values.length && stopped === null; e++) {
    m.epoch = e;
    await es.onEpochEnd(e, { [key]: values[e] });
    if (m.stopTraining) stopped = e;
  }
  es.onTrainEnd();
  return { stopped, m, es };
}

describe('EarlyStopping (Keras 3 rules)', () => {
  it('patience counts epochs without improvement; never at epoch 0', async () => {
    expect((await script({}, [1, 0.9, 0.95, 0.5])).stopped).toBe(2);
    expect((await script({ patience: 2 }, [1, 1.1, 1.2, 0.5])).stopped).toBe(2);
    expect((await script({ patience: 2 }, [1, 1.1, 0.9, 1.0, 1.1])).stopped).toBe(4);
    expect((await script({ monitor: 'loss', patience: 0 }, [1, 1], 'loss')).stopped).toBe(1);
    expect((await script({}, [1])).stopped).toBe(null);
  });

  it('minDelta, mode (auto picks max for accuracy) and baseline', async () => {
    expect((await script({ minDelta: 0.1 }, [1, 0.95, 0.5])).stopped).toBe(1);
    expect((await script({ minDelta: -0.1 }, [1, 0.95, 0.5])).stopped).toBe(1); // |minDelta| is used
    expect((await script({ monitor: 'val_accuracy' }, [0.5, 0.6, 0.55], 'val_accuracy')).stopped).toBe(2);
    expect((await script({ mode: 'max' }, [0.5, 0.6, 0.7], 'val_loss')).stopped).toBe(null);
    expect((await script({ mode: 'max', minDelta: 1 }, [5, 7, 7.5])).stopped).toBe(2);
    // with a baseline, improving without beating it does not reset the wait
    expect((await script({ patience: 2, baseline: 0.5 }, [0.8, 0.9, 0.95])).stopped).toBe(1);
    expect((await script({ patience: 2 }, [0.8, 0.9, 0.95])).stopped).toBe(2);
  });

  it('startFromEpoch ignores the first epochs; a missing monitor key warns and does nothing', async () => {
    expect((await script({ startFromEpoch: 2 }, [1, 2, 3, 4])).stopped).toBe(3);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect((await script({ monitor: 'val_auc' }, [1, 2, 3])).stopped).toBe(null);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^EarlyStopping: monitor 'val_auc' is not in the logs \(available: val_loss\)/));
  });

  it('restoreBestWeights restores the best epoch when training ends, stopped early or not', async () => {
    const a = await script({ patience: 1, restoreBestWeights: true }, [1, 0.5, 0.7, 0.8]);
    expect([a.stopped, a.m.restored, a.es.bestEpoch]).toEqual([2, 1, 1]);
    const b = await script({ patience: 5, restoreBestWeights: true }, [1, 0.5, 0.7]);
    expect([b.stopped, b.m.restored]).toEqual([null, 1]);
    const c = await script({ patience: 5 }, [1, 0.5, 0.7]);
    expect(c.m.restored).toBe(undefined);
  });

  it('in fit: stops after patience, History is shortened, best weights are back', async () => {
    const [x, y] = bandImages(16, 3);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const digests: string[] = [];
    // the loss falls every epoch, so in 'max' mode epoch 0 stays the best
    const es = new dt.EarlyStopping({ monitor: 'loss', mode: 'max', patience: 1, restoreBestWeights: true });
    const h = await model.fit(batches(x, y, 8), { epochs: 10, verbose: 0, callbacks: [es, { onEpochEnd: async () => { digests.push(await model.weightsDigest()); } }] });
    expect(h.epoch).toEqual([0, 1]);
    expect(h.history.loss[1]).toBeLessThan(h.history.loss[0]);
    expect(es.stoppedEpoch).toBe(1);
    expect(digests[1]).not.toBe(digests[0]);
    expect(await model.weightsDigest()).toBe(digests[0]);
    dt.dispose([x, y]);
    model.dispose();
  });
});

describe('NaN and infinite losses', () => {
  /** A linear model on [N, 2] with MSE; batch `bad` (0-based) of 3 holds `value` in x. */
  function setup(value: number, bad: number) {
    const xv = Float32Array.from({ length: 12 }, (_, i) => (i % 5) / 5);
    xv[bad * 4] = value;
    const x = dt.tensor(xv, [6, 2]);
    const y = dt.tensor(Float32Array.from({ length: 6 }, (_, i) => i / 6), [6, 1]);
    const model = new dt.Sequential([new dt.layers.Dense(1, { inputShape: [2], kernelInitializer: 'ones' })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    return { data: dt.data.Dataset.fromTensorSlices([x, y]).batch(2), model, dispose: () => { dt.dispose([x, y]); model.dispose(); } };
  }

  it('fit stops with a NumericError naming the epoch and batch', async () => {
    const nan = setup(NaN, 1);
    const e = await nan.model.fit(nan.data, { epochs: 3, verbose: 0 }).catch((err: Error) => err);
    expect(e).toBeInstanceOf(dt.NumericError);
    expect((e as Error).message).toMatch(/^fit: the loss became NaN in epoch 1 by batch 2; training stopped \(lower the learning rate, check the inputs for NaN\/Inf, or add TerminateOnNaN/);
    nan.dispose();
    const inf = setup(1e30, 2);
    await expect(inf.model.fit(inf.data, { epochs: 3, verbose: 0 })).rejects.toThrow(/^fit: the loss became Infinity in epoch 1 by batch 3/);
    inf.dispose();
  });

  it('TerminateOnNaN stops gracefully after the bad batch; the bar prints "nan"', async () => {
    const s = setup(NaN, 1);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const seen: number[] = [];
    const sink = new RecordingSink(true);
    const h = await s.model.fit(s.data, { epochs: 3, sink, callbacks: [new dt.TerminateOnNaN(), { onBatchEnd: (b: number) => { seen.push(b); } }] });
    expect(seen).toEqual([0, 1]);
    expect(log).toHaveBeenCalledWith('Batch 1: Invalid loss, terminating training');
    expect(h.epoch).toEqual([0]);
    expect(h.history.loss[0]).toBeNaN();
    // the final line shows the step reached (2 of 3) and the NaN (padded over a longer previous frame)
    expect(sink.out).toMatch(/\r\x1b\[1m2\/3\x1b\[0m [^\r]* - loss: nan *\n$/);
    expect(s.model.stopTraining).toBe(true);
    s.dispose();
  });
});

describe('progress output of fit and evaluate', () => {
  const TIME = '\\d+s \\d+(?:s|ms|us)/step';
  const metricsOf = (h: dt.History, e: number, keys: string[]) => keys.map((k) => ` - ${k}: ${formatValue(h.history[k][e])}`).join('');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  async function trained(verbose: dt.FitOptions['verbose'], tty: boolean, epochs: number) {
    const [x, y] = bandImages(24, 4);
    const [vx, vy] = bandImages(8, 5);
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const sink = new RecordingSink(tty);
    const h = await model.fit(batches(x, y, 8), { epochs, verbose, sink, validationData: batches(vx, vy, 8) });
    return { h, sink, model, vx, vy, dispose: () => { dt.dispose([x, y, vx, vy]); model.dispose(); } };
  }

  it('not a terminal: "Epoch i/N" and one line per epoch with exactly the History values', async () => {
    const t = await trained(1, false, 2);
    const keys = ['accuracy', 'loss', 'val_accuracy', 'val_loss'];
    const lines = t.sink.out.split('\n');
    expect(lines.length).toBe(5);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(new RegExp(`^3/3 ━━━━━━━━━━━━━━━━━━━━ ${TIME}${escape(metricsOf(t.h, 0, keys))}$`));
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines[3]).toMatch(new RegExp(`^3/3 ━━━━━━━━━━━━━━━━━━━━ ${TIME}${escape(metricsOf(t.h, 1, keys))}$`));
    expect(lines[4]).toBe('');
    // evaluate prints its own line with exactly the returned values
    const sink = new RecordingSink(false);
    const [loss, acc] = await t.model.evaluate(batches(t.vx, t.vy, 8), { sink });
    expect(sink.out).toMatch(new RegExp(`^1/1 ━━━━━━━━━━━━━━━━━━━━ ${TIME} - accuracy: ${escape(formatValue(acc))} - loss: ${escape(formatValue(loss))}\\n$`));
    t.dispose();
  });

  it('a single epoch prints no "Epoch" line; verbose 0 prints nothing', async () => {
    const one = await trained('auto', false, 1);
    expect(one.sink.out.split('\n').length).toBe(2);
    expect(one.sink.out.startsWith('3/3 ')).toBe(true);
    one.dispose();
    const silent = await trained(0, true, 2);
    expect(silent.sink.out).toBe('');
    silent.dispose();
  });

  it('verbose 2: "n/n - Ns - T/step - ..." once per epoch', async () => {
    const t = await trained(2, true, 2);
    const keys = ['accuracy', 'loss', 'val_accuracy', 'val_loss'];
    const lines = t.sink.out.split('\n');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(new RegExp(`^3/3 - \\d+s - \\d+(?:s|ms|us)/step${escape(metricsOf(t.h, 0, keys))}$`));
    expect(lines[3]).toMatch(new RegExp(`^3/3 - \\d+s - \\d+(?:s|ms|us)/step${escape(metricsOf(t.h, 1, keys))}$`));
    t.dispose();
  });

  it('on a terminal: ANSI bar redrawn with \\b...\\r, each epoch ending on its History values', async () => {
    const t = await trained(1, true, 2);
    const epochs = t.sink.out.split(/Epoch \d\/2\n/).slice(1);
    expect(epochs.length).toBe(2);
    epochs.forEach((text, e) => {
      expect(text.endsWith('\n')).toBe(true);
      const frames = text.split('\r').slice(1);
      expect(frames.length).toBeGreaterThanOrEqual(1);
      const last = frames[frames.length - 1];
      expect(last.startsWith('\x1b[1m3/3\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m')).toBe(true);
      const plain = last.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
      expect(plain).toMatch(new RegExp(`^3/3 ━━━━━━━━━━━━━━━━━━━━ ${TIME}${escape(metricsOf(t.h, e, ['accuracy', 'loss', 'val_accuracy', 'val_loss']))}$`));
    });
    t.dispose();
  });

  it('an unknown step count shows "n/n" once the first epoch has ended (as Keras)', async () => {
    const [x, y] = bandImages(16, 6);
    const ds = batches(x, y, 8);
    let epoch = 0;
    const source = { [Symbol.asyncIterator]: () => ds.iterate(epoch++) };
    const model = smallCnn();
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const sink = new RecordingSink(false);
    await model.fit(source, { epochs: 2, sink });
    const lines = sink.out.split('\n');
    expect(lines[1]).toMatch(/^2\/2 ━━━━━━━━━━━━━━━━━━━━ \d+s/);
    expect(lines[3]).toMatch(/^2\/2 ━━━━━━━━━━━━━━━━━━━━ \d+s/);
    const sink2 = new RecordingSink(false);
    await model.fit(source, { epochs: 2, verbose: 2, sink: sink2 });
    expect(sink2.out.split('\n').filter((l) => /^2\/2 - \d+s - /.test(l)).length).toBe(2);
    dt.dispose([x, y]);
    model.dispose();
  });
});
