/**
 * Step pacing on the WebGPU backend (commands.ts `mark`, the backend's `pace`): after each `pace()` the device has at
 * most the last step left to run (the host never queues more than one step ahead), marks already passed are not
 * waited for again, results are unchanged, and fit, evaluate and predict pace once per batch (so a progress bar shows
 * what the device has done, and an epoch is not recorded ahead in one go); what the stream remembers of submissions for
 * its wait predictions stays bounded when nothing waits. The CPU backend has no `pace`: its kernels
 * finish before `run` returns. Skips without an adapter unless REQUIRE_WEBGPU=1 (test/util/webgpu.ts).
 */
import { afterAll, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { currentBackend } from '../../../src/advanced.ts';
import { WebGpuBackend, createWebGpuBackend } from '../../../src/kernels/webgpu/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { describeWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';
import { bandImages, smallCnn } from '../nn/helpers.ts';

const unavailable = await webgpuUnavailable();
const own: WebGpuBackend[] = [];
afterAll(async () => {
  for (const b of own) await b.dispose();
  await dt.setBackend('cpu');
});

describeWebGpu('WebGPU step pacing', unavailable, () => {
  it('keeps at most one step running after each pace, and the results are those of unpaced work', async () => {
    const b = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    own.push(b);
    const n = 192;
    const info = (handle: ReturnType<WebGpuBackend['alloc']>) => ({ handle, shape: [n, n], dtype: 'float32' as const });
    const a = b.alloc('float32', n * n);
    const init = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1013) / 1013 - 0.5);
    b.write(a, 'float32', init);
    // each step: 4 chained matmuls (enough work that an unpaced host runs far ahead of lavapipe)
    let x = a;
    const ahead: number[] = [];
    for (let step = 0; step < 10; step++) {
      for (let k = 0; k < 4; k++) {
        const y = b.alloc('float32', n * n);
        b.run('matmul', [info(x), info(a)], { transposeA: false, transposeB: false }, info(y));
        if (x !== a) b.free(x);
        x = y;
      }
      await b.pace();
      ahead.push(b.stats().stream.marksAhead);
    }
    expect(b.stats().stream.marks).toBe(10);
    // the first pace has nothing older to wait for; from then on at most the newest step is unfinished
    expect(Math.max(...ahead)).toBeLessThanOrEqual(1);
    const paced = (await b.read(x, 'float32', n * n)) as Float32Array;
    await b.sync();
    expect(b.stats().stream.marksAhead).toBe(0);

    // the same 40 matmuls without pacing give the same bits
    const c = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    own.push(c);
    const a2 = c.alloc('float32', n * n);
    c.write(a2, 'float32', init);
    let x2 = a2;
    for (let k = 0; k < 40; k++) {
      const y = c.alloc('float32', n * n);
      c.run('matmul', [info(x2), info(a2)], { transposeA: false, transposeB: false }, info(y));
      if (x2 !== a2) c.free(x2);
      x2 = y;
    }
    expect(c.stats().stream.marks).toBe(0);
    const unpaced = (await c.read(x2, 'float32', n * n)) as Float32Array;
    expect(Buffer.from(paced.buffer).equals(Buffer.from(unpaced.buffer))).toBe(true);
  });

  it('remembers a bounded number of submissions when work is recorded and submitted without any wait', async () => {
    const b = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    own.push(b);
    const info = (handle: ReturnType<WebGpuBackend['alloc']>) => ({ handle, shape: [64], dtype: 'float32' as const });
    const x = b.alloc('float32', 64);
    b.write(x, 'float32', new Float32Array(64).fill(1));
    const submits = (b as unknown as { stream: { submits: number[] } }).stream.submits;
    for (let i = 0; i < 300; i++) {
      const y = b.alloc('float32', 64);
      b.run('relu', [info(x)], {}, info(y));
      b.flush();
      b.free(y);
    }
    expect(b.stats().stream.submits).toBeGreaterThanOrEqual(300);
    expect(submits.length).toBeLessThanOrEqual(128);
    await b.sync();
    expect(submits.length).toBe(0);
  });

  it('fit, evaluate and predict pace once per batch', async () => {
    await dt.setBackend('webgpu');
    resetNames();
    const backend = currentBackend() as unknown as WebGpuBackend;
    let calls = 0;
    const pace = backend.pace.bind(backend);
    backend.pace = async () => {
      calls++;
      await pace();
      // after each of them the device has at most that batch left to run
      expect(backend.stats().stream.marksAhead).toBeLessThanOrEqual(1);
    };
    try {
      const m = smallCnn();
      m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const [x, y] = bandImages(40, 1);
      await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      expect(calls).toBe(10);
      calls = 0;
      await m.evaluate(x, y, { batchSize: 16, verbose: 0 });
      expect(calls).toBe(3);
      calls = 0;
      const out = await m.predict(x, { batchSize: 10 });
      expect(calls).toBe(4);
      expect(out.shape).toEqual([40, 3]);
      dt.dispose([x, y, out]);
    } finally {
      delete (backend as { pace?: unknown }).pace;
    }
  });
});
