/**
 * The optimized CPU kernels (GEMM jobs, elementwise loops, worker threads, pooling,
 * broadcasting) give the bits of the frozen v1 kernels (test/reference/cpu-v1) for every op and
 * shape tried: odd sizes, strides 1-3, 'same'/'valid' padding, reductions below, at and above 256
 * and 65536 terms (two and three tree levels, and four for one matmul), all transpose flags,
 * batch broadcasting, NaN/Inf/-0 inputs and ties (NaN outputs must be NaN; their sign and payload
 * are not compared, see helpers.ts firstDifference). The new kernels write into NaN-filled
 * outputs (so an output they skip shows up), every kernel runs with 1 and 3 threads (every job
 * parallel), and inputs on plain ArrayBuffers run too (inline).
 * A module of suites, imported by two test files: kernels-equivalence.test.ts (the WebAssembly
 * SIMD loops, as programs run) and kernels-equivalence-scalar.test.ts (DITTO_CPU_WASM=0: the plain
 * scalar TypeScript loops, the oracle of the SIMD ones), so both are held to the same v1 bits.
 */
import { describe, expect, it } from 'vitest';
import { gemmKernelKind, planGemm } from '../../../src/kernels/cpu/gemm-tasks.ts';
import { broadcastShapes } from '../../../src/core/shape.ts';
import { CPU_KERNELS } from '../../../src/kernels/cpu/kernels.ts';
import * as v1bin from '../../reference/cpu-v1/binary.ts';
import * as v1conv from '../../reference/cpu-v1/conv2d.ts';
import { poolWithEveryJobParallel } from '../../util/cpu-every-job-parallel.ts';
import * as v1mm from '../../reference/cpu-v1/matmul.ts';
import * as v1pool from '../../reference/cpu-v1/pool.ts';
import * as v1red from '../../reference/cpu-v1/reduce.ts';
import * as v1rand from '../../reference/cpu-v1/random-uniform.ts';
import * as v1un from '../../reference/cpu-v1/unary.ts';
import { type Info, Rng, convOutShape, firstDifference, outputInfo, poolOutShape, randomInfo, unshared } from './helpers.ts';

type AnyKernel = (inputs: readonly Info[], attrs: never, out: Info) => void;

/** Which loops run in this process (DITTO_CPU_WASM=0: the scalar ones), for the suite names. */
const LOOPS = gemmKernelKind() === 'simd' ? 'SIMD loops' : 'scalar loops';
const NEW = CPU_KERNELS as unknown as Record<string, AnyKernel>;

/** Runs the v1 and the new kernel and expects identical bytes. */
function check(op: string, v1: AnyKernel, inputs: Info[], attrs: object, outShape: number[], outDtype: Info['dtype'] = 'float32'): void {
  const want = outputInfo(outShape, outDtype, false);
  v1(inputs, attrs as never, want);
  const got = outputInfo(outShape, outDtype, true);
  NEW[op](inputs, attrs as never, got);
  const diff = firstDifference(got.handle, want.handle, true);
  expect(diff, `${op} ${inputs.map((i) => `[${i.shape}]`).join(' ')} ${JSON.stringify(attrs)}`).toBeNull();
}

interface MatmulCase { a: number[]; b: number[]; ta: boolean; tb: boolean; special?: number }

function matmulCases(): MatmulCase[] {
  const out: MatmulCase[] = [];
  const mnk: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 13, 255], [9, 11, 256], [33, 7, 257], [5, 37, 300], [64, 64, 513], [13, 9, 1100], [4, 3, 2049]];
  for (const [M, N, K] of mnk) {
    for (const ta of [false, true]) for (const tb of [false, true]) out.push({ a: ta ? [K, M] : [M, K], b: tb ? [N, K] : [K, N], ta, tb });
  }
  out.push({ a: [2, 1, 5, 70], b: [3, 70, 6], ta: false, tb: false });
  out.push({ a: [4, 3, 9], b: [9, 2], ta: false, tb: false });
  out.push({ a: [1, 7, 6], b: [3, 5, 7], ta: true, tb: true });
  out.push({ a: [2, 3, 40, 300], b: [300, 20], ta: false, tb: false });
  out.push({ a: [6, 9], b: [9, 7], ta: false, tb: false, special: 0.1 });
  out.push({ a: [300, 6], b: [7, 300], ta: true, tb: true, special: 0.02 });
  // reductions with three tree levels: 65536 terms (two levels), just above, several level-2 groups
  out.push({ a: [2, 65536], b: [3, 65536], ta: false, tb: true });
  out.push({ a: [3, 65537], b: [65537, 2], ta: false, tb: false });
  out.push({ a: [70000, 5], b: [3, 70000], ta: true, tb: true });
  out.push({ a: [2, 3 * 65536 + 300], b: [2, 3 * 65536 + 300], ta: false, tb: true });
  return out;
}

