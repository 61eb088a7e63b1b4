/**
 * The plain scalar TypeScript loops (DITTO_CPU_WASM=0, set in this test process before any kernel
 * runs; the workers inherit it), the oracle of the WebAssembly SIMD ones, give the bits of the
 * frozen v1 kernels too: the suites of kernels-equivalence.ts, so the SIMD and the scalar loops
 * agree bit for bit on all of their cases (NaN, infinities, -0, subnormals, ties, odd sizes).
 */
import { afterAll, expect, it } from 'vitest';

process.env.DITTO_CPU_WASM = '0';
const { gemmKernelKind } = await import('../../../src/kernels/cpu/gemm-tasks.ts');
const { ewAvailable } = await import('../../../src/kernels/cpu/wasm-ew.ts');
await import('./kernels-equivalence.ts');

afterAll(() => {
  delete process.env.DITTO_CPU_WASM;
});

it('runs the scalar loops', () => {
  expect(gemmKernelKind()).toBe('scalar');
  expect(ewAvailable()).toBe(false);
});
