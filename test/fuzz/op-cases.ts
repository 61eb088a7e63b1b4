/**
 * The fuzzers' catalog of public ops: for each, an arbitrary of calls (input tensor specs and
 * arguments: shapes of rank 0..4 with 0-size dims, float32/int32/uint8, broadcasting partners,
 * option combinations, and now and then a value the parameter's type admits but the op must
 * refuse: NaN, ±Infinity, fractions, negatives, huge numbers, unknown strings, wrong lengths) and
 * how to make the call. `names` are the message prefixes an error of the call may start with.
 *
 * Every argument is of the type the signature declares (a number where a number is expected);
 * the fuzzers test values, not JavaScript type confusion.
 */
import fc from 'fast-check';
import * as dt from '../../src/index.ts';
import { type DType, type TensorSpec, broadcastPartner, build, dimArb, dtypeArb, fillArb, indexValues, numberArb, shapeArb, specArb } from './values.ts';

/** One generated call. */
export interface OpCall {
  op: string;
  inputs: TensorSpec[];
  args: Record<string, unknown>;
}

export interface OpEntry {
  /** Error-message prefixes the call may use (default [`${op}:`]). */
  names?: string[];
  /** Calls of this op (small tensors). */
  arb: fc.Arbitrary<OpCall>;
  /** Makes the call on built inputs. */
  run: (xs: dt.Tensor[], args: Record<string, unknown>) => dt.Tensor | dt.Tensor[];
  /** Whether every backend must agree on the outcome (false: documented differences, e.g. host-checked indices). */
  agrees?: (c: OpCall) => boolean;
}

const call = (op: string, inputs: TensorSpec[], args: Record<string, unknown> = {}): OpCall => ({ op, inputs, args });

// ---------------------------------------------------------------- argument arbitraries

/** An axis for rank r: usually valid (negative too), sometimes out of range or not an integer. */
export function axisArb(rank: number): fc.Arbitrary<number> {
  const valid = rank > 0 ? fc.integer({ min: -rank, max: rank - 1 }) : fc.constant(0);
  return fc.oneof({ weight: 10, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(rank, -rank - 1, 0.5, NaN, Infinity, 2 ** 31) });
}

/** Axes for a reduction: undefined (all), one axis, or a list (possibly repeated or out of range). */
export function axesArb(rank: number): fc.Arbitrary<number | number[] | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    axisArb(rank),
    fc.array(axisArb(rank), { maxLength: Math.max(rank, 1) + 1 }),
    rank > 0 ? fc.shuffledSubarray(Array.from({ length: rank }, (_, i) => i)) : fc.constant<number[]>([]),
  );
}

/** A window size or stride: a positive integer or a pair; sometimes 0, negative, fractional, NaN or huge. */
export function pairArb(max: number): fc.Arbitrary<number | [number, number] | undefined> {
  const v = numberArb(fc.integer({ min: 1, max }), 1, 14);
  return fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: v }, { weight: 5, arbitrary: fc.tuple(v, v) });
}

const paddingArb = fc.oneof({ weight: 10, arbitrary: fc.constantFrom<'valid' | 'same' | undefined>('valid', 'same', undefined) }, { weight: 1, arbitrary: fc.constantFrom('full', 'VALID', '') as unknown as fc.Arbitrary<'valid'> });

/** A scalar argument value for ops such as pad, fill, clipByValue and oneHot. */
export const scalarValueArb = numberArb(fc.constantFrom(0, 1, -1, 2, 0.5, -2.5, 255, 7), 3);

// ---------------------------------------------------------------- the catalog

const UNARY = ['neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'relu', 'sigmoid', 'tanh'] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;
const REDUCE = ['sum', 'max', 'min', 'mean'] as const;

type Fn = (...a: never[]) => unknown;
const fn = (name: string): Fn => (dt as unknown as Record<string, Fn>)[name];

/** A second operand's dtype: usually the first's, sometimes another. */
function partnerDtype(d: DType): fc.Arbitrary<DType> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(d) }, { weight: 1, arbitrary: dtypeArb });
}