interface ConvCase { x: number[]; w: number[]; s: [number, number]; p: 'valid' | 'same'; special?: number }

function convCases(): ConvCase[] {
  const rng = new Rng(20240611);
  const out: ConvCase[] = [];
  while (out.length < 48) {
    const x = [rng.int(1, 3), rng.int(1, 11), rng.int(1, 11), rng.int(1, 9)];
    const w = [rng.int(1, 4), rng.int(1, 4), x[3], rng.int(1, 9)];
    const p = rng.pick(['valid', 'same'] as const);
    if (p === 'valid' && (x[1] < w[0] || x[2] < w[1])) continue;
    out.push({ x, w, s: [rng.int(1, 3), rng.int(1, 3)], p, special: out.length % 8 === 7 ? 0.05 : undefined });
  }
  out.push({ x: [2, 15, 15, 32], w: [3, 3, 32, 32], s: [1, 1], p: 'valid' }); // the reference CNN's layer 2
  out.push({ x: [3, 32, 32, 1], w: [3, 3, 1, 8], s: [1, 1], p: 'valid' }); // layer 1
  out.push({ x: [2, 7, 9, 30], w: [3, 3, 30, 5], s: [2, 1], p: 'same' }); // K = 270
  out.push({ x: [1, 4, 5, 120], w: [3, 3, 120, 3], s: [1, 1], p: 'same' }); // K = 1080: split K-blocks
  out.push({ x: [1, 3, 3, 8192], w: [3, 3, 8192, 2], s: [1, 1], p: 'valid' }); // K = 73728: three levels
  out.push({ x: [73, 32, 32, 1], w: [3, 3, 1, 4], s: [1, 1], p: 'valid' }); // gradFilter P = 65700: three levels
  out.push({ x: [40, 33, 30, 2], w: [2, 3, 2, 3], s: [1, 1], p: 'same' }); // gradFilter P = 39600 with padding
  out.push({ x: [1, 4, 3, 2], w: [3, 3, 2, 300], s: [1, 1], p: 'same' }); // gradInput K = 2700: split-K mode
  out.push({ x: [2, 5, 6, 3], w: [2, 3, 3, 700], s: [2, 1], p: 'valid' }); // gradInput split-K with strides
  // gradFilter in split-K mode on the packed path (C > 4), one thread: all chunks in one block (planGemm `whole`)
  out.push({ x: [13, 15, 15, 32], w: [3, 3, 32, 32], s: [1, 1], p: 'valid' }); // P = 2197: 9 chunks, the last of 149
  out.push({ x: [3, 20, 19, 12], w: [3, 2, 12, 7], s: [2, 1], p: 'same' }); // P = 570, padding and strides
  return out;
}

