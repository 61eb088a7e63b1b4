/**
 * Keras 3 callbacks in fit (issue 18): ModelCheckpoint (file names from Python format templates, best-only,
 * batch frequency, the weights written), EarlyStopping (best weights bit-equal, verbose, mode), ReduceLROnPlateau
 * (its learning-rate schedule traced by hand from Keras's rules, `learning_rate` in History, the new rate surviving
 * checkpoint/resume bit for bit), LearningRateScheduler, CSVLogger (bytes against Python's csv and repr),
 * LambdaCallback, BackupAndRestore after an exception, and the errors for bad options.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as dt from '../../../src/index.ts';
import { pyFormat, pyFormatTemplate, pyRepr } from '../../../src/nn/callbacks/py-format.ts';
import type { CallbackModel } from '../../../src/nn/callbacks.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { bandImages, batches, bits, smallCnn } from './helpers.ts';

const C = dt.callbacks;
const f32 = Math.fround;
const root = mkdtempSync(join(tmpdir(), 'ditto-callbacks-'));
let n = 0;
const fresh = (): string => join(root, `d${n++}`);

beforeAll(async () => {
  await dt.setBackend('cpu');
});
beforeEach(() => resetNames());
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 24 band images in 3 batches of 8, and 16 validation images, as Datasets. */
function data(): { train: dt.data.Dataset<[dt.Tensor, dt.Tensor]>; test: dt.data.Dataset<[dt.Tensor, dt.Tensor]> } {
  const [x, y] = bandImages(24, 1);
  const [vx, vy] = bandImages(16, 2);
  return { train: batches(x, y, 8), test: batches(vx, vy, 8) };
}

function model(opt: string | dt.optimizers.Optimizer = 'adam', metrics: string[] = ['accuracy']): dt.Sequential {
  const m = smallCnn();
  m.compile({ optimizer: opt, loss: 'sparse_categorical_crossentropy', metrics });
  return m;
}

/** Records the weights digest at every epoch end. */
function digests(m: dt.Sequential, out: string[]): dt.callbacks.LambdaCallback {
  return new C.LambdaCallback({ onEpochEnd: async () => { out.push(await m.weightsDigest()); } });
}

describe('Python formatting (reference values printed by CPython 3)', () => {
  it('format specs: width, zero padding, .Nf and .Ne rounded half to even on the exact binary value', () => {
    const cases: [number | { int: number }, string, string][] = [
      [0.125, '.2f', '0.12'], [0.375, '.2f', '0.38'], [2.5, '.0f', '2'], [3.5, '.0f', '4'], [-0.001, '.2f', '-0.00'],
      [12345.678, '.3e', '1.235e+04'], [0.00025, '.1e', '2.5e-04'], [9.9999, '.2e', '1.00e+01'], [f32(0.6931471824645996), '.4f', '0.6931'],
      [1e-7, '.2f', '0.00'], [123.456, '08.2f', '00123.46'], [-1.5, '07.1f', '-0001.5'], [Infinity, '.2f', 'inf'], [f32(0.1), '', '0.10000000149011612'],
      [1e22, '.3e', '1.000e+22'], [5e-324, '.2e', '4.94e-324'], [0.5, '.0e', '5e-01'], [7, '', '7.0'],
      [{ int: 7 }, '3d', '  7'], [{ int: -7 }, '03d', '-07'], [{ int: 7 }, '.2f', '7.00'], [{ int: 7 }, 'e', '7.000000e+00'],
    ];
    for (const [v, spec, want] of cases) expect(pyFormat(v, spec), `${JSON.stringify(v)} ${spec}`).toBe(want);
    expect(pyFormatTemplate('{epoch:02d}-{val_loss:.2f}|{epoch}|{x}|{{}}', { epoch: { int: 7 }, val_loss: 0.4567, x: f32(0.3) })).toBe('07-0.46|7|0.30000001192092896|{}');
    expect(() => pyFormat(1.5, '02d')).toThrow(/Unknown format code 'd' for object of type 'float'/);
    expect(() => pyFormat(1.5, '>8.2f')).toThrow(/expected a format spec of the form/);
    expect(() => pyFormatTemplate('{nope}', { epoch: { int: 1 } }, 'ModelCheckpoint')).toThrow(/Failed to format this callback filepath: "\{nope\}". Reason: 'nope'/);
  });
});