const binaryArb = (op: string) =>
  specArb(shapeArb(0, 4)).chain((a) =>
    fc.record({
      b: specArb(broadcastPartner(a.shape), partnerDtype(a.dtype)),
      swap: fc.boolean(),
      // a plain number operand takes the tensor's dtype
      number: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: scalarValueArb }),
    }).map(({ b, swap, number }) => call(op, number === null ? (swap ? [b, a] : [a, b]) : [a], { number, swap })));

function runBinary(op: string) {
  return (xs: dt.Tensor[], a: Record<string, unknown>) => {
    const f = fn(op) as unknown as (x: dt.TensorOrNumber, y: dt.TensorOrNumber) => dt.Tensor;
    if (a.number === null) return f(xs[0], xs[1]);
    return a.swap ? f(a.number as number, xs[0]) : f(xs[0], a.number as number);
  };
}

/** Shapes of a matmul: batch dims that broadcast (or not), inner dims that match (or not). */
const matmulArb = fc.record({
  m: dimArb, k: dimArb, n: dimArb,
  batchA: shapeArb(0, 2, fc.integer({ min: 1, max: 3 })),
  batchB: shapeArb(0, 2, fc.integer({ min: 1, max: 3 })),
  badK: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
  transposeA: fc.option(fc.boolean()),
  transposeB: fc.option(fc.boolean()),
  dtype: fc.oneof({ weight: 12, arbitrary: fc.constant<DType>('float32') }, { weight: 1, arbitrary: dtypeArb }),
  lowRank: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  fa: fillArb, fb: fillArb,
}).map((c) => {
  const bBatch = c.batchB; // independent of batchA: it may or may not broadcast
  const a = c.transposeA ? [...c.batchA, c.k, c.m] : [...c.batchA, c.m, c.k];
  const kb = c.k + c.badK;
  const b = c.transposeB ? [...bBatch, c.n, kb] : [...bBatch, kb, c.n];
  return call('matmul', [
    { shape: c.lowRank ? a.slice(-1) : a, dtype: c.dtype, fill: c.fa },
    { shape: b, dtype: 'float32', fill: c.fb },
  ], { transposeA: c.transposeA ?? undefined, transposeB: c.transposeB ?? undefined });
});

const imageDim = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 7 }) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 8, max: 12 }) });
const smallDim = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) });
/** Channels: small, or a multiple of 4 (the CPU's SIMD paths take C % 4 == 0: 2x2 pooling, row broadcasts). */
export const chanDim = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constantFrom(4, 8) });

const conv2dArb = fc.record({
  n: smallDim, h: imageDim, w: imageDim, c: chanDim, kh: fc.integer({ min: 0, max: 4 }), kw: fc.integer({ min: 0, max: 4 }), f: chanDim,
  badC: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
  rankX: fc.oneof({ weight: 15, arbitrary: fc.constant(4) }, { weight: 1, arbitrary: fc.constantFrom(3, 5) }),
  dtype: fc.oneof({ weight: 12, arbitrary: fc.constant<DType>('float32') }, { weight: 1, arbitrary: dtypeArb }),
  strides: pairArb(3), padding: paddingArb, fx: fillArb, fw: fillArb,
}).map((c) => call('conv2d', [
  { shape: [c.n, c.h, c.w, c.c, 2].slice(0, c.rankX), dtype: c.dtype, fill: c.fx },
  { shape: [c.kh, c.kw, c.c + c.badC, c.f], dtype: 'float32', fill: c.fw },
], { strides: c.strides, padding: c.padding }));

/** Depthwise convolutions with dilations (and conv2d with dilations through the same draws). */
const depthwiseArb = (op: 'depthwiseConv2d' | 'conv2d') => fc.record({
  n: smallDim, h: imageDim, w: imageDim, c: chanDim, kh: fc.integer({ min: 0, max: 3 }), kw: fc.integer({ min: 0, max: 3 }), m: fc.integer({ min: 1, max: 3 }),
  strides: pairArb(2), dilations: pairArb(3), padding: paddingArb, fx: fillArb, fw: fillArb,
}).map((c) => call(op, [
  { shape: [c.n, c.h, c.w, c.c], dtype: 'float32', fill: c.fx },
  { shape: [c.kh, c.kw, c.c, c.m], dtype: 'float32', fill: c.fw },
], { strides: c.strides, padding: c.padding, dilations: c.dilations }));

