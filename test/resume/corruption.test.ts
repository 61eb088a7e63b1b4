/**
 * Damaged checkpoints and mismatched programs, in one process: a flipped byte, a truncated state,
 * a deleted or truncated manifest and a wrong checksum are detected and reported, and the resume
 * falls back to the previous valid checkpoint (ending with the uninterrupted run's bits); with no
 * valid checkpoint, or a program whose data, model, optimizer or epochs differ, fit fails with a
 * clear error before changing anything. Stale temporaries are removed; a fresh fit refuses a
 * directory that already holds checkpoints; step and epoch checkpoints at one step coexist.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dt from '../../src/index.ts';
import { DataFormatError } from '../../src/core/errors.ts';
import { resetNames } from '../../src/nn/naming.ts';
import { bandImages } from '../unit/nn/helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'ditto-corrupt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

await dt.setBackend('cpu');
const [xTrain, yTrain] = bandImages(48, 11);
const [xVal, yVal] = bandImages(16, 12);

interface Program {
  shuffleSeed?: number;
  units?: number;
  learningRate?: number;
  epochs?: number;
  /** Take the default layer names once before (conv2d_1, dense_2, ...). */
  renamed?: boolean;
}

/** What a fresh process would build: names reset, seed set, unseeded layers, an unbuilt model. */
function program(p: Program = {}) {
  resetNames();
  dt.utils.setRandomSeed(812);
  const L = dt.layers;
  // Seeded, so that taking the names draws nothing from the seeded generator.
  const seeded = { kernelInitializer: new dt.initializers.GlorotUniform({ seed: 1 }) };
  if (p.renamed) [new L.Conv2D(1, [1, 1], seeded), new L.Dense(1, seeded)].forEach((l) => l.dispose());
  const model = new dt.Sequential([
    new L.Conv2D(4, [3, 3], { activation: 'relu' }),
    new L.MaxPooling2D([2, 2]),
    new L.Dropout(0.3),
    new L.GlobalAveragePooling2D(),
    new L.Dense(p.units ?? 8, { activation: 'relu' }),
    new L.Dropout(0.3),
    new L.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new dt.optimizers.Adam({ learningRate: p.learningRate ?? 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const train = dt.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(48, p.shuffleSeed === undefined ? {} : { seed: p.shuffleSeed }).batch(16); // 3 steps per epoch
  const val = dt.data.Dataset.fromTensorSlices([xVal, yVal]).batch(16);
  const es = new dt.EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true });
  const fit = (o: Partial<dt.FitOptions> = {}) => model.fit(train, { epochs: p.epochs ?? 2, validationData: val, verbose: 0, callbacks: [es], ...o });
  return { model, fit, train };
}

async function outcome(model: dt.Sequential, history: dt.History) {
  return { history: JSON.stringify(history.toJSON()), weights: await dt.utils.weightsDigest(model), iterations: model.compiled!.optimizer.iterations };
}

let expected: Awaited<ReturnType<typeof outcome>>;
/** A fresh copy of the reference checkpoint root: ckpt-4 (epoch 1, step 1), ckpt-5, ckpt-6 (epoch 1 done). */
let reference: string;
let n = 0;
function copyOfReference(): string {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  for (const c of readdirSync(reference)) {
    mkdirSync(join(dir, c));
    for (const f of readdirSync(join(reference, c))) writeFileSync(join(dir, c, f), readFileSync(join(reference, c, f)));
  }
  return dir;
}
const ck = (dir: string, step: number, file: string) => join(dir, `ckpt-${String(step).padStart(9, '0')}`, file);

beforeAll(async () => {
  const p = program();
  expected = await outcome(p.model, await p.fit());
  p.model.dispose();
  reference = join(root, 'reference');
  const q = program();
  const h = await q.fit({ checkpoint: { dir: reference, everySteps: 1, everyEpoch: true, keep: 3 } });
  // Checkpointing changes nothing: the run that saved equals the run that did not.
  expect(await outcome(q.model, h)).toEqual(expected);
  q.model.dispose();
  expect(readdirSync(reference).sort()).toEqual(['ckpt-000000004', 'ckpt-000000005', 'ckpt-000000006']);
});

/** Resumes a fresh program from `dir`; returns the outcome and the warnings printed. */
async function resume(dir: string) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const p = program();
    const h = await p.fit({ resumeFrom: dir });
    const o = await outcome(p.model, h);
    p.model.dispose();
    return { outcome: o, warnings: warn.mock.calls.map((c) => String(c[0])) };
  } finally {
    warn.mockRestore();
  }
}