describe('ModelCheckpoint', () => {
  it('names files from the template (epoch from 1, logs with format specs); each file holds that epoch\'s weights', async () => {
    const { train, test } = data();
    const dir = fresh();
    const m = model();
    const seen: string[] = [];
    const ckpt = new C.ModelCheckpoint({ filepath: join(dir, 'sub', 'weights.{epoch:02d}-{val_loss:.2f}.safetensors'), saveWeightsOnly: true });
    const h = await m.fit(train, { epochs: 3, verbose: 0, validationData: test, callbacks: [ckpt, digests(m, seen)] });
    const names = h.history.val_loss.map((v, e) => `weights.${String(e + 1).padStart(2, '0')}-${pyFormat(v, '.2f')}.safetensors`);
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual([...names].sort());
    for (const [e, name] of names.entries()) {
      const other = smallCnn({ seed: 9 });
      await other.loadWeights(join(dir, 'sub', name), { matchBy: 'order' });
      expect(await other.weightsDigest()).toBe(seen[e]);
      other.dispose();
    }
    m.dispose();
  });

  it('saveBestOnly keeps improvements only (mode, initialValueThreshold); verbose prints Keras\'s lines', async () => {
    const { train } = data();
    const dir = fresh();
    const m = model();
    const seen: string[] = [];
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // The loss falls every epoch: in 'max' mode only epoch 1 is an improvement.
    const best = new C.ModelCheckpoint({ filepath: join(dir, 'max-{epoch}.safetensors'), monitor: 'loss', mode: 'max', saveBestOnly: true, saveWeightsOnly: true, verbose: 1 });
    const min = new C.ModelCheckpoint({ filepath: join(dir, 'min-{epoch}.safetensors'), monitor: 'loss', saveBestOnly: true, saveWeightsOnly: true });
    const never = new C.ModelCheckpoint({ filepath: join(dir, 'never.safetensors'), monitor: 'loss', saveBestOnly: true, saveWeightsOnly: true, initialValueThreshold: 0 });
    const single = new C.ModelCheckpoint({ filepath: join(dir, 'best.safetensors'), monitor: 'loss', mode: 'min', saveBestOnly: true, saveWeightsOnly: true });
    const h = await m.fit(train, { epochs: 3, verbose: 0, callbacks: [best, min, never, single, digests(m, seen)] });
    const printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    const loss = h.history.loss;
    expect(loss[1] < loss[0] && loss[2] < loss[1]).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['best.safetensors', 'max-1.safetensors', 'min-1.safetensors', 'min-2.safetensors', 'min-3.safetensors']);
    const other = smallCnn({ seed: 9 });
    await other.loadWeights(join(dir, 'best.safetensors'), { matchBy: 'order' });
    expect(await other.weightsDigest()).toBe(seen[2]);
    await other.loadWeights(join(dir, 'max-1.safetensors'), { matchBy: 'order' });
    expect(await other.weightsDigest()).toBe(seen[0]);
    other.dispose();
    expect(printed).toEqual([
      `\nEpoch 1: loss improved from -inf to ${pyFormat(loss[0], '.5f')}, saving model to ${join(dir, 'max-1.safetensors')}\n`,
      `\nEpoch 1: finished saving model to ${join(dir, 'max-1.safetensors')}\n`,
      `\nEpoch 2: loss did not improve from ${pyFormat(loss[0], '.5f')}\n`,
      `\nEpoch 3: loss did not improve from ${pyFormat(loss[0], '.5f')}\n`,
    ]);
    m.dispose();
  });

  it('saveFreq n saves every n batches across epochs, with {batch} from 1', async () => {
    const { train } = data();
    const dir = fresh();
    const m = model();
    await m.fit(train, { epochs: 2, verbose: 0, callbacks: [new C.ModelCheckpoint({ filepath: join(dir, 'w-{epoch}-{batch}-{loss:.3f}.safetensors'), saveWeightsOnly: true, saveFreq: 2 })] });
    expect(readdirSync(dir).map((f) => f.replace(/-\d\.\d{3}\.safetensors$/, '')).sort()).toEqual(['w-1-2', 'w-2-1', 'w-2-3']);
    m.dispose();
  });

  it('errors: whole-model saving, the path suffix, mode, saveFreq, unknown keys; auto mode it cannot decide fails at epoch end', async () => {
    expect(() => new C.ModelCheckpoint({ filepath: 'm.h5' })).toThrow(/^ModelCheckpoint: the filepath provided must end in '.keras' \(Keras model format\)/);
    expect(() => new C.ModelCheckpoint({ filepath: 'w.h5', saveWeightsOnly: true })).toThrow(/must end in '.safetensors' or '.weights.h5'/);
    expect(() => new C.ModelCheckpoint({ filepath: 'w.safetensors', saveWeightsOnly: true, mode: 'mx' as 'max' })).toThrow(/^ModelCheckpoint: expected mode to be 'auto', 'min' or 'max'. Received: mode="mx"$/);
    expect(() => new C.ModelCheckpoint({ filepath: 'w.safetensors', saveWeightsOnly: true, saveFreq: 0 })).toThrow(/Unrecognized saveFreq: 0/);
    expect(() => new C.ModelCheckpoint({ filepath: 'w.safetensors', saveWeightsOnly: true, save_best_only: true } as never)).toThrow(/^ModelCheckpoint: unrecognized options \{save_best_only\}/);
    const { train } = data();
    const m = model();
    const dir = fresh();
    const bad = new C.ModelCheckpoint({ filepath: join(dir, 'w.safetensors'), saveWeightsOnly: true, monitor: 'val_acuracy' });
    await expect(m.fit(train, { epochs: 1, verbose: 0, callbacks: [bad] })).rejects.toThrow(/^ModelCheckpoint callback received monitor=val_acuracy, but it cannot automatically determine/);
    // With a mode, a missing monitor warns (Keras) and saves.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await m.fit(train, { epochs: 1, verbose: 0, callbacks: [new C.ModelCheckpoint({ filepath: join(dir, 'w.safetensors'), saveWeightsOnly: true, saveBestOnly: true, mode: 'min' })] });
    expect(warn).toHaveBeenCalledWith('ModelCheckpoint: Can save best model only with val_loss available.');
    expect(existsSync(join(dir, 'w.safetensors'))).toBe(true);
    // Auto mode: accuracy is maximised.
    const acc = new C.ModelCheckpoint({ filepath: join(dir, 'a.safetensors'), saveWeightsOnly: true, monitor: 'accuracy', saveBestOnly: true });
    await m.fit(train, { epochs: 1, verbose: 0, callbacks: [acc] });
    expect(acc.best).toBeGreaterThan(0);
    m.dispose();
  });
});

