/**
 * Fingerprints of tensor contents for op traces: a 64-bit non-cryptographic hash of the stored bits and statistics
 * (min, max and mean of the finite values, counts of NaN, infinite and subnormal values), computed chunk by chunk
 * (fixed chunks of 4096 elements, each read while it is in cache) and combined in chunk order. The hash is of the
 * bits, never of decimal text, so the same tensor gives the same fingerprint in every process, on every backend and
 * machine; the CPU backend computes the chunks on its worker threads (Backend.fingerprint: a WebAssembly SIMD form
 * of the same definition, src/kernels/cpu/wasm-fingerprint.ts, tested equal to these functions), so the result never
 * depends on the thread count.
 * Part of src/core: imports nothing outside src/core.
 *
 * The hash, precisely (trace format version 2; all arithmetic on unsigned 32-bit words, `imul` the low 32 bits of
 * the product, `rotl` a left rotation):
 * - Words: element i of the tensor is the 32-bit word w[i]: for float32 its IEEE bits, except that every NaN is the
 *   canonical quiet NaN 0x7fc00000 (a NaN's payload is not part of ditto's guarantee; the sign of zero and every
 *   other bit count); for int32 its two's complement bits; for uint8 (bool) the byte's value 0..255.
 * - `step(h, w)` is MurmurHash3's block step: k = imul(rotl(imul(w, 0xcc9e2d51), 15), 0x1b873593);
 *   h = imul(rotl(h ^ k, 13), 5) + 0xe6546b64. For a fixed w it is a bijection of h, for a fixed h a bijection of w.
 * - `fmix(h)` is MurmurHash3's finalizer: h ^= h >>> 16; h = imul(h, 0x85ebca6b); h ^= h >>> 13;
 *   h = imul(h, 0xc2b2ae35); h ^= h >>> 16 (a bijection).
 * - Chunks: elements [4096c, min(n, 4096(c+1))) form chunk c. In each chunk sixteen lanes start at
 *   seed(j) = imul(j + 1, 0x9e3779b9), j = 0..15; element i goes to lane i mod 16: l[j] = step(l[j], w[i]), in index
 *   order. The chunk's pair is (step(...step(step(l[0], l[1]), l[2])..., l[7]), the same over l[8] .. l[15]).
 * - The tensor: H = 0x9e3779b9 ^ tag, L = 0x7f4a7c15 ^ tag with tag 1 for float32, 2 for int32, 3 for uint8; for
 *   each chunk in order H = step(H, chunk's first), L = step(L, chunk's second); then H = fmix(step(H, n)),
 *   L = fmix(step(L, n)) with n the element count (mod 2^32). The hash is H then L as 16 lower-case hex digits.
 * Every step is a bijection of the changed word for the others fixed, so any change of a single element (any bit
 * flip) changes the hash, always; other changes (two words swapped, ...) collide with probability about 2^-32 or
 * less.
 *
 * The statistics: min and max of the finite values (a zero extreme is reported as +0: the sign of zero is in the
 * hash); the mean of the finite values is their float64 sum divided by their count, the sum taken in this order: in
 * each chunk four float64 sums, lane r adding the elements i = r mod 4 in index order, combined as
 * (s0 + s1) + (s2 + s3); the chunks' sums added in chunk order. For int32 and uint8 every value is finite.
 */
import type { DType, TypedArray } from '../dtype.ts';

/** A tensor's fingerprint as a trace records it. */
export interface Fingerprint {
  /** 16 hex digits: the 64-bit hash of the bits (see the module comment; NaNs canonicalized). */
  hash: string;
  /** Smallest finite value (null when there is none). */
  min: number | null;
  /** Largest finite value (null when there is none). */
  max: number | null;
  /** Mean of the finite values (float64 sums in the order of the module comment; null when there is none). */
  mean: number | null;
  /** Number of NaN values. */
  nan: number;
  /** Number of infinite values. */
  inf: number;
  /** Number of subnormal (denormal) float32 values. */
  sub: number;
}

/** Elements per chunk: partial hashes and statistics are per chunk, whatever the thread count. */
export const FINGERPRINT_CHUNK = 4096;
/** Numbers per chunk in a partials array: first, second (the chunk's hash pair), sum, min, max, nan, inf, sub. */
export const FINGERPRINT_PART = 8;

/** Hash lanes per chunk (element i goes to lane i mod LANES). */
export const LANES = 16;
/** The lanes' initial states: imul(j + 1, 0x9e3779b9). */
export const LANE_SEEDS: readonly number[] = Array.from({ length: LANES }, (_, j) => Math.imul(j + 1, 0x9e3779b9));
const TAGS: Record<DType, number> = { float32: 1, int32: 2, uint8: 3 };
/** The smallest normal float32. */
const MIN_NORMAL = 1.1754943508222875e-38;

