/**
 * Op traces and their diff find where two runs diverge: a bit flipped in one op's output at one step (injected
 * through the backend interface) is named exactly (step, op, layer, element index, 1 ulp); traces of the same small
 * fit are identical on 1 and 2 CPU threads and on CPU and WebGPU; two seeds diverge at the first random op
 * (Dropout's dropoutApply, which draws its mask); and tracing leaves the trained weights' bits unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { registerBackend } from '../../src/advanced.ts';
import { BitFlipBackend } from '../util/bit-flip-backend.ts';
import { itWebGpu, webgpuUnavailable } from '../util/webgpu.ts';

const flip = new BitFlipBackend();
registerBackend('cpu', () => flip, 1);

const dir = mkdtempSync(join(tmpdir(), 'ditto-trace-'));
const gpuUnavailable = await webgpuUnavailable();

beforeAll(async () => {
  await dt.setBackend('cpu');
});
afterAll(async () => {
  await dt.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** A small CNN with Dropout; fixed initializer seeds unless `seededInit` is false (then the global seed decides). */
function model(seededInit = true): dt.Sequential {
  const init = (seed: number) => (seededInit ? { kernelInitializer: new dt.initializers.GlorotUniform({ seed }) } : {});
  const m = new dt.Sequential([
    dt.layers.Input({ shape: [8, 8, 1] }),
    new dt.layers.Conv2D(4, [3, 3], { activation: 'relu', name: 'c1', ...init(1) }),
    new dt.layers.Dropout(0.25, { name: 'drop' }),
    new dt.layers.Flatten({ name: 'flat' }),
    new dt.layers.Dense(3, { activation: 'softmax', name: 'd1', ...init(2) }),
  ], { name: 'seq' });
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

function data(): dt.data.Dataset<readonly [dt.Tensor, dt.Tensor]> {
  const x = dt.tensor(Array.from({ length: 8 * 64 }, (_, i) => ((i * 37) % 101) / 101), [8, 8, 8, 1]);
  const y = dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
  return dt.data.Dataset.fromTensorSlices([x, y]).batch(4);
}

/** Trains 2 steps from seed `seed`, tracing to `name`; returns the trace's path and the weights digest. */
async function run(name: string, opts: { seed?: number; seededInit?: boolean; trace?: Partial<dt.debug.TraceOptions> | null; callbacks?: dt.Callback[] } = {}): Promise<{ path: string; digest: string }> {
  dt.utils.setRandomSeed(opts.seed ?? 7);
  const m = model(opts.seededInit ?? true);
  const path = join(dir, name);
  const trace = opts.trace === null ? undefined : { path, steps: [1, 2], values: true, ...opts.trace };
  await m.fit(data(), { epochs: 1, verbose: 0, callbacks: opts.callbacks, trace });
  const digest = await dt.utils.weightsDigest(m);
  m.dispose();
  return { path, digest };
}

const diff = (a: string, b: string): dt.debug.TraceDiff => dt.debug.diffTraces(dt.debug.readTrace(a), dt.debug.readTrace(b));

describe('dt.debug.trace and diffTraces', () => {
  it('names a bit flipped in one op output at one step exactly: step, op, layer, index, 1 ulp', async () => {
    const a = await run('clean.jsonl');
    // The first positive element from index 30 of step 2's forward convolution output: Conv2D with a relu runs as the
    // fused conv2dBiasAct primitive (conv2d + bias + relu in one op, the bits of the three).
    const records = dt.debug.readTrace(a.path).records;
    const conv = records.find((r) => r.st === 's2' && r.op === 'conv2dBiasAct' && r.phase === 'forward')!;
    const values = dt.debug.recordValues(conv)!;
    // ... that Dropout keeps (a dropped element would contaminate nothing): the last float32 output of the Dropout
    // layer's ops in that step with the convolution's shape is the layer's output.
    const dropped = records.filter((r) => r.st === 's2' && r.phase === 'forward' && r.scope === 'seq/drop' && r.dtype === 'float32'
      && r.shape.join() === conv.shape.join()).at(-1)!;
    const kept = dt.debug.recordValues(dropped)!;
    // Dropout scales by 1/0.75: a value whose scaled product stays in its binade (mantissa < 1.5) keeps a 1-ulp
    // change visible downstream; above, two adjacent floats can round to the same product and the flip vanishes.
    const index = values.findIndex((v, i) => i >= 30 && v > 0 && kept[i] !== 0 && v / 2 ** Math.floor(Math.log2(v)) < 1.4);
    class ArmAtStep2 extends dt.Callback {
      override onBatchBegin(batch: number): void {
        if (batch === 1) flip.arm({ op: 'conv2dBiasAct', occurrence: 0, index, bit: 0 });
      }
    }
    const b = await run('flipped.jsonl', { callbacks: [new ArmAtStep2()] });
    expect(flip.flipped).toBe(true);
    const d = diff(a.path, b.path);
    expect(d.agree).toBe(false);
    expect(d.structure).toBeUndefined();
    const r = d.root!;
    expect({ kind: r.kind, step: r.step, op: r.op, scope: r.scope, phase: r.phase }).toEqual({ kind: 'op', step: 2, op: 'conv2dBiasAct', scope: 'seq/c1', phase: 'forward' });
    const nd = [Math.floor(index / 144), Math.floor(index / 24) % 6, Math.floor(index / 4) % 6, index % 4];
    expect(r.elements).toMatchObject({ differing: 1, maxUlps: 1, firstIndex: index, firstIndexNd: nd });
    expect(d.contaminated.ops).toBeGreaterThan(0);
    expect(d.contaminated.steps).toEqual([2]);
    expect(d.contaminated.independent).toBe(0);
    const text = dt.debug.formatTraceDiff(d);
    expect(text).toContain("'conv2dBiasAct' (step 2, seq/c1, forward)");
    expect(text).toContain(`first at index ${index} [${nd.join(', ')}]`);
  });

  it('traces of the same fit are identical on 1 and 2 CPU threads', async () => {
    dt.config.setNumThreads(1);
    const a = await run('t1.jsonl.gz');
    dt.config.setNumThreads(2);
    const b = await run('t2.jsonl.gz');
    const d = diff(a.path, b.path);
    expect(d.agree, dt.debug.formatTraceDiff(d)).toBe(true);
    expect(d.compared).toBeGreaterThan(100);
    expect(d.onlyInA + d.onlyInB).toBe(0);
  });

  it('two seeds diverge at the first random op (Dropout\'s dropoutApply)', async () => {
    const a = await run('seed7.jsonl', { seed: 7 });
    const b = await run('seed8.jsonl', { seed: 8 });
    const d = diff(a.path, b.path);
    const firstRandom = dt.debug.readTrace(a.path).records.find((r) => r.op === 'dropoutApply')!;
    expect(firstRandom).toBeDefined();
    expect(d.root).toMatchObject({ kind: 'op', op: 'dropoutApply', seq: firstRandom.seq, step: 1, scope: 'seq/drop' });
  });

  it('a trace of every op (no steps) includes model building and agrees with itself', async () => {
    const a = await run('all-a.jsonl', { trace: { steps: undefined, values: false } });
    const b = await run('all-b.jsonl', { trace: { steps: undefined, values: false } });
    const recs = dt.debug.readTrace(a.path).records;
    expect(recs.some((r) => r.st === 'out')).toBe(true);
    expect(recs.some((r) => r.phase === 'gradient' && r.scope === 'seq/c1')).toBe(true);
    expect(diff(a.path, b.path).agree).toBe(true);
  });

  it('tracing does not change the trained weights', async () => {
    const traced = await run('digest.jsonl');
    const plain = await run('none', { trace: null });
    expect(traced.digest).toBe(plain.digest);
  });

  itWebGpu('CPU and WebGPU traces of the same fit are identical', gpuUnavailable, async () => {
    await dt.setBackend('cpu');
    const a = await run('cpu.jsonl');
    await dt.setBackend('webgpu');
    try {
      const b = await run('webgpu.jsonl');
      expect(dt.debug.readTrace(b.path).header.backend).toBe('webgpu');
      const d = diff(a.path, b.path);
      expect(d.agree, dt.debug.formatTraceDiff(d)).toBe(true);
      expect(d.compared).toBeGreaterThan(100);
    } finally {
      await dt.setBackend('cpu');
    }
  });

  it('refuses bad options and nested traces', async () => {
    await expect(dt.debug.trace({ path: '' }, () => 1)).rejects.toThrow(/expected options.path/);
    await expect(dt.debug.trace({ path: join(dir, 'x'), steps: [0] }, () => 1)).rejects.toThrow(/steps/);
    await expect(dt.debug.trace({ path: join(dir, 'x'), bogus: 1 } as never, () => 1)).rejects.toThrow(/unrecognized/);
    await expect(dt.debug.trace({ path: join(dir, 'outer') }, () => dt.debug.trace({ path: join(dir, 'inner') }, () => 1))).rejects.toThrow(/already recording/);
  });
});
