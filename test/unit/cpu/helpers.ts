/**
 * Helpers for the CPU-backend kernel tests: seeded random operands (with optional non-finite
 * values and ties), direct kernel invocation on SharedArrayBuffer-backed arrays, output shapes.
 */
import { window2d } from '../../../src/core/ops/window.ts';
import type { DType, TypedArray } from '../../../src/core/dtype.ts';

export interface Info {
  handle: TypedArray;
  shape: number[];
  dtype: DType;
}

/** A small seeded generator (LCG): uniform in [0, 1). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function alloc(dtype: DType, n: number, shared: boolean): TypedArray {
  const bytes = n * (dtype === 'uint8' ? 1 : 4);
  const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return dtype === 'float32' ? new Float32Array(buf) : dtype === 'int32' ? new Int32Array(buf) : new Uint8Array(buf);
}

export interface FillOptions {
  /** Fraction of NaN, ±Infinity and -0 values. */
  special?: number;
  /** Draw values from this many distinct levels (creates ties). */
  levels?: number;
  /** Scale of the values. */
  scale?: number;
}

/** A tensor of random values on a SharedArrayBuffer (as the backend allocates). */
export function randomInfo(rng: Rng, shape: number[], dtype: DType = 'float32', o: FillOptions = {}): Info {
  const n = size(shape);
  const h = alloc(dtype, n, true);
  const specials = [NaN, Infinity, -Infinity, -0, 0];
  if (dtype === 'float32' && !o.special && !o.levels) {
    // the common case, fast enough for 2^24-element operands: 24-bit values times 2^-3..2^3
    let s = Math.floor(rng.next() * 4294967296) >>> 0;
    const scale = (o.scale ?? 1) / 8388608 / 8;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      h[i] = ((s >>> 8) - 8388608) * scale * (1 << (s & 7)) / 8;
    }
    return { handle: h, shape, dtype };
  }
  for (let i = 0; i < n; i++) {
    if (dtype === 'uint8') h[i] = rng.int(0, 3) === 0 ? 0 : rng.int(0, 255);
    else if (dtype === 'int32') h[i] = rng.int(-50, 50) * (rng.next() < 0.05 ? 50_000_000 : 1);
    else if (o.special && rng.next() < o.special) h[i] = rng.pick(specials);
    else if (o.levels) h[i] = rng.int(0, o.levels - 1) - (o.levels >> 1);
    else h[i] = (rng.next() * 2 - 1) * (o.scale ?? 1) * 2 ** rng.int(-3, 3);
  }
  return { handle: h, shape, dtype };
}

/** An output tensor: zero-filled, or filled with a NaN pattern to check that a kernel writes everything. */
export function outputInfo(shape: number[], dtype: DType, garbage: boolean, shared = true): Info {
  const h = alloc(dtype, size(shape), shared);
  if (garbage) h.fill(dtype === 'float32' ? NaN : 77);
  return { handle: h, shape, dtype };
}

/** A copy of `t` on a plain (non-shared) ArrayBuffer. */
export function unshared(t: Info): Info {
  const h = alloc(t.dtype, t.handle.length, false);
  h.set(t.handle);
  return { ...t, handle: h };
}

export function convOutShape(x: number[], w: number[], strides: [number, number], padding: 'valid' | 'same'): number[] {
  const g = window2d('test', x, [w[0], w[1]], strides, padding);
  return [g.n, g.outH, g.outW, w[3]];
}

export function poolOutShape(x: number[], k: [number, number], strides: [number, number], padding: 'valid' | 'same'): number[] {
  const g = window2d('test', x, k, strides, padding);
  return [g.n, g.outH, g.outW, x[3]];
}

/**
 * Byte-level equality; returns a description of the first difference or null. With `anyNaN`, two
 * float32 NaNs count as equal whatever their sign and payload: V8 may commute + and * (in plain
 * JS and in WebAssembly), so when two NaNs with different bits meet, which one survives depends on the
 * compiled code, not on the summation order (the v1 kernels themselves vary with JIT state).
 * Every non-NaN bit pattern, -0 and the infinities included, must match exactly.
 */
export function firstDifference(a: TypedArray, b: TypedArray, anyNaN = false): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const bpe = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) {
      const e = Math.floor(i / bpe);
      if (anyNaN && a instanceof Float32Array && Number.isNaN(a[e]) && Number.isNaN(b[e])) {
        i = (e + 1) * bpe - 1;
        continue;
      }
      const hex = (t: TypedArray) => Buffer.from(t.buffer, t.byteOffset + e * bpe, bpe).toString('hex');
      return `element ${e}: ${a[e]} (${hex(a)}) vs ${b[e]} (${hex(b)})`;
    }
  }
  return null;
}
