/**
 * Test-side helpers for the randomness suite: golden-file loading, base64 word arrays, hex formatting,
 * and an exact BigInt reference for float32 rounding (independent of the code under test).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Parses test/golden/<name>. */
export function loadGolden<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(here, '../../golden', name), 'utf8')) as T;
}

/** Decodes base64 of little-endian uint32 words. */
export function b64Words(s: string): Uint32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Uint32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readUInt32LE(4 * i);
  return out;
}

/** u32 words as 8-digit hex strings. */
export function hex(a: ArrayLike<number>): string[] {
  return Array.from(a, (x) => (x >>> 0).toString(16).padStart(8, '0'));
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Bit pattern of a float32 value. */
export function bitsOf(x: number): number {
  f32[0] = x;
  return u32[0];
}
/** float32 value of a bit pattern. */
export function floatOf(b: number): number {
  u32[0] = b;
  return f32[0];
}

/** 2^e exactly, by repeated doubling or halving (no Math.pow). */
export function pow2(e: number): number {
  let v = 1;
  for (let i = 0; i < e; i++) v *= 2;
  for (let i = 0; i > e; i--) v /= 2;
  return v;
}

/** x = num * 2^exp exactly, for a finite double x. */
export function exactDyadic(x: number): { num: bigint; exp: number } {
  if (x === 0) return { num: 0n, exp: 0 };
  let e = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  return { num: BigInt(m), exp: e };
}

/**
 * Correctly rounded float32 (ties to even) of the exact value num * 2^exp, computed with BigInt only.
 * Returns a JS number holding the float32 value; handles subnormals and overflow to infinity. Signed zeros are not tracked.
 */
export function roundToF32(num: bigint, exp: number): number {
  if (num === 0n) return 0;
  const neg = num < 0n;
  const n = neg ? -num : num;
  const lead = exp + n.toString(2).length - 1; // exponent of the leading bit
  let quantumExp = Math.max(lead - 23, -149); // value of the last kept bit
  const shift = quantumExp - exp;
  let q: bigint;
  if (shift <= 0) {
    q = n << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    q = n >> s;
    const rem = n - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    if (q === 1n << 24n) {
      q >>= 1n;
      quantumExp += 1;
    }
  }
  if (quantumExp + q.toString(2).length - 1 > 127) return neg ? -Infinity : Infinity;
  const v = Number(q) * pow2(quantumExp);
  return neg ? -v : v;
}

/**
 * How numpy prints a float32 array element with default options (floatmode 'maxprec', precision 8):
 * the shortest float32 round-trip digits, cut to at most 8 decimals (rounding the exact value), trailing zeros trimmed.
 */
export function numpyF32Str(x: number): string {
  let shortest = '';
  for (let d = 1; d <= 9; d++) {
    const s = Number(x.toPrecision(d));
    if (Math.fround(s) === x) {
      shortest = String(s);
      break;
    }
  }
  const frac = shortest.includes('.') ? shortest.split('.')[1].length : 0;
  if (!shortest.includes('e') && frac <= 8) return shortest;
  return x.toFixed(8).replace(/0+$/, '');
}
