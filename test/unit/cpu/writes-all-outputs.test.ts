/**
 * Every CPU kernel writes every element of its output. The backend reuses freed buffers without
 * clearing them (Backend.alloc: "contents unspecified"), so a kernel that relied on zeroed
 * memory would leak stale values: each op runs once into a zeroed output and once into an output
 * filled with 0xFF bytes (NaN / -1), and the results must be identical. The sample table must
 * cover every primitive op (OP_NAMES).
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../../../src/core/dtype.ts';
import { OP_NAMES } from '../../../src/advanced.ts'; // loads every op module, so OP_NAMES is complete
import { CpuBackend } from '../../../src/kernels/cpu/backend.ts';
import { type Info, Rng, firstDifference, outputInfo, randomInfo } from './helpers.ts';

interface Sample {
  op: string;
  inputs: Info[];
  attrs: object;
  out: [number[], DType];
}

const rng = new Rng(77);
const f = (shape: number[]) => randomInfo(rng, shape, 'float32');
const i32 = (shape: number[], values?: number[]) => {
  const t = randomInfo(rng, shape, 'int32');
  if (values) t.handle.set(values);
  return t;
};
const u8 = (shape: number[]) => randomInfo(rng, shape, 'uint8');
const pool = { poolSize: [2, 2], strides: [2, 2], padding: 'same' };
const win = { strides: [1, 2], padding: 'same' };

const SAMPLES: Sample[] = [
  { op: 'fill', inputs: [], attrs: { shape: [3, 4], dtype: 'float32', value: 2.5 }, out: [[3, 4], 'float32'] },
  { op: 'cast', inputs: [f([5, 3])], attrs: { dtype: 'int32' }, out: [[5, 3], 'int32'] },
  { op: 'broadcastTo', inputs: [f([3, 1])], attrs: { shape: [2, 3, 4] }, out: [[2, 3, 4], 'float32'] },
  { op: 'transpose', inputs: [f([2, 3, 4])], attrs: { perm: [2, 0, 1] }, out: [[4, 2, 3], 'float32'] },
  { op: 'slice', inputs: [f([5, 6])], attrs: { begin: [1, 2], size: [3, 3] }, out: [[3, 3], 'float32'] },
  { op: 'pad', inputs: [f([2, 3])], attrs: { paddings: [[1, 0], [2, 1]], value: 0 }, out: [[3, 6], 'float32'] },
  { op: 'concat', inputs: [f([2, 3]), f([2, 2])], attrs: { axis: 1 }, out: [[2, 5], 'float32'] },
  { op: 'gather', inputs: [f([5, 3]), i32([4], [4, 0, 7, 2])], attrs: { axis: 0 }, out: [[4, 3], 'float32'] },
  { op: 'gatherGrad', inputs: [f([4, 3]), i32([4], [4, 0, 4, 2])], attrs: { axis: 0, dimSize: 6 }, out: [[6, 3], 'float32'] },
  { op: 'oneHot', inputs: [i32([4], [1, 0, 9, 2])], attrs: { depth: 3, onValue: 1, offValue: 0, dtype: 'float32' }, out: [[4, 3], 'float32'] },
  ...['neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'relu', 'sigmoid', 'tanh'].map((op) => ({ op, inputs: [f([7, 5])], attrs: {}, out: [[7, 5], 'float32'] as [number[], DType] })),
  { op: 'relu', inputs: [f([300, 400])], attrs: {}, out: [[300, 400], 'float32'] },
  { op: 'elu', inputs: [f([7, 5])], attrs: { alpha: 1 }, out: [[7, 5], 'float32'] },
  { op: 'erf', inputs: [f([7, 5])], attrs: {}, out: [[7, 5], 'float32'] },
  { op: 'softplus', inputs: [f([7, 5])], attrs: {}, out: [[7, 5], 'float32'] },
  { op: 'reluGrad', inputs: [f([7, 5]), f([7, 5])], attrs: {}, out: [[7, 5], 'float32'] },
  { op: 'reluGrad', inputs: [f([300, 401]), f([300, 401])], attrs: {}, out: [[300, 401], 'float32'] },
  { op: 'adamMoment', inputs: [f([3, 3, 32, 32]), f([3, 3, 32, 32])], attrs: { c: 0.1 }, out: [[3, 3, 32, 32], 'float32'] },
  { op: 'adamVelocity', inputs: [f([64, 10]), f([64, 10])], attrs: { c: 0.001 }, out: [[64, 10], 'float32'] },
  { op: 'adamStep', inputs: [f([1001]), f([1001]), f([1001])], attrs: { alpha: 0.001, eps: 1e-7 }, out: [[1001], 'float32'] },
  { op: 'add', inputs: [f([1000, 37]), f([1000, 37])], attrs: {}, out: [[1000, 37], 'float32'] },
  { op: 'mul', inputs: [f([1003, 37]), f([])], attrs: {}, out: [[1003, 37], 'float32'] },
  { op: 'sub', inputs: [f([]), f([1003, 37])], attrs: {}, out: [[1003, 37], 'float32'] },
  { op: 'add', inputs: [f([700, 36]), f([36])], attrs: {}, out: [[700, 36], 'float32'] },
  { op: 'greaterEqual', inputs: [f([1003, 37]), f([])], attrs: {}, out: [[1003, 37], 'uint8'] },
  { op: 'sum', inputs: [f([700, 36])], attrs: { axes: [0], keepDims: false }, out: [[36], 'float32'] },
  { op: 'clipByValue', inputs: [f([7, 5])], attrs: { min: -0.5, max: 0.5 }, out: [[7, 5], 'float32'] },
  ...['add', 'sub', 'mul', 'div', 'maximum', 'minimum'].map((op) => ({ op, inputs: [f([4, 1, 5]), f([3, 1])], attrs: {}, out: [[4, 3, 5], 'float32'] as [number[], DType] })),
  ...['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'].map((op) => ({ op, inputs: [f([6, 5]), f([5])], attrs: {}, out: [[6, 5], 'uint8'] as [number[], DType] })),
  { op: 'add', inputs: [f([64, 30, 32]), f([32])], attrs: {}, out: [[64, 30, 32], 'float32'] },
  { op: 'where', inputs: [u8([6, 1]), f([6, 5]), f([])], attrs: {}, out: [[6, 5], 'float32'] },
  { op: 'where', inputs: [u8([64, 900]), f([64, 900]), f([])], attrs: {}, out: [[64, 900], 'float32'] },
  { op: 'sum', inputs: [f([4, 5, 6])], attrs: { axes: [0, 2], keepDims: false }, out: [[5], 'float32'] },
  { op: 'sum', inputs: [f([64, 30, 32])], attrs: { axes: [0, 1], keepDims: false }, out: [[32], 'float32'] },
  { op: 'max', inputs: [f([4, 5, 6])], attrs: { axes: [1], keepDims: false }, out: [[4, 6], 'float32'] },
  { op: 'min', inputs: [f([4, 5, 6])], attrs: { axes: [0, 1], keepDims: false }, out: [[6], 'float32'] },
  { op: 'argmax', inputs: [f([4, 5])], attrs: { axis: 1 }, out: [[4], 'int32'] },
  { op: 'argmin', inputs: [f([4, 5])], attrs: { axis: 0 }, out: [[5], 'int32'] },
  { op: 'matmul', inputs: [f([2, 7, 9]), f([9, 5])], attrs: { transposeA: false, transposeB: false }, out: [[2, 7, 5], 'float32'] },
  { op: 'matmul', inputs: [f([3000, 7]), f([3000, 6])], attrs: { transposeA: true, transposeB: false }, out: [[7, 6], 'float32'] },
  { op: 'conv2d', inputs: [f([2, 7, 8, 3]), f([3, 2, 3, 4])], attrs: win, out: [[2, 7, 4, 4], 'float32'] },
  { op: 'conv2dGradInput', inputs: [f([2, 7, 4, 4]), f([3, 2, 3, 4])], attrs: { ...win, inputShape: [2, 7, 8, 3] }, out: [[2, 7, 8, 3], 'float32'] },
  { op: 'conv2dGradFilter', inputs: [f([2, 7, 8, 3]), f([2, 7, 4, 4])], attrs: { ...win, filterShape: [3, 2, 3, 4] }, out: [[3, 2, 3, 4], 'float32'] },
  { op: 'conv2dGradFilter', inputs: [f([16, 20, 20, 2]), f([16, 20, 10, 4])], attrs: { ...win, filterShape: [3, 2, 2, 4] }, out: [[3, 2, 2, 4], 'float32'] },
  { op: 'conv2d', inputs: [f([2, 9, 8, 3]), f([3, 2, 3, 4])], attrs: { ...win, dilations: [2, 3] }, out: [[2, 9, 4, 4], 'float32'] },
  { op: 'conv2dBiasAct', inputs: [f([2, 7, 8, 3]), f([3, 2, 3, 4]), f([4])], attrs: { ...win, activation: 'relu' }, out: [[2, 7, 4, 4], 'float32'] },
  { op: 'conv2dBiasAct', inputs: [f([2, 7, 8, 5]), f([3, 2, 5, 4]), f([4])], attrs: { ...win, activation: 'linear' }, out: [[2, 7, 4, 4], 'float32'] },
  // conv2dBiasActMaxPool: pooled inside the gemm job (8 x 7 and 7 x 7 outputs: an odd last row or column not computed), and conv2dBiasAct then maxPool2d (3 x 3 windows)
  { op: 'conv2dBiasActMaxPool', inputs: [f([2, 10, 9, 3]), f([3, 3, 3, 8]), f([8])], attrs: { strides: [1, 1], padding: 'valid', activation: 'relu', pool: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' } }, out: [[2, 4, 3, 8], 'float32'] },
  { op: 'conv2dBiasActMaxPool', inputs: [f([2, 9, 9, 3]), f([3, 3, 3, 8]), f([8])], attrs: { strides: [1, 1], padding: 'valid', activation: 'linear', pool: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' } }, out: [[2, 3, 3, 8], 'float32'] },
  { op: 'conv2dBiasActMaxPool', inputs: [f([2, 9, 9, 3]), f([3, 3, 3, 8]), f([8])], attrs: { strides: [1, 1], padding: 'valid', activation: 'relu', pool: { poolSize: [3, 3], strides: [2, 2], padding: 'valid' } }, out: [[2, 3, 3, 8], 'float32'] },
  { op: 'depthwiseConv2d', inputs: [f([2, 7, 8, 3]), f([3, 2, 3, 2])], attrs: win, out: [[2, 7, 4, 6], 'float32'] },
  { op: 'depthwiseConv2dGradInput', inputs: [f([2, 7, 4, 6]), f([3, 2, 3, 2])], attrs: { ...win, inputShape: [2, 7, 8, 3] }, out: [[2, 7, 8, 3], 'float32'] },
  { op: 'depthwiseConv2dGradFilter', inputs: [f([2, 7, 8, 3]), f([2, 7, 4, 6])], attrs: { ...win, filterShape: [3, 2, 3, 2] }, out: [[3, 2, 3, 2], 'float32'] },
  { op: 'depthwiseConv2dGradFilter', inputs: [f([4, 20, 20, 2]), f([4, 20, 10, 2])], attrs: { ...win, dilations: [2, 1], filterShape: [3, 2, 2, 1] }, out: [[3, 2, 2, 1], 'float32'] },
  { op: 'maxPool2d', inputs: [f([2, 5, 5, 3])], attrs: pool, out: [[2, 3, 3, 3], 'float32'] },
  { op: 'maxPool2dGrad', inputs: [f([2, 3, 3, 3]), f([2, 5, 5, 3])], attrs: pool, out: [[2, 5, 5, 3], 'float32'] },
  { op: 'avgPool2d', inputs: [f([2, 5, 5, 3])], attrs: pool, out: [[2, 3, 3, 3], 'float32'] },
  { op: 'avgPool2dGrad', inputs: [f([2, 3, 3, 3])], attrs: { ...pool, inputShape: [2, 5, 5, 3] }, out: [[2, 5, 5, 3], 'float32'] },
  { op: 'resizeBilinear', inputs: [f([1, 4, 5, 2])], attrs: { size: [7, 3] }, out: [[1, 7, 3, 2], 'float32'] },
  { op: 'imageTransform', inputs: [f([2, 4, 5, 3]), f([2, 8])], attrs: { interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0, outputShape: [6, 3] }, out: [[2, 6, 3, 3], 'float32'] },
  { op: 'imageTransform', inputs: [f([3, 4, 5, 1]), f([1, 8])], attrs: { interpolation: 'nearest', fillMode: 'constant', fillValue: 2, outputShape: [4, 5] }, out: [[3, 4, 5, 1], 'float32'] },
  { op: 'randomUniform', inputs: [], attrs: { shape: [3, 7], algorithm: 'philox', key: [1, 2], counter: [3, 4, 5, 6] }, out: [[3, 7], 'float32'] },
  { op: 'randomUniform', inputs: [], attrs: { shape: [9], algorithm: 'threefry', key: [1, 2], counter: [0, 0, 0, 0] }, out: [[9], 'float32'] },
  { op: 'dropoutApply', inputs: [f([3, 7])], attrs: { algorithm: 'philox', key: [1, 2], counter: [3, 4, 5, 6], rate: 0.4 }, out: [[3, 7], 'float32'] },
  { op: 'dropoutApply', inputs: [f([300, 401])], attrs: { algorithm: 'philox', key: [1, 2], counter: [3, 4, 5, 6], rate: 0.4 }, out: [[300, 401], 'float32'] },
  { op: 'dropoutApply', inputs: [f([9])], attrs: { algorithm: 'threefry', key: [1, 2], counter: [0, 0, 0, 0], rate: 0.6 }, out: [[9], 'float32'] },
  { op: 'dropoutApply', inputs: [f([301, 40])], attrs: { algorithm: 'threefry', key: [1, 2], counter: [0, 0, 0, 0], rate: 0.6 }, out: [[301, 40], 'float32'] },
  { op: 'batchNormMoments', inputs: [f([3, 5, 4])], attrs: {}, out: [[2, 4], 'float32'] },
  { op: 'batchNormMoments', inputs: [f([64, 30, 32])], attrs: {}, out: [[2, 32], 'float32'] },
  { op: 'batchNormTrain', inputs: [f([3, 5, 4]), f([2, 4]), f([4]), f([4])], attrs: { epsilon: 1e-3, scale: true, center: true }, out: [[3, 5, 4], 'float32'] },
  { op: 'batchNormTrain', inputs: [f([64, 30, 32]), f([2, 32])], attrs: { epsilon: 1e-3, scale: false, center: false }, out: [[64, 30, 32], 'float32'] },
  { op: 'batchNormGradSums', inputs: [f([3, 5, 4]), f([3, 5, 4]), f([2, 4])], attrs: {}, out: [[2, 4], 'float32'] },
  { op: 'batchNormGradSums', inputs: [f([64, 30, 32]), f([64, 30, 32]), f([2, 32])], attrs: {}, out: [[2, 32], 'float32'] },
  { op: 'batchNormGradInput', inputs: [f([3, 5, 4]), f([3, 5, 4]), f([2, 4]), f([2, 4]), f([4])], attrs: { epsilon: 1e-3, scale: true, center: false }, out: [[3, 5, 4], 'float32'] },
  { op: 'batchNormGradInput', inputs: [f([64, 30, 32]), f([64, 30, 32]), f([2, 32]), f([2, 32])], attrs: { epsilon: 1e-3, scale: false, center: false }, out: [[64, 30, 32], 'float32'] },
  { op: 'batchNormInfer', inputs: [f([3, 5, 4]), f([2, 4]), f([4])], attrs: { epsilon: 1e-3, scale: false, center: true }, out: [[3, 5, 4], 'float32'] },
];

describe('every CPU kernel writes its whole output', () => {
  it('the samples cover every primitive op', () => {
    const covered = new Set(SAMPLES.map((s) => s.op));
    expect(OP_NAMES.filter((op) => !covered.has(op))).toEqual([]);
  });

  for (const s of SAMPLES) {
    it(`${s.op} [${s.inputs.map((t) => `[${t.shape}]`).join(' ')}]`, () => {
      const be = new CpuBackend();
      const zeroed = outputInfo(s.out[0], s.out[1], false);
      be.run(s.op as never, s.inputs as never, s.attrs as never, zeroed as never);
      const dirty = outputInfo(s.out[0], s.out[1], false);
      new Uint8Array(dirty.handle.buffer).fill(0xff);
      be.run(s.op as never, s.inputs as never, s.attrs as never, dirty as never);
      expect(firstDifference(dirty.handle, zeroed.handle)).toBeNull();
    });
  }
});