const poolArb = (op: string) => fc.record({
  x: specArb(fc.oneof({ weight: 12, arbitrary: fc.tuple(smallDim, imageDim, imageDim, chanDim).map((t) => [...t]) }, { weight: 1, arbitrary: shapeArb(0, 5) }),
    fc.oneof({ weight: 12, arbitrary: fc.constant<DType>('float32') }, { weight: 1, arbitrary: dtypeArb })),
  window: fc.oneof(
    // the configurations models use (and kernels have fast paths for): 2x2 or 3x3, stride 1, 2 or the window
    { weight: 1, arbitrary: fc.record({ poolSize: fc.constantFrom<number | [number, number]>(2, [2, 2], 3), strides: fc.constantFrom(undefined, 1, 2), padding: fc.constantFrom<'valid' | 'same'>('valid', 'same') }) },
    { weight: 1, arbitrary: fc.record({ poolSize: pairArb(4), strides: pairArb(3), padding: paddingArb }) },
  ),
}).map(({ x, window }) => call(op, [x], window));

/** A target shape for reshape: the same elements (a permutation of dims, merged, with a -1) or anything. */
const reshapeArb = specArb(shapeArb(0, 4)).chain((x) => {
  const size = x.shape.reduce((a, b) => a * b, 1);
  const same = fc.shuffledSubarray(x.shape, { minLength: x.shape.length, maxLength: x.shape.length });
  return fc.record({
    target: fc.oneof(
      same,
      same.chain((s) => (s.length ? fc.integer({ min: 0, max: s.length - 1 }).map((i) => s.map((d, k) => (k === i ? -1 : d))) : fc.constant(s))),
      fc.constant([size]), fc.constant([-1]), fc.constant([-1, -1]),
      shapeArb(0, 4),
    ),
  }).map(({ target }) => call('reshape', [x], { shape: target }));
});

const sliceArb = specArb(shapeArb(0, 4)).chain((x) => {
  const r = x.shape.length;
  const begin = fc.tuple(...x.shape.map((d) => numberArb(fc.integer({ min: 0, max: d }), 1, 20)));
  return fc.record({
    begin: fc.oneof({ weight: 6, arbitrary: begin as fc.Arbitrary<number[]> }, { weight: 1, arbitrary: numberArb(fc.integer({ min: 0, max: 2 })) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: r + 1 }) }),
    size: fc.oneof(fc.constant(undefined), fc.array(numberArb(fc.integer({ min: -1, max: 4 }), 1, 20), { maxLength: r + 1 }), numberArb(fc.integer({ min: -1, max: 3 }))),
  }).map((a) => {
    // keep most begin/size pairs in range: clamp size so that begin + size <= dim where possible
    let size = a.size;
    if (Array.isArray(a.begin) && Array.isArray(size)) {
      size = size.map((s, i) => (i < r && Number.isInteger(s) && s >= 0 && Number.isInteger((a.begin as number[])[i]) ? Math.min(s, Math.max(0, x.shape[i] - (a.begin as number[])[i])) : s));
    }
    return call('slice', [x], { begin: a.begin, size });
  });
});

const padArb = specArb(shapeArb(0, 4)).chain((x) => fc.record({
  paddings: fc.oneof(
    { weight: 10, arbitrary: fc.tuple(...x.shape.map(() => fc.tuple(numberArb(fc.integer({ min: 0, max: 3 }), 1, 25), numberArb(fc.integer({ min: 0, max: 3 }), 1, 25)))) as fc.Arbitrary<[number, number][]> },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { maxLength: 5 }) },
  ),
  value: fc.option(scalarValueArb, { nil: undefined }),
}).map((a) => call('pad', [x], a)));

const transposeArb = specArb(shapeArb(0, 4)).chain((x) => {
  const ids = Array.from({ length: x.shape.length }, (_, i) => i);
  return fc.record({
    perm: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 8, arbitrary: fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 5 }) },
    ),
  }).map((a) => call('transpose', [x], a));
});