describe('EarlyStopping (Keras 3 options)', () => {
  it('restoreBestWeights gives the best epoch\'s weights bit for bit; verbose lines; bad mode', async () => {
    const { train, test } = data();
    const m = model();
    const seen: string[] = [];
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const es = new dt.EarlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true, verbose: 1 });
    const h = await m.fit(train, { epochs: 6, verbose: 0, validationData: test, callbacks: [digests(m, seen), es] });
    const printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(await m.weightsDigest()).toBe(seen[0]);
    expect(printed).toEqual(['Epoch 3: early stopping\n', 'Restoring model weights from the end of the best epoch: 1.\n']);
    expect(() => new dt.EarlyStopping({ mode: 'maximum' as 'max' })).toThrow(/^EarlyStopping: expected mode to be 'auto', 'min' or 'max'/);
    m.dispose();
  });
});

/** A stand-in model whose optimizer is real: for scripted monitor values. */
function lrModel(lr = 0.1): CallbackModel & { compiled: { optimizer: dt.optimizers.Optimizer } } {
  return { stopTraining: false, getWeightValues: async () => [], setWeightValues: () => {}, compiled: { optimizer: new dt.optimizers.SGD({ learningRate: lr }) } };
}

describe('ReduceLROnPlateau', () => {
  it('follows Keras\'s rules: patience, cooldown, minLr, logged learning_rate (traced by hand)', () => {
    const r = new C.ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02, minDelta: 0 });
    const m = lrModel(0.1);
    r.setModel(m);
    r.onTrainBegin();
    const values = [1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5];
    const logged: number[] = [];
    const after: number[] = [];
    for (const [e, v] of values.entries()) {
      const logs = { loss: v };
      r.onEpochEnd(e, logs);
      logged.push((logs as Record<string, number>).learning_rate);
      after.push(m.compiled.optimizer.currentLearningRate());
    }
    // e2: wait reaches 2 -> 0.05 (cooldown 1); e3: cooldown ends, wait 1; e4: -> 0.025; e5: improvement;
    // e7: max(0.0125, 0.02) = 0.02; e9: lr is not above f32(minLr): no change.
    expect(logged).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02].map(f32));
    expect(after).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02].map(f32));
    expect([r.wait, r.cooldownCounter]).toEqual([2, 0]);
    // new lr = f32(old) * factor in float64, then rounded to float32 by the optimizer (Keras's float32 variable)
    expect(after[2]).toBe(f32(f32(0.1) * 0.5));
  });

  it('minDelta and auto mode (\'acc\' in the name maximises); verbose line; errors', () => {
    const r = new C.ReduceLROnPlateau({ monitor: 'val_accuracy', patience: 1, verbose: 1 });
    const m = lrModel(0.001);
    r.setModel(m);
    r.onTrainBegin();
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    r.onEpochEnd(0, { val_accuracy: 0.5 });
    r.onEpochEnd(1, { val_accuracy: 0.50005 }); // not above best + 1e-4
    const printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(printed).toEqual([`\nEpoch 2: ReduceLROnPlateau reducing learning rate to ${pyRepr(f32(0.001) * 0.1)}.\n`]);
    expect(m.compiled.optimizer.currentLearningRate()).toBe(f32(f32(0.001) * 0.1));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    r.onEpochEnd(2, { loss: 1 });
    expect(warn).toHaveBeenCalledWith('ReduceLROnPlateau: Learning rate reduction is conditioned on metric `val_accuracy` which is not available. Available metrics are: loss,learning_rate.');
    expect(() => new C.ReduceLROnPlateau({ factor: 1 })).toThrow(/^ReduceLROnPlateau: does not support a factor >= 1.0. Received: factor=1$/);
    expect(() => new C.ReduceLROnPlateau({ mode: 'up' as 'max' })).toThrow(/expected mode to be 'auto', 'min' or 'max'/);
    expect(() => new C.ReduceLROnPlateau({ patience: -1 })).toThrow(/expected patience to be an integer >= 0/);
    expect(() => new C.ReduceLROnPlateau({ min_lr: 0 } as never)).toThrow(/^ReduceLROnPlateau: unrecognized options \{min_lr\}/);
    const s = new C.ReduceLROnPlateau({ monitor: 'loss', patience: 0 });
    s.setModel({ ...lrModel(), compiled: { optimizer: new dt.optimizers.SGD({ learningRate: new dt.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) }) } });
    s.onTrainBegin();
    s.onEpochEnd(0, { loss: 1 });
    expect(() => s.onEpochEnd(1, { loss: 1 })).toThrow(/learning rate is not settable/);
  });

  it('in fit: learning_rate in History; the steps use the reduced rate; a resumed run is bit-identical', async () => {
    const { train } = data();
    const run = async (o: { dir?: string; resume?: dt.checkpoint.LoadedCheckpoint; callbacks?: () => dt.Callback[] }) => {
      resetNames();
      const m = model(new dt.optimizers.SGD({ learningRate: 0.1 }));
      const cbs = o.callbacks ? o.callbacks() : [new C.ReduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 1, factor: 0.5 })];
      const h = await m.fit(train, { epochs: 4, verbose: 0, callbacks: cbs, ...(o.dir ? { checkpoint: { dir: o.dir, everyEpoch: true, keep: 4 } } : {}), ...(o.resume ? { resumeFrom: o.resume } : {}) });
      const out = { history: JSON.stringify(h), digest: await m.weightsDigest(), lr: m.compiled!.optimizer.currentLearningRate() };
      m.dispose();
      return out;
    };
    const dir = fresh();
    const a = await run({ dir });
    const lrs = JSON.parse(a.history).history.learning_rate;
    // The loss falls each epoch; in 'max' mode every epoch after the first is a plateau: 0.1, 0.1, 0.05, 0.025.
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.025].map(f32));
    expect(a.lr).toBe(f32(0.0125));
    // The same rates from a LearningRateScheduler give the same bits: the optimizer used them.
    const sched = await run({ callbacks: () => [new C.LearningRateScheduler((e, lr) => (e < 2 ? lr : lr * 0.5))] });
    expect(sched.digest).toBe(a.digest);
    // Resume from the checkpoint after epoch 2 (learning rate 0.05 set then): same bits, same History.
    const ck = dt.checkpoint.listCheckpoints(dir).map((e) => dt.checkpoint.readCheckpoint(e.path)).find((c) => c.state.position.epoch === 2)!;
    expect(ck.state.optimizer.learningRate).toBeDefined();
    const b = await run({ resume: ck });
    expect(b).toEqual(a);
  });
});