/** MurmurHash3's block step (see the module comment): the hash's one mixing function, also the CPU backend's. */
export function hashStep(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
const step = hashStep;

/** MurmurHash3's finalizer. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The chunk's hash pair from its lanes into out[o], out[o + 1] (see the module comment). */
export function foldLanes(l: ArrayLike<number>, out: Float64Array, o: number): void {
  let a = l[0];
  let b = l[8];
  for (let j = 1; j < 8; j++) {
    a = step(a, l[j]);
    b = step(b, l[8 + j]);
  }
  out[o] = a >>> 0;
  out[o + 1] = b >>> 0;
}

const lanes = new Int32Array(LANES);

/** Hash lanes of the words w[s..e) (s a multiple of 16), float32 NaNs canonicalized when `canon`. */
function hashWords(w: Int32Array, s: number, e: number, canon: boolean, out: Float64Array, o: number): void {
  const l = lanes;
  l.set(LANE_SEEDS);
  for (let i = s; i < e; i++) {
    let a = w[i];
    if (canon && (a & 0x7fffffff) > 0x7f800000) a = 0x7fc00000;
    const j = (i - s) & 15;
    l[j] = step(l[j], a);
  }
  foldLanes(l, out, o);
}

/** Hash lanes of the bytes a[s..e) (s a multiple of 16), each byte one word. */
function hashBytes(a: Uint8Array, s: number, e: number, out: Float64Array, o: number): void {
  const l = lanes;
  l.set(LANE_SEEDS);
  for (let i = s; i < e; i++) {
    const j = (i - s) & 15;
    l[j] = step(l[j], a[i]);
  }
  foldLanes(l, out, o);
}

/** Statistics of the float32 values f[s..e) (s a multiple of 4) into out[o + 2 ..]. */
function statsFloat(f: Float32Array, s: number, e: number, out: Float64Array, o: number): void {
  const sums = [0, 0, 0, 0];
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  let inf = 0;
  let sub = 0;
  for (let r = 0; r < 4; r++) {
    let sum = 0;
    for (let i = s + r; i < e; i += 4) {
      const v = f[i];
      if (v - v === 0) {
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v < MIN_NORMAL && v > -MIN_NORMAL && v !== 0) sub++;
      } else if (v !== v) nan++;
      else inf++;
    }
    sums[r] = sum;
  }
  out[o + 2] = (sums[0] + sums[1]) + (sums[2] + sums[3]);
  out[o + 3] = min;
  out[o + 4] = max;
  out[o + 5] = nan;
  out[o + 6] = inf;
  out[o + 7] = sub;
}

/** Statistics of the integer values a[s..e) (s a multiple of 4) into out[o + 2 ..]. */
function statsInt(a: Int32Array | Uint8Array, s: number, e: number, out: Float64Array, o: number): void {
  const sums = [0, 0, 0, 0];
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < 4; r++) {
    let sum = 0;
    for (let i = s + r; i < e; i += 4) {
      const v = a[i];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    sums[r] = sum;
  }
  out[o + 2] = (sums[0] + sums[1]) + (sums[2] + sums[3]);
  out[o + 3] = min;
  out[o + 4] = max;
  out[o + 5] = 0;
  out[o + 6] = 0;
  out[o + 7] = 0;
}

/**
 * Computes the partials of chunks c0..c1-1 of `data` (its first `n` elements, of `dtype`) into
 * `parts[FINGERPRINT_PART * c ..]`: what each thread of the CPU backend runs on its share of the chunks.
 */
export function fingerprintChunks(data: TypedArray, dtype: DType, n: number, c0: number, c1: number, parts: Float64Array): void {
  if (dtype === 'uint8') {
    const a = data as Uint8Array;
    for (let c = c0; c < c1; c++) {
      const s = c * FINGERPRINT_CHUNK;
      const e = Math.min(n, s + FINGERPRINT_CHUNK);
      hashBytes(a, s, e, parts, c * FINGERPRINT_PART);
      statsInt(a, s, e, parts, c * FINGERPRINT_PART);
    }
    return;
  }
  const w = dtype === 'float32' ? new Int32Array(data.buffer, data.byteOffset, n) : (data as Int32Array);
  for (let c = c0; c < c1; c++) {
    const s = c * FINGERPRINT_CHUNK;
    const e = Math.min(n, s + FINGERPRINT_CHUNK);
    const o = c * FINGERPRINT_PART;
    if (dtype === 'float32') {
      hashWords(w, s, e, true, parts, o);
      statsFloat(data as Float32Array, s, e, parts, o);
    } else {
      hashWords(w, s, e, false, parts, o);
      statsInt(w, s, e, parts, o);
    }
  }
}

/** The number of chunks of a tensor of `n` elements. */
export function fingerprintChunkCount(n: number): number {
  return Math.ceil(n / FINGERPRINT_CHUNK);
}

const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** Combines the partials of all chunks of a tensor of `n` elements of `dtype`, in chunk order, into its fingerprint. */
export function combineFingerprintChunks(dtype: DType, n: number, parts: Float64Array): Fingerprint {
  const tag = TAGS[dtype];
  let h = 0x9e3779b9 ^ tag;
  let l = 0x7f4a7c15 ^ tag;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  let inf = 0;
  let sub = 0;
  const chunks = fingerprintChunkCount(n);
  for (let c = 0; c < chunks; c++) {
    const o = c * FINGERPRINT_PART;
    h = step(h, parts[o]);
    l = step(l, parts[o + 1]);
    sum += parts[o + 2];
    if (parts[o + 3] < min) min = parts[o + 3];
    if (parts[o + 4] > max) max = parts[o + 4];
    nan += parts[o + 5];
    inf += parts[o + 6];
    sub += parts[o + 7];
  }
  const hash = hex8(fmix(step(h, n))) + hex8(fmix(step(l, n)));
  const finite = n - nan - inf;
  const any = finite > 0;
  // + 0 turns a zero's sign positive: which of 0 and -0 is the extreme depends on the order of comparisons.
  return { hash, min: any ? min + 0 : null, max: any ? max + 0 : null, mean: any ? sum / finite : null, nan, inf, sub };
}

let scratch = new Float64Array(64 * FINGERPRINT_PART);

/** The fingerprint of `data` (a tensor's values in row-major order, of `dtype`). */
export function fingerprint(data: TypedArray, dtype: DType): Fingerprint {
  const n = data.length;
  const chunks = fingerprintChunkCount(n);
  if (scratch.length < chunks * FINGERPRINT_PART) scratch = new Float64Array(chunks * FINGERPRINT_PART);
  fingerprintChunks(data, dtype, n, 0, chunks, scratch);
  return combineFingerprintChunks(dtype, n, scratch);
}
