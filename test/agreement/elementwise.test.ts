/**
 * CPU vs WebGPU, bit for bit: elementwise unary ops (float32 and int32, with special values),
 * cast between every dtype pair, broadcasting binary ops and comparisons for float32, int32 and
 * uint8 with broadcasting in every direction, where, and the data-movement ops (fill,
 * broadcastTo, transpose, slice, pad, concat).
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { describeAgreement, input, ints, quarters, uni, withFiniteSpecials, withSpecials, type AgreementCase, type Gen } from './harness.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

const INT_EDGE = [0, 1, -1, 2147483647, -2147483648, 65536, -65536, 46341, -46341, 255, 256, 7, -7];
const intsWithEdges = (lo: number, hi: number) => (r: { int(n: number): number }, n: number) =>
  Array.from({ length: n }, (_, i) => (i % 4 === 0 ? INT_EDGE[(i / 4) % INT_EDGE.length] : lo + r.int(hi - lo + 1)));

const SHAPES = [[1], [7], [3, 5], [2, 3, 37], [1000], [67, 1029]];

const cases: AgreementCase[] = [];

// ---- unary, float32
const UNARY: [string, (x: dt.Tensor) => dt.Tensor, ((r: never, n: number) => number[]) | undefined][] = [
  ['neg', dt.neg, undefined], ['abs', dt.abs, undefined], ['sign', dt.sign, undefined], ['square', dt.square, undefined],
  ['relu', dt.relu, undefined], ['sqrt', dt.sqrt, undefined], ['exp', dt.exp, undefined], ['log', dt.log, undefined],
  ['sigmoid', dt.sigmoid, undefined], ['tanh', dt.tanh, undefined],
];
for (const [name, f] of UNARY) {
  for (const shape of SHAPES) {
    const gen = name === 'log' || name === 'sqrt' ? uni(0, 50) : name === 'exp' ? uni(-90, 90) : uni(-8, 8);
    cases.push({ name: `${name} f32 [${shape}]`, inputs: [input(shape, gen)], run: ([x]) => f(x) });
  }
  cases.push({ name: `${name} f32 finite specials`, inputs: [input([500], withFiniteSpecials(uni(-100, 100)))], run: ([x]) => f(x), nanPayloads: true });
  cases.push({ name: `${name} f32 all specials`, inputs: [input([500], withSpecials(uni(-100, 100)))], run: ([x]) => f(x), nanPayloads: true });
}
for (const [lo, hi] of [[-1, 1], [0, 0], [-0.5, 2], [-1e30, 1e30], [-Infinity, 0.25]] as [number, number][]) {
  cases.push({ name: `clipByValue f32 [${lo}, ${hi}]`, inputs: [input([777], withSpecials(uni(-3, 3)))], run: ([x]) => dt.clipByValue(x, lo, hi), nanPayloads: true });
}

// ---- reluGrad (relu's gradient: x > 0 ? dy : +0)
for (const shape of SHAPES) {
  cases.push({ name: `reluGrad f32 [${shape}]`, inputs: [input(shape, uni(-8, 8)), input(shape, uni(-1, 1))], run: ([dy, x]) => adv.reluGrad(dy, x) });
}
cases.push({ name: 'reluGrad f32 all specials', inputs: [input([500], withSpecials(uni(-100, 100))), input([500], withSpecials(uni(-3, 3)))], run: ([dy, x]) => adv.reluGrad(dy, x), nanPayloads: true });
cases.push({ name: 'reluGrad = where(greater(x, 0), dy, 0)', inputs: [input([777], withSpecials(uni(-5, 5))), input([777], withSpecials(quarters))], run: ([dy, x]) => dt.sub(adv.reluGrad(dy, x), dt.where(dt.greater(x, 0), dy, 0)), nanPayloads: true });

// ---- fused Adam updates (subnormal moments are common in training: see scripts/real-gpu/README.md)
const tiny: Gen = (r, n) => Array.from({ length: n }, () => r.uniform(-1, 1) * 2 ** -120);
const nonNegTiny: Gen = (r, n) => Array.from({ length: n }, () => r.uniform(0, 1) * (r.int(2) ? 2 ** -125 : 1e-3));
for (const shape of [[7], [3, 3, 32, 32], [64, 10], [70001]]) {
  cases.push({ name: `adamMoment f32 [${shape}]`, inputs: [input(shape, uni(-0.01, 0.01)), input(shape, uni(-1, 1))], run: ([m, g]) => adv.adamMoment(m, g, 0.1) });
  cases.push({ name: `adamVelocity f32 [${shape}]`, inputs: [input(shape, nonNegTiny), input(shape, tiny)], run: ([u, g]) => adv.adamVelocity(u, g, 0.001) });
  cases.push({ name: `adamStep f32 [${shape}]`, inputs: [input(shape, uni(-0.5, 0.5)), input(shape, tiny), input(shape, nonNegTiny)], run: ([v, m, u]) => adv.adamStep(v, m, u, 0.000316, 1e-7) });
}
cases.push({ name: 'adamMoment/Velocity/Step f32 specials', inputs: [input([500], withSpecials(uni(-3, 3))), input([500], withSpecials(tiny)), input([500], withSpecials(nonNegTiny))], run: ([a, b, c]) => dt.add(dt.add(adv.adamMoment(a, b, 0.1), adv.adamVelocity(c, b, 0.001)), adv.adamStep(a, b, c, 0.001, 1e-7)), nanPayloads: true });

// ---- unary, int32
for (const [name, f] of [['neg', dt.neg], ['abs', dt.abs], ['sign', dt.sign], ['square', dt.square], ['relu', dt.relu]] as [string, (x: dt.Tensor) => dt.Tensor][]) {
  cases.push({ name: `${name} i32`, inputs: [input([2, 301], intsWithEdges(-100000, 100000), 'int32')], run: ([x]) => f(x) });
}
for (const [lo, hi] of [[-5, 5], [0.5, 2.5], [-3e9, -2e9], [3e9, 4e9], [-Infinity, Infinity], [-2147483648, 2147483647], [-1.5, -1.5]] as [number, number][]) {
  cases.push({ name: `clipByValue i32 [${lo}, ${hi}]`, inputs: [input([300], intsWithEdges(-10, 10), 'int32')], run: ([x]) => dt.clipByValue(x, lo, hi) });
}

// ---- cast between all dtypes
const CAST_SRC: Record<dt.DType, (r: never, n: number) => number[]> = {
  float32: withSpecials(uni(-300, 300)) as never,
  int32: intsWithEdges(-3e9 | 0, 3e9 | 0) as never,
  uint8: ints(0, 255) as never,
};
for (const from of ['float32', 'int32', 'uint8'] as dt.DType[]) {
  for (const to of ['float32', 'int32', 'uint8'] as dt.DType[]) {
    cases.push({ name: `cast ${from} -> ${to}`, inputs: [input([999], CAST_SRC[from] as never, from)], run: ([x]) => dt.cast(x, to), nanPayloads: true });
  }
}
cases.push({ name: 'cast int32 -> float32 rounding (large magnitudes)', inputs: [input([4096], (r, n) => Array.from({ length: n }, () => ((r.int(65536) << 16) | r.int(65536)) | 0), 'int32')], run: ([x]) => dt.cast(x, 'float32') });
cases.push({ name: 'cast float32 -> int32 near 2^31', inputs: [input([8], () => [2147483520, 2147483648, -2147483648, -2147483904, 1e20, -1e20, 16777217, -0.99], 'float32')], run: ([x]) => dt.cast(x, 'int32') });

// ---- binary ops, broadcasting in every direction
const BINARY: [string, (a: dt.Tensor, b: dt.Tensor) => dt.Tensor][] = [
  ['add', dt.add], ['sub', dt.sub], ['mul', dt.mul], ['div', dt.div], ['maximum', dt.maximum], ['minimum', dt.minimum],
  ['equal', dt.equal], ['notEqual', dt.notEqual], ['less', dt.less], ['lessEqual', dt.lessEqual], ['greater', dt.greater], ['greaterEqual', dt.greaterEqual],
];
const BCAST: [number[], number[]][] = [
  [[5, 7], [5, 7]], [[5, 7], [7]], [[7], [5, 7]], [[5, 1], [1, 7]], [[], [6]], [[6], []], [[2, 1, 4, 1], [3, 1, 5]],
  [[3, 1, 5], [2, 1, 4, 1]], [[2, 3, 1, 1, 3], [3, 4, 1, 3]], [[0, 3], [3]], [[300, 257], [300, 257]], [[300, 1], [257]],
];
for (const [name, f] of BINARY) {
  for (const [sa, sb] of BCAST) {
    cases.push({ name: `${name} f32 [${sa}] [${sb}]`, inputs: [input(sa, quarters), input(sb, uni(-2, 2))], run: ([a, b]) => f(a, b) });
  }
  cases.push({ name: `${name} f32 specials`, inputs: [input([400], withSpecials(quarters)), input([400], withSpecials(uni(-3, 3)))], run: ([a, b]) => f(a, b), nanPayloads: true });
  cases.push({ name: `${name} i32`, inputs: [input([3, 211], intsWithEdges(-50, 50), 'int32'), input([211], intsWithEdges(-7, 7), 'int32')], run: ([a, b]) => f(a, b) });
  cases.push({ name: `${name} u8`, inputs: [input([211, 3], ints(0, 255), 'uint8'), input([1, 3], ints(0, 9), 'uint8')], run: ([a, b]) => f(a, b) });
}
cases.push({ name: 'div f32 subnormal results', inputs: [input([500], withFiniteSpecials(uni(-1e-35, 1e-35))), input([500], uni(1, 1e6))], run: ([a, b]) => dt.div(a, b) });
cases.push({ name: 'mul f32 subnormal results', inputs: [input([500], uni(-1e-20, 1e-20)), input([500], uni(-1e-20, 1e-20))], run: ([a, b]) => dt.mul(a, b) });

// ---- where
for (const [sc, sa, sb] of [[[4, 5], [4, 5], [4, 5]], [[4, 1], [5], [1]], [[1, 5], [4, 1], [4, 5]], [[], [3, 2], [2]], [[2, 1, 3], [4, 1], [2, 4, 3]]] as number[][][]) {
  cases.push({ name: `where u8 cond [${sc}] [${sa}] [${sb}]`, inputs: [input(sc, ints(0, 1), 'uint8'), input(sa, uni()), input(sb, uni())], run: ([c, a, b]) => dt.where(c, a, b) });
}
cases.push({ name: 'where i32 cond, int32 values', inputs: [input([50], ints(-2, 2), 'int32'), input([50], ints(-99, 99), 'int32'), input([1], ints(5, 5), 'int32')], run: ([c, a, b]) => dt.where(c, a, b) });
cases.push({ name: 'where u8 values', inputs: [input([7, 3], ints(0, 1), 'uint8'), input([3], ints(0, 255), 'uint8'), input([7, 1], ints(0, 255), 'uint8')], run: ([c, a, b]) => dt.where(c, a, b) });

// ---- movement
for (const [dtype, gen] of [['float32', uni()], ['int32', ints(-1000, 1000)], ['uint8', ints(0, 255)]] as [dt.DType, never][]) {
  cases.push({ name: `fill ${dtype}`, inputs: [], run: () => dt.fill([3, 5, 7], dtype === 'float32' ? -1.1 : dtype === 'int32' ? -123456 : 200, dtype) });
  cases.push({ name: `broadcastTo ${dtype}`, inputs: [input([3, 1, 5], gen, dtype)], run: ([x]) => dt.broadcastTo(x, [2, 3, 4, 5]) });
  cases.push({ name: `transpose ${dtype} rank 4`, inputs: [input([2, 3, 4, 5], gen, dtype)], run: ([x]) => dt.transpose(x, [3, 1, 0, 2]) });
  cases.push({ name: `slice ${dtype}`, inputs: [input([5, 6, 7], gen, dtype)], run: ([x]) => dt.slice(x, [1, 2, 3], [3, -1, 2]) });
  cases.push({ name: `pad ${dtype}`, inputs: [input([3, 4], gen, dtype)], run: ([x]) => dt.pad(x, [[1, 2], [0, 3]], dtype === 'float32' ? 0.5 : 7) });
  cases.push({ name: `concat ${dtype} axis 1 of 3`, inputs: [input([2, 3, 4], gen, dtype), input([2, 1, 4], gen, dtype), input([2, 5, 4], gen, dtype)], run: (xs) => dt.concat(xs, 1) });
}
for (const perm of [[1, 0], [0, 2, 1], [2, 0, 1], [4, 3, 2, 1, 0], [0, 1, 3, 2, 4]]) {
  const shape = [3, 4, 5, 6, 7].slice(0, perm.length);
  cases.push({ name: `transpose f32 [${shape}] perm [${perm}]`, inputs: [input(shape)], run: ([x]) => dt.transpose(x, perm) });
}
for (const axis of [0, 1, 2]) cases.push({ name: `concat f32 axis ${axis}`, inputs: [input([3, 4, 5]), input([3, 4, 5])], run: (xs) => dt.concat(xs, axis) });
cases.push({ name: 'pad f32 rank 4 asymmetric', inputs: [input([2, 5, 5, 3])], run: ([x]) => dt.pad(x, [[0, 1], [2, 0], [1, 1], [0, 2]], -3) });
cases.push({ name: 'slice f32 rank 5', inputs: [input([3, 4, 5, 6, 2])], run: ([x]) => dt.slice(x, [1, 0, 2, 1, 1], [2, 4, 2, 4, 1]) });
cases.push({ name: 'broadcastTo f32 scalar to rank 3', inputs: [input([])], run: ([x]) => dt.broadcastTo(x, [4, 3, 2]) });
// float32 words that a copy through a number would change (signalling NaNs) or that carry payloads: the movement
// ops copy bits on both backends, compared strictly (no NaN-payload tolerance); rows of 1, 5 and 40 floats
const NAN_WORDS = [0x7f800001, 0xffa00123, 0x7fc12345, 0xff800abc];
const nanWords: Gen = (r, n) => {
  const w = new Uint32Array(n);
  for (let i = 0; i < n; i++) w[i] = r.int(3) === 0 ? NAN_WORDS[r.int(NAN_WORDS.length)] : 0x3f800000 + r.int(1 << 20);
  return new Float32Array(w.buffer);
};
for (const inner of [1, 5, 40]) {
  const shape = [6, 3, inner];
  cases.push({ name: `slice f32 NaN words [${shape}]`, inputs: [input(shape, nanWords)], run: ([x]) => dt.slice(x, [1, 1, 0], [4, 2, inner]) });
  cases.push({ name: `transpose f32 NaN words [${shape}]`, inputs: [input(shape, nanWords)], run: ([x]) => dt.transpose(x, [2, 0, 1]) });
  cases.push({ name: `pad f32 NaN words [${shape}]`, inputs: [input(shape, nanWords)], run: ([x]) => dt.pad(x, [[1, 0], [0, 1], [2, 0]], -2) });
  cases.push({ name: `concat f32 NaN words [${shape}]`, inputs: [input(shape, nanWords), input(shape, nanWords)], run: (xs) => dt.concat(xs, 1) });
  cases.push({ name: `gather f32 NaN words [${shape}]`, inputs: [input(shape, nanWords), input([5], ints(0, 5), 'int32')], run: ([x, i]) => dt.gather(x, i, 0) });
  cases.push({ name: `broadcastTo f32 NaN words [${shape}]`, inputs: [input([1, 3, inner], nanWords)], run: ([x]) => dt.broadcastTo(x, shape) });
}
cases.push({ name: 'pad f32 large (fill + interior copy)', inputs: [input([131, 517])], run: ([x]) => dt.pad(x, [[3, 4], [5, 6]], 1) });

// ---- tensors larger than one storage binding: windowed chunks (limit lowered to a few KB here;
// lavapipe's real limit is 128 MB, less than MNIST's training images as uint8 words)
for (const [maxBindingBytes, storageOffsetAlignment] of [[4096, 16], [4000, 256]]) {
  const big = { maxBindingBytes, storageOffsetAlignment };
  const tag = `(binding ${maxBindingBytes} B, align ${storageOffsetAlignment} B)`;
  cases.push({ name: `exp chunked ${tag}`, inputs: [input([5001], uni(-5, 5))], run: ([x]) => dt.exp(x), ...big });
  cases.push({ name: `cast u8 -> f32 chunked ${tag}`, inputs: [input([60, 28, 3], ints(0, 255), 'uint8')], run: ([x]) => dt.cast(x, 'float32'), ...big });
  cases.push({ name: `div by scalar chunked ${tag}`, inputs: [input([60, 28, 3], uni(0, 255)), input([], () => [255])], run: ([x, s]) => dt.div(x, s), ...big });
  cases.push({ name: `add broadcast chunked ${tag}`, inputs: [input([50, 7, 103]), input([7, 1])], run: ([a, b]) => dt.add(a, b), ...big });
  cases.push({ name: `where chunked ${tag}`, inputs: [input([40, 3, 50], ints(0, 1), 'uint8'), input([3, 50]), input([40, 3, 1])], run: ([c, a, b]) => dt.where(c, a, b), ...big });
  cases.push({ name: `slice rows chunked ${tag}`, inputs: [input([300, 50])], run: ([x]) => dt.slice(x, [17, 3], [260, 40]), ...big });
  cases.push({ name: `pad chunked ${tag}`, inputs: [input([40, 37])], run: ([x]) => dt.pad(x, [[3, 5], [2, 1]], 9), ...big });
  cases.push({ name: `concat chunked ${tag}`, inputs: [input([30, 20, 3]), input([30, 11, 3])], run: (xs) => dt.concat(xs, 1), ...big });
  cases.push({ name: `broadcastTo chunked ${tag}`, inputs: [input([1, 33])], run: ([x]) => dt.broadcastTo(x, [90, 33]), ...big });
  cases.push({ name: `fill chunked ${tag}`, inputs: [], run: () => dt.fill([3000], 2.5), ...big });
  cases.push({ name: `MNIST-like flow chunked ${tag}`, inputs: [input([600, 3, 3], ints(0, 255), 'uint8'), input([64], ints(0, 599), 'int32')], run: ([x, i]) => dt.gather(dt.reshape(dt.div(dt.cast(x, 'float32'), 255), [600, 3, 3, 1]), i, 0), ...big });
  cases.push({ name: `gather rows chunked incl. out-of-range ${tag}`, inputs: [input([2000, 7], ints(-99, 99), 'int32'), input([50], ints(0, 1999), 'int32')], run: ([x, i]) => dt.gather(x, i, 0), ...big });
}

describeAgreement('agreement: elementwise and movement (CPU vs WebGPU bits)', unavailable, cases);