describe('LearningRateScheduler', () => {
  it('sets f32(schedule(epoch, lr)) at each epoch begin and logs learning_rate; errors', async () => {
    const { train } = data();
    const m = model(new dt.optimizers.SGD({ learningRate: 0.1 }));
    const args: [number, number][] = [];
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const s = new C.LearningRateScheduler((epoch, lr) => {
      args.push([epoch, lr]);
      return 0.3 / (epoch + 1);
    }, { verbose: 1 });
    const h = await m.fit(train, { epochs: 3, verbose: 0, callbacks: [s] });
    const printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(args).toEqual([[0, f32(0.1)], [1, f32(0.3)], [2, f32(0.15)]]);
    expect(h.history.learning_rate).toEqual([0.3, 0.15, 0.1].map(f32));
    expect(printed).toEqual([1, 2, 3].map((e) => `\nEpoch ${e}: LearningRateScheduler setting learning rate to ${pyRepr(0.3 / e)}.\n`));
    await expect(m.fit(train, { epochs: 1, verbose: 0, callbacks: [new C.LearningRateScheduler(() => Number.NaN)] })).rejects.toThrow(/^LearningRateScheduler: The output of the schedule function should be a finite number >= 0. Received: NaN/);
    expect(() => new C.LearningRateScheduler(0.1 as never)).toThrow(/expected schedule to be a function/);
    m.dispose();
  });
});

