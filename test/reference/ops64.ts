/**
 * Naive float64 reference implementations of ditto's elementwise, reduction and data-movement
 * ops: plain loops over Float64Array, written independently of src/ (nothing is imported from
 * the engine). Used by the gradient checks (test/grad) as the "obviously correct" path.
 * See nn64.ts for matmul, convolution, pooling, softmax and losses.
 */

/** A float64 array with a row-major shape. */
export interface A64 {
  shape: number[];
  data: Float64Array;
}

// ------------------------------------------------------------------ construction and indexing

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A64 from a shape and values (copied); values default to zeros. */
export function arr(shape: readonly number[], values?: ArrayLike<number>): A64 {
  const n = sizeOfShape(shape);
  const data = new Float64Array(n);
  if (values) {
    if (values.length !== n) throw new Error(`arr: ${values.length} values for shape [${shape.join(', ')}]`);
    for (let i = 0; i < n; i++) data[i] = values[i];
  }
  return { shape: [...shape], data };
}

export function scalar64(v: number): A64 {
  return arr([], [v]);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Multi-index of flat index i. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat index of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d] + idx[d];
  return f;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

// ------------------------------------------------------------------ elementwise unary

export function map(x: A64, f: (v: number) => number): A64 {
  const out = arr(x.shape);
  for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]);
  return out;
}

export const neg = (x: A64) => map(x, (v) => -v);
export const abs = (x: A64) => map(x, (v) => Math.abs(v));
export const exp = (x: A64) => map(x, (v) => Math.exp(v));
export const log = (x: A64) => map(x, (v) => Math.log(v));
export const sqrt = (x: A64) => map(x, (v) => Math.sqrt(v));
export const square = (x: A64) => map(x, (v) => v * v);
export const relu = (x: A64) => map(x, (v) => (v > 0 ? v : 0));
export const sigmoid = (x: A64) => map(x, (v) => 1 / (1 + Math.exp(-v)));
export const tanh = (x: A64) => map(x, (v) => Math.tanh(v));
export const clipByValue = (x: A64, lo: number, hi: number) => map(x, (v) => Math.min(Math.max(v, lo), hi));
/** cast float32 -> float32 is the identity on values. */
export const cast = (x: A64) => map(x, (v) => v);

