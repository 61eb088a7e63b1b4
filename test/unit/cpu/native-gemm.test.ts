/**
 * The native AVX2 GEMM tiles (native/gemm.c through src/kernels/cpu/native-gemm.ts) give the WebAssembly
 * GEMM module's bits: random calls of gemm, dgemm and dgemm3 (tile counts odd and even, terms across the 256
 * chunk boundaries, stored and added totals, per-panel term ranges, the bias and relu epilogue, NaN, infinities,
 * -0 and subnormals among the operands) compared word for word; out-of-heap operands are a RangeError, not a
 * crash; and the load-time self-check rejects an addon built with fused multiply-adds (compiled here, when a C
 * compiler is present). Without the addon (not built, or DITTO_CPU_NATIVE=0) these skip with the reason; with
 * DITTO_CPU_NATIVE=1 (CI) they must run. The same bits on whole models: thread-invariance.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { newMemory } from '../../../src/kernels/cpu/wasm-builder.ts';
import { CASE_LIMITS, type KernelCase, type NativeGemm, compareKernels, nativeGemm, selfCheck } from '../../../src/kernels/cpu/native-gemm.ts';
import { type NativeConv, convSelfCheck } from '../../../src/kernels/cpu/native-conv.ts';
import { describeNative } from '../../util/native.ts';

const caseArb: fc.Arbitrary<KernelCase> = fc
  .record({
    fn: fc.constantFrom('gemm', 'dgemm', 'dgemm3') as fc.Arbitrary<KernelCase['fn']>,
    mt: fc.integer({ min: 1, max: CASE_LIMITS.mt }),
    nt: fc.integer({ min: 1, max: CASE_LIMITS.nt }),
    kc: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 250, max: 520 }), fc.integer({ min: 0, max: CASE_LIMITS.kc })),
    store: fc.integer({ min: 0, max: 7 }),
    seed: fc.integer({ min: 0, max: 1000 }),
    withRanges: fc.boolean(),
    cuts: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: CASE_LIMITS.mt, maxLength: CASE_LIMITS.mt }),
  })
  .map(({ fn, mt, nt, kc, store, seed, withRanges, cuts }) => {
    // dgemm's contract is kc >= 1 (the WebAssembly form reads one term even for 0; native: a RangeError)
    const c: KernelCase = { fn, mt, nt, kc: fn === 'gemm' ? kc : Math.max(1, kc), store: fn === 'gemm' ? store & 1 : store, seed };
    if (fn !== 'gemm' || !withRanges) return c;
    const ranges = cuts.slice(0, mt).map(([a, b]) => {
      const lo = a % (kc + 1);
      return [lo, lo + (b % (kc - lo + 1))] as const;
    });
    return { ...c, ranges };
  });

describeNative('native GEMM tiles', nativeGemm, (native) => {
  it('gives the WebAssembly kernel\'s bits on random calls', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(compareKernels(native, c)).toBe('');
      }),
      { numRuns: 300, seed: 0x5eed },
    );
  });

  it('the epilogue paths each run: bias only, bias + relu, no epilogue, added', () => {
    for (const fn of ['dgemm', 'dgemm3'] as const) for (const store of [0, 1, 3, 7]) expect(compareKernels(native, { fn, mt: 2, nt: 5, kc: 9, store, seed: store })).toBe('');
  });

  it('operands outside the heap are a RangeError naming the function, and nothing is written', () => {
    const mem = newMemory(1 << 16);
    native.heap(mem.buffer);
    try {
      expect(() => native.gemm(0, 1024, 4096, 64, 2, 1, 3000, 1, 0)).toThrow(/ditto_native\.gemm: panels outside the heap/);
      expect(() => native.gemm(0, 0, 65400, 64, 1, 1, 1, 1, 0)).toThrow(/ditto_native\.gemm: totals outside the heap/);
      expect(() => native.dgemm(0, 0, 0, 32, 4096, 32, 1, 1, 0, 1, 0)).toThrow(/ditto_native\.dgemm: kc must be at least 1/);
      expect(() => native.gemm(0, 0, 4096, 64, 1, 1, 4)).toThrow(/ditto_native\.gemm: wrong number of arguments/);
      new Int32Array(mem.buffer).set([0, 5], 1000);
      expect(() => native.gemm(0, 0, 4096, 64, 1, 1, 4, 1, 4000)).toThrow(/ditto_native\.gemm: a term range outside 0\.\.kc/);
      new Int32Array(mem.buffer).set([0, 4, 8, 70000], 2000);
      expect(() => native.dgemm(8000, 8000, 0, 32, 4096, 32, 1, 1, 4, 1, 0)).toThrow(/ditto_native\.dgemm: an A element outside the heap/);
      expect(() => native.dgemm3(0, 0, 0, -4, 4096, 32, 1, 1, 4, 1, 0)).toThrow(/ditto_native\.dgemm3: negative size/);
      expect(() => native.dgemm(0, 0, 0, 32, 4096, 32, 1, 1, 4, 3, 65530)).toThrow(/ditto_native\.dgemm: bias outside the heap/);
      expect(new Float32Array(mem.buffer, 4096, 64).every((v) => v === 0)).toBe(true);
    } finally {
      // bind the thread's GEMM heap again (compareKernels does the same)
      expect(selfCheck(native)).toBe('');
    }
  });

  const cc = spawnSync('cc', ['--version']).status === 0;
  it.skipIf(!cc)(`the self-check rejects an addon whose multiply-adds are fused${cc ? '' : ' (skipped: no C compiler)'}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ditto-fma-'));
    try {
      const out = join(dir, 'fused.node');
      const include = ['/usr/include/node', join(process.execPath, '..', '..', 'include', 'node')];
      const sources = readdirSync('native').filter((f) => f.endsWith('.c')).map((f) => `native/${f}`);
      const r = spawnSync('cc', ['-O2', '-mavx2', '-mfma', '-ffp-contract=fast', '-fPIC', '-shared', ...include.map((d) => `-I${d}`), '-o', out, ...sources], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const fused = createRequire(import.meta.url)(out) as NativeGemm;
      const bad = selfCheck(fused);
      expect(bad).toMatch(/natively, .* in WebAssembly/);
      // so does the convolution's (native/conv.c: the same multiply-then-add per term)
      expect(convSelfCheck(fused as unknown as NativeConv)).toMatch(/convDirect .* natively, .* in WebAssembly/);
      // the real addon still agrees, and is bound to this thread's heap again
      expect(selfCheck(native)).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