/** concat/stack inputs: 1..4 tensors equal in shape except (for concat) along the axis. */
const joinArb = (op: 'concat' | 'stack') => specArb(shapeArb(op === 'concat' ? 0 : 0, 4)).chain((x) => fc.record({
  axis: fc.option(axisArb(x.shape.length + (op === 'stack' ? 1 : 0)), { nil: undefined }),
  others: fc.array(fc.record({
    along: dimArb,
    fill: fillArb,
    dtype: partnerDtype(x.dtype),
    bad: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  }), { maxLength: 3 }),
}).map(({ axis, others }) => {
  const r = x.shape.length;
  const ax = axis !== undefined && Number.isInteger(axis) && axis >= -r && axis < r ? (axis + r) % r : 0;
  const inputs = [x, ...others.map((o) => {
    const shape = [...x.shape];
    if (op === 'concat' && r > 0) shape[ax] = o.along;
    if (o.bad) shape.push(2);
    return { shape, dtype: o.dtype, fill: o.fill };
  })];
  return call(op, inputs, { axis });
}));

const splitArb = specArb(shapeArb(0, 4)).chain((x) => fc.record({
  axis: fc.option(axisArb(x.shape.length), { nil: undefined }),
  sizes: fc.oneof(numberArb(fc.integer({ min: 1, max: 4 }), 1, 8), fc.array(numberArb(fc.integer({ min: 0, max: 4 }), 1, 20), { maxLength: 4 })),
}).map(({ axis, sizes }) => {
  // Make the sizes fit the axis most of the time.
  const r = x.shape.length;
  const ax = axis !== undefined && Number.isInteger(axis) && axis >= -r && axis < r ? (axis + r) % r : 0;
  const d = x.shape[ax] ?? 0;
  let s = sizes;
  if (Array.isArray(s) && s.length && s.every((v) => Number.isInteger(v) && v >= 0)) {
    const sum = s.reduce((a, b) => a + b, 0);
    if (sum < d) s = [...s, d - sum];
  }
  return call('split', [x], { sizes: s, axis });
}));

const gatherArb = fc.record({
  x: specArb(shapeArb(0, 3)),
  idxShape: shapeArb(0, 2),
  idxDtype: fc.oneof({ weight: 10, arbitrary: fc.constant<DType>('int32') }, { weight: 1, arbitrary: fc.constantFrom<DType>('uint8', 'float32') }),
  outside: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  fill: fillArb,
  list: fc.boolean(),
}).chain((c) => axisArb(c.x.shape.length).map((axis) => {
  const r = c.x.shape.length;
  const ax = Number.isInteger(axis) && axis >= -r && axis < r ? (axis + r) % r : 0;
  const range = c.x.shape[ax] ?? 1;
  const idx: TensorSpec = { shape: c.idxShape, dtype: c.idxDtype, fill: c.fill, index: { range, outside: c.outside } };
  // indices as a plain list (gather accepts number[]) or as a tensor
  if (c.list) return call('gather', [c.x], { axis, range, list: Array.from(indexValues([c.idxShape[0] ?? 2], 'int32', range, c.fill.seed, c.outside)) });
  return call('gather', [c.x, idx], { axis, range });
}));

const oneHotArb = fc.record({
  shape: shapeArb(0, 3),
  dtype: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<DType>('int32', 'uint8') }, { weight: 1, arbitrary: fc.constant<DType>('float32') }),
  depth: numberArb(fc.integer({ min: 1, max: 6 }), 1, 12),
  outside: fc.boolean(),
  fill: fillArb,
  onValue: fc.option(scalarValueArb, { nil: undefined }),
  offValue: fc.option(scalarValueArb, { nil: undefined }),
  outDtype: fc.option(fc.constantFrom<'float32' | 'int32'>('float32', 'int32'), { nil: undefined }),
}).map((c) => call('oneHot', [{ shape: c.shape, dtype: c.dtype, fill: c.fill, index: { range: Number.isInteger(c.depth) && c.depth > 0 && c.depth < 64 ? c.depth : 3, outside: c.outside } }],
  { depth: c.depth, options: { onValue: c.onValue, offValue: c.offValue, dtype: c.outDtype } }));

