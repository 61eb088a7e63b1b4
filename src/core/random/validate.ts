/**
 * Argument checks shared by the randomness layer. Every message starts with the calling function's name,
 * says what was expected and what was received (the engine's error template).
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError, ShapeError } from '../errors.ts';

/** Formats any argument value for a "Received:" clause: arrays as [a, b], bigints with an n suffix. */
export function fmtValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    return `[${Array.from(v as ArrayLike<unknown>, (x) => fmtValue(x)).join(', ')}]`;
  }
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** Throws unless v holds exactly n integers in [0, 2^32). */
export function checkU32Words(fn: string, name: string, v: unknown, n: number): asserts v is ArrayLike<number> {
  const a = v as ArrayLike<unknown> | null | undefined;
  let ok = a != null && typeof a === 'object' && a.length === n;
  for (let i = 0; ok && i < n; i++) {
    const x = (a as ArrayLike<unknown>)[i];
    ok = typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
  }
  if (!ok) throw new ArgumentError(`${fn}: expected ${name} of ${n} u32 integers. Received: ${name}=${fmtValue(v)}`);
}

/** Throws unless seed is a pair of safe integers (JS numbers); returns it as a tuple. */
export function checkSeedPair(fn: string, seed: unknown, name = 'seed'): [number, number] {
  const a = seed as ArrayLike<unknown> | null | undefined;
  const ok =
    a != null && typeof a === 'object' && a.length === 2 &&
    Number.isSafeInteger(a[0]) && Number.isSafeInteger(a[1]);
  if (!ok) throw new ArgumentError(`${fn}: expected ${name} of two integers. Received: ${name}=${fmtValue(seed)}`);
  return [a[0] as number, a[1] as number];
}

/** Throws unless shape is an array of non-negative integers; returns its element count. */
export function checkShapeSize(fn: string, shape: unknown, name = 'shape'): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`${fn}: expected ${name} to be an array of non-negative integers. Received: ${name}=${fmtValue(shape)}`);
  }
  let n = 1;
  for (const d of shape as number[]) n *= d;
  if (n > 0x7fffffff) {
    throw new ShapeError(`${fn}: expected ${name} with fewer than 2^31 elements. Received: ${name}=${fmtValue(shape)}`);
  }
  return n;
}

/** Throws unless x is a finite number. */
export function checkFinite(fn: string, name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new ArgumentError(`${fn}: expected ${name} to be a finite number. Received: ${name}=${fmtValue(x)}`);
  }
}

/** Throws unless x is a non-negative safe integer. */
export function checkCount(fn: string, name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
    throw new ArgumentError(`${fn}: expected ${name} to be a non-negative integer. Received: ${name}=${fmtValue(x)}`);
  }
}
