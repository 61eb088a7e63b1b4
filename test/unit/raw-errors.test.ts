/**
 * Issue 21, item 2: no raw TypeError, RangeError or ENOENT escapes the public API for these mistakes; each is an
 * engine error naming the function and what it received.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dt from '../../src/index.ts';

function model(): dt.Sequential {
  return new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(3, { activation: 'softmax' })]);
}

async function collect(ds: AsyncIterable<unknown>): Promise<void> {
  for await (const el of ds) dt.dispose(el as dt.Tensor);
}

describe('raw errors from inside', () => {
  it("compile({ metrics: 'accuracy' }) is refused as in Keras 3 (metrics must be a list)", () => {
    const m = model();
    expect(() => m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: 'accuracy' as never })).toThrow(dt.ArgumentError);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: 'accuracy' as never })).toThrow(
      /^compile: expected metrics to be a list of metric names or dt.metrics.Metric instances, e.g. metrics: \['accuracy'\]\. Received: metrics="accuracy"$/,
    );
    m.dispose();
  });

  it('fit, evaluate and predict on null or a non-iterable', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    await expect(m.fit(null as never)).rejects.toThrow(/^fit: expected a Dataset or an async iterable of \[x, y\] batches\. Received: null$/);
    await expect(m.fit(null as never)).rejects.toBeInstanceOf(dt.ArgumentError);
    await expect(m.fit(42 as never)).rejects.toThrow(/^fit: expected a Dataset .* Received: number$/);
    await expect(m.evaluate(undefined as never)).rejects.toThrow(/^evaluate: expected a Dataset .* Received: undefined$/);
    await expect(m.predict(null as never)).rejects.toThrow(/^predict: expected a Dataset .* Received: null$/);
    m.dispose();
  });

  it('a Dataset.map function that returns undefined', async () => {
    const t = dt.ones([4, 2]);
    const ds = dt.data.Dataset.fromTensorSlices(t).map(() => undefined as never);
    const before = dt.memory().numTensors;
    await expect(collect(ds)).rejects.toThrow(/^Dataset\.map: expected fn to return the new element .* Received: undefined/);
    expect(dt.memory().numTensors).toBe(before);
    const asyncDs = dt.data.Dataset.fromTensorSlices(t).map(async () => undefined as never);
    await expect(collect(asyncDs)).rejects.toThrow(dt.ArgumentError);
    t.dispose();
  });

  it('saveWeights into a missing folder names the path given', async () => {
    const m = model();
    const dir = mkdtempSync(join(tmpdir(), 'ditto-save-'));
    const path = join(dir, 'missing', 'w.safetensors');
    const err = await m.saveWeights(path).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(dt.ArgumentError);
    expect(err!.message).toBe(`saveWeights: expected a writable file path in an existing folder. Received: ${path} (its folder ${join(dir, 'missing')} does not exist)`);
    expect(err!.message).not.toMatch(/tmp-ditto/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    m.dispose();
  });

  it('tensor(Float64Array) converts to float32 as TF.js does', async () => {
    const t = dt.tensor(new Float64Array([1, 0.1, -2.5]));
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([3]);
    expect(Array.from(await t.data())).toEqual(Array.from(new Float32Array([1, 0.1, -2.5])));
    const i = dt.tensor(new Int16Array([1, -2]), [2, 1], 'int32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(await i.data())).toEqual([1, -2]);
    expect(() => dt.tensor(null as never)).toThrow(/^tensor: expected a number, nested arrays or a typed array\. Received: null$/);
    dt.dispose([t, i]);
  });
});
