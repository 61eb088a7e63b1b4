/**
 * dt.activations: gradients against float64 central differences of the Keras formulas (test/util/gradcheck.ts,
 * inputs drawn away from each function's kinks), and CPU vs WebGPU bit equality of values (special values
 * included) and gradients (the shared agreement harness; skipped without a WebGPU adapter unless REQUIRE_WEBGPU=1).
 */
import * as dt from '../../../src/index.ts';
import { ACT64, relu64, softmax64 } from '../../reference/activations64.ts';
import type { A64 } from '../../reference/ops64.ts';
import { describeAgreement, input, uni, withSpecials, type AgreementCase } from '../../agreement/harness.ts';
import { awayFrom, describeGradcheck, uniform } from '../../util/gradcheck.ts';
import { webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
const A = dt.activations;

const map = (f: (v: number) => number) => (x: A64): A64 => ({ shape: x.shape, data: x.data.map(f) });

describeGradcheck('dt.activations gradients (float64 central differences, away from kinks)', [
  { name: 'relu', f: (x) => A.relu(x), ref: map(ACT64.relu!), inputs: [awayFrom([13], [0], -3, 3)] },
  { name: 'relu options', f: (x) => A.relu(x, { negativeSlope: 0.3, maxValue: 4, threshold: 1 }), ref: map((v) => relu64(v, 0.3, 4, 1)), inputs: [awayFrom([17], [1, 4], -3, 6)] },
  { name: 'relu6', f: A.relu6, ref: map(ACT64.relu6!), inputs: [awayFrom([13], [0, 6], -3, 9)] },
  { name: 'leaky_relu', f: (x) => A.leakyRelu(x), ref: map(ACT64.leaky_relu!), inputs: [awayFrom([13], [0], -3, 3)] },
  { name: 'elu', f: (x) => A.elu(x), ref: map(ACT64.elu!), inputs: [awayFrom([13], [0], -3, 3)] },
  { name: 'selu', f: A.selu, ref: map(ACT64.selu!), inputs: [awayFrom([13], [0], -3, 3)] },
  { name: 'gelu', f: (x) => A.gelu(x), ref: map(ACT64.gelu!), inputs: [uniform([17], -4, 4)] },
  { name: 'gelu approximate', f: (x) => A.gelu(x, true), ref: map(ACT64.gelu_approximate!), inputs: [uniform([17], -4, 4)] },
  { name: 'silu', f: A.silu, ref: map(ACT64.silu!), inputs: [uniform([13], -6, 6)] },
  { name: 'softplus', f: A.softplus, ref: map(ACT64.softplus!), inputs: [uniform([13], -6, 6)] },
  { name: 'softsign', f: A.softsign, ref: map(ACT64.softsign!), inputs: [awayFrom([13], [0], -4, 4)] },
  { name: 'hard_sigmoid', f: A.hardSigmoid, ref: map(ACT64.hard_sigmoid!), inputs: [awayFrom([13], [-3, 3], -5, 5)] },
  { name: 'hard_silu', f: A.hardSilu, ref: map(ACT64.hard_silu!), inputs: [awayFrom([13], [-3, 3], -5, 5)] },
  { name: 'mish', f: A.mish, ref: map(ACT64.mish!), inputs: [uniform([13], -5, 5)] },
  { name: 'exponential', f: A.exponential, ref: map(ACT64.exponential!), inputs: [uniform([9], -3, 3)] },
  { name: 'softmax axis 0', f: (x) => A.softmax(x, 0), ref: (x) => ({ shape: x.shape, data: softmax64(x.data, x.shape, 0) }), inputs: [uniform([4, 3], -2, 2)] },
  { name: 'log_softmax axis 1', f: (x) => A.logSoftmax(x, 1), ref: (x) => ({ shape: x.shape, data: softmax64(x.data, x.shape, 1, true) }), inputs: [uniform([2, 5, 2], -2, 2)] },
]);

const FNS: [string, (x: dt.Tensor) => dt.Tensor][] = [
  ['relu', (x) => A.relu(x)], ['relu opts', (x) => A.relu(x, { negativeSlope: 0.1, maxValue: 5, threshold: -0.5 })], ['relu6', A.relu6],
  ['leaky_relu', (x) => A.leakyRelu(x)], ['elu', (x) => A.elu(x, 0.7)], ['selu', A.selu], ['gelu', (x) => A.gelu(x)],
  ['gelu approximate', (x) => A.gelu(x, true)], ['silu', A.silu], ['softplus', A.softplus], ['softsign', A.softsign],
  ['hard_sigmoid', A.hardSigmoid], ['hard_silu', A.hardSilu], ['mish', A.mish], ['softmax axis 1', (x) => A.softmax(x, 1)],
  ['log_softmax axis 0', (x) => A.logSoftmax(x, 0)], ['exponential', A.exponential], ['sigmoid', A.sigmoid], ['tanh', A.tanh],
];
const cases: AgreementCase[] = [];
for (const [name, f] of FNS) {
  const axisFn = name.includes('softmax');
  cases.push({ name: `${name} values`, inputs: [input([37, 29], withSpecials(uni(-12, 12)))], run: ([x]) => f(x), nanPayloads: true });
  cases.push({
    name: `${name} gradient`,
    inputs: [input(axisFn ? [7, 9] : [301], uni(-7, 7)), input(axisFn ? [7, 9] : [301], uni(-2, 2))],
    run: ([x, dy]) => dt.grad((a: dt.Tensor) => dt.sum(dt.mul(f(a), dy)))(x)[0]!,
  });
}
describeAgreement('agreement: dt.activations (CPU vs WebGPU bits)', unavailable, cases);