for (const threads of [1, 3]) {
  describe(`GEMM kernels vs v1 (${LOOPS}, ${threads} thread${threads > 1 ? 's' : ''}, every job parallel)`, () => {
    poolWithEveryJobParallel(threads);

    it('matmul: sizes around 256 and 65536, transposes, batch broadcasting, non-finite values', () => {
      const rng = new Rng(7 + threads);
      for (const c of matmulCases()) {
        const a = randomInfo(rng, c.a, 'float32', { special: c.special });
        const b = randomInfo(rng, c.b, 'float32', { special: c.special });
        const M = c.ta ? c.a.at(-1)! : c.a.at(-2)!;
        const N = c.tb ? c.b.at(-2)! : c.b.at(-1)!;
        const shape = [...broadcastShapes('test', c.a.slice(0, -2), c.b.slice(0, -2)), M, N];
        check('matmul', v1mm.matmul as AnyKernel, [a, b], { transposeA: c.ta, transposeB: c.tb }, shape);
      }
    });

    it('conv2d, conv2dGradInput, conv2dGradFilter: random geometries and long reductions', () => {
      const rng = new Rng(11 + threads);
      for (const c of convCases()) {
        const x = randomInfo(rng, c.x, 'float32', { special: c.special });
        const w = randomInfo(rng, c.w, 'float32', { special: c.special });
        const yShape = convOutShape(c.x, c.w, c.s, c.p);
        const dy = randomInfo(rng, yShape, 'float32', { special: c.special });
        const attrs = { strides: c.s, padding: c.p };
        check('conv2d', v1conv.conv2d as AnyKernel, [x, w], attrs, yShape);
        check('conv2dGradInput', v1conv.conv2dGradInput as AnyKernel, [dy, w], { ...attrs, inputShape: c.x }, c.x);
        check('conv2dGradFilter', v1conv.conv2dGradFilter as AnyKernel, [x, dy], { ...attrs, filterShape: c.w }, c.w);
      }
    });

    it('conv2dBiasAct: the bits of v1 conv2d, add and relu (the epilogue: WebAssembly epi or the scalar loop; split-K)', () => {
      const rng = new Rng(13 + threads);
      for (const c of convCases()) {
        if (c.x[3] * c.w[0] * c.w[1] > 2000) continue; // the three-level case: long, and covered above
        const x = randomInfo(rng, c.x, 'float32', { special: c.special });
        const w = randomInfo(rng, c.w, 'float32', { special: c.special });
        const b = randomInfo(rng, [c.w[3]], 'float32', { special: c.special });
        const yShape = convOutShape(c.x, c.w, c.s, c.p);
        for (const activation of ['relu', 'linear'] as const) {
          const conv: AnyKernel = (ins, a, out) => {
            const z = outputInfo(yShape, 'float32', false);
            v1conv.conv2d([ins[0], ins[1]] as never, a, z as never);
            if (activation === 'linear') return (v1bin.add as AnyKernel)([z, ins[2]], {} as never, out);
            const u = outputInfo(yShape, 'float32', false);
            (v1bin.add as AnyKernel)([z, ins[2]], {} as never, u);
            (v1un.relu as AnyKernel)([u], {} as never, out);
          };
          check('conv2dBiasAct', conv, [x, w, b], { strides: c.s, padding: c.p, activation }, yShape);
        }
      }
    });
  });
}

describe('GEMM plans of the cases above: split-K with whole blocks on one thread, chunk sums on more', () => {
  it('one thread: whole blocks up to 256 chunks (matmul K = 65536, conv2dGradFilter), chunk sums above; three threads: chunk sums', () => {
    const gradFilter = (x: number[], w: number[], s: [number, number], p: 'valid' | 'same', threads: number) => {
      const y = convOutShape(x, w, s, p);
      return planGemm(1, w[0] * w[1] * w[2], w[3], y[0] * y[1] * y[2], threads);
    };
    const cases = convCases();
    const filter1 = cases.map((c) => gradFilter(c.x, c.w, c.s, c.p, 1)).filter((q) => q.splitK);
    // packed path (C > 4) and few-channel path, whole; P = 65700 (257 chunks): chunk sums
    expect(cases.some((c) => c.x[3] > 4 && gradFilter(c.x, c.w, c.s, c.p, 1).whole)).toBe(true);
    expect(cases.some((c) => c.x[3] <= 4 && gradFilter(c.x, c.w, c.s, c.p, 1).whole)).toBe(true);
    expect(filter1.some((q) => !q.whole && q.chunks === 257)).toBe(true);
    expect(cases.every((c) => !gradFilter(c.x, c.w, c.s, c.p, 3).whole)).toBe(true);
    expect(planGemm(1, 2, 3, 65536, 1)).toMatchObject({ splitK: true, whole: true, chunks: 256 });
    expect(planGemm(1, 3, 2, 65537, 1)).toMatchObject({ splitK: true, whole: false, chunks: 257 });
  });
});

