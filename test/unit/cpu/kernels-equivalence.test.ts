/**
 * The CPU kernels as programs run them (WebAssembly SIMD loops) give the bits of the frozen v1
 * kernels: the suites of kernels-equivalence.ts.
 */
import { expect, it } from 'vitest';
import { gemmKernelKind } from '../../../src/kernels/cpu/gemm-tasks.ts';
import { ewAvailable } from '../../../src/kernels/cpu/wasm-ew.ts';
import './kernels-equivalence.ts';

it('runs the WebAssembly SIMD loops', () => {
  expect(gemmKernelKind()).toBe('simd');
  expect(ewAvailable()).toBe(true);
});
