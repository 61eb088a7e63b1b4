/**
 * The native dropout stream (native/philox.c through src/kernels/cpu/native-philox.ts) gives the WebAssembly
 * Philox loop's bits: random lengths, offsets, keys, counters (word 0 up to the top of its range) and rates,
 * NaN, infinities, -0 and subnormals among the inputs, compared word for word, and nothing written outside the
 * range; bad arguments are errors naming the function; the comparison catches a stream one bit off. Without the
 * addon (not built, or DITTO_CPU_NATIVE=0) these skip with the reason; with DITTO_CPU_NATIVE=1 (CI) they must run.
 * Whole models: thread-invariance.test.ts and the example's digest.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type DropoutCase, type NativeDropout, compareDropout, dropoutSelfCheck, nativeDropout } from '../../../src/kernels/cpu/native-philox.ts';
import { describeNative } from '../../util/native.ts';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

const caseArb: fc.Arbitrary<DropoutCase> = fc
  .record({
    n: fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 3000 })),
    i0: fc.integer({ min: 0, max: 40 }),
    key: fc.tuple(u32, u32),
    c: fc.tuple(u32, u32, u32, u32),
    top: fc.boolean(),
    rate: fc.constantFrom(0, 0.1, 0.2, 0.5, 0.9, 0.999),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ n, i0, key, c, top, rate, seed }) => {
    // word 0 must not wrap within the range (the caller's contract): near the top, the last block is 2^32 - 1
    const blocks = Math.ceil(n / 4);
    const c0 = top ? 2 ** 32 - Math.max(1, blocks) : Math.min(c[0], 2 ** 32 - Math.max(1, blocks));
    return { n, i0, key, counter: [c0, c[1], c[2], c[3]] as const, rate, seed };
  });

describeNative('native Philox dropout', nativeDropout, (native) => {
  it('gives the WebAssembly loop\'s bits on random ranges', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(compareDropout(native, c)).toBe('');
      }),
      { numRuns: 200, seed: 0xd209 },
    );
  });

  it('bad arguments are errors naming the function', () => {
    const x = new Float32Array(16);
    expect(() => native.dropout(x, new Float32Array(8), 0, 16, 1, 2, 0, 0, 0, 0, 0, 0)).toThrow(/ditto_native\.dropout: elements outside x or out/);
    expect(() => native.dropout(x, x, -1, 4, 1, 2, 0, 0, 0, 0, 0, 0)).toThrow(/ditto_native\.dropout: elements outside x or out/);
    expect(() => native.dropout(x, x, 0, 16, 1, 2, -2, 0, 0, 0, 0, 0)).toThrow(/ditto_native\.dropout: counter word 0 would wrap/);
    expect(() => native.dropout(new Int32Array(16) as unknown as Float32Array, x, 0, 4, 1, 2, 0, 0, 0, 0, 0, 0)).toThrow(/ditto_native\.dropout: expected a Float32Array/);
    expect(() => (native.dropout as (...a: unknown[]) => void)(x, x, 0, 4)).toThrow(/ditto_native\.dropout: wrong number of arguments/);
  });

  it('the self-check catches a stream one bit off, and one that writes past its range', () => {
    const flip: NativeDropout = {
      dropout(x, out, i0, m, ...rest) {
        native.dropout(x, out, i0, m, ...rest);
        if (m > 40) new Int32Array(out.buffer, out.byteOffset)[i0 + 40] ^= 1;
      },
    };
    expect(dropoutSelfCheck(flip)).toMatch(/element 40 is .* natively/);
    const spill: NativeDropout = {
      dropout(x, out, i0, m, ...rest) {
        native.dropout(x, out, i0, m, ...rest);
        out[i0 + m] = 0;
      },
    };
    expect(dropoutSelfCheck(spill)).toMatch(/wrote element .* outside its range/);
    expect(dropoutSelfCheck(native)).toBe('');
  });
});
