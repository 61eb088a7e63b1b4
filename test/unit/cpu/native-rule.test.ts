/**
 * The rule of src/kernels/cpu/native-addon.ts for one native kernel (checkedNative): a self-check that reports a
 * difference, or throws, keeps the kernel off (with a warning, or under DITTO_CPU_NATIVE=1 an error naming the
 * kernel and the reason); a passing one turns it on; the decision is made once. Where the addon is not built (or
 * DITTO_CPU_NATIVE=0) every such kernel is off with the addon's reason.
 */
import { describe, expect, it, vi } from 'vitest';
import { checkedNative } from '../../../src/kernels/cpu/native-addon.ts';
import { nativeGemm } from '../../../src/kernels/cpu/native-gemm.ts';

const addonLoads = nativeGemm.status().active;
const required = process.env.DITTO_CPU_NATIVE === '1';

describe.skipIf(!addonLoads)(`checkedNative${addonLoads ? '' : ' (skipped: the addon is not active here)'}`, () => {
  it('a passing check turns the kernel on, once', () => {
    const check = vi.fn(() => '');
    const k = checkedNative('test kernel', () => ({ f: 1 }), check, () => true);
    expect(k.get()).toEqual({ f: 1 });
    expect(k.status()).toEqual({ active: true, reason: 'AVX2' });
    expect(check).toHaveBeenCalledTimes(1);
  });

  for (const [what, check] of [
    ['reports a difference', () => 'element 3 is 1 natively, 2 in WebAssembly'],
    ['throws', () => {
      throw new RangeError('ditto_native.f: bad block');
    }],
  ] as const) {
    it(`a check that ${what} keeps the kernel off (an error under DITTO_CPU_NATIVE=1)`, () => {
      const k = checkedNative('test kernel', () => ({ f: 1 }), check, () => true);
      if (required) {
        expect(() => k.get()).toThrow(/DITTO_CPU_NATIVE=1 requires the native kernel 'test kernel', which is unavailable: failed its self-check/);
        return;
      }
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        expect(k.get()).toBeNull();
        expect(k.status().active).toBe(false);
        expect(k.status().reason).toMatch(/^failed its self-check: /);
        expect(warn).toHaveBeenCalledTimes(1);
      } finally {
        warn.mockRestore();
      }
    });
  }
});