/** Python's csv (excel dialect) and repr of the float32 values, from CPython itself (column 0: ints; other numbers: float32 values). */
function pythonCsv(rows: (string | number)[][], sep: string): string {
  const code = `import csv, io, sys, json, struct
rows = json.loads(sys.stdin.read())
def val(v):
    if isinstance(v, str) and v.startswith('f32:'):
        return struct.unpack('<f', bytes.fromhex(v[4:]))[0]
    return v
class D(csv.excel):
    delimiter = ${JSON.stringify(sep)}
out = io.StringIO()
w = csv.writer(out, dialect=D)
for r in rows: w.writerow([val(v) for v in r])
sys.stdout.write(out.getvalue())`;
  const le = (v: number): string => bits(v).match(/../g)!.reverse().join('');
  const input = JSON.stringify(rows.map((r) => r.map((v, i) => (typeof v === 'number' && i > 0 ? `f32:${le(v)}` : v))));
  const p = spawnSync('/usr/bin/python3', ['-c', code], { input, encoding: 'utf8' });
  if (p.status !== 0) throw new Error(p.stderr);
  return p.stdout;
}

describe('CSVLogger', () => {
  it('writes Keras\'s columns and Python\'s numbers exactly; append adds rows without a header', async () => {
    const { train, test } = data();
    const file = `${fresh()}.csv`;
    const m = model(new dt.optimizers.SGD({ learningRate: 0.1 }));
    const h1 = await m.fit(train, { epochs: 2, verbose: 0, validationData: test, callbacks: [new C.ReduceLROnPlateau({ patience: 5 }), new C.CSVLogger(file)] });
    const keys = ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss'];
    const row = (h: dt.History, e: number) => [e, ...keys.map((k) => h.history[k][e])];
    const first = readFileSync(file, 'utf8');
    expect(first).toBe(pythonCsv([['epoch', ...keys], row(h1, 0), row(h1, 1)], ','));
    expect(first.split('\r\n')[1].startsWith(`0,${pyRepr(h1.history.accuracy[0])},${pyRepr(f32(0.1))},`)).toBe(true);
    // append: no second header; a missing key is NA; the columns are the first epoch's keys, sorted.
    const h2 = await m.fit(train, { epochs: 1, verbose: 0, callbacks: [new C.CSVLogger(file, { append: true })] });
    expect(readFileSync(file, 'utf8')).toBe(first + pythonCsv([[0, h2.history.accuracy[0], h2.history.loss[0]]], ','));
    // separator; overwrite
    await m.fit(train, { epochs: 1, verbose: 0, callbacks: [new C.CSVLogger(file, { separator: ';' })] });
    expect(readFileSync(file, 'utf8').split('\r\n')[0]).toBe('epoch;accuracy;loss');
    // a field holding the separator is quoted
    const quoted = join(root, 'q.csv');
    const q = new C.CSVLogger(quoted);
    q.onTrainBegin();
    q.onEpochEnd(0, { 'a,b': 0.5, c: 1 });
    q.onEpochEnd(1, { c: 2 });
    q.onTrainEnd();
    expect(readFileSync(quoted, 'utf8')).toBe(pythonCsv([['epoch', 'a,b', 'c'], [0, 0.5, 1], [1, 'NA', 2]], ','));
    expect(readFileSync(quoted, 'utf8')).toBe('epoch,"a,b",c\r\n0,0.5,1.0\r\n1,NA,2.0\r\n');
    expect(() => new C.CSVLogger(file, { separator: '::' })).toThrow(/1-character string/);
    expect(() => new C.CSVLogger(file, { sep: ',' } as never)).toThrow(/^CSVLogger: unrecognized options \{sep\}/);
    m.dispose();
  });
});

