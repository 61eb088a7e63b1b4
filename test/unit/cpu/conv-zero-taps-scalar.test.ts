/**
 * conv2dGradInput's zero-tap skipping with the plain scalar micro-kernel (DITTO_CPU_WASM=0, set in
 * this test process before any kernel runs; the workers inherit it): the suites of conv-zero-taps.ts.
 */
import { afterAll, expect, it } from 'vitest';

process.env.DITTO_CPU_WASM = '0';
const { gemmKernelKind } = await import('../../../src/kernels/cpu/gemm-tasks.ts');
const { zeroTapSuites } = await import('./conv-zero-taps.ts');

afterAll(() => {
  delete process.env.DITTO_CPU_WASM;
});

it('runs the scalar micro-kernel', () => {
  expect(gemmKernelKind()).toBe('scalar');
});

zeroTapSuites();
