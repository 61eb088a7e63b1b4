/**
 * CPU vs WebGPU, bit for bit: reductions over every axis combination (keepDims or not, sizes
 * below and above one 256-term chunk and above 65536 terms, so every level of the summation tree
 * and both WebGPU strategies run: one pass per output and k-group partials finished by
 * reduce-sum passes), int32/uint8 sums, max/min/argmax/argmin with ties and NaN, and matmul with
 * every transpose flag pair, odd sizes, long inner dimensions and batch broadcasting.
 */
import * as dt from '../../src/index.ts';
import { describeAgreement, input, ints, quarters, uni, withFiniteSpecials, type AgreementCase } from './harness.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const cases: AgreementCase[] = [];

/** Every non-empty subset of [0, rank). */
function subsets(rank: number): number[][] {
  const out: number[][] = [];
  for (let m = 1; m < 1 << rank; m++) out.push([...Array(rank).keys()].filter((i) => m & (1 << i)));
  return out;
}

// ---- sum, every axis combination
for (const shape of [[3, 4, 5], [2, 3, 4, 5], [7, 1, 300]]) {
  for (const axes of subsets(shape.length)) {
    cases.push({ name: `sum f32 [${shape}] axes [${axes}]`, inputs: [input(shape, uni(-3, 3))], run: ([x]) => dt.sum(x, axes) });
  }
}
for (const [shape, axes] of [
  [[257], [0]], [[300, 257], [0]], [[300, 257], [1]], [[65536], [0]], [[70001], [0]], [[2, 70001], [1]], [[70001, 3], [0]],
  [[3, 300, 5], [1]], [[3, 300, 5], [0, 2]], [[40, 50, 40], [0, 2]], [[2, 9000, 9], [1, 2]], [[1100, 130], [0]], [[17, 4100], [1]],
  [[300, 270, 3], [0, 1]], [[0, 3], [0]], [[3, 0], [1]], [[5, 1], [1]],
] as [number[], number[]][]) {
  cases.push({ name: `sum f32 [${shape}] axes [${axes}] (long)`, inputs: [input(shape, uni(-3, 3))], run: ([x]) => dt.sum(x, axes) });
}
// one pass per output (many outputs) and level-2 groups of 65536 terms (forced by the tuning knob)
cases.push({ name: 'sum f32 [300, 2100] axes [0] (one pass per output)', inputs: [input([300, 2100])], run: ([x]) => dt.sum(x, 0) });
cases.push({ name: 'sum f32 [5000, 2050] axes [0] (one pass per output)', inputs: [input([5000, 2050])], run: ([x]) => dt.sum(x, 0) });
for (const p of [1, 1e9]) {
  cases.push({ name: `sum f32 [70001] parallelOutputs=${p}`, inputs: [input([70001])], run: ([x]) => dt.sum(x), tuning: { parallelOutputs: p } });
  cases.push({ name: `sum f32 [3, 140000] axes [1] parallelOutputs=${p}`, inputs: [input([3, 140000])], run: ([x]) => dt.sum(x, 1), tuning: { parallelOutputs: p } });
  cases.push({ name: `sum f32 [300, 7] axes [0] parallelOutputs=${p}`, inputs: [input([300, 7])], run: ([x]) => dt.sum(x, 0), tuning: { parallelOutputs: p } });
  cases.push({ name: `matmul [3x70001]@[70001x2] parallelOutputs=${p}`, inputs: [input([3, 70001]), input([70001, 2])], run: ([a, b]) => dt.matmul(a, b), tuning: { parallelOutputs: p } });
  cases.push({ name: `matmul [9x600]@[600x5] parallelOutputs=${p}`, inputs: [input([9, 600]), input([600, 5])], run: ([a, b]) => dt.matmul(a, b), tuning: { parallelOutputs: p } });
}
cases.push({ name: 'sum f32 keepDims [4, 5, 6] axes [0, 2]', inputs: [input([4, 5, 6])], run: ([x]) => dt.sum(x, [0, 2], true) });
cases.push({ name: 'sum f32 all of [3, 7] keepDims', inputs: [input([3, 7])], run: ([x]) => dt.sum(x, undefined, true) });
cases.push({ name: 'sum f32 no axes (identity with +0)', inputs: [input([40], withFiniteSpecials())], run: ([x]) => dt.sum(x, []) });
cases.push({ name: 'sum f32 of -0 (single term)', inputs: [input([6, 1], () => [-0, -0, 0, -1e-45, 1, -0])], run: ([x]) => dt.sum(x, 1) });
cases.push({ name: 'sum f32 of -0 pairs', inputs: [input([3, 2], () => [-0, -0, -0, 0, 0, -0])], run: ([x]) => dt.sum(x, 1) });
cases.push({ name: 'sum f32 finite specials', inputs: [input([50, 30], withFiniteSpecials())], run: ([x]) => dt.sum(x, 0) });
cases.push({ name: 'mean f32 (sum / count)', inputs: [input([33, 300])], run: ([x]) => dt.mean(x, 1) });
for (const [dtype, gen] of [['int32', ints(-2e9, 2e9)], ['uint8', ints(0, 255)]] as [dt.DType, never][]) {
  for (const axes of [[0], [1], [0, 1], [0, 2]]) {
    cases.push({ name: `sum ${dtype} [30, 70, 3] axes [${axes}]`, inputs: [input([30, 70, 3], gen, dtype)], run: ([x]) => dt.sum(x, axes) });
  }
  cases.push({ name: `sum ${dtype} long [70001]`, inputs: [input([70001], gen, dtype)], run: ([x]) => dt.sum(x) });
}