const resizeArb = fc.record({
  x: specArb(fc.oneof({ weight: 12, arbitrary: fc.tuple(smallDim, imageDim, imageDim, chanDim).map((t) => [...t]) }, { weight: 1, arbitrary: shapeArb(0, 5) }),
    fc.oneof({ weight: 12, arbitrary: fc.constant<DType>('float32') }, { weight: 1, arbitrary: dtypeArb })),
  size: fc.oneof({ weight: 12, arbitrary: fc.tuple(numberArb(fc.integer({ min: 1, max: 12 }), 1, 15), numberArb(fc.integer({ min: 1, max: 12 }), 1, 15)) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }) }),
}).map(({ x, size }) => call('resizeBilinear', [x], { size }));

const broadcastToArb = specArb(shapeArb(0, 3)).chain((x) => fc.record({
  lead: shapeArb(0, 2),
  grow: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: x.shape.length, maxLength: x.shape.length }),
  wrong: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
}).map(({ lead, grow, wrong }) => {
  const tail = x.shape.map((d, i) => (d === 1 ? grow[i] : d + (wrong && i === 0 ? 1 : 0)));
  return call('broadcastTo', [x], { shape: [...lead, ...tail] });
}));

const whereArb = specArb(shapeArb(0, 4), fc.oneof({ weight: 8, arbitrary: fc.constant<DType>('uint8') }, { weight: 2, arbitrary: fc.constant<DType>('int32') }, { weight: 1, arbitrary: fc.constant<DType>('float32') }))
  .chain((c) => fc.record({
    a: specArb(broadcastPartner(c.shape)),
    b: specArb(broadcastPartner(c.shape)),
    number: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: scalarValueArb }),
    sameDtype: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  }).map(({ a, b, number, sameDtype }) => {
    const bb = sameDtype ? { ...b, dtype: a.dtype } : b;
    return call('where', number === null ? [c, a, bb] : [c, a], { number });
  }));

export const CATALOG: Record<string, OpEntry> = {};

