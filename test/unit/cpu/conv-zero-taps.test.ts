/**
 * conv2dGradInput's zero-tap skipping with the WebAssembly SIMD micro-kernel (the suites of
 * conv-zero-taps.ts; conv-zero-taps-scalar.test.ts runs them on the scalar one).
 */
import { zeroTapSuites } from './conv-zero-taps.ts';

zeroTapSuites();
