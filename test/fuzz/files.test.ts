/**
 * Hostile-file fuzzing of the readers (issue 21): valid files damaged by test/fuzz/mutations.ts
 * (truncated, bit-flipped, overwritten, grown past their content, and structure-aware damage:
 * a safetensors header with a hostile shape, dtype, offsets, name or metadata; a JSON value
 * replaced or removed; IDX dimensions set to hostile sizes; gzip-compressed or not) are read by
 *  - decodeSafetensors and model.loadWeights (matching by name and by order),
 *  - dt.checkpoint.readCheckpoint and findLatestCheckpoint (the damaged file's manifest entry
 *    recomputed or not, so that the damage reaches every parser and not only the checksum), and
 *    fit({ resumeFrom }),
 *  - dt.datasets.mnist.loadData({ path }) over a folder of small IDX files.
 * Properties: the read either succeeds with consistent contents or throws a DataFormatError (a
 * dt.TensorEngineError) that names the function and the file; it never allocates for an unchecked
 * header size (the host's ArrayBuffer memory grows by at most a few times the file size; a header
 * claiming 2^40 elements is refused without allocating); it never hangs (every case is bounded
 * by fast-check's timeout); a model is left untouched when loading fails (weights digest
 * unchanged); no tensor or buffer leaks.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { decodeSafetensors } from '../../src/advanced.ts';
import { bandImages } from '../unit/nn/helpers.ts';
import { PROPERTY_TIMEOUT_MS, count, expectEngineError, expectNoLeak, printTalliesAfterAll, property, runProperty } from './harness.ts';
import {
  type ByteMutation, type IdxMutation, type JsonMutation, type SafetensorsMutation, applyBytes, applyJson, applySafetensors, byteMutationArb, claimingSafetensors,
  idxMutationArb, jsonMutationArb, safetensorsMutationArb,
} from './mutations.ts';

const root = mkdtempSync(join(tmpdir(), 'ditto-fuzz-files-'));
let n = 0;
const fresh = (what: string) => {
  const d = join(root, `${what}-${n++}`);
  mkdirSync(d);
  return d;
};

await dt.setBackend('cpu');
printTalliesAfterAll('files');
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await dt.shutdown();
});

/** Runs `fn` and asserts that host ArrayBuffer memory grew by at most `bound` bytes across it. */
async function withinMemory<T>(bound: number, what: string, fn: () => Promise<T>): Promise<T> {
  const before = process.memoryUsage().arrayBuffers;
  try {
    return await fn();
  } finally {
    const grew = process.memoryUsage().arrayBuffers - before;
    if (grew > bound) expect.fail(`${what}: host ArrayBuffer memory grew by ${grew} bytes (bound ${bound}): an allocation sized by an unchecked header?`);
  }
}

/** What a reader may throw: a TensorEngineError (a DataFormatError for bad files) starting with one of `prefixes`, naming `file`. */
function expectFileError(e: unknown, prefixes: string[], file: string, what: string): void {
  expectEngineError(e, prefixes, what);
  if (!(e instanceof dt.DataFormatError)) expect.fail(`${what}: expected a DataFormatError for a bad file. Received: ${(e as Error).name}: ${(e as Error).message}`);
  if (!(e as Error).message.includes(file)) expect.fail(`${what}: the error does not name ${file}: ${(e as Error).message}`);
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const MiB = 1 << 20;

// ---------------------------------------------------------------- fixtures

/** A small built model (conv, flatten, dense): its weights file is the safetensors fixture. */
function makeModel(): dt.Sequential {
  dt.utils.setRandomSeed(7);
  return new dt.Sequential([
    dt.layers.Input({ shape: [4, 4, 1] }),
    new dt.layers.Conv2D(2, [2, 2], { name: 'conv' }),
    new dt.layers.Flatten({ name: 'flat' }),
    new dt.layers.Dense(3, { name: 'out' }),
  ]);
}

let model: dt.Sequential;
let goodWeights: Buffer;
let goodPath: string;
let goodDigest: string;
let checkpoints: string;

/** Bytes of an unsigned-byte IDX file. */
function idx(magic: number, dims: number[], body: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic >>> 0, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d >>> 0, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(body)]);
}
const MNIST: Record<string, { rank: number; n: number }> = {
  'train-images-idx3-ubyte': { rank: 3, n: 3 },
  'train-labels-idx1-ubyte': { rank: 1, n: 3 },
  't10k-images-idx3-ubyte': { rank: 3, n: 2 },
  't10k-labels-idx1-ubyte': { rank: 1, n: 2 },
};
function mnistFile(name: string): { magic: number; dims: number[]; body: Uint8Array } {
  const { rank, n: count } = MNIST[name];
  const dims = rank === 3 ? [count, 28, 28] : [count];
  const body = Uint8Array.from({ length: sizeOf(dims) }, (_, i) => (rank === 1 ? (i * 3) % 10 : (i * 7) % 256));
  return { magic: 0x0800 + rank, dims, body };
}

