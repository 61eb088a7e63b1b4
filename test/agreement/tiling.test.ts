/**
 * CPU vs WebGPU, bit for bit, for the tiled WebGPU kernels' edge cases: the implicit-GEMM
 * convolutions (8 positions x 8 channels per invocation, weight slabs of 256 k rows) and their
 * gradients, the tiled matmul (8 x 8 per invocation), the pooling gradient over non-overlapping
 * windows, and the elementwise kernels that handle 8 elements per invocation.
 * Covered: sizes that are not multiples of the tiles (positions, channels, rows, columns), a
 * reduction length K around one 256-term chunk (a chunk boundary inside a kernel tap), around a
 * 256-row weight slab and above 65536 (level-2 groups finished by reduce-sum), the filter
 * gradient's level-1 partials and its one-pass form, strides 1-3 with 'same' padding, special
 * values (padding terms enter as +0 * w, so Inf weights give NaN on both backends), dispatches
 * split at a lowered maxComputeWorkgroupsPerDimension, and batch broadcasting.
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { describeAgreement, input, ints, quarters, uni, withFiniteSpecials, withSpecials, type AgreementCase } from './harness.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const cases: AgreementCase[] = [];

type Conv = { x: number[]; k: [number, number]; f: number; s?: [number, number]; padding?: 'same' | 'valid'; tag?: string };

function convCases(c: Conv, extra: Partial<AgreementCase> = {}, ops: ('fwd' | 'dx' | 'dw')[] = ['fwd', 'dx', 'dw']): void {
  const o = { strides: c.s ?? [1, 1] as [number, number], padding: c.padding ?? 'valid' };
  const w = [c.k[0], c.k[1], c.x[3], c.f];
  const y = dt.tidy(() => dt.conv2d(dt.zeros(c.x), dt.zeros(w), o).shape);
  const name = `x [${c.x}] k [${c.k}] f ${c.f} s [${o.strides}] ${o.padding}${c.tag ? ` (${c.tag})` : ''}`;
  const gen = uni();
  if (ops.includes('fwd')) cases.push({ name: `conv2d ${name}`, inputs: [input(c.x, gen), input(w, gen)], run: ([x, k]) => dt.conv2d(x, k, o), ...extra });
  if (ops.includes('dx')) cases.push({ name: `conv2dGradInput ${name}`, inputs: [input([...y], gen), input(w, gen)], run: ([dy, k]) => adv.conv2dGradInput(dy, k, c.x, o), ...extra });
  if (ops.includes('dw')) cases.push({ name: `conv2dGradFilter ${name}`, inputs: [input(c.x, gen), input([...y], gen)], run: ([x, dy]) => adv.conv2dGradFilter(x, dy, w, o), ...extra });
}

// ---- tile edges: positions and channels not multiples of 8 (or of 4), one position, one channel
for (const c of [
  { x: [3, 7, 5, 6], k: [3, 2], f: 5, s: [1, 2], padding: 'same' },
  { x: [1, 1, 1, 1], k: [1, 1], f: 1 },
  { x: [2, 4, 4, 9], k: [2, 2], f: 9, s: [2, 2] },
  { x: [1, 9, 11, 3], k: [3, 3], f: 17, s: [3, 2], padding: 'same' },
  { x: [5, 6, 6, 8], k: [3, 3], f: 16 },
  { x: [1, 5, 5, 2], k: [5, 5], f: 3, padding: 'same' },
] as Conv[]) convCases(c);

// ---- K around a 256-term chunk (boundary inside a tap), a 256-row slab, and 512
for (const [k, C] of [[[1, 1], 255], [[1, 1], 256], [[1, 1], 257], [[3, 3], 28], [[3, 3], 29], [[2, 2], 64], [[3, 3], 57], [[1, 2], 256], [[1, 2], 257]] as [[number, number], number][]) {
  convCases({ x: [2, 4, 5, C], k, f: 6, padding: 'same', tag: `K = ${k[0] * k[1] * C}` });
}
// the input gradient reduces over F: K = kH*kW*F
for (const F of [255, 256, 257, 29]) convCases({ x: [2, 4, 5, 3], k: [3, 3], f: F, padding: 'same', tag: `gradInput K = ${9 * F}` }, {}, ['dx']);

// ---- K > 65536: level-2 groups of 65536 terms finished by reduce-sum
convCases({ x: [1, 2, 2, 70000], k: [1, 1], f: 3, tag: 'K > 65536' }, {}, ['fwd', 'dw']);
convCases({ x: [1, 2, 2, 3], k: [1, 1], f: 70000, tag: 'gradInput K > 65536' }, {}, ['dx']);

// ---- filter gradient: P <= 256, level-1 partials (default), one pass per output, P > 65536
convCases({ x: [1, 10, 10, 4], k: [3, 3], f: 8, tag: 'P = 64' }, {}, ['dw']);
for (const w of [16 * 1024 * 1024, 1]) {
  convCases({ x: [3, 20, 21, 5], k: [3, 3], f: 7, s: [1, 1], padding: 'same', tag: `P = 1260, convPartialWords=${w}` }, { tuning: { convPartialWords: w } }, ['dw']);
  convCases({ x: [2, 200, 200, 2], k: [2, 2], f: 3, s: [1, 1], padding: 'same', tag: `P = 80000, convPartialWords=${w}` }, { tuning: { convPartialWords: w } }, ['dw']);
}

// ---- special values: padding terms are +0 * w (Inf weights give NaN on both backends), NaN, -0
{
  const o = { strides: [2, 1] as [number, number], padding: 'same' as const };
  const x = [2, 5, 6, 3];
  const w = [3, 3, 3, 5];
  const y = dt.tidy(() => dt.conv2d(dt.zeros(x), dt.zeros(w), o).shape);
  cases.push({ name: 'conv2d with specials (NaN, Inf, -0, subnormals)', inputs: [input(x, withSpecials()), input(w, withSpecials())], run: ([a, k]) => dt.conv2d(a, k, o), nanPayloads: true });
  cases.push({ name: 'conv2dGradInput with specials', inputs: [input([...y], withSpecials()), input(w, withSpecials())], run: ([dy, k]) => adv.conv2dGradInput(dy, k, x, o), nanPayloads: true });
  cases.push({ name: 'conv2dGradFilter with specials', inputs: [input(x, withSpecials()), input([...y], withSpecials())], run: ([a, dy]) => adv.conv2dGradFilter(a, dy, w, o), nanPayloads: true });
  cases.push({ name: 'conv2d with finite specials (-0, subnormals, extremes)', inputs: [input(x, withFiniteSpecials()), input(w, withFiniteSpecials())], run: ([a, k]) => dt.conv2d(a, k, o) });
}

// ---- dispatches split at a lowered maxComputeWorkgroupsPerDimension
for (const m of [1, 2]) {
  convCases({ x: [4, 20, 20, 2], k: [3, 3], f: 3, padding: 'same', tag: `maxComputeWorkgroupsPerDimension=${m}` }, { maxWorkgroupsPerDimension: m });
  convCases({ x: [8, 40, 40, 2], k: [3, 3], f: 2, tag: `dw split, maxComputeWorkgroupsPerDimension=${m}` }, { maxWorkgroupsPerDimension: m }, ['dw']);
}

// ---- matmul: 8 x 8 tiles, 256-row slabs of B, k chunks, batch broadcasting, transposes
for (const [M, K, N] of [[1, 1, 1], [7, 3, 9], [9, 255, 15], [16, 256, 16], [17, 257, 5], [33, 513, 12], [600, 40, 3], [3, 40, 600], [65, 300, 65]]) {
  for (const [ta, tb] of [[false, false], [true, true]]) {
    const a = ta ? [K, M] : [M, K];
    const b = tb ? [N, K] : [K, N];
    cases.push({ name: `matmul ${M}x${K}x${N} tA=${ta} tB=${tb}`, inputs: [input(a), input(b)], run: ([x, y]) => dt.matmul(x, y, { transposeA: ta, transposeB: tb }) });
  }
}
cases.push({ name: 'matmul batch broadcast [3,1,9,260] @ [4,260,10]', inputs: [input([3, 1, 9, 260]), input([4, 260, 10])], run: ([x, y]) => dt.matmul(x, y) });
cases.push({ name: 'matmul with specials', inputs: [input([13, 300], withSpecials()), input([300, 11], withSpecials())], run: ([x, y]) => dt.matmul(x, y), nanPayloads: true });
// (rows split over x dispatches; the column tiles, ceil(N / 8), must fit one dimension)
for (const m of [1, 2]) cases.push({ name: `matmul [1100x20]@[20x${8 * m}] maxComputeWorkgroupsPerDimension=${m}`, inputs: [input([1100, 20]), input([20, 8 * m])], run: ([x, y]) => dt.matmul(x, y), maxWorkgroupsPerDimension: m });

// ---- pooling gradients over non-overlapping windows: -0 and special dy, NaN and ties in x
for (const [x, p, s, padding] of [
  [[2, 8, 8, 5], [2, 2], [2, 2], 'valid'], [[1, 9, 7, 3], [2, 2], [2, 2], 'same'], [[1, 9, 9, 6], [2, 3], [3, 3], 'valid'],
  [[2, 13, 13, 32], [2, 2], [2, 2], 'valid'], [[1, 7, 7, 1], [3, 3], [3, 3], 'same'],
] as [number[], [number, number], [number, number], 'same' | 'valid'][]) {
  const o = { poolSize: p, strides: s, padding };
  const y = dt.tidy(() => dt.maxPool2d(dt.zeros(x), o).shape);
  const tag = `x [${x}] p [${p}] s [${s}] ${padding}`;
  cases.push({ name: `maxPool2dGrad ${tag} (specials in dy, NaN and ties in x)`, inputs: [input([...y], withSpecials()), input(x, withSpecials(quarters))], run: ([dy, a]) => adv.maxPool2dGrad(dy, a, o), nanPayloads: true });
  cases.push({ name: `maxPool2dGrad ${tag} (-0 dy)`, inputs: [input([...y], () => Array.from({ length: y.reduce((a, b) => a * b, 1) }, (_, i) => (i % 2 ? -0 : 1.5))), input(x, ints(-1, 1))], run: ([dy, a]) => adv.maxPool2dGrad(dy, a, o) });
  cases.push({ name: `avgPool2dGrad ${tag} (-0 and specials in dy)`, inputs: [input([...y], withSpecials())], run: ([dy]) => adv.avgPool2dGrad(dy, x, o), nanPayloads: true });
  cases.push({ name: `maxPool2d ${tag} (NaN and ties)`, inputs: [input(x, withSpecials(quarters))], run: ([a]) => dt.maxPool2d(a, o), nanPayloads: true });
}

// ---- elementwise, 8 elements per invocation: lengths around 8, rows that wrap inside an invocation
for (const n of [1, 7, 8, 9, 15, 17, 2049]) {
  cases.push({ name: `add [${n}] + [${n}]`, inputs: [input([n]), input([n])], run: ([a, b]) => dt.add(a, b) });
  cases.push({ name: `relu [${n}]`, inputs: [input([n])], run: ([a]) => dt.relu(a) });
  cases.push({ name: `exp [${n}]`, inputs: [input([n])], run: ([a]) => dt.exp(a) });
}
for (const [a, b] of [[[5, 3], [3]], [[3, 5, 7], [5, 1]], [[2, 3, 4, 5], [3, 1, 5]], [[9, 1, 3], [1, 5, 1]], [[6, 7], [6, 1]]]) {
  cases.push({ name: `mul [${a}] * [${b}] (rows wrap inside an invocation)`, inputs: [input(a), input(b)], run: ([x, y]) => dt.mul(x, y) });
  cases.push({ name: `where [${a}] ? [${b}] : [${a}]`, inputs: [input(a, ints(0, 1), 'uint8'), input(b), input(a)], run: ([c, x, y]) => dt.where(c, x, y) });
}
cases.push({ name: 'transpose [5,3,7] -> [2,0,1]', inputs: [input([5, 3, 7])], run: ([x]) => dt.transpose(x, [2, 0, 1]) });
cases.push({ name: 'slice [9,13] [1:8, 2:11]', inputs: [input([9, 13])], run: ([x]) => dt.slice(x, [1, 2], [7, 9]) });
cases.push({ name: 'reluGrad [64,5,5,3] with specials', inputs: [input([64, 5, 5, 3], withSpecials()), input([64, 5, 5, 3], withSpecials())], run: ([dy, x]) => adv.reluGrad(dy, x), nanPayloads: true });

describeAgreement('agreement: tiled kernels (CPU vs WebGPU bits)', unavailable, cases);