describe('corrupt checkpoints: detected, reported, and the previous valid one is used', () => {
  it('resuming from intact checkpoints gives the uninterrupted run (sanity)', async () => {
    const r = await resume(copyOfReference());
    expect(r.warnings).toEqual([]);
    expect(r.outcome).toEqual(expected);
  });

  const damages: [string, (dir: string) => void, RegExp][] = [
    ['a flipped byte in tensors.safetensors', (d) => {
      const f = ck(d, 6, 'tensors.safetensors');
      const b = readFileSync(f);
      b[b.length - 7] ^= 0x01;
      writeFileSync(f, b);
    }, /ckpt-000000006.*tensors\.safetensors: checksum mismatch: expected SHA-256 [0-9a-f]{64} \(manifest\)\. Received: [0-9a-f]{64} \(corrupt file\)/],
    ['a truncated state.json', (d) => truncateSync(ck(d, 6, 'state.json'), 100), /ckpt-000000006.*state\.json: expected \d+ bytes \(manifest\)\. Received: 100 bytes \(truncated or overwritten\)/],
    ['a deleted manifest', (d) => unlinkSync(ck(d, 6, 'manifest.json')), /ckpt-000000006.*expected manifest\.json\. Received: no such file \(incomplete or damaged checkpoint\)/],
    ['a truncated manifest', (d) => truncateSync(ck(d, 6, 'manifest.json'), 40), /ckpt-000000006.*expected manifest\.json to be JSON/],
    ['a checksum that does not match', (d) => {
      const f = ck(d, 6, 'manifest.json');
      const m = JSON.parse(readFileSync(f, 'utf8'));
      m.files['state.json'].sha256 = '0'.repeat(64);
      writeFileSync(f, JSON.stringify(m));
    }, /ckpt-000000006.*state\.json: checksum mismatch: expected SHA-256 0{64}/],
    ['a deleted tensors file', (d) => unlinkSync(ck(d, 6, 'tensors.safetensors')), /ckpt-000000006.*expected tensors\.safetensors\. Received: no such file/],
  ];
  for (const [what, damage, message] of damages) {
    it(`${what}: warns, falls back to ckpt-5, ends bit-identical`, async () => {
      const dir = copyOfReference();
      damage(dir);
      const r = await resume(dir);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/^fit: resumeFrom: skipped invalid checkpoint ckpt-000000006: readCheckpoint: /);
      expect(r.warnings[0]).toMatch(message);
      expect(r.outcome).toEqual(expected);
      // The resumed run wrote no checkpoint (no checkpoint option): the damaged one is still there.
      expect(readdirSync(dir).sort()).toEqual(['ckpt-000000004', 'ckpt-000000005', 'ckpt-000000006']);
    });
  }

  it('two damaged checkpoints: falls back two, and a resumed run with checkpoints replaces the damaged ones', async () => {
    const dir = copyOfReference();
    truncateSync(ck(dir, 6, 'tensors.safetensors'), 10);
    unlinkSync(ck(dir, 5, 'state.json'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = program();
    const h = await p.fit({ resumeFrom: dir, checkpoint: { dir, everySteps: 1, keep: 2 } });
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(warnings.map((w) => w.match(/ckpt-\d+/)![0])).toEqual(['ckpt-000000006', 'ckpt-000000005']);
    expect(await outcome(p.model, h)).toEqual(expected);
    p.model.dispose();
    // Resumed at step 4, it saved 5 and 6 (replacing the damaged ones) and pruned 4.
    expect(readdirSync(dir).sort()).toEqual(['ckpt-000000005', 'ckpt-000000006']);
    expect(dt.checkpoint.findLatestCheckpoint(dir)!.checkpoint.name).toBe('ckpt-000000006');
  });

  it('all checkpoints damaged: a DataFormatError lists each and why; nothing is loaded', async () => {
    const dir = copyOfReference();
    for (const s of [4, 5, 6]) {
      const f = ck(dir, s, 'tensors.safetensors');
      const b = readFileSync(f);
      b[100] ^= 0xff;
      writeFileSync(f, b);
    }
    expect(() => dt.checkpoint.findLatestCheckpoint(dir)).toThrow(DataFormatError);
    const p = program();
    p.model.build([null, 8, 8, 1]);
    const before = await dt.utils.weightsDigest(p.model);
    const err = await p.fit({ resumeFrom: dir }).then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err!.message).toMatch(/^findLatestCheckpoint: expected at least one valid checkpoint in .*\. Received: 3 checkpoint\(s\), all invalid:/);
    for (const s of [4, 5, 6]) expect(err!.message).toMatch(new RegExp(`ckpt-00000000${s}: readCheckpoint: .*checksum mismatch`));
    expect(await dt.utils.weightsDigest(p.model)).toBe(before);
    expect(p.model.compiled!.optimizer.iterations).toBe(0);
    p.model.dispose();
  });

  it('no checkpoint at all: a clear DataFormatError', async () => {
    const p = program();
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(p.fit({ resumeFrom: empty })).rejects.toThrow(/^fit: resumeFrom: expected a checkpoint \(ckpt-<step> directory\) in .*empty\. Received: none$/);
    await expect(p.fit({ resumeFrom: join(root, 'missing') })).rejects.toThrow(/Received: no such directory$/);
    p.model.dispose();
  });

  it('stale temporaries are removed when resuming', async () => {
    const dir = copyOfReference();
    mkdirSync(join(dir, '.ckpt-000000007.tmp-ditto-999'));
    writeFileSync(join(dir, '.ckpt-000000007.tmp-ditto-999', 'tensors.safetensors'), 'partial');
    writeFileSync(join(dir, '.state.json.tmp-ditto-12'), 'partial');
    const r = await resume(dir);
    expect(r.outcome).toEqual(expected);
    expect(readdirSync(dir).sort()).toEqual(['ckpt-000000004', 'ckpt-000000005', 'ckpt-000000006']);
  });
});

