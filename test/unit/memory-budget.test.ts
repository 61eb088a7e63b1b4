/**
 * Issue 21, item 7: every backend allocation is checked against a memory budget (dt.config.setMemoryLimit;
 * default half the machine's memory) and the backend's largest buffer; one beyond either throws a
 * ResourceExhaustedError naming the op, the shape and the bytes, and changes no counter. Training then goes on.
 */
import { totalmem } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { expectNoLeaks } from '../util/leaks.ts';
import { describeWebGpu, webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

afterAll(() => dt.shutdown());

function rejection(fn: () => unknown): dt.ResourceExhaustedError {
  try {
    fn();
  } catch (e) {
    return e as dt.ResourceExhaustedError;
  }
  throw new Error('expected an error');
}

describe('memory budget', () => {
  afterEach(() => dt.config.setMemoryLimit(null));

  it('dt.zeros([65536, 65536]) (16 GiB) is refused at once, and nothing is counted', () => {
    const before = dt.memory();
    const e = rejection(() => dt.zeros([65536, 65536]));
    expect(e).toBeInstanceOf(dt.ResourceExhaustedError);
    expect(e).toBeInstanceOf(dt.TensorEngineError);
    expect(e.name).toBe('ResourceExhaustedError');
    expect(e.message).toMatch(/^fill: expected an allocation within the memory limit\. Received: shape=\[65536, 65536\] of float32, 17179869184 bytes, /);
    expect([e.op, e.shape, e.bytes]).toEqual(['fill', [65536, 65536], 17179869184]);
    expect(dt.memory()).toEqual(before);
  });

  it('the limit: default half the machine memory; setMemoryLimit lowers it; a refusal changes no counter', () => {
    expect(dt.config.getMemoryLimit()).toBe(Math.floor(totalmem() * dt.config.DEFAULT_MEMORY_FRACTION));
    expect(dt.config.DEFAULT_MEMORY_FRACTION).toBe(0.5);
    const before = dt.memory();
    dt.config.setMemoryLimit(before.numBytes + 1000);
    expect(dt.config.getMemoryLimit()).toBe(before.numBytes + 1000);
    const ok = dt.zeros([250]); // 1000 bytes: fits exactly
    expect(dt.memory().numBytes).toBe(before.numBytes + 1000);
    const e = rejection(() => dt.ones([1]));
    expect(e.message).toBe(`fill: expected an allocation within the memory limit. Received: shape=[1] of float32, 4 bytes, with ${before.numBytes + 1000} bytes in use on 'cpu' of a ${before.numBytes + 1000}-byte limit (dt.config.setMemoryLimit)`);
    const u = rejection(() => dt.tensor([1, 2, 3], [3], 'uint8'));
    expect([u.op, u.shape, u.bytes]).toEqual(['tensor', [3], 3]);
    ok.dispose();
    expect(dt.memory()).toEqual(before);
    dt.config.setMemoryLimit(null);
    expect(() => dt.config.setMemoryLimit(-1)).toThrow(/^setMemoryLimit: expected a positive integer number of bytes, or null for the default\. Received: -1$/);
    expect(() => dt.config.setMemoryLimit(1.5)).toThrow(dt.ArgumentError);
  });

  it('a fit that runs out of budget fails cleanly; with the limit restored it trains normally, leaking nothing', async () => {
    const x = dt.ones([8, 4]);
    const y = dt.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
    const ds = dt.data.Dataset.fromTensorSlices([x, y]).batch(4);
    const model = new dt.Sequential([dt.layers.Input({ shape: [4] }), new dt.layers.Dense(64, { activation: 'relu' }), new dt.layers.Dense(3, { activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(ds, { verbose: 0 });
    const before = dt.memory();
    dt.config.setMemoryLimit(before.numBytes + 2048); // less than one step's activations and gradients
    await expect(model.fit(ds, { verbose: 0 })).rejects.toBeInstanceOf(dt.ResourceExhaustedError);
    dt.config.setMemoryLimit(null);
    expect(dt.memory()).toEqual(before);
    await expectNoLeaks(async () => {
      const h = await model.fit(ds, { epochs: 2, verbose: 0 });
      expect(h.history.loss.every(Number.isFinite)).toBe(true);
    });
    model.dispose();
    dt.dispose([x, y]);
  });
});

describeWebGpu('memory budget (webgpu)', unavailable, () => {
  afterEach(() => dt.config.setMemoryLimit(null));

  it("the device's maxBufferSize and the budget are checked before anything is allocated", async () => {
    await dt.setBackend('webgpu');
    const before = dt.memory();
    const e = rejection(() => dt.zeros([65536, 65536]));
    expect(e).toBeInstanceOf(dt.ResourceExhaustedError);
    expect(e.message).toMatch(/^fill: expected an allocation within the memory limit\. Received: shape=\[65536, 65536\] of float32, 17179869184 bytes, over the \d+-byte largest buffer of the 'webgpu' backend$/);
    dt.config.setMemoryLimit(before.numBytes + 8);
    const small = dt.ones([2]);
    const r = rejection(() => dt.ones([1]));
    expect(r.message).toMatch(/in use on 'webgpu' of a \d+-byte limit/);
    small.dispose();
    expect(dt.memory()).toEqual(before);
    dt.config.setMemoryLimit(null);
    const o = dt.ones([3]);
    const t = dt.add(o, 1);
    expect(Array.from(await t.data())).toEqual([2, 2, 2]);
    dt.dispose([o, t]);
    await dt.setBackend('cpu');
  });
});