describe(`GEMM kernels vs v1 (${LOOPS}): inputs not on SharedArrayBuffers, and a four-level reduction`, () => {
  it('plain ArrayBuffer operands and outputs run inline with the same bits', () => {
    const rng = new Rng(3);
    const x = unshared(randomInfo(rng, [2, 9, 9, 6], 'float32'));
    const w = unshared(randomInfo(rng, [3, 3, 6, 5], 'float32'));
    const want = outputInfo([2, 7, 7, 5], 'float32', false, false);
    const got = outputInfo([2, 7, 7, 5], 'float32', true, false);
    v1conv.conv2d([x, w] as never, { strides: [1, 1], padding: 'valid' }, want as never);
    NEW.conv2d([x, w], { strides: [1, 1], padding: 'valid' } as never, got);
    expect(firstDifference(got.handle, want.handle)).toBeNull();
  });

  it('matmul with K > 2^24 (four tree levels)', () => {
    const K = (1 << 24) + 300;
    const rng = new Rng(5);
    const a = randomInfo(rng, [1, K], 'float32', { scale: 1 });
    const b = randomInfo(rng, [1, K], 'float32', { scale: 1 });
    check('matmul', v1mm.matmul as AnyKernel, [a, b], { transposeA: false, transposeB: true }, [1, 1]);
  });
});

function poolingTests(threads: number): void {
  const rng = new Rng(99 + threads);
  const cases: { x: number[]; k: [number, number]; s: [number, number]; p: 'valid' | 'same' }[] = [
    { x: [64, 30, 30, 8], k: [2, 2], s: [2, 2], p: 'valid' },
    { x: [2, 13, 13, 5], k: [2, 2], s: [2, 2], p: 'valid' },
  ];
  while (cases.length < 40) {
    const x = [rng.int(1, 2), rng.int(1, 9), rng.int(1, 9), rng.int(1, 5)];
    const k: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
    const p = rng.pick(['valid', 'same'] as const);
    if (p === 'valid' && (x[1] < k[0] || x[2] < k[1])) continue;
    cases.push({ x, k, s: [rng.int(1, 3), rng.int(1, 3)], p });
  }
  it('maxPool2d, maxPool2dGrad, avgPool2d, avgPool2dGrad: overlapping windows, padding, ties, NaN', () => {
    cases.forEach((c, i) => {
      const x = randomInfo(rng, c.x, 'float32', i % 3 === 0 ? { levels: 3 } : i % 3 === 1 ? { special: 0.1 } : {});
      const yShape = poolOutShape(c.x, c.k, c.s, c.p);
      const dy = randomInfo(rng, yShape, 'float32', i % 5 === 4 ? { special: 0.1 } : {});
      const attrs = { poolSize: c.k, strides: c.s, padding: c.p };
      check('maxPool2d', v1pool.maxPool2d as AnyKernel, [x], attrs, yShape);
      check('maxPool2dGrad', v1pool.maxPool2dGrad as AnyKernel, [dy, x], attrs, c.x);
      check('avgPool2d', v1pool.avgPool2d as AnyKernel, [x], attrs, yShape);
      check('avgPool2dGrad', v1pool.avgPool2dGrad as AnyKernel, [dy], { ...attrs, inputShape: c.x }, c.x);
    });
  });
}

