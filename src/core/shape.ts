/**
 * Shape arithmetic shared by op definitions and kernels: sizes, strides, axes, broadcasting.
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError, ShapeError, fmtShape } from './errors.ts';

/**
 * A tensor shape: the size of every axis, outermost first.
 * @inline
 */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Throws unless every dimension is a non-negative safe integer (below 2^53, where sizes are exact). */
export function checkShape(fn: string, shape: unknown, name = 'shape'): asserts shape is number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`${fn}: expected ${name} to be an array of non-negative integers. Received: ${name}=${JSON.stringify(shape)}`);
  }
}

/** Normalizes a possibly negative axis for a tensor of rank `rank`. */
export function normalizeAxis(fn: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ArgumentError(`${fn}: expected axis to be an integer in [${-rank}, ${rank}). Received: axis=${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalizes an axis list (undefined = all axes) into sorted unique non-negative axes.
 * Duplicates are an error.
 */
export function normalizeAxes(fn: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((a) => normalizeAxis(fn, a, rank));
  const sorted = [...out].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new ArgumentError(`${fn}: expected distinct axes. Received: axes=${JSON.stringify(axes)}`);
    }
  }
  return sorted;
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming `fn` when they do not broadcast. */
export function broadcastShapes(fn: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${fn}: expected shapes that broadcast (NumPy rules). Received: ${fmtShape(a)} and ${fmtShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For an input of shape `inShape` broadcast to `outShape`, the strides (in elements of the input)
 * to use for each output axis: 0 where the input is broadcast.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  const out = new Array<number>(rank).fill(0);
  const off = rank - inShape.length;
  for (let i = off; i < rank; i++) {
    out[i] = inShape[i - off] === 1 ? 0 : inStrides[i - off];
  }
  return out;
}

/** Axes of `outShape` over which an input of shape `inShape` was broadcast (for gradients). */
export function broadcastedAxes(inShape: Shape, outShape: Shape): number[] {
  const axes: number[] = [];
  const off = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    if (i < off || (inShape[i - off] === 1 && outShape[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** Shape after reducing `axes` (sorted, normalized); kept as 1 when keepDims. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
