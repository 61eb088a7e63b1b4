/**
 * Element-wise comparison of two outputs for trace diffs: how many elements differ (by bits, NaNs equal to NaNs),
 * the largest distance in float32 ulps (units in the last place: the number of float32 values between the two),
 * and the first differing element.
 * Part of src/core: imports nothing outside src/core.
 */

/** What {@link compareElements} finds. */
export interface ElementDiff {
  /** Number of elements whose bits differ (any NaN equals any NaN). */
  differing: number;
  /** Elements compared. */
  size: number;
  /** The largest distance in ulps (float32; for integers the absolute difference; Infinity when NaN meets a number). */
  maxUlps: number;
  /** Flat (row-major) index of the first differing element (-1 if none). */
  firstIndex: number;
  /** The same index per dimension. */
  firstIndexNd: number[];
  /** Run A's value there. */
  a: number | null;
  /** Run B's value there. */
  b: number | null;
  /** Run A's float32 bits there, 8 hex digits (float32 only). */
  aBits?: string;
  /** Run B's float32 bits there. */
  bBits?: string;
}

/** The position of float32 bits `u` on the number line (adjacent floats differ by 1; -0 and +0 by 1). */
function ordered(u: number): number {
  return u & 0x80000000 ? 0x7fffffff - (u & 0x7fffffff) : u + 0x80000000;
}

/** The distance in ulps between float32 bit patterns `x` and `y`. */
export function ulpDistance(x: number, y: number): number {
  const nx = (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
  const ny = (y & 0x7f800000) === 0x7f800000 && (y & 0x7fffff) !== 0;
  if (nx || ny) return nx && ny ? 0 : Infinity;
  return Math.abs(ordered(x >>> 0) - ordered(y >>> 0));
}

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Compares two outputs of one op (same shape and dtype). */
export function compareElements(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array, shape: readonly number[]): ElementDiff {
  const n = Math.min(a.length, b.length);
  const float = a instanceof Float32Array;
  const ua = float ? new Uint32Array(a.buffer, a.byteOffset, a.length) : null;
  const ub = float ? new Uint32Array(b.buffer, b.byteOffset, b.length) : null;
  let differing = Math.abs(a.length - b.length);
  let maxUlps = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const d = float ? ulpDistance(ua![i], ub![i]) : Math.abs(a[i] - b[i]);
    const same = float ? ua![i] === ub![i] || d === 0 : a[i] === b[i];
    if (same) continue;
    differing++;
    if (first < 0) first = i;
    if (d > maxUlps) maxUlps = d;
  }
  const hex = (u: number): string => (u >>> 0).toString(16).padStart(8, '0');
  const r: ElementDiff = {
    differing, size: n, maxUlps, firstIndex: first, firstIndexNd: first >= 0 ? unravel(first, shape) : [],
    a: first >= 0 ? a[first] : null, b: first >= 0 ? b[first] : null,
  };
  if (float && first >= 0) {
    r.aBits = hex(ua![first]);
    r.bBits = hex(ub![first]);
  }
  return r;
}
