/**
 * The native 2 x 2 max pooling (native/pool.c through src/kernels/cpu/native-pool.ts) gives the WebAssembly loops'
 * bits: random image counts, even and odd heights and widths, 4 to 40 channels, tied windows, NaN, infinities, -0
 * and subnormals, forward and gradient with and without the relu mask, over an image range that starts past 0;
 * bad arguments are errors naming the function; the comparison catches a gradient one bit off. Without the addon
 * (not built, or DITTO_CPU_NATIVE=0) these skip with the reason; with DITTO_CPU_NATIVE=1 (CI) they must run.
 * Whole models: thread-invariance.test.ts and the example's digest.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type NativePool, type PoolCase, comparePool, nativePool, poolSelfCheck } from '../../../src/kernels/cpu/native-pool.ts';
import { describeNative } from '../../util/native.ts';

const caseArb: fc.Arbitrary<PoolCase> = fc.record({
  N: fc.integer({ min: 1, max: 3 }),
  H: fc.integer({ min: 0, max: 9 }),
  W: fc.integer({ min: 2, max: 9 }),
  C: fc.integer({ min: 0, max: 10 }).map((q) => 4 * q),
  ties: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describeNative('native max pooling', nativePool, (native) => {
  it('gives the WebAssembly loops\' bits on random shapes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(comparePool(native, c)).toBe('');
      }),
      { numRuns: 200, seed: 0x9001 },
    );
  });

  it('bad arguments are errors naming the function', () => {
    const x = new Float32Array(2 * 4 * 4 * 4);
    const y = new Float32Array(2 * 2 * 2 * 4);
    expect(() => native.maxPool2(x, y, 0, 3, 4, 4, 4)).toThrow(/ditto_native\.maxPool2: images outside x or out/);
    expect(() => native.maxPool2(x, y, 0, 2, 4, 4, 6)).toThrow(/ditto_native\.maxPool2: bad geometry/);
    expect(() => native.maxPool2(x, y, 0, 2, 4, 4, -4)).toThrow(/ditto_native\.maxPool2: bad geometry/);
    // zero channels or rows: nothing to pool (the fuzz found these shapes)
    native.maxPool2(new Float32Array(0), new Float32Array(0), 0, 1, 8, 2, 0);
    native.maxPool2(new Float32Array(0), new Float32Array(0), 0, 1, 0, 4, 0);
    native.maxPool2Grad(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0, 1, 0, 4, 8, false);
    expect(() => native.maxPool2(x, y, 0, 2, -1, 4, 4)).toThrow(/ditto_native\.maxPool2: bad geometry/);
    expect(() => native.maxPool2(x, y, 1, 0, 4, 4, 4)).toThrow(/ditto_native\.maxPool2: bad geometry/);
    expect(() => native.maxPool2Grad(x, y, new Float32Array(8), 0, 2, 4, 4, 4, false)).toThrow(/ditto_native\.maxPool2Grad: images outside x, dy or dx/);
    expect(() => native.maxPool2Grad(x, y, x, 0, 2, 4, 4, 4, 1 as unknown as boolean)).toThrow(/ditto_native\.maxPool2Grad: relu must be a boolean/);
    expect(() => native.maxPool2(x, new Int32Array(32) as unknown as Float32Array, 0, 2, 4, 4, 4)).toThrow(/ditto_native\.maxPool2: expected a Float32Array/);
  });

  it('the self-check catches a gradient one bit off', () => {
    const off: NativePool = {
      maxPool2: (...a) => native.maxPool2(...a),
      maxPool2Grad(x, dy, dx, n0, n1, H, W, C, relu) {
        native.maxPool2Grad(x, dy, dx, n0, n1, H, W, C, relu);
        const i = n1 * H * W * C - 1;
        new Int32Array(dx.buffer)[i] ^= 1 << 31;
      },
    };
    expect(poolSelfCheck(off)).toMatch(/maxPool2Grad .* natively/);
    expect(poolSelfCheck(native)).toBe('');
  });
});