for (const op of UNARY) CATALOG[op] = { arb: specArb(shapeArb(0, 4)).map((x) => call(op, [x])), run: ([x]) => (fn(op) as unknown as (x: dt.Tensor) => dt.Tensor)(x) };
CATALOG.clipByValue = {
  arb: fc.record({ x: specArb(shapeArb(0, 4)), min: numberArb(fc.constantFrom(-1, 0, -0.5, -Infinity, -1e30, 2, -3)), max: numberArb(fc.constantFrom(1, 0, 0.5, Infinity, 1e30, -2, 3)) })
    .map(({ x, min, max }) => call('clipByValue', [x], { min, max })),
  run: ([x], a) => dt.clipByValue(x, a.min as number, a.max as number),
};
for (const op of BINARY) CATALOG[op] = { arb: binaryArb(op), run: runBinary(op) };
CATALOG.where = {
  arb: whereArb,
  run: ([c, a, b], o) => (o.number === null ? dt.where(c, a, b) : dt.where(c, a, o.number as number)),
};
for (const op of REDUCE) {
  CATALOG[op] = {
    arb: specArb(shapeArb(0, 4)).chain((x) => fc.record({ axes: axesArb(x.shape.length), keepDims: fc.option(fc.boolean(), { nil: undefined }) }).map((a) => call(op, [x], a))),
    run: ([x], a) => (fn(op) as unknown as (x: dt.Tensor, axes: unknown, keep?: boolean) => dt.Tensor)(x, a.axes, a.keepDims as boolean | undefined),
  };
}
for (const op of ['argmax', 'argmin'] as const) {
  CATALOG[op] = {
    arb: specArb(shapeArb(0, 4)).chain((x) => fc.option(axisArb(x.shape.length), { nil: undefined }).map((axis) => call(op, [x], { axis }))),
    run: ([x], a) => dt[op](x, a.axis as number | undefined),
  };
}
CATALOG.matmul = { arb: matmulArb, run: ([a, b], o) => dt.matmul(a, b, { transposeA: o.transposeA as boolean | undefined, transposeB: o.transposeB as boolean | undefined }) };
CATALOG.conv2d = { arb: conv2dArb, run: ([x, w], o) => dt.conv2d(x, w, o as dt.Conv2dOptions) };
CATALOG.depthwiseConv2d = { arb: fc.oneof(depthwiseArb('depthwiseConv2d'), depthwiseArb('conv2d')), run: ([x, w], o) => dt.depthwiseConv2d(x, w, o as dt.Conv2dOptions) }; // its conv2d draws run as CATALOG.conv2d
CATALOG.maxPool2d = { arb: poolArb('maxPool2d'), run: ([x], o) => dt.maxPool2d(x, o as dt.PoolOptions) };
CATALOG.avgPool2d = { arb: poolArb('avgPool2d'), run: ([x], o) => dt.avgPool2d(x, o as dt.PoolOptions) };
CATALOG.reshape = { arb: reshapeArb, run: ([x], a) => dt.reshape(x, a.shape as number[]) };
CATALOG.expandDims = {
  arb: specArb(shapeArb(0, 4)).chain((x) => fc.option(axisArb(x.shape.length + 1), { nil: undefined }).map((axis) => call('expandDims', [x], { axis }))),
  run: ([x], a) => dt.expandDims(x, a.axis as number | undefined),
};
CATALOG.squeeze = {
  arb: specArb(shapeArb(0, 4, fc.oneof(fc.constant(1), dimArb))).chain((x) => fc.option(fc.array(axisArb(x.shape.length), { maxLength: 3 }), { nil: undefined }).map((axes) => call('squeeze', [x], { axes }))),
  run: ([x], a) => dt.squeeze(x, a.axes as number[] | undefined),
};
CATALOG.transpose = { arb: transposeArb, run: ([x], a) => dt.transpose(x, a.perm as number[] | undefined) };
CATALOG.slice = { arb: sliceArb, run: ([x], a) => dt.slice(x, a.begin as number[], a.size as number[] | undefined) };
CATALOG.pad = { arb: padArb, run: ([x], a) => dt.pad(x, a.paddings as [number, number][], a.value as number | undefined) };
CATALOG.concat = { arb: joinArb('concat'), run: (xs, a) => dt.concat(xs, a.axis as number | undefined) };
CATALOG.stack = { names: ['stack:'], arb: joinArb('stack'), run: (xs, a) => dt.stack(xs, a.axis as number | undefined) };
CATALOG.split = { arb: splitArb, run: ([x], a) => dt.split(x, a.sizes as number[], a.axis as number | undefined) };
CATALOG.unstack = {
  arb: specArb(shapeArb(0, 4)).chain((x) => fc.option(axisArb(x.shape.length), { nil: undefined }).map((axis) => call('unstack', [x], { axis }))),
  run: ([x], a) => dt.unstack(x, a.axis as number | undefined),
};
CATALOG.gather = {
  arb: gatherArb,
  run: ([x, i], a) => dt.gather(x, a.list ? (a.list as number[]) : i, a.axis as number),
  // Out-of-range indices are refused on the CPU (readable synchronously) and give zeros on WebGPU (documented).
  agrees: (c) => {
    const range = c.args.range as number;
    const idx = c.inputs[1];
    const values = c.args.list ? (c.args.list as number[]) : idx.dtype === 'float32' ? [] : Array.from(indexValues(idx.shape, idx.dtype, range, idx.fill.seed, !!idx.index?.outside));
    return values.every((v) => v >= 0 && v < range);
  },
};
CATALOG.oneHot = { arb: oneHotArb, run: ([i], a) => dt.oneHot(i, a.depth as number, a.options as { onValue?: number }) };
CATALOG.softmax = {
  arb: specArb(shapeArb(0, 4)).chain((x) => fc.option(axisArb(x.shape.length), { nil: undefined }).map((axis) => call('softmax', [x], { axis }))),
  run: ([x], a) => dt.softmax(x, a.axis as number | undefined),
};
CATALOG.logSoftmax = {
  arb: specArb(shapeArb(0, 4)).chain((x) => fc.option(axisArb(x.shape.length), { nil: undefined }).map((axis) => call('logSoftmax', [x], { axis }))),
  run: ([x], a) => dt.logSoftmax(x, a.axis as number | undefined),
};
CATALOG.cast = {
  arb: fc.record({ x: specArb(shapeArb(0, 4)), dtype: dtypeArb }).map(({ x, dtype }) => call('cast', [x], { dtype })),
  run: ([x], a) => dt.cast(x, a.dtype as DType),
};
CATALOG.resizeBilinear = { arb: resizeArb, run: ([x], a) => dt.resizeBilinear(x, a.size as [number, number]) };
CATALOG.broadcastTo = { arb: broadcastToArb, run: ([x], a) => dt.broadcastTo(x, a.shape as number[]) };
CATALOG.fill = {
  arb: fc.record({ shape: shapeArb(0, 4), value: scalarValueArb, dtype: fc.option(dtypeArb, { nil: undefined }) }).map((a) => call('fill', [], a)),
  run: (_xs, a) => dt.fill(a.shape as number[], a.value as number, a.dtype as DType | undefined),
};