describe('a resuming program that differs fails clearly, before changing anything', () => {
  const mismatches: [string, Program, RegExp][] = [
    ['another shuffle seed', { shuffleSeed: 5 }, /^fit: cannot resume from .*ckpt-000000006: expected a data pipeline with shuffle seeds \[\d+\]\. Received: \[5\] \(the data would be visited in another order\)$/],
    ['other weight shapes', { units: 9 }, /^fit: cannot resume from .*: expected 'model\/dense\/kernel' F32\[4, 9\] \(the model's 'dense\/kernel'\)\. Received: F32\[4, 8\] in the checkpoint$/],
    ['another learning rate', { learningRate: 0.02 }, /^fit: cannot resume from .*: expected optimizer .*"learningRate":0\.01.*\. Received: .*"learningRate":0\.02/],
    ['other epochs', { epochs: 3 }, /^fit: cannot resume from .*: expected epochs=2 \(as when the checkpoint was written\)\. Received: epochs=3$/],
  ];
  for (const [what, prog, message] of mismatches) {
    it(what, async () => {
      const p = program(prog);
      p.model.build([null, 8, 8, 1]);
      const before = await dt.utils.weightsDigest(p.model);
      const random = JSON.stringify(dt.utils.getRandomState());
      await expect(p.fit({ resumeFrom: copyOfReference() })).rejects.toThrow(message);
      expect(await dt.utils.weightsDigest(p.model)).toBe(before);
      expect(p.model.compiled!.optimizer.iterations).toBe(0);
      expect(JSON.stringify(dt.utils.getRandomState())).toBe(random);
      p.model.dispose();
    });
  }

  it('other layer names', async () => {
    const p = program({ renamed: true });
    await expect(p.fit({ resumeFrom: copyOfReference() })).rejects.toThrow(/^fit: cannot resume from .*: expected model weights \[conv2d\/kernel, conv2d\/bias, .*\]\. Received: \[conv2d_1\/kernel, conv2d_1\/bias, .*\]$/);
    p.model.dispose();
  });
});

describe('checkpoint directory rules', () => {
  it('a fresh fit refuses a directory that already holds checkpoints', async () => {
    const dir = copyOfReference();
    const p = program();
    await expect(p.fit({ checkpoint: { dir, everyEpoch: true } })).rejects.toThrow(/^fit: checkpoint\.dir .* already holds checkpoints \(ckpt-000000006, ckpt-000000005, ckpt-000000004\); pass resumeFrom/);
    p.model.dispose();
  });

  it('rejects checkpoint options that would never save, and plain iterables', async () => {
    const p = program();
    await expect(p.fit({ checkpoint: { dir: join(root, 'x') } })).rejects.toThrow(/everySteps .* or checkpoint\.everyEpoch: true\. Received: neither/);
    const plain = { async *[Symbol.asyncIterator]() {} };
    await expect(p.model.fit(plain, { checkpoint: { dir: join(root, 'y'), everyEpoch: true } })).rejects.toThrow(/^fit: expected a Dataset/);
    p.model.dispose();
  });

  it('without a known step count, a step and an epoch checkpoint at the same step coexist (ckpt-3, ckpt-3-1)', async () => {
    const dir = join(root, 'uncounted');
    const p = program();
    // A source without cardinality(): the first epoch's length is learnt at its end.
    const source: dt.BatchSource = { iterate: (e, o) => p.train.iterate(e, o) };
    const saved: string[] = [];
    const h = await p.model.fit(source, { epochs: 2, validationData: dt.data.Dataset.fromTensorSlices([xVal, yVal]).batch(16), verbose: 0, callbacks: [new dt.EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })], checkpoint: { dir, everySteps: 3, everyEpoch: true, keep: 5, onSaved: (w) => { saved.push(w.name); } } });
    expect(saved).toEqual(['ckpt-000000003', 'ckpt-000000003-1', 'ckpt-000000006']);
    expect(dt.checkpoint.listCheckpoints(dir).map((e) => e.name)).toEqual(['ckpt-000000006', 'ckpt-000000003-1', 'ckpt-000000003']);
    const epochEnd = dt.checkpoint.readCheckpoint(join(dir, 'ckpt-000000003-1')).state.position;
    expect(epochEnd).toEqual({ epoch: 1, step: 0, globalStep: 3 });
    expect(dt.checkpoint.readCheckpoint(join(dir, 'ckpt-000000003')).state.position).toEqual({ epoch: 0, step: 3, globalStep: 3 });
    expect(JSON.stringify(h.toJSON())).toBe(expected.history);
    p.model.dispose();
    // Resumed from either, with the same kind of source, the run ends the same and writes the same ckpt-6.
    for (const from of ['ckpt-000000003', 'ckpt-000000003-1']) {
      const q = program();
      const again = join(root, `uncounted-from-${from}`);
      const src: dt.BatchSource = { iterate: (e, o) => q.train.iterate(e, o) };
      const h2 = await q.model.fit(src, { epochs: 2, validationData: dt.data.Dataset.fromTensorSlices([xVal, yVal]).batch(16), verbose: 0, callbacks: [new dt.EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })], checkpoint: { dir: again, everySteps: 3, everyEpoch: true }, resumeFrom: dt.checkpoint.readCheckpoint(join(dir, from)) });
      expect(await outcome(q.model, h2)).toEqual(expected);
      q.model.dispose();
      for (const f of ['tensors.safetensors', 'state.json', 'manifest.json']) {
        expect(readFileSync(join(again, 'ckpt-000000006', f)).equals(readFileSync(join(dir, 'ckpt-000000006', f))), `${from}: ${f}`).toBe(true);
      }
    }
  });
});
