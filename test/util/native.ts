/**
 * The one way the tests declare a suite of one native kernel (src/kernels/cpu/native-*.ts): without the kernel (the
 * addon not built, DITTO_CPU_NATIVE=0, no AVX2) the suite is skipped with the reason in its name; with
 * DITTO_CPU_NATIVE=1 (CI) it runs, and its first test fails unless the kernel is active. The body gets the kernel.
 *
 *   describeNative('native max pooling', nativePool, (pool) => { it(...) });
 */
import { describe, expect, it } from 'vitest';
import type { CheckedNative } from '../../src/kernels/cpu/native-addon.ts';

export function describeNative<T>(name: string, native: CheckedNative<T>, body: (kernel: T) => void): void {
  const status = native.status();
  const kernel = native.get();
  const skip = kernel === null && process.env.DITTO_CPU_NATIVE !== '1';
  describe.skipIf(skip)(skip ? `${name} (skipped: ${status.reason})` : name, () => {
    it('is active (DITTO_CPU_NATIVE=1 requires it)', () => {
      expect(status).toEqual({ active: true, reason: 'AVX2' });
    });
    body(kernel as T);
  });
}