export const OP_NAMES_FUZZED = Object.keys(CATALOG);

/** Ops with more than one kernel path (windows, tiling, chunked reductions, indexing): drawn 3 times as often. */
const INVOLVED = new Set(['conv2d', 'maxPool2d', 'avgPool2d', 'matmul', 'resizeBilinear', 'gather', 'oneHot', 'sum', 'max', 'min', 'mean', 'argmax', 'argmin', 'softmax', 'logSoftmax', 'pad', 'slice', 'concat', 'transpose', 'where', 'broadcastTo']);

/** Any op call of the catalog (the involved ops 3 times as likely as the others). */
export const anyCallArb: fc.Arbitrary<OpCall> = fc.oneof(
  ...OP_NAMES_FUZZED.map((op) => ({ weight: INVOLVED.has(op) ? 3 : 1, arbitrary: fc.constant(op) })),
).chain((op) => CATALOG[op].arb);

/** The message prefixes an error of `c` may start with. */
export function namesOf(c: OpCall): string[] {
  return CATALOG[c.op].names ?? [`${c.op}:`];
}

/** Builds the inputs of `c` on the current backend and makes the call (inputs are returned for disposal). */
export function makeInputs(c: OpCall): dt.Tensor[] {
  const xs: dt.Tensor[] = [];
  try {
    for (const s of c.inputs) xs.push(build(s));
  } catch (e) {
    dt.dispose(xs);
    throw e;
  }
  return xs;
}