beforeAll(async () => {
  model = makeModel();
  const dir = fresh('weights');
  goodPath = join(dir, 'good.safetensors');
  await model.saveWeights(goodPath);
  goodWeights = readFileSync(goodPath);
  goodDigest = await dt.utils.weightsDigest(model);

  // The last two checkpoints of a short fit (2 epochs of 2 steps: steps 3 and 4), written by the engine itself.
  checkpoints = fresh('checkpoints');
  const p = resumeProgram();
  await p.fit({ checkpoint: { dir: checkpoints, everySteps: 1, keep: 2 } });
  p.dispose();
  expect(readdirSync(checkpoints).sort()).toEqual(['ckpt-000000003', 'ckpt-000000004']);
});

// ---------------------------------------------------------------- safetensors

describe('fuzz: safetensors', () => {
  it('decodeSafetensors: consistent tensors or a DataFormatError; no allocation past the file size', async () => {
    await runProperty('safetensors-decode', property(safetensorsMutationArb, async (m: SafetensorsMutation) => {
      const bytes = applySafetensors(goodWeights, m);
      const what = `decodeSafetensors(${JSON.stringify(m)})`;
      const decoded = await withinMemory(4 * bytes.length + MiB, what, async () => {
        try {
          return decodeSafetensors(bytes, 'fuzz.safetensors');
        } catch (e) {
          expectFileError(e, ['loadSafetensors:'], 'fuzz.safetensors', what);
          return null;
        }
      });
      if (!decoded) return;
      // every tensor the header lists, none dropped (a name such as __proto__ included), each consistent
      const listed = Object.keys(JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'))).filter((k) => k !== '__metadata__');
      expect(Object.keys(decoded.tensors).sort(), `${what}: tensor names`).toEqual(listed.sort());
      for (const [name, t] of Object.entries(decoded.tensors)) {
        expect(['F32', 'I32', 'U8'], `${what}: ${name} dtype`).toContain(t.dtype);
        expect(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0), `${what}: ${name} shape ${JSON.stringify(t.shape)}`).toBe(true);
        expect(t.data.length, `${what}: ${name} data length`).toBe(sizeOf(t.shape));
      }
      for (const v of Object.values(decoded.metadata)) expect(typeof v).toBe('string');
      count('decoded');
    }), 1500);
  }, PROPERTY_TIMEOUT_MS);

  it('a header claiming 2^40 (or 2^53, 2^31) elements is refused before any allocation', async () => {
    for (const elements of [2 ** 40, 2 ** 53 - 1, 2 ** 31, 2 ** 28]) {
      const bytes = claimingSafetensors(elements, 64);
      await withinMemory(MiB, `${elements} elements`, async () => {
        expect(() => decodeSafetensors(bytes, 'claim.safetensors')).toThrow(dt.DataFormatError);
      });
    }
  });

  it('model.loadWeights: loads exactly the file, or throws a DataFormatError leaving the weights untouched', async () => {
    const dir = fresh('loadweights');
    await runProperty('safetensors-loadWeights', property(fc.tuple(safetensorsMutationArb, fc.constantFrom<'name' | 'order'>('name', 'order')), async ([m, matchBy]) => {
      const path = join(dir, 'w.safetensors');
      writeFileSync(path, applySafetensors(goodWeights, m));
      const what = `loadWeights(${JSON.stringify(m)}, ${matchBy})`;
      const before = dt.memory();
      let loaded = true;
      try {
        await withinMemory(4 * goodWeights.length + 2 * MiB, what, () => model.loadWeights(path, { matchBy }));
      } catch (e) {
        loaded = false;
        expectFileError(e, ['loadWeights:', 'loadSafetensors:'], path, what);
        expect(await dt.utils.weightsDigest(model), `${what}: weights changed by a failed load`).toBe(goodDigest);
      }
      if (loaded) {
        // Loaded: every weight holds a tensor of the file, bit for bit.
        const { tensors } = decodeSafetensors(readFileSync(path), path);
        const files = Object.values(tensors).map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
        for (const w of model.weights) {
          const d = await w.data();
          const bytes = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
          expect(files.some((f) => f.equals(bytes)), `${what}: ${w.name} holds no tensor of the file`).toBe(true);
        }
        count('loaded');
        await model.loadWeights(goodPath); // back to the reference weights
      }
      expectNoLeak(before, what);
    }), 800);
  }, PROPERTY_TIMEOUT_MS);
});

