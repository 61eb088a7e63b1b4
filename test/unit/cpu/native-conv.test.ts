/**
 * The native convolution (native/conv.c through src/kernels/cpu/native-conv.ts) gives the WebAssembly twin's bits
 * (the dgemm tile on a zero-padded copy of x, epi, then the WebAssembly pooling loop): random channel and filter
 * counts (column counts that are not multiples of 8), kernel sizes, strides, dilations and padding, one chunk of
 * terms and several (K > 256), bias and relu, pooled windows, sub-blocks, the input gradient's form, with NaN,
 * infinities, -0 and subnormals among the operands; through the engine, conv2d, conv2dBiasAct,
 * conv2dBiasActMaxPool, conv2dGradInput and conv2dGradFilter give the same bits with the kernels on and off; the
 * filter gradient's chunk sums and totals (native/convfilter.c) likewise against the twin; bad arguments are errors naming the function; the comparison catches one output one bit off. Without
 * the addon (not built, or DITTO_CPU_NATIVE=0) these skip with the reason; with DITTO_CPU_NATIVE=1 (CI) they must
 * run. The frozen reference kernels' tests (test/unit/cpu/conv-*.test.ts) run through it too where it is active.
 */
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import * as adv from '../../../src/advanced.ts';
import { CONV_BIAS, CONV_GRAD_INPUT, CONV_POOL, CONV_RELU, type ConvCase, type NativeConv, compareConv, convSelfCheck, nativeConv } from '../../../src/kernels/cpu/native-conv.ts';
import { describeNative } from '../../util/native.ts';

/** A case: geometry first, then a block inside its outputs (pooled: whole pairs of rows). */
function caseArb(minC: number, maxC: number, pool: boolean): fc.Arbitrary<ConvCase> {
  return fc
    .record({
      N: fc.integer({ min: 1, max: 2 }),
      C: fc.integer({ min: minC, max: maxC }),
      F: pool ? fc.integer({ min: 1, max: 10 }).map((q) => 4 * q) : fc.integer({ min: 1, max: 40 }),
      inH: fc.integer({ min: 1, max: 9 }),
      inW: fc.integer({ min: 1, max: 9 }),
      kH: fc.integer({ min: 1, max: 4 }),
      kW: fc.integer({ min: 1, max: 4 }),
      dH: fc.integer({ min: 1, max: 2 }),
      dW: fc.integer({ min: 1, max: 2 }),
      sH: fc.integer({ min: 1, max: 3 }),
      sW: fc.integer({ min: 1, max: 3 }),
      padTop: fc.integer({ min: 0, max: 2 }),
      padLeft: fc.integer({ min: 0, max: 2 }),
      outH: pool ? fc.integer({ min: 1, max: 3 }).map((q) => 2 * q) : fc.integer({ min: 1, max: 6 }),
      outW: pool ? fc.integer({ min: 1, max: 3 }).map((q) => 2 * q) : fc.integer({ min: 1, max: 6 }),
      flags: fc.constantFrom(0, CONV_BIAS, CONV_BIAS | CONV_RELU).map((f) => f | (pool ? CONV_POOL : 0)),
      finiteW: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
      cut: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    })
    .map(({ cut, ...c }) => {
      const unit = pool ? 2 * c.outW : 1;
      const units = (c.N * c.outH * c.outW) / unit;
      const u0 = Math.floor(cut[0] * units);
      const m0 = u0 * unit;
      const mc = (1 + Math.floor(cut[1] * (units - u0 - 1))) * unit;
      const n0 = Math.floor(cut[2] * c.F);
      const nc = 1 + Math.floor(cut[3] * (c.F - n0 - 1));
      return { ...c, block: [m0, Math.min(mc, c.N * c.outH * c.outW - m0), n0, Math.min(nc, c.F - n0)] as [number, number, number, number] };
    });
}

/** A seeded generator of tensors with values in [-1, 1) (an LCG; the engine tests' own operands). */
function tensors(seed: number): (shape: readonly number[]) => dt.Tensor {
  return (shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return dt.tensor(Float32Array.from({ length: n }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1), [...shape]);
  };
}

/** The bits of run() with this thread's native convolutions on, then off (disposing what it returns). */
function bitsOnOff(run: () => dt.Tensor): [Uint32Array, Uint32Array] {
  const bits = [true, false].map((on) => {
    nativeConv.enable(on);
    const y = run();
    const out = new Uint32Array(y.dataSync().buffer.slice(0));
    y.dispose();
    return out;
  });
  return [bits[0], bits[1]];
}