// ---- max, min, argmax, argmin (ties from quarter values; NaN wins)
for (const [name, f] of [['max', dt.max], ['min', dt.min]] as [string, (x: dt.Tensor, a?: number[], k?: boolean) => dt.Tensor][]) {
  for (const axes of subsets(3)) cases.push({ name: `${name} f32 [4, 5, 6] axes [${axes}]`, inputs: [input([4, 5, 6], quarters)], run: ([x]) => f(x, axes) });
  cases.push({ name: `${name} f32 long [2, 70001]`, inputs: [input([2, 70001], uni(-5, 5))], run: ([x]) => f(x, [1]) });
  cases.push({ name: `${name} f32 with NaN and -0`, inputs: [input([5, 4], () => [1, NaN, 2, 3, -0, 0, 0, -0, NaN, NaN, 1, 2, -1, -1, -2, -Infinity, Infinity, 3, NaN, 0])], run: ([x]) => f(x, [1]), nanPayloads: true });
  cases.push({ name: `${name} i32 [30, 40] axes [0]`, inputs: [input([30, 40], ints(-5, 5), 'int32')], run: ([x]) => f(x, [0]) });
  cases.push({ name: `${name} u8 [30, 40] axes [1] keepDims`, inputs: [input([30, 40], ints(0, 255), 'uint8')], run: ([x]) => f(x, [1], true) });
}
for (const [name, f] of [['argmax', dt.argmax], ['argmin', dt.argmin]] as [string, (x: dt.Tensor, a: number) => dt.Tensor][]) {
  for (const axis of [0, 1, 2]) cases.push({ name: `${name} f32 [4, 5, 6] axis ${axis} (ties)`, inputs: [input([4, 5, 6], ints(-2, 2))], run: ([x]) => f(x, axis) });
  cases.push({ name: `${name} f32 with NaN`, inputs: [input([4, 5], () => [1, NaN, 2, NaN, 3, 3, 3, 3, 3, 0, -1, -Infinity, 5, Infinity, 5, 0, -0, 0, -0, 0])], run: ([x]) => f(x, 1) });
  cases.push({ name: `${name} i32 [7, 300] axis 1`, inputs: [input([7, 300], ints(-9, 9), 'int32')], run: ([x]) => f(x, 1) });
  cases.push({ name: `${name} u8 [300, 7] axis 0`, inputs: [input([300, 7], ints(0, 20), 'uint8')], run: ([x]) => f(x, 0) });
}

// ---- matmul
const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
for (const [M, K, N] of [[1, 1, 1], [5, 7, 3], [33, 300, 17], [64, 600, 64], [3, 70001, 2], [130, 1, 9], [2, 256, 2], [2, 257, 2], [45, 513, 50]]) {
  for (const [tA, tB] of FLAGS) {
    const sa = tA ? [K, M] : [M, K];
    const sb = tB ? [N, K] : [K, N];
    cases.push({ name: `matmul [${M}x${K}]@[${K}x${N}] tA=${tA} tB=${tB}`, inputs: [input(sa, uni(-1, 1)), input(sb, uni(-1, 1))], run: ([a, b]) => dt.matmul(a, b, { transposeA: tA, transposeB: tB }) });
  }
}
for (const [sa, sb, tA, tB] of [
  [[2, 3, 5, 7], [7, 4], false, false], [[2, 1, 5, 7], [1, 3, 7, 4], false, false], [[3, 5, 7], [3, 7, 2], false, false],
  [[4, 7, 5], [4, 2, 7], true, true], [[5, 7], [6, 7, 3], false, false], [[2, 2, 2, 2, 3, 4], [2, 1, 2, 1, 4, 3], false, false],
  [[6, 300, 5], [300, 4], true, false],
] as [number[], number[], boolean, boolean][]) {
  cases.push({ name: `matmul batched [${sa}]@[${sb}] tA=${tA} tB=${tB}`, inputs: [input(sa), input(sb)], run: ([a, b]) => dt.matmul(a, b, { transposeA: tA, transposeB: tB }) });
}
cases.push({ name: 'matmul K=0', inputs: [input([3, 0]), input([0, 4])], run: ([a, b]) => dt.matmul(a, b) });
cases.push({ name: 'matmul -0 products (K=1)', inputs: [input([4, 1], () => [-0, 0, -1, 1]), input([1, 3], () => [0, -0, 2])], run: ([a, b]) => dt.matmul(a, b) });
cases.push({ name: 'matmul finite specials', inputs: [input([20, 30], withFiniteSpecials(uni(-1, 1))), input([30, 10], uni(-1, 1))], run: ([a, b]) => dt.matmul(a, b) });

describeAgreement('agreement: reductions and matmul (CPU vs WebGPU bits)', unavailable, cases);