// ---------------------------------------------------------------- checkpoints

function resumeProgram() {
  dt.utils.setRandomSeed(11);
  const [x, y] = bandImages(16, 3, 4, 4, 3);
  const m = new dt.Sequential([
    dt.layers.Input({ shape: [4, 4, 1] }),
    new dt.layers.Conv2D(2, [2, 2], { activation: 'relu', name: 'c' }),
    new dt.layers.Dropout(0.25, { name: 'drop', seed: 5 }),
    new dt.layers.Flatten({ name: 'f' }),
    new dt.layers.Dense(3, { activation: 'softmax', name: 'd' }),
  ]);
  m.compile({ optimizer: new dt.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const train = dt.data.Dataset.fromTensorSlices([x, y]).shuffle(16, { seed: 3 }).batch(8);
  return {
    model: m,
    fit: (o: Partial<dt.FitOptions>) => m.fit(train, { epochs: 2, verbose: 0, ...o }),
    dispose: () => {
      m.dispose();
      dt.dispose([x, y]);
    },
  };
}

type CheckpointDamage =
  | { kind: 'bytes'; m: ByteMutation }
  | { kind: 'json'; m: JsonMutation }
  | { kind: 'safetensors'; m: SafetensorsMutation }
  | { kind: 'delete' };

interface CheckpointMutation {
  /** 0: the newest checkpoint, 1: the older one. */
  which: number;
  file: 'manifest.json' | 'state.json' | 'tensors.safetensors';
  damage: CheckpointDamage;
  /** Rewrite the damaged file's manifest entry (length and SHA-256) so the damage reaches its parser. */
  rehash: boolean;
}

const checkpointMutationArb: fc.Arbitrary<CheckpointMutation> = fc.record({
  which: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
  file: fc.constantFrom('manifest.json' as const, 'state.json' as const, 'tensors.safetensors' as const),
  damage: fc.oneof(
    { weight: 3, arbitrary: byteMutationArb.map((m) => ({ kind: 'bytes' as const, m })) },
    { weight: 4, arbitrary: jsonMutationArb.map((m) => ({ kind: 'json' as const, m })) },
    { weight: 3, arbitrary: safetensorsMutationArb.map((m) => ({ kind: 'safetensors' as const, m })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
  ),
  rehash: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

/** A fresh copy of the reference checkpoints with `m` applied; returns the root and the damaged checkpoint's path. */
function damagedCopy(m: CheckpointMutation): { dir: string; damaged: string } {
  const dir = fresh('ckpt');
  cpSync(checkpoints, dir, { recursive: true });
  const names = readdirSync(dir).sort().reverse();
  const damaged = join(dir, names[m.which]);
  const file = join(damaged, m.file);
  const bytes = readFileSync(file);
  const d = m.damage;
  if (d.kind === 'delete') {
    unlinkSync(file);
    return { dir, damaged };
  }
  let out: Buffer;
  if (d.kind === 'bytes') out = applyBytes(bytes, d.m);
  else if (d.kind === 'json') out = m.file === 'tensors.safetensors' ? applySafetensors(bytes, { json: d.m, length: 'exact', pad: '', bytes: null }) : Buffer.from(JSON.stringify(applyJson(JSON.parse(bytes.toString('utf8')), d.m)));
  else out = m.file === 'tensors.safetensors' ? applySafetensors(bytes, d.m) : applyBytes(bytes, d.m.bytes ?? { kind: 'truncate', at: 0.5 });
  writeFileSync(file, out);
  if (m.rehash && m.file !== 'manifest.json') {
    const manifestPath = join(damaged, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files[m.file] = { bytes: out.length, sha256: createHash('sha256').update(out).digest('hex') };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  }
  return { dir, damaged };
}

const READ_PREFIXES = ['readCheckpoint:', 'loadSafetensors:'];

describe('fuzz: checkpoints', () => {
  it('readCheckpoint / findLatestCheckpoint: a verified checkpoint, or DataFormatErrors naming the checkpoint', async () => {
    await runProperty('checkpoint-read', property(checkpointMutationArb, async (m) => {
      const { dir, damaged } = damagedCopy(m);
      const what = `checkpoint ${JSON.stringify(m)}`;
      const bound = 4 * (readdirSync(damaged).reduce((s, f) => s + readFileSync(join(damaged, f)).length, 0)) + 2 * MiB;
      let alone: dt.checkpoint.LoadedCheckpoint | null = null;
      let reason = '';
      await withinMemory(bound, what, async () => {
        try {
          alone = dt.checkpoint.readCheckpoint(damaged);
          const names = new Set(Object.keys(alone.tensors));
          for (const w of alone.state.model.weights) expect(names.has(`model/${w.name}`), `${what}: weight ${w.name} missing`).toBe(true);
          count('read');
        } catch (e) {
          expectFileError(e, READ_PREFIXES, damaged, what);
          reason = (e as Error).message;
        }
      });
      // The scan of the root: the damaged checkpoint if it verified, else the next valid one, reporting the skip.
      await withinMemory(2 * bound, what, async () => {
        let found: ReturnType<typeof dt.checkpoint.findLatestCheckpoint>;
        try {
          found = dt.checkpoint.findLatestCheckpoint(dir);
        } catch (e) {
          expectFileError(e, ['findLatestCheckpoint:'], dir, what);
          expect(m.which === 1 || alone === null, `${what}: findLatestCheckpoint failed although a checkpoint verified alone`).toBe(true);
          return;
        }
        expect(found).not.toBeNull();
        if (m.which === 0) {
          if (alone) expect(found!.checkpoint.path).toBe(damaged);
          else expect(found!.skipped).toEqual([{ name: damaged.split('/').pop(), reason }]);
        } else {
          expect(found!.skipped).toEqual([]); // the newest is intact
        }
      });
      rmSync(dir, { recursive: true, force: true });
    }), 200);
  }, PROPERTY_TIMEOUT_MS);

  it('fit({ resumeFrom }) over damaged checkpoints: resumes from a valid one, or fails leaving the model untouched', async () => {
    await runProperty('checkpoint-resume', property(checkpointMutationArb, async (m) => {
      const { dir } = damagedCopy(m);
      const what = `resume ${JSON.stringify(m)}`;
      const p = resumeProgram();
      const digest = await dt.utils.weightsDigest(p.model);
      const warn = console.warn;
      console.warn = () => {}; // the skipped checkpoints are reported on the console
      try {
        await p.fit({ resumeFrom: dir });
        count('resumed');
      } catch (e) {
        expectFileError(e, ['fit:', 'findLatestCheckpoint:', ...READ_PREFIXES], dir, what);
        expect(await dt.utils.weightsDigest(p.model), `${what}: a failed resume changed the weights`).toBe(digest);
      } finally {
        console.warn = warn;
        p.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    }), 60);
  }, PROPERTY_TIMEOUT_MS);
});

// ---------------------------------------------------------------- IDX (MNIST)

interface MnistMutation {
  file: string;
  idx: IdxMutation;
}

const mnistMutationArb: fc.Arbitrary<MnistMutation> = fc.record({ file: fc.constantFrom(...Object.keys(MNIST)), idx: idxMutationArb });

describe('fuzz: IDX files (mnist.loadData)', () => {
  it('loads consistent tensors or throws a DataFormatError naming the file; no allocation past the file size, no leak', async () => {
    await runProperty('idx-mnist', property(mnistMutationArb, async (m) => {
      const dir = fresh('mnist');
      let total = 0;
      for (const name of Object.keys(MNIST)) {
        const f = mnistFile(name);
        let bytes: Buffer;
        if (name === m.file) {
          const dims = [...f.dims];
          if (m.idx.dim) dims[m.idx.dim.index % dims.length] = m.idx.dim.value;
          bytes = idx(m.idx.magic ?? f.magic, dims, f.body);
          if (m.idx.bytes) bytes = applyBytes(bytes, m.idx.bytes);
        } else {
          bytes = idx(f.magic, f.dims, f.body);
        }
        total += bytes.length;
        const gz = name === m.file && m.idx.gzip;
        writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
      }
      const what = `mnist ${JSON.stringify(m)}`;
      const before = dt.memory();
      await withinMemory(4 * total + 2 * MiB, what, async () => {
        try {
          const [[xTrain, yTrain], [xTest, yTest]] = await dt.datasets.mnist.loadData({ path: dir });
          for (const [x, y] of [[xTrain, yTrain], [xTest, yTest]]) {
            expect(x.dtype).toBe('uint8');
            expect(x.shape.slice(1)).toEqual([28, 28]);
            expect(y.shape).toEqual([x.shape[0]]);
            expect(Math.max(0, ...(await y.data()))).toBeLessThanOrEqual(9);
          }
          dt.dispose([xTrain, yTrain, xTest, yTest]);
          count('loaded');
        } catch (e) {
          expectFileError(e, ['mnist.loadData:'], m.file, what);
        }
      });
      expectNoLeak(before, what);
      rmSync(dir, { recursive: true, force: true });
    }), 600);
  }, PROPERTY_TIMEOUT_MS);
});