describe('LambdaCallback', () => {
  it('calls the given functions with Keras\'s arguments; refuses unknown keys and non-functions', async () => {
    const { train } = data();
    const m = model();
    const calls: string[] = [];
    const cb = new C.LambdaCallback({
      onTrainBegin: () => { calls.push('trainBegin'); },
      onEpochBegin: (e) => { calls.push(`epochBegin ${e}`); },
      onBatchBegin: (b) => { calls.push(`batchBegin ${b}`); },
      onBatchEnd: (b, logs) => { calls.push(`batchEnd ${b} ${typeof logs?.loss}`); },
      onEpochEnd: async (e, logs) => { calls.push(`epochEnd ${e} ${Object.keys(logs ?? {}).join(',')}`); },
      onTrainEnd: () => { calls.push('trainEnd'); },
    });
    await m.fit(train, { epochs: 1, verbose: 0, callbacks: [cb] });
    expect(calls).toEqual(['trainBegin', 'epochBegin 0', 'batchBegin 0', 'batchEnd 0 number', 'batchBegin 1', 'batchEnd 1 number', 'batchBegin 2', 'batchEnd 2 number', 'epochEnd 0 accuracy,loss', 'trainEnd']);
    expect(new C.LambdaCallback({ onEpochEnd: () => {} }).wantsBatchLogs()).toBe(false);
    expect(() => new C.LambdaCallback({ on_epoch_end: () => {} } as never)).toThrow(/^LambdaCallback: unrecognized options \{on_epoch_end\}/);
    expect(() => new C.LambdaCallback({ onEpochEnd: 1 } as never)).toThrow(/^LambdaCallback: expected onEpochEnd to be a function. Received: number$/);
    m.dispose();
  });
});

