/**
 * The WebGPU backend's device life cycle and bookkeeping: the startup self-test (and its failure
 * path, warning or strict refusal), automatic backend selection (said once; CPU fallback with the
 * reason), device loss (an op, a pending read and sync give a clear BackendError, never a hang),
 * uncaptured GPU errors surfaced as BackendErrors, buffer pool reuse and leak-free bookkeeping,
 * the list of ops without a WebGPU kernel, and a process that exits after dt.shutdown().
 * The device tests skip (the reason in their names) without an adapter unless REQUIRE_WEBGPU=1,
 * where a missing adapter fails them (test/util/webgpu.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as adv from '../../../src/advanced.ts';
import { BackendRegistry } from '../../../src/core/backend-registry.ts';
import { CpuBackend } from '../../../src/kernels/cpu/index.ts';
import { WebGpuBackend, createWebGpuBackend, missingWebGpuKernels, selfTestVerdict, type GpuHandle } from '../../../src/kernels/webgpu/index.ts';
import { selfTestInputs } from '../../../src/kernels/webgpu/self-test.ts';
import { expectNoLeaks } from '../../util/leaks.ts';
import { runTs } from '../../util/subprocess.ts';
import { describeWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
afterAll(() => dt.shutdown());

/** Fails (instead of hanging) when `p` does not settle within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function info(handle: GpuHandle, shape: number[], dtype: dt.DType = 'float32') {
  return { handle, shape, dtype };
}

describe('WebGPU kernels', () => {
  it('prints the primitive ops without a WebGPU kernel (expected: none)', () => {
    const missing = missingWebGpuKernels();
    console.log(`ops in OP_NAMES without a WebGPU kernel: ${missing.length ? missing.join(', ') : '(none)'}`);
    expect(missing).toEqual([]);
  });

  it('self-test verdicts: pass, warning, strict refusal', () => {
    expect(selfTestVerdict(undefined, 'x', true)).toEqual({});
    expect(selfTestVerdict({ ok: true, guard: false, checked: 10, flushesSubnormals: false, failures: [], mismatches: {} }, 'x', true)).toEqual({});
    const bad = { ok: false, guard: false, checked: 10, flushesSubnormals: false, failures: ['div(...)'], mismatches: { div: 1 } };
    expect(selfTestVerdict(bad, 'gpu0', false).warning).toMatch(/NOT guaranteed to be bit-identical/);
    expect(selfTestVerdict(bad, 'gpu0', true).error).toMatch(/Refusing to start because DITTO_STRICT_WEBGPU=1/);
    // a driver that flushes subnormals (NVIDIA's Vulkan driver): a precise warning, strict refusal
    const ftz = { ...bad, flushesSubnormals: true, failures: ['mul(...)'], mismatches: { 'mul (subnormal)': 3 } };
    expect(selfTestVerdict(ftz, 'gpu0', false).warning).toMatch(/flushes subnormal float32 values to zero.*Elementwise \+ - \* \/, sqrt and comparisons stay exact.*below 2\^-126/);
    expect(selfTestVerdict(ftz, 'gpu0', true).error).toMatch(/Refusing to start because DITTO_STRICT_WEBGPU=1/);
  });
});

describeWebGpu('WebGPU backend', unavailable, () => {
  it('passes the float32 self-test on this adapter (division, sqrt, no FMA contraction, subnormals)', async () => {
    await dt.setBackend('webgpu');
    const b = adv.currentBackend() as unknown as WebGpuBackend;
    expect(b.name).toBe('webgpu');
    console.log(`webgpu adapter: ${b.description}; self-test: ${b.selfTest?.checked} checks, ${b.selfTest?.failures.length} failures`);
    expect(b.selfTest?.ok, b.selfTest?.failures.join('\n')).toBe(true);
    expect(b.selfTest!.checked).toBeGreaterThan(10000);
    expect(b.exact).toBe(true);
    console.log(`FMA contraction on this adapter: ${b.selfTest?.guard ? 'yes (kernels guarded)' : 'no'}`);
  });

  it('EXACT_GUARD pipelines (used on drivers that contract a*b+c) give the same bits as the CPU', async () => {
    const g = (await createWebGpuBackend({ selfTest: false, exactGuard: true })) as WebGpuBackend;
    expect(g.exactGuard).toBe(true);
    const cpu = new CpuBackend();
    const lcg = (n: number, seed: number) => {
      let s = seed >>> 0;
      return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
    };
    const both = async <O extends 'matmul' | 'resizeBilinear' | 'conv2d' | 'conv2dGradInput' | 'conv2dGradFilter'>(op: O, ins: [Float32Array, number[]][], attrs: adv.OpAttrMap[O], outShape: number[]) => {
      const size = outShape.reduce((x, y) => x * y, 1);
      const results: Float32Array[] = [];
      for (const be of [cpu, g] as adv.Backend[]) {
        const hs = ins.map(([v]) => {
          const h = be.alloc('float32', v.length);
          be.write(h, 'float32', v);
          return h;
        });
        const out = be.alloc('float32', size);
        be.run(op, hs.map((h, i) => ({ handle: h, shape: ins[i][1], dtype: 'float32' as const })), attrs, { handle: out, shape: outShape, dtype: 'float32' });
        results.push((await be.read(out, 'float32', size)) as Float32Array);
        for (const h of [...hs, out]) be.free(h);
      }
      expect(Buffer.from(results[1].buffer).equals(Buffer.from(results[0].buffer)), `${op} guarded`).toBe(true);
    };
    await both('matmul', [[lcg(37 * 300, 1), [37, 300]], [lcg(300 * 29, 2), [300, 29]]], { transposeA: false, transposeB: false }, [37, 29]);
    await both('matmul', [[lcg(3 * 70001, 3), [3, 70001]], [lcg(70001 * 2, 4), [70001, 2]]], { transposeA: false, transposeB: false }, [3, 2]);
    await both('resizeBilinear', [[lcg(2 * 5 * 7 * 3, 5), [2, 5, 7, 3]]], { size: [9, 4] }, [2, 9, 4, 3]);
    // the implicit-GEMM convolutions (K = 45 and 54 per output, 'same' padding, stride 2 x 1)
    const conv = { strides: [2, 1] as [number, number], padding: 'same' as const };
    await both('conv2d', [[lcg(2 * 7 * 6 * 5, 6), [2, 7, 6, 5]], [lcg(3 * 3 * 5 * 6, 7), [3, 3, 5, 6]]], conv, [2, 4, 6, 6]);
    await both('conv2dGradInput', [[lcg(2 * 4 * 6 * 6, 8), [2, 4, 6, 6]], [lcg(3 * 3 * 5 * 6, 9), [3, 3, 5, 6]]], { ...conv, inputShape: [2, 7, 6, 5] }, [2, 7, 6, 5]);
    await both('conv2dGradFilter', [[lcg(2 * 7 * 6 * 5, 10), [2, 7, 6, 5]], [lcg(2 * 4 * 6 * 6, 11), [2, 4, 6, 6]]], { ...conv, filterShape: [3, 3, 5, 6] }, [3, 3, 5, 6]);
    expect(g.stats().pipelines.compiled).toBeGreaterThan(0);
    await g.dispose();
  });

  it('a failing self-test warns loudly, or refuses to start when strict', async () => {
    const tamper = (want: Float32Array) => {
      want[0] = 12345;
    };
    const warnings: string[] = [];
    const b = await createWebGpuBackend({ selfTestTamper: tamper, warn: (m) => warnings.push(m), strict: false });
    expect('unavailable' in b).toBe(false);
    const wb = b as WebGpuBackend;
    expect(wb.exact).toBe(false);
    expect(wb.description).toMatch(/NOT bit-exact/);
    expect(warnings.join('\n')).toMatch(/WARNING.*NOT guaranteed to be bit-identical/s);
    await wb.dispose();
    await expect(createWebGpuBackend({ selfTestTamper: tamper, strict: true })).rejects.toThrow(/DITTO_STRICT_WEBGPU=1/);
  });

  it('self-test: mismatches only where a subnormal is involved are classified as flushing subnormals', async () => {
    const { a } = selfTestInputs();
    const i = a.findIndex((x) => x !== 0 && Math.abs(x) < 2 ** -126);
    expect(i).toBeGreaterThanOrEqual(0);
    // what a flush-to-zero driver gives for a*b with a subnormal a: a signed zero
    const tamper = (want: Float32Array) => {
      want[7 * i + 4] = want[7 * i + 4] === 1 ? 2 : 1;
    };
    const warnings: string[] = [];
    const wb = (await createWebGpuBackend({ selfTestTamper: tamper, warn: (m) => warnings.push(m), strict: false })) as WebGpuBackend;
    expect(wb.selfTest?.flushesSubnormals).toBe(true);
    expect(wb.selfTest?.mismatches).toEqual({ 'mul (subnormal)': 1 });
    expect(wb.exact).toBe(false);
    expect(wb.description).toMatch(/flushes subnormals: bit-exact with the CPU except for values below 2\^-126 inside reductions/);
    expect(warnings.join('\n')).toMatch(/flushes subnormal float32 values to zero/);
    await wb.dispose();
  });

  it('automatic selection picks WebGPU when an adapter exists and says so once', async () => {
    const e = new BackendRegistry();
    const notices: string[] = [];
    e.notice = (m) => notices.push(m);
    e.registerBackend('cpu', () => new CpuBackend(), 1);
    e.registerBackend('webgpu', () => createWebGpuBackend({ selfTest: false }), 2);
    expect((await e.ready()).name).toBe('webgpu');
    expect((await e.ready()).name).toBe('webgpu');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/using backend 'webgpu'/);
    await e.shutdown();
  });

  it('automatic selection prefers the CPU over a software-only adapter; setBackend still takes it', async () => {
    const e = new BackendRegistry();
    const notices: string[] = [];
    e.notice = (m) => notices.push(m);
    e.registerBackend('cpu', () => new CpuBackend(), 1);
    e.registerBackend('webgpu', ({ automatic }) => createWebGpuBackend({ selfTest: false, refuseSoftware: automatic }), 2);
    const picked = (await e.ready()).name;
    const probe = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    const software = /llvmpipe|lavapipe|swiftshader/i.test(probe.description);
    await probe.dispose();
    expect(picked).toBe(software ? 'cpu' : 'webgpu');
    if (software) expect(notices[0]).toMatch(/using backend 'cpu'.*webgpu: the only WebGPU adapter is a software one/);
    await e.setBackend('webgpu');
    expect(e.backendName()).toBe('webgpu');
    await e.shutdown();
  });

  it('automatic selection falls back to the CPU with the reason when there is no adapter', async () => {
    const e = new BackendRegistry();
    const notices: string[] = [];
    e.notice = (m) => notices.push(m);
    e.registerBackend('cpu', () => new CpuBackend(), 1);
    e.registerBackend('webgpu', () => ({ unavailable: 'no WebGPU adapter was found (test)' }), 2);
    expect((await e.ready()).name).toBe('cpu');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/using backend 'cpu'.*webgpu: no WebGPU adapter was found \(test\)/);
    await expect(e.setBackend('webgpu')).rejects.toThrow(/not available: no WebGPU adapter was found/);
    await e.shutdown();
  });

  it('device loss: an op, a pending read and sync fail with a clear BackendError, never hang', async () => {
    const b = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    const x = b.alloc('float32', 4);
    b.write(x, 'float32', new Float32Array([1, 2, 3, 4]));
    const y = b.alloc('float32', 4);
    b.run('add', [info(x, [4]), info(x, [4])], {}, info(y, [4]));
    const pending = b.read(y, 'float32', 4);
    b.gpu.device.destroy();
    await expect(within(pending, 20_000, 'pending read')).rejects.toThrow(/webgpu: the GPU device was lost \(destroyed/);
    expect(() => b.run('add', [info(x, [4]), info(x, [4])], {}, info(y, [4]))).toThrow(/device was lost/);
    expect(() => b.alloc('float32', 4)).toThrow(dt.BackendError);
    await expect(within(b.read(y, 'float32', 4), 20_000, 'read after loss')).rejects.toThrow(dt.BackendError);
    await expect(within(b.sync(), 20_000, 'sync after loss')).rejects.toThrow(/device was lost/);
    b.free(x);
    b.free(y);
    expect(b.liveBuffers()).toBe(0);
    await within(b.dispose(), 20_000, 'dispose after loss');
  });

  it('a read in flight when the device is lost rejects (through the engine, no hang)', async () => {
    await dt.setBackend('webgpu');
    const b = adv.currentBackend() as unknown as WebGpuBackend;
    const t = dt.matmul(dt.ones([64, 64]), dt.ones([64, 64]));
    const p = t.data();
    b.gpu.device.destroy();
    await expect(within(p, 20_000, 'tensor.data()')).rejects.toThrow(dt.BackendError);
    expect(() => dt.add(t, t)).toThrow(/device was lost/);
    await dt.shutdown();
    // a fresh backend works again
    await dt.setBackend('webgpu');
    const [a, s] = dt.tidy(() => {
      const o = dt.ones([2]);
      return [o, dt.add(o, o)];
    });
    expect(Array.from(await s.data())).toEqual([2, 2]);
    dt.dispose([a, s]);
  });

  it('an uncaptured GPU error is reported by the next call as a BackendError', async () => {
    const b = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    b.gpu.device.createBuffer({ size: 4, usage: 0xffff });
    await new Promise((r) => setTimeout(r, 50));
    expect(() => b.alloc('float32', 1)).toThrow(/device reported an error before alloc: .*BufferUsage/s);
    const h = b.alloc('float32', 1); // reported once, then the backend goes on
    b.free(h);
    await b.dispose();
    expect(() => b.alloc('float32', 1)).toThrow(/disposed backend/);
  });

  it('buffers return to the pool: no leaks, scratch buffers released, sizes reused', async () => {
    await dt.setBackend('webgpu');
    const b = adv.currentBackend() as unknown as WebGpuBackend;
    const baseline = b.liveBuffers();
    const x = dt.tensor(new Float32Array(2 * 9 * 9 * 3).map((_, i) => Math.sin(i)), [2, 9, 9, 3]);
    const w = dt.tensor(new Float32Array(3 * 3 * 3 * 4).map((_, i) => Math.cos(i)), [3, 3, 3, 4]);
    const step = async () => {
      const g = dt.tidy(() => dt.grad((a: dt.Tensor, k: dt.Tensor) => dt.sum(dt.square(dt.conv2d(a, k, { strides: 2, padding: 'same' }))))(x, w));
      await g[1].data();
      dt.dispose(g);
    };
    await expectNoLeaks(step);
    const created = b.stats().pool.created;
    for (let i = 0; i < 5; i++) await expectNoLeaks(step);
    const s = b.stats();
    expect(s.pool.created, 'no new buffers once the pool is warm').toBe(created);
    expect(s.pool.inUse, 'pool buffers in use = live tensor buffers (scratch returned)').toBe(s.liveBuffers);
    expect(b.liveBuffers()).toBe(dt.memory().numBuffers);
    dt.dispose([x, w]);
    expect(b.liveBuffers()).toBe(baseline);
  });

  it('a tensor beyond one storage binding: windowed where possible, a clear BackendError otherwise', async () => {
    await dt.setBackend('webgpu');
    const b = adv.currentBackend() as unknown as WebGpuBackend;
    const saved = { ...b.gpu.limits };
    b.gpu.limits.maxStorageBufferBindingSize = 4096;
    try {
      const [x, ok] = dt.tidy(() => {
        const t = dt.ones([40, 50]); // 8000 bytes
        return [t, dt.slice(dt.mul(t, 2), [39, 0], [1, 50])];
      });
      expect(Array.from(await ok.data()).every((v) => v === 2)).toBe(true);
      expect(() => dt.transpose(x, [1, 0])).toThrow(/cannot be split into windows/);
      expect(() => dt.sum(x)).toThrow(/exceeds the device's maxStorageBufferBindingSize/);
      expect(() => dt.matmul(x, x, { transposeB: true })).toThrow(/exceeds the device's maxStorageBufferBindingSize/);
      dt.dispose([x, ok]);
    } finally {
      Object.assign(b.gpu.limits, saved);
    }
  });

  it('many dispatches per submission: a chain of ops records without waiting', async () => {
    await dt.setBackend('webgpu');
    const b = adv.currentBackend() as unknown as WebGpuBackend;
    await dt.sync();
    const before = b.stats().stream;
    let t = dt.ones([16, 16]);
    for (let i = 0; i < 100; i++) {
      const n = dt.add(t, 1);
      t.dispose();
      t = n;
    }
    const mid = b.stats().stream;
    expect(mid.readbacks - before.readbacks).toBe(0);
    expect(mid.submits - before.submits, 'at most a few submissions for 200 dispatches').toBeLessThanOrEqual(1);
    expect(Array.from(await t.data()).every((v) => v === 101)).toBe(true);
    t.dispose();
  });

  it('a process that used WebGPU exits after dt.shutdown()', async () => {
    const r = await runTs('test/unit/webgpu/scripts/exit-after-shutdown.ts', [], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString().trim()).toBe('webgpu 4,4,4,4,4,4');
  });
});
