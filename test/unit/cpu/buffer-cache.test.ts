/**
 * The CPU backend reuses freed SharedArrayBuffers for allocations of the same byte length (not
 * cleared: kernels write whole outputs, see writes-all-outputs.test.ts), a buffer freed twice is
 * handed out once, and the live buffer count is unaffected. A working set larger than the 128 MiB
 * minimum is kept whole, so that the next training step reuses every buffer instead of allocating
 * SharedArrayBuffers that V8 collects only when it next collects garbage (the process grew by
 * ~110 MB per step of the ResNet example before).
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/kernels/cpu/backend.ts';

describe('CPU backend buffer reuse', () => {
  it('reuses freed buffers of the same byte length', async () => {
    const be = new CpuBackend();
    const a = be.alloc('float32', 1000);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    a.fill(7);
    be.free(a);
    const b = be.alloc('int32', 1000); // same byte length, other dtype
    expect(b.buffer).toBe(a.buffer);
    expect(b).toBeInstanceOf(Int32Array);
    expect(b.length).toBe(1000);
    const c = be.alloc('float32', 1000);
    expect(c.buffer).not.toBe(a.buffer);
    expect(be.liveBuffers()).toBe(2);
    await be.dispose();
  });

  it('a buffer freed twice is handed out only once', async () => {
    const be = new CpuBackend();
    const a = be.alloc('float32', 64);
    be.free(a);
    be.free(a);
    const x = be.alloc('float32', 64);
    const y = be.alloc('float32', 64);
    expect(x.buffer).toBe(a.buffer);
    expect(y.buffer).not.toBe(a.buffer);
    await be.dispose();
  });

  it('keeps a working set larger than 128 MiB: a second identical step allocates nothing new', async () => {
    const be = new CpuBackend();
    const step = () => Array.from({ length: 40 }, () => be.alloc('float32', 1 << 20)); // 40 x 4 MiB = 160 MiB
    const first = step();
    for (const a of first) be.free(a);
    const second = step();
    const firstBuffers = new Set(first.map((a) => a.buffer));
    expect(second.filter((a) => firstBuffers.has(a.buffer))).toHaveLength(40);
    for (const a of second) be.free(a);
    await be.dispose();
  });
});