describe('BackupAndRestore (in process; kill -9 in test/resume/backup-and-restore.test.ts)', () => {
  it('a fit interrupted by an exception continues from the backup and ends with the uninterrupted bits; the backup is deleted', async () => {
    const { train, test } = data();
    const run = async (backupDir: string, interruptAt?: number) => {
      resetNames();
      dt.utils.setRandomSeed(5);
      const m = model(new dt.optimizers.SGD({ learningRate: 0.1 }));
      const stop = new C.LambdaCallback({ onEpochBegin: (e) => { if (e === interruptAt) throw new Error('Interrupting!'); } });
      const cbs = [new C.BackupAndRestore({ backupDir }), new C.ReduceLROnPlateau({ monitor: 'val_loss', mode: 'max', patience: 1, factor: 0.5 }), stop];
      try {
        const h = await m.fit(train, { epochs: 4, verbose: 0, validationData: test, callbacks: cbs });
        return { history: JSON.stringify(h), digest: await m.weightsDigest() };
      } finally {
        m.dispose();
      }
    };
    const dir = fresh();
    const base = await run(join(dir, 'base'));
    expect(existsSync(join(dir, 'base'))).toBe(false);
    await expect(run(join(dir, 'b'), 2)).rejects.toThrow('Interrupting!');
    expect(dt.checkpoint.listCheckpoints(join(dir, 'b')).map((e) => e.name)).toEqual(['ckpt-000000006', 'ckpt-000000003']);
    const resumed = await run(join(dir, 'b'));
    expect(resumed).toEqual(base);
    expect(JSON.parse(base.history).epoch).toEqual([0, 1, 2, 3]);
    expect(existsSync(join(dir, 'b'))).toBe(false);
    // saveFreq in batches; deleteCheckpoint: false keeps the backup.
    const keep = join(dir, 'keep');
    resetNames();
    const m = model();
    await m.fit(train, { epochs: 1, verbose: 0, callbacks: [new C.BackupAndRestore({ backupDir: keep, saveFreq: 2, deleteCheckpoint: false })] });
    expect(dt.checkpoint.listCheckpoints(keep).map((e) => e.name)).toEqual(['ckpt-000000002']);
    await expect(m.fit(train, { epochs: 1, verbose: 0, checkpoint: { dir: fresh(), everyEpoch: true }, callbacks: [new C.BackupAndRestore({ backupDir: fresh() })] })).rejects.toThrow(/^fit: a BackupAndRestore callback manages the checkpoints/);
    expect(() => new C.BackupAndRestore({ backupDir: '' })).toThrow(/^BackupAndRestore: Empty backupDir argument passed/);
    expect(() => new C.BackupAndRestore({ backupDir: 'x', saveFreq: 'batch' as never })).toThrow(/Invalid value for argument saveFreq/);
    m.dispose();
  });
});