describeNative('native convolution', nativeConv, (native) => {
  afterEach(() => nativeConv.enable(true));

  it('gives the WebAssembly twin\'s bits on random few-channel convolutions (one chunk of terms)', () => {
    fc.assert(
      fc.property(caseArb(1, 4, false), (c) => {
        expect(compareConv(native, c)).toBe('');
      }),
      { numRuns: 250, seed: 0xc011 },
    );
  });

  it('gives the WebAssembly twin\'s bits with pooled windows', () => {
    fc.assert(
      fc.property(caseArb(1, 8, true), (c) => {
        expect(compareConv(native, c)).toBe('');
      }),
      { numRuns: 200, seed: 0xc012 },
    );
  });

  it('gives the WebAssembly twin\'s bits over several chunks of terms (K > 256)', () => {
    fc.assert(
      fc.property(caseArb(30, 70, false).filter((c) => c.kH * c.kW * c.C > 256), (c) => {
        expect(compareConv(native, c)).toBe('');
      }),
      { numRuns: 60, seed: 0xc013 },
    );
    // 4096 terms (16 chunks): one pixel of a 4 x 4 window over 256 channels
    const big: ConvCase = { N: 1, C: 256, F: 12, inH: 4, inW: 4, kH: 4, kW: 4, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 1, outW: 1, flags: 3, seed: 9 };
    expect(compareConv(native, big)).toBe('');
  });

  it('gives the WebAssembly twin\'s bits in the input gradient\'s form (flipped taps, transposed filter)', () => {
    const grad = caseArb(1, 40, false).map((c) => ({ ...c, sH: 1, sW: 1, padTop: Math.min(c.padTop, (c.kH - 1) * c.dH), padLeft: Math.min(c.padLeft, (c.kW - 1) * c.dW), flags: CONV_GRAD_INPUT }));
    fc.assert(
      fc.property(grad, (c) => {
        expect(compareConv(native, c)).toBe('');
      }),
      { numRuns: 150, seed: 0xc014 },
    );
  });

  it('gives the WebAssembly twin\'s bits for filter gradients: chunk sums apart and totals, sub-blocks', () => {
    const filter = fc
      .tuple(caseArb(1, 6, false), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([c, whole, a, b]) => {
        const M = c.kH * c.kW * c.C;
        const chunks = Math.ceil((c.N * c.outH * c.outW) / 256);
        const ch0 = Math.floor(a * chunks);
        const ch1 = Math.min(chunks, ch0 + 1 + Math.floor(b * (chunks - ch0)));
        const m0 = Math.floor(a * M);
        const mc = 1 + Math.floor(b * (M - m0 - 1));
        return { ...c, flags: 0, filter: { chunks: [ch0, ch1] as [number, number], whole }, block: [m0, mc, c.block![2], c.block![3]] as [number, number, number, number] };
      });
    fc.assert(
      fc.property(filter, (c) => {
        expect(compareConv(native, c)).toBe('');
      }),
      { numRuns: 150, seed: 0xc015 },
    );
    // more positions: 3 x 30 x 30 = 2700 (11 chunks), one channel, both forms
    const big: ConvCase = { N: 3, C: 1, F: 32, inH: 32, inW: 32, kH: 3, kW: 3, dH: 1, dW: 1, sH: 1, sW: 1, padTop: 0, padLeft: 0, outH: 30, outW: 30, flags: 0, seed: 3 };
    expect(compareConv(native, { ...big, filter: { chunks: [0, 11], whole: true } })).toBe('');
    expect(compareConv(native, { ...big, filter: { chunks: [2, 9], whole: false } })).toBe('');
  });

  it('through the engine: conv2dGradFilter gives the same bits with the kernel on and off (few channels natively)', () => {
    dt.config.setNumThreads(1);
    const cases: [number[], number[], Record<string, unknown>][] = [
      [[4, 12, 11, 1], [3, 3, 1, 8], { padding: 'valid' }],
      [[2, 9, 9, 3], [3, 3, 3, 20], { padding: 'same' }],
      [[1, 10, 9, 4], [2, 3, 4, 7], { padding: 'same', dilations: 2 }],
      [[1, 9, 8, 2], [3, 3, 2, 6], { padding: 'same', strides: 2 }],
      [[1, 8, 8, 6], [3, 3, 6, 5], { padding: 'valid' }],
    ];
    const rand = tensors(13);
    for (const [xs, ws, opts] of cases) {
      const x = rand(xs);
      const w = dt.zeros(ws);
      const y0 = dt.conv2d(x, w, opts as never);
      const dy = rand(y0.shape);
      const [on, off] = bitsOnOff(() => adv.conv2dGradFilter(x, dy, ws, opts as never));
      expect(on).toEqual(off);
      for (const t of [x, w, y0, dy]) t.dispose();
    }
  });

  it('through the engine: conv2dGradInput gives the same bits with the kernel on and off (unit strides natively, others not)', () => {
    dt.config.setNumThreads(1);
    const cases: [number[], number[], Record<string, unknown>][] = [
      [[2, 11, 10, 1], [3, 3, 1, 8], { padding: 'valid' }],
      [[2, 9, 9, 3], [3, 3, 3, 20], { padding: 'same' }],
      [[1, 12, 12, 32], [3, 3, 32, 32], { padding: 'valid' }],
      [[1, 10, 9, 5], [2, 3, 5, 7], { padding: 'same', dilations: 2 }],
      [[1, 9, 8, 4], [3, 3, 4, 6], { padding: 'same', strides: 2 }],
    ];
    const rand = tensors(11);
    for (const [xs, ws, opts] of cases) {
      const w = rand(ws);
      const z = dt.zeros(xs);
      const y0 = dt.conv2d(z, w, opts as never);
      const dy = rand(y0.shape);
      z.dispose();
      y0.dispose();
      const [on, off] = bitsOnOff(() => adv.conv2dGradInput(dy, w, xs, opts as never));
      expect(on).toEqual(off);
      for (const t of [w, dy]) t.dispose();
    }
  });

  it('through the engine: conv2d, conv2dBiasAct and conv2dBiasActMaxPool give the same bits with the kernel on and off', () => {
    dt.config.setNumThreads(1);
    const shapes: [number[], number[], Record<string, unknown>][] = [
      [[2, 11, 10, 1], [3, 3, 1, 8], { padding: 'valid' }],
      [[2, 9, 9, 3], [3, 3, 3, 20], { padding: 'same', strides: 2 }],
      [[1, 12, 12, 32], [3, 3, 32, 32], { padding: 'valid' }],
      [[1, 10, 9, 5], [2, 3, 5, 7], { padding: 'same', dilations: 2 }],
    ];
    const rand = tensors(7);
    for (const [xs, ws, opts] of shapes) {
      const x = rand(xs);
      const w = rand(ws);
      const b = rand([ws[3]]);
      const runs = [
        () => dt.conv2d(x, w, opts as never),
        () => adv.conv2dBiasAct(x, w, b, { ...opts, activation: 'relu' } as never),
        () => adv.conv2dBiasActMaxPool(x, w, b, { ...opts, activation: 'relu' } as never, { poolSize: 2 } as never),
      ];
      for (const run of runs) {
        const [on, off] = bitsOnOff(run);
        expect(on).toEqual(off);
      }
      for (const t of [x, w, b]) t.dispose();
    }
  });

  it('bad arguments are errors naming the function', () => {
    const g = (over: Record<number, number> = {}) => {
      // C F inH inW kH kW dH dW sH sW outH outW padTop padLeft m0 mc n0 nc flags
      const v = [1, 8, 4, 4, 3, 3, 1, 1, 1, 1, 2, 2, 0, 0, 0, 4, 0, 8, 3];
      for (const [i, x] of Object.entries(over)) v[Number(i)] = x;
      return Int32Array.from(v);
    };
    const x = new Float32Array(16);
    const w = new Float32Array(72);
    const b = new Float32Array(8);
    const out = new Float32Array(32);
    native.convDirect(x, w, b, out, g());
    expect(() => native.convDirect(x, w, b, out, g().subarray(1))).toThrow(/ditto_native\.convDirect: the geometry must have 19 integers/);
    expect(() => native.convDirect(x, w, b, out, g({ 0: 0 }))).toThrow(/ditto_native\.convDirect: bad geometry/);
    expect(() => native.convDirect(x, w, b, out, g({ 12: -1 }))).toThrow(/ditto_native\.convDirect: bad geometry/);
    expect(() => native.convDirect(x, w, b, out, g({ 0: 8192, 4: 3, 5: 3 }))).toThrow(/ditto_native\.convDirect: more than 65536 terms/);
    expect(() => native.convDirect(x, w, b, out, g({ 18: 9 }))).toThrow(/ditto_native\.convDirect: flags must be 0\.\.7/);
    expect(() => native.convDirect(x, w, b, out, g({ 18: -1 }))).toThrow(/ditto_native\.convDirect: flags must be 0\.\.7/);
    expect(() => native.convDirect(x, w, b, out, g({ 16: 4, 17: 8 }))).toThrow(/ditto_native\.convDirect: bad block/);
    expect(() => native.convDirect(x, w, b, out, g({ 15: 5 }))).toThrow(/ditto_native\.convDirect: images outside x/);
    expect(() => native.convDirect(x, w.subarray(1), b, out, g())).toThrow(/ditto_native\.convDirect: w smaller than \[K, F\]/);
    expect(() => native.convDirect(x, w, b.subarray(1), out, g())).toThrow(/ditto_native\.convDirect: bias smaller than F/);
    expect(() => native.convDirect(x, w, b, out.subarray(1), g())).toThrow(/ditto_native\.convDirect: outputs outside out/);
    expect(() => native.convDirect(x, w, b, out, g({ 10: 1, 11: 2, 15: 2, 18: 7 }))).toThrow(/ditto_native\.convDirect: pooled blocks need even/);
    expect(() => native.convDirect(x, w, b, new Float32Array(7), g({ 18: 7 }))).toThrow(/ditto_native\.convDirect: pooled outputs outside out/);
    expect(() => native.convDirect(x, w, b, out, Float32Array.from(g()) as unknown as Int32Array)).toThrow(/ditto_native\.convDirect: expected an Int32Array/);
    expect(() => native.convDirect(x, w, b, new Int32Array(32) as unknown as Float32Array, g())).toThrow(/ditto_native\.convDirect: expected a Float32Array/);
    expect(out.every((v) => v === v)).toBe(true);
    // convGradFilter: C F inH inW kH kW dH dW sH sW outH outW padTop padLeft N m0 mc n0 nc ch0 ch1 whole o ld cs
    const gf = (over: Record<number, number> = {}) => {
      const v = [1, 8, 4, 4, 3, 3, 1, 1, 1, 1, 2, 2, 0, 0, 1, 0, 9, 0, 8, 0, 1, 1, 0, 8, 72];
      for (const [i, x] of Object.entries(over)) v[Number(i)] = x;
      return Int32Array.from(v);
    };
    const dy = new Float32Array(32);
    const dw = new Float32Array(72);
    native.convGradFilter(x, dy, dw, gf());
    expect(() => native.convGradFilter(x, dy, dw, gf().subarray(1))).toThrow(/ditto_native\.convGradFilter: the geometry must have 25 integers/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 4: 0 }))).toThrow(/ditto_native\.convGradFilter: bad geometry/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 16: 10 }))).toThrow(/ditto_native\.convGradFilter: bad block/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 20: 2 }))).toThrow(/ditto_native\.convGradFilter: bad chunks/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 21: 2 }))).toThrow(/ditto_native\.convGradFilter: bad chunks/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 23: 4 }))).toThrow(/ditto_native\.convGradFilter: bad output layout/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 14: 2 }))).toThrow(/ditto_native\.convGradFilter: x smaller than/);
    expect(() => native.convGradFilter(x, dy.subarray(1), dw, gf())).toThrow(/ditto_native\.convGradFilter: dy smaller than/);
    expect(() => native.convGradFilter(x, dy, dw, gf({ 22: 1 }))).toThrow(/ditto_native\.convGradFilter: outputs outside out/);
    expect(() => native.convGradFilter(x, dy, new Int32Array(72) as unknown as Float32Array, gf())).toThrow(/ditto_native\.convGradFilter: expected a Float32Array/);
  });

  it('the self-check catches one output one bit off', () => {
    const off: NativeConv = {
      convGradFilter: (...a) => native.convGradFilter(...a),
      convDirect(x, w, bias, out, geometry) {
        native.convDirect(x, w, bias, out, geometry);
        const i = geometry[14] * geometry[1] + geometry[16];
        if (geometry[18] & CONV_POOL) new Int32Array(out.buffer)[0] ^= 1;
        else new Int32Array(out.buffer)[i] ^= 1;
      },
    };
    expect(convSelfCheck(off)).toMatch(/convDirect .* natively/);
    expect(convSelfCheck(native)).toBe('');
  });
});
