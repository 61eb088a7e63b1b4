/**
 * The WebGPU backend writes one-element tensors with the fill shader (a dispatch in the open compute pass) instead of
 * a staged copy: the bits read back are the typed array's own (NaN payloads, -0, subnormals, +-Inf, int32 and uint8
 * extremes), and the write is ordered with the work around it: a scalar written into a pooled buffer that an earlier,
 * not yet submitted op still reads does not change what that op read, and an op recorded after the write sees it.
 * Skips without an adapter unless REQUIRE_WEBGPU=1 (test/util/webgpu.ts).
 */
import { afterAll, expect, it } from 'vitest';
import { WebGpuBackend, createWebGpuBackend } from '../../../src/kernels/webgpu/index.ts';
import { describeWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
let backend: WebGpuBackend | null = null;
afterAll(async () => {
  await backend?.dispose();
});

const bits = (a: ArrayBufferView) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4));

describeWebGpu('WebGPU one-element writes', unavailable, () => {
  it('keep the exact bits of float32, int32 and uint8 scalars', async () => {
    const b = (backend ??= (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend);
    const f32Words = [0x7fc00000, 0x7fa00001, 0xffc12345, 0x80000000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x3f800000, 0];
    for (const w of f32Words) {
      const v = new Float32Array(new Uint32Array([w]).buffer);
      const h = b.alloc('float32', 1);
      b.write(h, 'float32', v);
      const r = (await b.read(h, 'float32', 1)) as Float32Array;
      expect(bits(r), `float32 word 0x${w.toString(16)}`).toEqual([w]);
      b.free(h);
    }
    for (const v of [-2147483648, -1, 0, 2147483647]) {
      const h = b.alloc('int32', 1);
      b.write(h, 'int32', new Int32Array([v]));
      expect(Array.from((await b.read(h, 'int32', 1)) as Int32Array)).toEqual([v]);
      b.free(h);
    }
    for (const v of [0, 1, 255]) {
      const h = b.alloc('uint8', 1);
      b.write(h, 'uint8', new Uint8Array([v]));
      expect(Array.from((await b.read(h, 'uint8', 1)) as Uint8Array)).toEqual([v]);
      b.free(h);
    }
  });

  it('are ordered with the recorded work around them (a reused buffer, no submit in between)', async () => {
    // a fresh backend: its pool holds only the buffers freed here
    const b = (await createWebGpuBackend({ selfTest: false })) as WebGpuBackend;
    const info = (handle: ReturnType<WebGpuBackend['alloc']>, shape: number[]) => ({ handle, shape, dtype: 'float32' as const });
    const x = b.alloc('float32', 1);
    b.write(x, 'float32', new Float32Array([3]));
    const y = b.alloc('float32', 1);
    b.run('neg', [info(x, [])], {} as never, info(y, []));
    // x's buffer goes back to the pool and is handed out again at once: the write must come after neg's read
    b.free(x);
    const z = b.alloc('float32', 1);
    expect(z.buffer).toBe(x.buffer);
    b.write(z, 'float32', new Float32Array([5]));
    const w = b.alloc('float32', 1);
    b.run('add', [info(y, []), info(z, [])], {} as never, info(w, []));
    expect(Array.from((await b.read(w, 'float32', 1)) as Float32Array)).toEqual([2]);
    expect(Array.from((await b.read(y, 'float32', 1)) as Float32Array)).toEqual([-3]);
    for (const h of [y, z, w]) b.free(h);
    await b.dispose();
  });
});
