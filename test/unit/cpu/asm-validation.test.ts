/**
 * The asm.js modules (src/kernels/cpu/asm-gemm.js, asm-philox.js) must stay valid asm.js (they are the
 * fallback where WebAssembly SIMD is missing, and the test also checks that the SIMD modules compile
 * on every thread, where they are what runs): V8 runs
 * an invalid module as plain JavaScript (same bits, 1.5-5x slower) and only says so in a process
 * warning.
 * Checked with V8's %IsAsmWasmCode on the main thread and in every worker, in a fresh process
 * started through tsx (how programs load ditto) and in this test process (loaded through vitest's
 * transform), with no "Invalid asm.js" / "Linking failure" warning. A deliberately broken copy
 * proves the check can fail, and the module run as plain JavaScript gives the same bits as the
 * validated one (correctness never depends on validation).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SUM_CHUNK as CORE_CHUNK } from '../../../src/core/reduction-order.ts';
import { GemmKernels } from '../../../src/kernels/cpu/asm-gemm.js';
import { SUM_CHUNK, linkedGemmModule } from '../../../src/kernels/cpu/gemm-tasks.js';
import { linkedPhiloxModule } from '../../../src/kernels/cpu/random-tasks.js';
import { ROOT, runTs } from '../../util/subprocess.ts';
import { Rng, firstDifference } from './helpers.ts';

setFlagsFromString('--allow-natives-syntax');
const isAsmWasm = new Function('f', 'return %IsAsmWasmCode(f)') as (f: unknown) => boolean;
const SOURCE = readFileSync(join(ROOT, 'src/kernels/cpu/asm-gemm.js'), 'utf8');

/** Imports a variant of the module source from a temporary file; returns its GemmKernels. */
async function importVariant(source: string): Promise<typeof GemmKernels> {
  const dir = mkdtempSync(join(tmpdir(), 'ditto-asm-'));
  try {
    const file = join(dir, 'variant.mjs');
    writeFileSync(file, source);
    return (await import(pathToFileURL(file).href)).GemmKernels;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('asm.js GEMM module', () => {
  it('the chunk length matches the engine summation order', () => {
    expect(SUM_CHUNK).toBe(CORE_CHUNK);
  });

  it('both validate, and the WebAssembly SIMD modules compile, on the main thread and in every worker of a fresh tsx process, without warnings', async () => {
    const r = await runTs('test/unit/cpu/scripts/asm-check.ts');
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.toString());
    expect(res.sum).toBe(72);
    expect(res.asm).toEqual([3, 3, 3]); // both modules on the main thread and both workers
    expect(res.simd).toEqual([7, 7, 7]); // the three WebAssembly SIMD modules on every thread
    expect(res.warnings).toEqual([]);
  });

  it('validates in this process (loaded through the test runner transform)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const fn = linkedGemmModule();
    const philox = linkedPhiloxModule();
    await new Promise((r) => setTimeout(r, 20));
    process.off('warning', onWarning);
    expect(isAsmWasm(fn)).toBe(true);
    expect(isAsmWasm(philox)).toBe(true);
    expect(warnings.filter((m) => /asm\.js/.test(m))).toEqual([]);
  });

  it('the check detects an invalid module (negative control)', async () => {
    const broken = SOURCE.replace('a0 = fround(F[(pa + 0) >> 2]);', 'a0 = F[(pa + 0) >> 2];');
    expect(broken).not.toBe(SOURCE);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const Broken = await importVariant(broken);
    Broken(globalThis, null, new ArrayBuffer(1 << 16));
    await new Promise((r) => setTimeout(r, 20));
    process.off('warning', onWarning);
    expect(isAsmWasm(Broken)).toBe(false);
    expect(warnings.some((m) => /Invalid asm\.js/.test(m))).toBe(true);
  });

  it('gives the same bits run as asm.js and as plain JavaScript (non-finite and subnormal values too)', async () => {
    const Plain = await importVariant(SOURCE.replace('"use asm";', '"use strict";'));
    const rng = new Rng(42);
    const bytes = 1 << 20;
    const run = (factory: typeof GemmKernels, heapInit: Float32Array): Float32Array => {
      const heap = new ArrayBuffer(bytes);
      const F = new Float32Array(heap);
      F.set(heapInit);
      const k = factory(globalThis, null, heap);
      k.gemm(0, 4 * 60000, 4 * 120000, 4 * 12, 5, 3, 700); // 25 x 9 outputs over 700 terms
      k.gemm1(0, 4 * 60000, 4 * 121000, 4 * 12, 5, 3, 200); // 25 x 9 outputs over one chunk
      return F.slice(120000, 122000);
    };
    const init = new Float32Array(bytes / 4);
    const specials = [NaN, Infinity, -Infinity, -0, 1e-40, -3e-39, 3.4e38];
    for (let i = 0; i < 120000; i++) init[i] = rng.next() < 0.01 ? rng.pick(specials) : (rng.next() - 0.5) * 2 ** rng.int(-20, 20);
    const a = run(GemmKernels, init);
    const b = run(Plain, init);
    expect(isAsmWasm(GemmKernels)).toBe(true);
    expect(isAsmWasm(Plain)).toBe(false);
    // NaN payloads are not part of the contract (V8 may swap the operands of + and *, so which of
    // two NaNs survives depends on the compiled code): any NaN matches any NaN, all else bitwise.
    expect(firstDifference(a, b, true)).toBeNull();
  });
});
