/**
 * The native column sums (native/colsum.c through src/kernels/cpu/native-colsum.ts) give the WebAssembly loops'
 * bits: random row ranges, row lengths and column strips (widths leaving 32-, 8- and 4-column remainders), NaN,
 * infinities, -0 and subnormals, compared word for word with the neighbours untouched; bad arguments are errors
 * naming the function; the comparison catches a sum one bit off. Without the addon (not built, or
 * DITTO_CPU_NATIVE=0) these skip with the reason; with DITTO_CPU_NATIVE=1 (CI) they must run.
 * The sum op on whole tensors: thread-invariance.test.ts, golden.test.ts and the example's digest.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type ColSumCase, type NativeColSum, colSumSelfCheck, compareColSum, nativeColSum } from '../../../src/kernels/cpu/native-colsum.ts';
import { describeNative } from '../../util/native.ts';

const caseArb: fc.Arbitrary<ColSumCase> = fc
  .record({
    r0: fc.integer({ min: 0, max: 20 }),
    rows: fc.integer({ min: 0, max: 300 }),
    ldq: fc.integer({ min: 1, max: 30 }),
    c0q: fc.nat(),
    wq: fc.nat(),
    strip: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ r0, rows, ldq, c0q, wq, strip, seed }) => {
    const ld = 4 * ldq;
    if (!strip) return { r0, r1: r0 + rows, ld, c0: 0, w: ld, seed };
    const c0 = 4 * (c0q % ldq);
    const w = 4 * (1 + (wq % (ldq - c0 / 4)));
    return { r0, r1: r0 + rows, ld, c0, w, seed };
  });

describeNative('native column sums', nativeColSum, (native) => {
  it('gives the WebAssembly loops\' bits on random rows and strips', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(compareColSum(native, c)).toBe('');
      }),
      { numRuns: 200, seed: 0xc015 },
    );
  });

  it('bad arguments are errors naming the function', () => {
    const x = new Float32Array(64);
    const out = new Float32Array(16);
    expect(() => native.colSum(x, out, 0, 5, 16, 0, 16, 0)).toThrow(/ditto_native\.colSum: rows outside x or sums outside out/);
    expect(() => native.colSum(x, out, 0, 4, 16, 0, 16, 1)).toThrow(/ditto_native\.colSum: rows outside x or sums outside out/);
    expect(() => native.colSum(x, out, 2, 1, 16, 0, 16, 0)).toThrow(/ditto_native\.colSum: negative offset or size/);
    expect(() => native.colSum(x, new Int32Array(16) as unknown as Float32Array, 0, 4, 16, 0, 16, 0)).toThrow(/ditto_native\.colSum: expected a Float32Array/);
  });

  it('the self-check catches a sum one bit off', () => {
    const off: NativeColSum = {
      colSum(x, out, r0, r1, ld, c0, w, o) {
        native.colSum(x, out, r0, r1, ld, c0, w, o);
        new Int32Array(out.buffer)[o + w - 1] ^= 1;
      },
    };
    expect(colSumSelfCheck(off)).toMatch(/colSum .* natively/);
    expect(colSumSelfCheck(native)).toBe('');
  });
});
