/**
 * The primitive ops of the engine and their attributes. Every backend implements exactly these
 * (the CPU backend's kernel table is checked against this list at compile time); everything
 * else (softmax, mean, losses, Adam...) is composed from them.
 * Part of src/core: types only.
 */
import type { DType } from '../dtype.ts';

export type Padding = 'valid' | 'same';

export interface NoAttrs {}

/** 2-D window geometry shared by conv and pool ops (NHWC). */
export interface Window2dAttrs {
  /** [strideH, strideW] */
  strides: [number, number];
  padding: Padding;
}

export interface PoolAttrs extends Window2dAttrs {
  /** [poolH, poolW] */
  poolSize: [number, number];
}

export interface ReduceAttrs {
  /** Sorted, normalized axes to reduce. */
  axes: number[];
  keepDims: boolean;
}

export type RandomAlgorithm = 'philox' | 'threefry';

export interface OpAttrMap {
  // creation and data movement
  fill: { shape: number[]; dtype: DType; value: number };
  cast: { dtype: DType };
  broadcastTo: { shape: number[] };
  transpose: { perm: number[] };
  slice: { begin: number[]; size: number[] };
  pad: { paddings: [number, number][]; value: number };
  concat: { axis: number };
  gather: { axis: number };
  gatherGrad: { axis: number; dimSize: number };
  oneHot: { depth: number; onValue: number; offValue: number; dtype: DType };
  // elementwise unary
  neg: NoAttrs; abs: NoAttrs; sign: NoAttrs; exp: NoAttrs; log: NoAttrs; sqrt: NoAttrs;
  square: NoAttrs; relu: NoAttrs; sigmoid: NoAttrs; tanh: NoAttrs;
  clipByValue: { min: number; max: number };
  /** relu's gradient (dy, x): x > 0 ? dy : +0 */
  reluGrad: NoAttrs;
  // fused Adam updates (src/core/ops/adam.ts); scalars are float32 values
  adamMoment: { c: number };
  adamVelocity: { c: number };
  adamStep: { alpha: number; eps: number };
  // elementwise binary (NumPy broadcasting)
  add: NoAttrs; sub: NoAttrs; mul: NoAttrs; div: NoAttrs; maximum: NoAttrs; minimum: NoAttrs;
  equal: NoAttrs; notEqual: NoAttrs; less: NoAttrs; lessEqual: NoAttrs; greater: NoAttrs; greaterEqual: NoAttrs;
  where: NoAttrs;
  // reductions
  sum: ReduceAttrs; max: ReduceAttrs; min: ReduceAttrs;
  argmax: { axis: number }; argmin: { axis: number };
  // linear algebra and images
  matmul: { transposeA: boolean; transposeB: boolean };
  conv2d: Window2dAttrs;
  conv2dGradInput: Window2dAttrs & { inputShape: number[] };
  conv2dGradFilter: Window2dAttrs & { filterShape: number[] };
  maxPool2d: PoolAttrs;
  maxPool2dGrad: PoolAttrs;
  avgPool2d: PoolAttrs;
  avgPool2dGrad: PoolAttrs & { inputShape: number[] };
  resizeBilinear: { size: [number, number] };
  // randomness (unit uniforms of a Philox / Threefry stream; see ops/random-uniform.ts)
  randomUniform: { shape: number[]; algorithm: RandomAlgorithm; key: [number, number]; counter: [number, number, number, number] };
}

export type OpName = keyof OpAttrMap;

/** Every primitive op name, in a fixed order (for exhaustiveness reports). */
export const OP_NAMES = [
  'fill', 'cast', 'broadcastTo', 'transpose', 'slice', 'pad', 'concat', 'gather', 'gatherGrad', 'oneHot',
  'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'relu', 'sigmoid', 'tanh', 'clipByValue', 'reluGrad',
  'adamMoment', 'adamVelocity', 'adamStep',
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'where',
  'sum', 'max', 'min', 'argmax', 'argmin',
  'matmul', 'conv2d', 'conv2dGradInput', 'conv2dGradFilter',
  'maxPool2d', 'maxPool2dGrad', 'avgPool2d', 'avgPool2dGrad',
  'resizeBilinear',
  'randomUniform',
] as const satisfies readonly OpName[];

type Missing = Exclude<OpName, (typeof OP_NAMES)[number]>;
// Compile-time check that OP_NAMES lists every op.
const _exhaustive: Missing extends never ? true : Missing = true;
void _exhaustive;