/** A compact description of a call for failure messages. */
export function describeCall(c: OpCall): string {
  const ins = c.inputs.map((s) => `${s.dtype}[${s.shape}]{${s.fill.mix}#${s.fill.seed}${s.index ? ` idx<${s.index.range}${s.index.outside ? '±' : ''}` : ''}}`).join(', ');
  return `${c.op}(${ins}${Object.keys(c.args).length ? `, ${JSON.stringify(c.args, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}` : ''})`;
}

// ---------------------------------------------------------------- large calls (above the CPU's parallel threshold)

/**
 * Calls big enough that the CPU backend splits them over its worker threads with the default
 * threshold (src/kernels/cpu/thread-pool.ts: jobs of at least 2^19 work units, elementwise about
 * 4 units per element, in blocks of at least 2^15 elements): 2^17..2^18-element elementwise ops
 * and reductions, matmuls and convolutions of 2^19..2^22 multiply-adds (split-K shapes included),
 * pools and resizes over several images.
 */
export const largeCallArb: fc.Arbitrary<OpCall> = fc.oneof(
  // elementwise binary over [rows, cols] with 2^17 <= rows * cols, broadcasting a row, a column or nothing
  fc.record({
    op: fc.constantFrom(...BINARY), cols: fc.integer({ min: 1, max: 700 }), extra: fc.integer({ min: 0, max: 60_000 }),
    partner: fc.constantFrom('same', 'row', 'column', 'scalar'), dtype: dtypeArb, fa: fillArb, fb: fillArb,
  }).map((c) => {
    const rows = Math.ceil((131072 + c.extra) / c.cols);
    const b = c.partner === 'same' ? [rows, c.cols] : c.partner === 'row' ? [c.cols] : c.partner === 'column' ? [rows, 1] : [];
    return call(c.op, [{ shape: [rows, c.cols], dtype: c.dtype, fill: c.fa }, { shape: b, dtype: c.dtype, fill: c.fb }], { number: null, swap: false });
  }),
  fc.record({ n: fc.integer({ min: 131072, max: 200_000 }), fc: fillArb, fa: fillArb, fb: fillArb, dtype: dtypeArb }).map((c) =>
    call('where', [{ shape: [c.n], dtype: 'uint8', fill: c.fc }, { shape: [c.n], dtype: c.dtype, fill: c.fa }, { shape: [1], dtype: c.dtype, fill: c.fb }], { number: null })),
  fc.record({ n: fc.integer({ min: 131072, max: 200_000 }), f: fillArb }).map((c) => call('relu', [{ shape: [c.n], dtype: 'float32', fill: c.f }])),
  // reductions over one axis of [outer, R, inner] with 2^17 <= size
  fc.record({
    op: fc.constantFrom('sum', 'mean', 'max', 'min', 'softmax', 'logSoftmax', 'argmax'), outer: fc.integer({ min: 1, max: 8 }), inner: fc.integer({ min: 1, max: 40 }),
    axis: fc.constantFrom(0, 1, 2, -1), keepDims: fc.boolean(), f: fillArb, dtype: fc.oneof({ weight: 5, arbitrary: fc.constant<DType>('float32') }, { weight: 1, arbitrary: dtypeArb }),
  }).map((c) => {
    const R = Math.ceil(131072 / (c.outer * c.inner)) + 3;
    const args = c.op === 'sum' || c.op === 'mean' || c.op === 'max' || c.op === 'min' ? { axes: c.axis, keepDims: c.keepDims } : { axis: c.axis };
    return call(c.op, [{ shape: [c.outer, R, c.inner], dtype: c.dtype, fill: c.f }], args);
  }),
  // matmul: M * N * K >= 2^19 (blocked, or split-K when M * N is small and K long)
  fc.record({
    m: fc.integer({ min: 1, max: 96 }), n: fc.integer({ min: 1, max: 96 }), k: fc.integer({ min: 64, max: 400 }), batch: fc.constantFrom([], [2], [2, 1]),
    transposeA: fc.boolean(), transposeB: fc.boolean(), fa: fillArb, fb: fillArb,
  }).map((c) => {
    const k = Math.max(c.k, Math.ceil(524288 / (c.m * c.n)));
    return call('matmul', [
      { shape: [...c.batch, ...(c.transposeA ? [k, c.m] : [c.m, k])], dtype: 'float32', fill: c.fa },
      { shape: c.transposeB ? [c.n, k] : [k, c.n], dtype: 'float32', fill: c.fb },
    ], { transposeA: c.transposeA, transposeB: c.transposeB });
  }),
  // conv2d: N * outH * outW * F * kH * kW * C >= 2^19
  fc.record({
    n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 16, max: 40 }), w: fc.integer({ min: 16, max: 40 }), c: fc.integer({ min: 1, max: 8 }),
    k: fc.integer({ min: 1, max: 5 }), f: fc.integer({ min: 4, max: 24 }), strides: fc.constantFrom(1, 2, [1, 2] as [number, number]), padding: fc.constantFrom('valid', 'same'), fx: fillArb, fw: fillArb,
  }).map((c) => call('conv2d', [
    { shape: [c.n, c.h, c.w, c.c], dtype: 'float32', fill: c.fx },
    { shape: [c.k, c.k, c.c, c.f], dtype: 'float32', fill: c.fw },
  ], { strides: c.strides, padding: c.padding })),
  // pools and resizes over several images
  fc.record({ op: fc.constantFrom('maxPool2d', 'avgPool2d'), n: fc.integer({ min: 2, max: 6 }), hw: fc.integer({ min: 48, max: 72 }), c: fc.integer({ min: 4, max: 12 }), pool: fc.constantFrom(2, 3, [3, 2] as [number, number]), strides: fc.constantFrom(undefined, 1, 2), padding: fc.constantFrom('valid', 'same'), f: fillArb })
    .map((c) => call(c.op, [{ shape: [c.n, c.hw, c.hw, c.c], dtype: 'float32', fill: c.f }], { poolSize: c.pool, strides: c.strides, padding: c.padding })),
  fc.record({ n: fc.integer({ min: 2, max: 4 }), h: fc.integer({ min: 4, max: 20 }), w: fc.integer({ min: 4, max: 20 }), c: fc.integer({ min: 1, max: 6 }), oh: fc.integer({ min: 40, max: 90 }), ow: fc.integer({ min: 40, max: 90 }), f: fillArb })
    .map((c) => call('resizeBilinear', [{ shape: [c.n, c.h, c.w, c.c], dtype: 'float32', fill: c.f }], { size: [c.oh, c.ow] })),
);
