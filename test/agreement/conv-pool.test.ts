/**
 * CPU vs WebGPU, bit for bit: conv2d and both gradients (several channel counts, strides 1-3,
 * 'same'/'valid' padding, 1x1 and kernels larger than the input), max/avg pooling and their
 * gradients (ties, padding, overlapping windows), gather/gatherGrad (repeated indices, many
 * indices), oneHot, resizeBilinear and randomUniform, then a small CNN's gradients end to end.
 */
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { describeAgreement, input, ints, quarters, uni, type AgreementCase } from './harness.ts';
import { webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const cases: AgreementCase[] = [];

type Conv = { x: number[]; k: [number, number]; f: number; strides: [number, number]; padding: 'same' | 'valid' };
const CONVS: Conv[] = [];
for (const padding of ['same', 'valid'] as const) {
  for (const s of [1, 2, 3]) CONVS.push({ x: [2, 9, 9, 3], k: [3, 3], f: 4, strides: [s, s], padding });
  CONVS.push({ x: [2, 7, 6, 5], k: [2, 3], f: 3, strides: [2, 1], padding });
  CONVS.push({ x: [3, 5, 5, 2], k: [1, 1], f: 6, strides: [1, 1], padding });
  CONVS.push({ x: [1, 6, 7, 4], k: [1, 1], f: 2, strides: [2, 3], padding });
  CONVS.push({ x: [1, 11, 11, 1], k: [5, 5], f: 8, strides: [1, 1], padding });
}
CONVS.push({ x: [1, 3, 3, 2], k: [5, 5], f: 2, strides: [1, 1], padding: 'same' });
CONVS.push({ x: [4, 28, 28, 1], k: [3, 3], f: 32, strides: [1, 1], padding: 'valid' });
CONVS.push({ x: [2, 13, 13, 32], k: [3, 3], f: 64, strides: [1, 1], padding: 'valid' });
CONVS.push({ x: [1, 10, 10, 40], k: [3, 3], f: 3, strides: [1, 1], padding: 'same' });

for (const c of CONVS) {
  const o = { strides: c.strides, padding: c.padding };
  const tag = `x [${c.x}] k [${c.k}] f ${c.f} s [${c.strides}] ${c.padding}`;
  const w = [c.k[0], c.k[1], c.x[3], c.f];
  const y = dt.tidy(() => dt.conv2d(dt.zeros(c.x), dt.zeros(w), o).shape);
  cases.push({ name: `conv2d ${tag}`, inputs: [input(c.x), input(w)], run: ([x, k]) => dt.conv2d(x, k, o) });
  cases.push({ name: `conv2dGradInput ${tag}`, inputs: [input([...y]), input(w)], run: ([dy, k]) => adv.conv2dGradInput(dy, k, c.x, o) });
  cases.push({ name: `conv2dGradFilter ${tag}`, inputs: [input(c.x), input([...y])], run: ([x, dy]) => adv.conv2dGradFilter(x, dy, w, o) });
}
// Long reduction of conv2dGradFilter (P = 64*26*26 > 65536 terms is also possible; 43264 here)
cases.push({ name: 'conv2dGradFilter reference CNN layer 1 at batch 64', inputs: [input([64, 28, 28, 1]), input([64, 26, 26, 32])], run: ([x, dy]) => adv.conv2dGradFilter(x, dy, [3, 3, 1, 32]) });
cases.push({ name: 'conv2dGradFilter 1x1 with > 65536 terms', inputs: [input([2, 200, 200, 2]), input([2, 200, 200, 3])], run: ([x, dy]) => adv.conv2dGradFilter(x, dy, [1, 1, 2, 3]) });

// ---- pooling
type Pool = { x: number[]; p: [number, number]; s: [number, number]; padding: 'same' | 'valid' };
const POOLS: Pool[] = [];
for (const padding of ['same', 'valid'] as const) {
  POOLS.push({ x: [2, 8, 8, 3], p: [2, 2], s: [2, 2], padding });
  POOLS.push({ x: [2, 9, 9, 3], p: [3, 3], s: [2, 2], padding });
  POOLS.push({ x: [1, 7, 10, 2], p: [2, 3], s: [1, 1], padding });
  POOLS.push({ x: [1, 11, 11, 4], p: [3, 2], s: [3, 3], padding });
  POOLS.push({ x: [1, 5, 5, 1], p: [2, 2], s: [3, 3], padding });
}
POOLS.push({ x: [2, 20, 20, 3], p: [20, 20], s: [1, 1], padding: 'valid' });
POOLS.push({ x: [64, 26, 26, 32], p: [2, 2], s: [2, 2], padding: 'valid' });
for (const c of POOLS) {
  const o = { poolSize: c.p, strides: c.s, padding: c.padding };
  const tag = `x [${c.x}] p [${c.p}] s [${c.s}] ${c.padding}`;
  const y = dt.tidy(() => dt.maxPool2d(dt.zeros(c.x), o).shape);
  cases.push({ name: `maxPool2d ${tag} (ties)`, inputs: [input(c.x, quarters)], run: ([x]) => dt.maxPool2d(x, o) });
  cases.push({ name: `avgPool2d ${tag}`, inputs: [input(c.x)], run: ([x]) => dt.avgPool2d(x, o) });
  cases.push({ name: `maxPool2dGrad ${tag} (ties)`, inputs: [input([...y]), input(c.x, ints(-1, 1))], run: ([dy, x]) => adv.maxPool2dGrad(dy, x, o) });
  cases.push({ name: `avgPool2dGrad ${tag}`, inputs: [input([...y])], run: ([dy]) => adv.avgPool2dGrad(dy, c.x, o) });
}
cases.push({ name: 'maxPool2d with NaN', inputs: [input([1, 4, 4, 1], () => [1, NaN, 2, 3, 4, 5, NaN, NaN, 0, -0, -1, 7, -0, 0, 7, 7])], run: ([x]) => dt.maxPool2d(x, { poolSize: 2 }), nanPayloads: true });

// ---- gather, gatherGrad, oneHot
const idx = (n: number, dim: number) => input([n], ints(0, dim - 1), 'int32');
for (const [shape, axis, n] of [[[7, 5], 0, 12], [[4, 9, 3], 1, 20], [[3, 4, 6], 2, 5], [[10], 0, 600], [[6, 8], 1, 1]] as [number[], number, number][]) {
  const dim = shape[axis];
  for (const [dtype, gen] of [['float32', uni()], ['int32', ints(-99, 99)], ['uint8', ints(0, 255)]] as [dt.DType, never][]) {
    cases.push({ name: `gather ${dtype} [${shape}] axis ${axis} n ${n}`, inputs: [input(shape, gen, dtype), idx(n, dim)], run: ([x, i]) => dt.gather(x, i, axis) });
  }
  const dyShape = [...shape.slice(0, axis), n, ...shape.slice(axis + 1)];
  cases.push({ name: `gatherGrad [${dyShape}] axis ${axis} dim ${dim}`, inputs: [input(dyShape), idx(n, dim)], run: ([dy, i]) => adv.gatherGrad(dy, i, axis, dim) });
}
cases.push({ name: 'gather with 2-D indices', inputs: [input([5, 3]), input([2, 4], ints(0, 4), 'int32')], run: ([x, i]) => dt.gather(x, i, 0) });
cases.push({ name: 'gatherGrad with 2-D indices', inputs: [input([3, 2, 4]), input([2, 4], ints(0, 5), 'int32')], run: ([dy, i]) => adv.gatherGrad(dy, i, 1, 6) });
for (const p of [1, 1e9]) {
  cases.push({ name: `gatherGrad 70001 repeated indices parallelOutputs=${p}`, inputs: [input([70001, 2]), idx(70001, 3)], run: ([dy, i]) => adv.gatherGrad(dy, i, 0, 3), tuning: { parallelOutputs: p } });
  cases.push({ name: `gatherGrad 3000 indices parallelOutputs=${p}`, inputs: [input([3000, 5]), idx(3000, 7)], run: ([dy, i]) => adv.gatherGrad(dy, i, 0, 7), tuning: { parallelOutputs: p } });
}
cases.push({ name: 'oneHot int32 indices (incl. out of range)', inputs: [input([3, 7], ints(-2, 11), 'int32')], run: ([i]) => dt.oneHot(i, 10) });
cases.push({ name: 'oneHot uint8 indices, int32 output', inputs: [input([50], ints(0, 12), 'uint8')], run: ([i]) => dt.oneHot(i, 10, { onValue: 5, offValue: -2, dtype: 'int32' }) });
cases.push({ name: 'oneHot float values', inputs: [input([9], ints(0, 3), 'int32')], run: ([i]) => dt.oneHot(i, 4, { onValue: 0.9, offValue: 0.1 / 3 }) });

// ---- resizeBilinear
for (const [x, size] of [[[2, 5, 7, 3], [9, 4]], [[1, 28, 28, 1], [32, 32]], [[1, 32, 32, 2], [28, 28]], [[3, 1, 1, 2], [3, 5]], [[1, 6, 6, 1], [6, 6]], [[1, 7, 3, 1], [1, 1]]] as [number[], [number, number]][]) {
  cases.push({ name: `resizeBilinear [${x}] -> [${size}]`, inputs: [input(x, uni(0, 255))], run: ([t]) => dt.resizeBilinear(t, size) });
}

// ---- randomUniform
for (const algorithm of ['philox', 'threefry'] as const) {
  for (const shape of [[1], [7], [1001], [3, 5, 2], [0]]) {
    for (const key of [[42, 0], [0xffffffff, 0x12345678]]) {
      const counter = algorithm === 'philox' ? [0xfffffffe, 0xffffffff, 0xffffffff, 3] : [0, 0, 0, 0];
      cases.push({ name: `randomUniform ${algorithm} [${shape}] key [${key}]`, inputs: [], run: () => adv.randomUniform(shape, { algorithm, key, counter }) });
    }
  }
}

// ---- dispatch splitting: 2-D workgroup grids and batch-split matmuls under a lowered limit
for (const m of [16, 64]) {
  cases.push({ name: `add with maxComputeWorkgroupsPerDimension=${m}`, inputs: [input([5, 1000]), input([1000])], run: ([a, b]) => dt.add(a, b), maxWorkgroupsPerDimension: m });
  cases.push({ name: `add (3-D grid) with maxComputeWorkgroupsPerDimension=${m}`, inputs: [input([300, 400]), input([300, 1])], run: ([a, b]) => dt.add(a, b), maxWorkgroupsPerDimension: m });
  cases.push({ name: `sum (partials) with maxComputeWorkgroupsPerDimension=${m}`, inputs: [input([70001])], run: ([x]) => dt.sum(x), maxWorkgroupsPerDimension: m });
  cases.push({ name: `batched matmul split over z with maxComputeWorkgroupsPerDimension=${m}`, inputs: [input([70, 5, 300]), input([70, 300, 3])], run: ([a, b]) => dt.matmul(a, b), maxWorkgroupsPerDimension: m });
  cases.push({ name: `conv2d with maxComputeWorkgroupsPerDimension=${m}`, inputs: [input([2, 9, 9, 3]), input([3, 3, 3, 4])], run: ([x, k]) => dt.conv2d(x, k, { padding: 'same' }), maxWorkgroupsPerDimension: m });
  cases.push({ name: `randomUniform with maxComputeWorkgroupsPerDimension=${m}`, inputs: [], run: () => adv.randomUniform([3001], { algorithm: 'philox', key: [1, 2], counter: [3, 4, 5, 6] }), maxWorkgroupsPerDimension: m });
}

// ---- a small CNN end to end: gradients of every weight (conv, relu, pools, dense, softmax CE)
function cnnGrads(i: number) {
  return ([x, w1, b1, w2, wd, labels]: dt.Tensor[]): dt.Tensor => {
    const loss = (a: dt.Tensor, b: dt.Tensor, c: dt.Tensor, d: dt.Tensor) => {
      let h = dt.relu(dt.add(dt.conv2d(x, a), b));
      h = dt.maxPool2d(h, { poolSize: 2 });
      h = dt.tanh(dt.conv2d(h, c, { padding: 'same' }));
      h = dt.avgPool2d(h, { poolSize: 2 });
      const logits = dt.matmul(dt.reshape(h, [h.shape[0], -1]), d);
      const lp = dt.logSoftmax(logits);
      return dt.neg(dt.mean(dt.sum(dt.mul(lp, dt.oneHot(labels, 10)), 1)));
    };
    return dt.tidy(() => dt.grad(loss)(w1, b1, w2, wd)[i]);
  };
}
const CNN_INPUTS = [input([4, 12, 12, 1], uni(0, 1)), input([3, 3, 1, 8], uni(-0.5, 0.5)), input([8], uni(-0.1, 0.1)), input([3, 3, 8, 6], uni(-0.3, 0.3)), input([24, 10], uni(-0.3, 0.3)), input([4], ints(0, 9), 'int32')];
['conv1 kernel', 'conv1 bias', 'conv2 kernel', 'dense kernel'].forEach((w, i) => cases.push({ name: `small CNN gradient: ${w}`, inputs: CNN_INPUTS, run: cnnGrads(i) }));

describeAgreement('agreement: conv, pool, gather, resize, random (CPU vs WebGPU bits)', unavailable, cases);