function elementwiseTests(threads: number): void {
  const OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;
  const COMPARE = new Set(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual']);
  const rng = new Rng(1234 + threads);

  /** A random output shape and two operand shapes that broadcast to it. */
  function shapes(): [number[], number[], number[]] {
    const rank = rng.int(0, 5);
    const out = Array.from({ length: rank }, () => rng.int(1, 5));
    const operand = () => {
      const r = rng.int(0, rank);
      return out.slice(rank - r).map((d) => (rng.next() < 0.35 ? 1 : d));
    };
    let a = operand();
    let b = operand();
    // make sure the broadcast result is the intended output shape
    if (a.length < rank && b.length < rank) a = [...out.slice(0, rank - a.length), ...a];
    const full = broadcastShapes('test', a, b);
    return [full, a, b];
  }

  it('every op, dtype and broadcast pattern', () => {
    for (let t = 0; t < 40; t++) {
      const [out, sa, sb] = t === 0 ? [[8, 30, 30, 32], [8, 30, 30, 32], [32]] : shapes();
      for (const dtype of ['float32', 'int32', 'uint8'] as const) {
        const a = randomInfo(rng, sa, dtype, { special: 0.1 });
        const b = randomInfo(rng, sb, dtype, { special: 0.1 });
        for (const op of OPS) {
          check(op, (v1bin as unknown as Record<string, AnyKernel>)[op], [a, b], {}, out, COMPARE.has(op) ? 'uint8' : dtype);
        }
      }
    }
  });

  it('where with every broadcast pattern', () => {
    for (let t = 0; t < 60; t++) {
      const [full, sa, sb] = shapes();
      const sc = full.slice(rng.int(0, full.length)).map((d) => (rng.next() < 0.3 ? 1 : d));
      const shape = broadcastShapes('test', full, sc);
      const c = randomInfo(rng, sc, rng.pick(['uint8', 'int32'] as const));
      const dtype = rng.pick(['float32', 'int32'] as const);
      const a = randomInfo(rng, sa, dtype, { special: 0.1 });
      const b = randomInfo(rng, sb, dtype, { special: 0.1 });
      check('where', v1bin.where as AnyKernel, [c, a, b], {}, shape, dtype);
    }
  });

  it('randomUniform (Philox blocks split between threads, 128-bit counter carries; Threefry)', () => {
    const counters = [[0, 0, 0, 0], [0xfffffff0, 0xffffffff, 0xffffffff, 7], [0xffff0000, 5, 0, 0], [123456, 0xffffffff, 0, 1]];
    for (const n of [1, 3, 4, 5, 1023, 40_001, 460_803]) {
      for (const counter of counters) {
        const key = [rng.int(0, 0xffffffff) >>> 0, 0x9e3779b9];
        check('randomUniform', v1rand.randomUniform as AnyKernel, [], { shape: [n], dtype: 'float32', algorithm: 'philox', key, counter }, [n]);
      }
      check('randomUniform', v1rand.randomUniform as AnyKernel, [], { shape: [n], dtype: 'float32', algorithm: 'threefry', key: [3, 4], counter: [0, 0, 0, 0] }, [n]);
    }
  });

  it('relu and sum (contiguous and scattered axes, up to three tree levels)', () => {
    const x = randomInfo(rng, [8, 30, 30, 32], 'float32', { special: 0.01 });
    check('relu', v1un.relu as AnyKernel, [x], {}, x.shape);
    const cases: [number[], number[]][] = [
      [[8, 30, 30, 32], [0, 1, 2]], [[8, 30, 30, 32], [0, 1, 2, 3]], [[8, 30, 30, 32], [3]], [[8, 30, 30, 32], [1, 2]],
      [[3, 70000, 2], [1]], [[140000], [0]], [[300, 260], [0]], [[7, 9, 1100], [2]], [[4, 5, 6], [0, 2]], [[2, 3], []],
      // one chunk of rows wider than 4096: the chunk sums straight into the output, in blocks of columns
      // (inner a multiple of 4 or not, 1 to 256 rows, several groups)
      [[43, 9216], [0]], [[1, 4100], [0]], [[2, 256, 4097], [1]], [[3, 7, 5000], [1]],
    ];
    for (const [shape, axes] of cases) {
      for (const dtype of ['float32', 'int32'] as const) {
        const t = randomInfo(rng, shape, dtype, { special: dtype === 'float32' && (shape.length === 2 || shape[shape.length - 1] > 4096) ? 0.01 : 0 });
        const outShape = shape.filter((_, i) => !axes.includes(i));
        check('sum', v1red.sum as AnyKernel, [t], { axes, keepDims: false }, outShape, dtype);
      }
    }
  });
}

/**
 * The cases of the WebAssembly SIMD loops (wasm-ew.ts: dense/scalar/row binary ops and comparisons, where with
 * a uint8 condition, relu, reluGrad, column sums, 2 x 2 max pooling and its gradient) on sizes
 * that cross their chunks and end in partial vectors, with NaN/Inf/-0 and ties.
 */
function simdElementwiseTests(threads: number): void {
  const rng = new Rng(777 + threads);
  const FLOAT = ['add', 'sub', 'mul', 'div'] as const;
  const COMPARE = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;
  const bin = v1bin as unknown as Record<string, AnyKernel>;
  const sizes = [256, 257, 1003, 8192, 8193, 40_001];

  it('binary ops and comparisons: dense, scalar and bias-row operands', () => {
    for (const n of sizes) {
      const a = randomInfo(rng, [n], 'float32', { special: 0.05 });
      const b = randomInfo(rng, [n], 'float32', { special: 0.05 });
      const s = randomInfo(rng, [], 'float32');
      for (const op of [...FLOAT, ...COMPARE]) {
        const dtype = (FLOAT as readonly string[]).includes(op) ? 'float32' : 'uint8';
        check(op, bin[op], [a, b], {}, [n], dtype);
        check(op, bin[op], [a, s], {}, [n], dtype);
        check(op, bin[op], [s, a], {}, [n], dtype);
      }
    }
    for (const [rows, C] of [[1000, 32], [3, 4], [333, 36], [70, 200], [3, 4096], [3, 4100]]) {
      const a = randomInfo(rng, [rows, C], 'float32', { special: 0.05 });
      const b = randomInfo(rng, [C], 'float32', { special: 0.1 });
      for (const op of FLOAT) check(op, bin[op], [a, b], {}, [rows, C]);
    }
  });

  it('where with a uint8 condition, relu and reluGrad', () => {
    for (const n of sizes) {
      const c = randomInfo(rng, [n], 'uint8');
      const a = randomInfo(rng, [n], 'float32', { special: 0.05 });
      const b = randomInfo(rng, [n], 'float32', { special: 0.05 });
      const s = randomInfo(rng, [], 'float32', { special: 0.5 });
      check('where', v1bin.where as AnyKernel, [c, a, b], {}, [n]);
      check('where', v1bin.where as AnyKernel, [c, a, s], {}, [n]);
      check('where', v1bin.where as AnyKernel, [c, s, b], {}, [n]);
      check('relu', v1un.relu as AnyKernel, [a], {}, [n]);
      // reluGrad(dy, x) is where(greater(x, 0), dy, 0)
      const gt = outputInfo([n], 'uint8', false);
      (v1bin.greater as AnyKernel)([b, { handle: new Float32Array([0]), shape: [], dtype: 'float32' }], {} as never, gt);
      const want = outputInfo([n], 'float32', false);
      (v1bin.where as AnyKernel)([gt, a, { handle: new Float32Array([0]), shape: [], dtype: 'float32' }], {} as never, want);
      const got = outputInfo([n], 'float32', true);
      NEW.reluGrad([a, b], {} as never, got);
      expect(firstDifference(got.handle, want.handle), `reluGrad [${n}]`).toBeNull();
    }
  });

  it('GEMM and elementwise ops with subnormal products, sums and results (no flush to zero)', () => {
    // |a|, |b| ~ 2^-66: products ~ 2^-132 (subnormal), sums of 300 of them stay subnormal
    const a = randomInfo(rng, [37, 300], 'float32', { scale: 2 ** -66 });
    const b = randomInfo(rng, [300, 19], 'float32', { scale: 2 ** -66 });
    check('matmul', v1mm.matmul as AnyKernel, [a, b], { transposeA: false, transposeB: false }, [37, 19]);
    const x = randomInfo(rng, [2, 9, 9, 12], 'float32', { scale: 2 ** -70 });
    const w = randomInfo(rng, [3, 3, 12, 8], 'float32', { scale: 2 ** -62 });
    check('conv2d', v1conv.conv2d as AnyKernel, [x, w], { strides: [1, 1], padding: 'same' }, [2, 9, 9, 8]);
    const s = randomInfo(rng, [3000], 'float32', { scale: 2 ** -128 }); // subnormal inputs and results
    const t = randomInfo(rng, [3000], 'float32', { scale: 2 ** -3 });
    for (const op of ['add', 'sub', 'mul', 'div'] as const) check(op, bin[op], [s, t], {}, [3000]);
  });

  it('column sums and 2 x 2 max pooling', () => {
    for (const shape of [[8, 30, 30, 32], [3, 700, 36], [3, 700, 48], [900, 16], [2, 300, 96], [600, 4], [260, 9000]]) {
      const x = randomInfo(rng, shape, 'float32', { special: 0.01 });
      const axes = shape.length === 4 ? [0, 1, 2] : shape.length === 3 ? [1] : [0];
      check('sum', v1red.sum as AnyKernel, [x], { axes, keepDims: false }, shape.filter((_, i) => !axes.includes(i)));
    }
    for (const [xs, fill] of [[[5, 30, 30, 32], {}], [[4, 13, 13, 8], { levels: 3 }], [[3, 13, 12, 12], { special: 0.1 }], [[2, 7, 30, 4], { levels: 2 }]] as [number[], object][]) {
      const x = randomInfo(rng, xs, 'float32', fill);
      const attrs = { poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
      const yShape = poolOutShape(xs, [2, 2], [2, 2], 'valid');
      const dy = randomInfo(rng, yShape, 'float32', { special: 0.05 });
      check('maxPool2d', v1pool.maxPool2d as AnyKernel, [x], attrs, yShape);
      check('maxPool2dGrad', v1pool.maxPool2dGrad as AnyKernel, [dy, x], attrs, xs);
    }
  });

  it('2 x 2 max pooling with a few specials: windows with NaN (any payload), +Inf and -Inf, ties of -0 and +0', () => {
    // The SIMD loop first runs without NaN terms and reruns a chunk whose windows may hold a NaN: here
    // most chunks are NaN-free, some hold one NaN, one +Inf with -Inf (flagged, no NaN), or only infinities.
    const attrs = { poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
    const masked = { ...attrs, reluMask: true };
    for (const xs of [[6, 30, 30, 32], [5, 13, 13, 8], [3, 9, 14, 4]]) {
      const x = randomInfo(rng, xs, 'float32', { levels: 3 });
      const h = x.handle as Float32Array;
      const bits = new Uint32Array(h.buffer, h.byteOffset, h.length);
      const [, H, W, C] = xs;
      const at = (n: number, y: number, w: number, c: number): number => ((n * H + y) * W + w) * C + c;
      for (let i = 0; i < h.length; i += 3) if (h[i] === 0) h[i] = -0;
      bits[at(1, 2, 4, 1)] = 0x7fc00001; // NaN at a window's (0, 0)
      bits[at(1, 7, 3, 2)] = 0xffa00002; // signalling-payload NaN at (1, 1) of another
      h[at(2, 4, 4, 0)] = Infinity; // +Inf and -Inf in one window, no NaN
      h[at(2, 5, 5, 0)] = -Infinity;
      h[at(3, 0, 1, 3)] = Infinity;
      h[at(3, 1, 1, 3)] = Infinity;
      for (let c = 0; c < C; c++) {
        // a window of -0 then +0 (the first is kept) and one of all -1 (ties)
        h[at(0, 0, 0, c)] = -0;
        h[at(0, 0, 1, c)] = 0;
        h[at(0, 1, 0, c)] = 0;
        h[at(0, 1, 1, c)] = -0;
        for (const [y, w] of [[2, 2], [2, 3], [3, 2], [3, 3]]) h[at(0, y, w, c)] = -1;
      }
      const yShape = poolOutShape(xs, [2, 2], [2, 2], 'valid');
      const dy = randomInfo(rng, yShape, 'float32', { special: 0.002 });
      check('maxPool2d', v1pool.maxPool2d as AnyKernel, [x], attrs, yShape);
      check('maxPool2dGrad', v1pool.maxPool2dGrad as AnyKernel, [dy, x], attrs, xs);
      // with relu's mask: the bits of reluGrad(v1 maxPool2dGrad(dy, x), x)
      const dx = outputInfo(xs, 'float32', false);
      (v1pool.maxPool2dGrad as AnyKernel)([dy, x], attrs as never, dx);
      const want = outputInfo(xs, 'float32', false);
      const dxBits = new Uint32Array((dx.handle as Float32Array).buffer);
      const wantBits = new Uint32Array((want.handle as Float32Array).buffer);
      for (let i = 0; i < h.length; i++) wantBits[i] = h[i] > 0 ? dxBits[i] : 0; // reluGrad: x > 0 ? dx : +0
      const got = outputInfo(xs, 'float32', true);
      NEW.maxPool2dGrad([dy, x], masked as never, got);
      expect(firstDifference(got.handle, want.handle, true), `masked [${xs}]`).toBeNull();
    }
  });
}

for (const threads of [1, 3]) {
  describe(`pooling, elementwise and sum kernels vs v1 (${LOOPS}, ${threads} thread${threads > 1 ? 's' : ''}, every job parallel)`, () => {
    poolWithEveryJobParallel(threads);
    poolingTests(threads);
    elementwiseTests(threads);
    simdElementwiseTests(threads);
  });
}