// ------------------------------------------------------------------ broadcasting

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) throw new Error(`broadcast: [${a}] vs [${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The element of x that output multi-index `idx` (of a broadcast result) reads. */
function readBroadcast(x: A64, idx: readonly number[]): number {
  const off = idx.length - x.shape.length;
  let f = 0;
  for (let d = 0; d < x.shape.length; d++) f = f * x.shape[d] + (x.shape[d] === 1 ? 0 : idx[d + off]);
  return x.data[f];
}

export function broadcastTo(x: A64, shape: readonly number[]): A64 {
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = readBroadcast(x, unravel(i, shape));
  return out;
}

export function binary(a: A64, b: A64, f: (x: number, y: number) => number): A64 {
  const shape = broadcastShape(a.shape, b.shape);
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    out.data[i] = f(readBroadcast(a, idx), readBroadcast(b, idx));
  }
  return out;
}

export const add = (a: A64, b: A64) => binary(a, b, (x, y) => x + y);
export const sub = (a: A64, b: A64) => binary(a, b, (x, y) => x - y);
export const mul = (a: A64, b: A64) => binary(a, b, (x, y) => x * y);
export const div = (a: A64, b: A64) => binary(a, b, (x, y) => x / y);
export const maximum = (a: A64, b: A64) => binary(a, b, (x, y) => Math.max(x, y));
export const minimum = (a: A64, b: A64) => binary(a, b, (x, y) => Math.min(x, y));

/** cond ? a : b elementwise, all three broadcast together (cond nonzero = true). */
export function where(cond: A64, a: A64, b: A64): A64 {
  const shape = broadcastShape(broadcastShape(cond.shape, a.shape), b.shape);
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    out.data[i] = readBroadcast(cond, idx) !== 0 ? readBroadcast(a, idx) : readBroadcast(b, idx);
  }
  return out;
}

// ------------------------------------------------------------------ reductions

function normAxes(axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  return list.map((a) => normAxis(a, rank));
}

/** Folds x over `axes` with `combine`, starting each output at `init`. */
function reduce(x: A64, axes: number | readonly number[] | undefined, keepDims: boolean, init: number, combine: (acc: number, v: number) => number): A64 {
  const ax = normAxes(axes, x.shape.length);
  const keepShape = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const out = arr(keepShape);
  out.data.fill(init);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((v, d) => (ax.includes(d) ? 0 : v));
    const o = ravel(idx, keepShape);
    out.data[o] = combine(out.data[o], x.data[i]);
  }
  if (!keepDims) out.shape = x.shape.filter((_, i) => !ax.includes(i));
  return out;
}

export const sum = (x: A64, axes?: number | readonly number[], keepDims = false) => reduce(x, axes, keepDims, 0, (a, v) => a + v);
export const max = (x: A64, axes?: number | readonly number[], keepDims = false) => reduce(x, axes, keepDims, -Infinity, Math.max);
export const min = (x: A64, axes?: number | readonly number[], keepDims = false) => reduce(x, axes, keepDims, Infinity, Math.min);

export function mean(x: A64, axes?: number | readonly number[], keepDims = false): A64 {
  const ax = normAxes(axes, x.shape.length);
  let count = 1;
  for (const a of ax) count *= x.shape[a];
  return map(sum(x, ax, keepDims), (v) => v / count);
}

// ------------------------------------------------------------------ data movement

export function reshape(x: A64, shape: readonly number[]): A64 {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const s = shape.map((d) => (d === -1 ? x.data.length / known : d));
  if (sizeOfShape(s) !== x.data.length) throw new Error(`reshape: [${x.shape}] -> [${shape}]`);
  return arr(s, x.data);
}

export function expandDims(x: A64, axis: number): A64 {
  const s = [...x.shape];
  s.splice(normAxis(axis, x.shape.length + 1), 0, 1);
  return arr(s, x.data);
}

export function squeeze(x: A64, axes?: readonly number[]): A64 {
  const drop = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => normAxis(a, x.shape.length));
  return arr(x.shape.filter((_, i) => !drop.includes(i)), x.data);
}

/** Output axis i is input axis perm[i] (default: reversed axes). */
export function transpose(x: A64, perm?: readonly number[]): A64 {
  const p = perm ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const shape = p.map((a) => x.shape[a]);
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const oi = unravel(i, shape);
    const ii = new Array<number>(shape.length);
    for (let d = 0; d < p.length; d++) ii[p[d]] = oi[d];
    out.data[i] = x.data[ravel(ii, x.shape)];
  }
  return out;
}

/** Block of x starting at `begin` of extent `size` (-1 = to the end). */
export function slice(x: A64, begin: readonly number[], size: readonly number[]): A64 {
  const shape = x.shape.map((d, i) => (size[i] === -1 ? d - begin[i] : size[i]));
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape).map((v, d) => v + begin[d]);
    out.data[i] = x.data[ravel(idx, x.shape)];
  }
  return out;
}

export function pad(x: A64, paddings: readonly (readonly [number, number])[], value = 0): A64 {
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = arr(shape);
  out.data.fill(value);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((v, d) => v + paddings[d][0]);
    out.data[ravel(idx, shape)] = x.data[i];
  }
  return out;
}

export function concat(xs: readonly A64[], axis: number): A64 {
  const ax = normAxis(axis, xs[0].shape.length);
  const shape = [...xs[0].shape];
  shape[ax] = xs.reduce((n, x) => n + x.shape[ax], 0);
  const out = arr(shape);
  let offset = 0;
  for (const x of xs) {
    for (let i = 0; i < x.data.length; i++) {
      const idx = unravel(i, x.shape);
      idx[ax] += offset;
      out.data[ravel(idx, shape)] = x.data[i];
    }
    offset += x.shape[ax];
  }
  return out;
}

export function stack(xs: readonly A64[], axis: number): A64 {
  return concat(xs.map((x) => expandDims(x, axis)), normAxis(axis, xs[0].shape.length + 1));
}

/** Rows of x along `axis` picked by integer `indices` (any shape). */
export function gather(x: A64, indices: { shape: number[]; data: ArrayLike<number> }, axis: number): A64 {
  const ax = normAxis(axis, x.shape.length);
  const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const out = arr(shape);
  const ni = indices.shape.length;
  for (let i = 0; i < out.data.length; i++) {
    const oi = unravel(i, shape);
    const which = indices.data[ravel(oi.slice(ax, ax + ni), indices.shape)];
    const xi = [...oi.slice(0, ax), which, ...oi.slice(ax + ni)];
    out.data[i] = x.data[ravel(xi, x.shape)];
  }
  return out;
}

/** One-hot float64 encoding of integer labels: [...] -> [..., depth]. */
export function oneHot(labels: ArrayLike<number>, shape: readonly number[], depth: number): A64 {
  const out = arr([...shape, depth]);
  for (let i = 0; i < labels.length; i++) out.data[i * depth + labels[i]] = 1;
  return out;
}
